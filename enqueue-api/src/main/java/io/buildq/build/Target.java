package io.buildq.build;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cloud types an image can be built for. The name is the one Conductor and iwhd use (the
 * Deltacloud driver name); {@link #factoryName()} is what Image Factory's plugins expect, which
 * differs for {@code mock} (Tim sent {@code MockSphere}).
 */
public enum Target {
    EC2("ec2", "ec2"),
    RHEVM("rhevm", "rhevm"),
    VSPHERE("vsphere", "vsphere"),
    OPENSTACK_KVM("openstack-kvm", "openstack-kvm"),
    MOCK("mock", "MockSphere"),
    CONDORCLOUD("condorcloud", "condorcloud"),
    RACKSPACE("rackspace", "rackspace");

    private final String id;
    private final String factoryName;

    Target(String id, String factoryName) {
        this.id = id;
        this.factoryName = factoryName;
    }

    public String id() {
        return id;
    }

    public String factoryName() {
        return factoryName;
    }

    public static Optional<Target> byId(String id) {
        return Arrays.stream(values()).filter(target -> target.id.equals(id)).findFirst();
    }

    static String known() {
        return Arrays.stream(values()).map(Target::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
