package io.buildq.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The two Conductor eras' target names (real-install-notes Q11). */
class TargetNamesTest {

    @Test
    void literalNamesEveryTargetByItsDriverName() {
        for (Target target : Target.values()) {
            assertThat(TargetNames.literal().targetImageTarget(target.id())).isEqualTo(target.id());
        }
        assertThat(TargetNames.literal().targetImageTarget("openstack")).isEqualTo("openstack");
        assertThat(TargetNames.literal().matches("mock", "MockSphere")).isFalse();
        assertThat(TargetNames.literal().matches("mock", "mock")).isTrue();
    }

    @Test
    void timEraRenamesMockAndOpenstackOnlyAsConductorsImagefactoryTargetNameDid() {
        TargetNames tim = TargetNames.timEra();

        assertThat(tim.targetImageTarget("mock")).isEqualTo("MockSphere");
        assertThat(tim.targetImageTarget("openstack")).isEqualTo("openstack-kvm");
        assertThat(Arrays.stream(Target.values()).map(Target::id).filter(id -> !id.equals("mock")))
                .allSatisfy(id -> assertThat(tim.targetImageTarget(id)).isEqualTo(id));
        assertThat(tim.matches("mock", "MockSphere")).isTrue();
        assertThat(tim.matches("mock", "mock")).isFalse();
        assertThat(tim.matches("openstack", "openstack-kvm")).isTrue();
    }

    @Test
    void theMockTargetsFactoryNameIsTheTimEraName() {
        assertThat(TargetNames.timEra().targetImageTarget(Target.MOCK.id())).isEqualTo(Target.MOCK.factoryName());
    }

    @Test
    void namesAreComparedExactlyAndCanBeExtended() {
        TargetNames custom = TargetNames.literal().with("ec2", "EC2");

        assertThat(custom.targetImageTarget("ec2")).isEqualTo("EC2");
        assertThat(custom.matches("ec2", "ec2")).isFalse();
        assertThat(TargetNames.literal().targetImageTarget("ec2")).as("presets are immutable").isEqualTo("ec2");
        assertThat(TargetNames.timEra().with("mock", "MockSphere")).isEqualTo(TargetNames.timEra());
        assertThat(TargetNames.timEra()).isNotEqualTo(TargetNames.literal());
    }
}
