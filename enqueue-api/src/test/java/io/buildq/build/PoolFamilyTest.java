package io.buildq.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A build request's optional pool family: Conductor's environment for the image. */
class PoolFamilyTest {

    static final String TEMPLATE = "<template><name>f16</name></template>";

    private static BuildRequest request() {
        return BuildRequest.of("web-server", TEMPLATE, List.of("ec2", "rhevm"));
    }

    @Test
    void aRequestNamesNoPoolFamilyUnlessAskedAndKeepsOneThroughTheOtherWithers() {
        assertThat(request().poolFamily()).isNull();
        UUID imageId = UUID.randomUUID();

        BuildRequest named = request().withPoolFamily("  default ").withIdempotencyKey("k").withImageId(imageId);

        assertThat(named.poolFamily()).isEqualTo("default");
        assertThat(named.idempotencyKey()).isEqualTo("k");
        assertThat(named.imageId()).isEqualTo(imageId);
        assertThat(named.withPoolFamily(null).poolFamily()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "pool\nfamily", "pool\u0000family", "say \"hi\""})
    void anInvalidPoolFamilyRaisesItsOwnTypedExceptionNamingTheField(String family) {
        assertThatThrownBy(() -> request().withPoolFamily(family))
                .isInstanceOf(InvalidPoolFamilyException.class)
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("poolFamily"))
                .hasMessageStartingWith("poolFamily: ");
    }

    @Test
    void aPoolFamilyOfAtMost255CharactersIsAccepted() {
        assertThat(request().withPoolFamily("p".repeat(BuildRequest.MAX_POOL_FAMILY_CHARS)).poolFamily()).hasSize(255);
        assertThatThrownBy(() -> request().withPoolFamily("p".repeat(256)))
                .isInstanceOf(InvalidPoolFamilyException.class)
                .hasMessageContaining("256 characters");
    }

    @Test
    void thePoolFamilyTakesPartInTheFingerprintAndRequestsWithoutOneKeepTheirs() {
        String without = new BuildRequest("web-server", null, TEMPLATE, List.of("rhevm", "ec2"), null).fingerprint();

        assertThat(request().fingerprint()).isEqualTo(without);
        assertThat(request().withPoolFamily("default").fingerprint())
                .isNotEqualTo(without)
                .isEqualTo(request().withPoolFamily("default").fingerprint())
                .isNotEqualTo(request().withPoolFamily("other").fingerprint());
        assertThat(request().withPoolFamily("default").fingerprint("accounts"))
                .isNotEqualTo(request().fingerprint("accounts"));
    }
}
