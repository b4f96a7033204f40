package io.buildq.build;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The name a target image's {@code target} attribute carries in iwhd for an account's target (a
 * Deltacloud driver name such as {@code ec2} or {@code mock}): the one point on which Conductor's
 * two eras disagree (real-install-notes Q11). The registrar writes this name and the catalog looks
 * for it, compared as an exact string. Immutable.
 */
public final class TargetNames {

    private static final TargetNames LITERAL = new TargetNames("literal", Map.of());
    private static final TargetNames TIM_ERA = new TargetNames("timEra",
            Map.of("mock", "MockSphere", "openstack", "openstack-kvm"));

    private final String preset;
    private final Map<String, String> renamed;

    private TargetNames(String preset, Map<String, String> renamed) {
        this.preset = preset;
        this.renamed = Map.copyOf(renamed);
    }

    /**
     * Every target keeps its driver name. The default, because the only Conductor that reads iwhd,
     * the iwhd era's, compares {@code provider_type.deltacloud_driver} literally with the target
     * image's {@code target} and asked for builds under the same names (Q11); buildq writes
     * {@link Target#id()}, which is that name, so its images and factory v1's read alike.
     */
    public static TargetNames literal() {
        return LITERAL;
    }

    /**
     * Tim-era Conductor's {@code ProviderType#imagefactory_target_name} (Q11): {@code mock} becomes
     * {@code MockSphere} and {@code openstack} becomes {@code openstack-kvm}; other drivers keep
     * their name. For target images written with factory's target names.
     */
    public static TargetNames timEra() {
        return TIM_ERA;
    }

    /** These names with one more driver renamed (or one renaming replaced). */
    public TargetNames with(String driver, String targetImageTarget) {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(targetImageTarget, "targetImageTarget");
        Map<String, String> more = new TreeMap<>(renamed);
        more.put(driver, targetImageTarget);
        return new TargetNames("custom", more);
    }

    /** The {@code target} a target image built for this account target carries. */
    public String targetImageTarget(String accountTarget) {
        return renamed.getOrDefault(accountTarget, accountTarget);
    }

    /** Whether a target image whose {@code target} is {@code targetImageTarget} serves the account's target. */
    public boolean matches(String accountTarget, String targetImageTarget) {
        return targetImageTarget(accountTarget).equals(targetImageTarget);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TargetNames names && names.renamed.equals(renamed);
    }

    @Override
    public int hashCode() {
        return renamed.hashCode();
    }

    @Override
    public String toString() {
        return "TargetNames[" + preset + (renamed.isEmpty() ? "" : ", " + new TreeMap<>(renamed)) + "]";
    }
}
