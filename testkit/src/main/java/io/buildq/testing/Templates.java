package io.buildq.testing;

/** The TDL templates the tests enqueue, written once. */
public final class Templates {

    private Templates() {
    }

    /**
     * A plain Fedora 16 x86_64 template installed from a URL, as Image Factory's examples write one;
     * the simulator builds it without a failure.
     *
     * @param name the template's {@code <name>}, which says in logs and histories which test enqueued it
     */
    public static String fedora16(String name) {
        return "<template><name>" + name + "</name><os><name>Fedora</name><version>16</version>"
                + "<arch>x86_64</arch><install type=\"url\"><url>http://mirror.example/f16/</url></install></os></template>";
    }
}
