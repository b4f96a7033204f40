package io.buildq.internal.iwhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IwhdQueryTest {

    @Test
    void eachTestIsParenthesisedSinceIwhdGivesAndAndOrEqualPrecedence() {
        assertThat(IwhdQuery.where("build", "b1").and("target", "ec2").expression())
                .isEqualTo("($build == \"b1\") && ($target == \"ec2\")");
    }

    @Test
    void addingATestLeavesTheQueryItWasAddedToAsItWas() {
        IwhdQuery build = IwhdQuery.where("build", "b1");

        build.and("target", "ec2");

        assertThat(build.expression()).isEqualTo("($build == \"b1\")");
    }

    @Test
    void aValueWithAQuoteWouldEndTheStringEarlyAndIsRefusedNamingTheAttribute() {
        // iwhd's strings have no escapes: the rest would be read as query syntax.
        assertThatThrownBy(() -> IwhdQuery.where("provider", "ec2\" || $a == \"b"))
                .isInstanceOf(UnsafeQueryValueException.class).hasMessageContaining("provider");
    }

    @Test
    void aBackslashIsPlainTextToIwhdAndPassesAsIs() {
        assertThat(IwhdQuery.where("provider_account_identifier", "DOMAIN\\user").expression())
                .isEqualTo("($provider_account_identifier == \"DOMAIN\\user\")");
    }

    @Test
    void anAttributeNameIwhdWouldMisreadIsRefused() {
        // A name with digits or capitals is a syntax error to iwhd, which then returns every object.
        assertThatThrownBy(() -> IwhdQuery.where("target2", "ec2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IwhdQuery.where("Target", "ec2")).isInstanceOf(IllegalArgumentException.class);
    }
}
