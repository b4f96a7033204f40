package io.buildq.sim.factory;

import java.io.StringReader;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.xml.sax.InputSource;

/**
 * Decides from a template whether a simulated build fails, and with what error text. Like factory's
 * Mock builder (which failed on {@code <template>FAIL</template>}), failures are asked for in the
 * template itself, so that a test or a demo needs no side channel:
 * <ul>
 *   <li>{@code simulate-failure} anywhere in the template fails the base image (the OS install),
 *       and with it every target image built on it;</li>
 *   <li>{@code simulate-failure:rhevm,vsphere} fails only the target images for those targets;</li>
 *   <li>a template that is not well-formed XML fails the base image with the parser's message, as
 *       Oz did.</li>
 * </ul>
 */
final class FailurePlan {

    static final String MARKER = "simulate-failure";
    private static final Pattern MARKER_PATTERN = Pattern.compile(MARKER + "(?::([A-Za-z0-9_,.-]+))?");

    private FailurePlan() {
    }

    static Optional<String> baseImageError(String template) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.newDocumentBuilder().parse(new InputSource(new StringReader(template)));
        } catch (Exception e) {
            return Optional.of("oz.OzException.OzException: Invalid template: " + e.getMessage());
        }
        Matcher matcher = MARKER_PATTERN.matcher(template);
        while (matcher.find()) {
            if (matcher.group(1) == null) {
                return Optional.of("oz.OzException.OzException: Timed out waiting for the JEOS install to finish"
                        + " (simulated: the template carries the marker '" + MARKER + "')");
            }
        }
        return Optional.empty();
    }

    static Optional<String> targetImageError(String template, String target) {
        Matcher matcher = MARKER_PATTERN.matcher(template);
        while (matcher.find()) {
            String targets = matcher.group(1);
            if (targets != null) {
                for (String named : targets.split(",")) {
                    if (named.equalsIgnoreCase(target)) {
                        return Optional.of("ImageFactoryException: Failed to customize the image for target "
                                + target + " (simulated: the template carries the marker '" + MARKER + ":" + targets + "')");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
