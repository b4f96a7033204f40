package io.buildq.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.xml.sax.SAXException;

/**
 * A request to build one image for one or more targets. Every field is checked when the record is
 * made, so an invalid request never reaches the database: each field has its own exception. Lengths
 * are counted in characters as a reader counts them (Unicode code points), whatever the database.
 *
 * @param image          the image's name, as Conductor shows it (1 to 255 characters)
 * @param imageId        the image's uuid in iwhd; null for a new image, which buildq then creates
 * @param template       the TDL: well-formed XML whose root element is {@code <template>}, at most
 *                       {@value #MAX_TEMPLATE_CHARS} characters
 * @param targets        the targets to build for, each once, at most {@value #MAX_TARGETS}
 * @param idempotencyKey optional: the same key with the same request returns the same build
 * @param poolFamily     optional: the Conductor pool family (environment) the image belongs to, at most
 *                       {@value #MAX_POOL_FAMILY_CHARS} characters. Conductor lists and authorises images by
 *                       the iwhd image's {@code environment}, so an image buildq creates without one is
 *                       invisible in Conductor unless Conductor created the image ({@link #imageId})
 */
public record BuildRequest(String image, UUID imageId, String template, List<String> targets, String idempotencyKey,
                           String poolFamily) {


    public static final int MAX_IMAGE_CHARS = 255;
    public static final int MAX_TEMPLATE_CHARS = 256 * 1024;
    public static final int MAX_TARGETS = 16;
    public static final int MAX_IDEMPOTENCY_KEY_CHARS = 255;
    public static final int MAX_POOL_FAMILY_CHARS = 255;

    public BuildRequest {
        image = checkImage(image);
        checkTemplate(template);
        targets = checkTargets(targets);
        checkIdempotencyKey(idempotencyKey);
        poolFamily = checkPoolFamily(poolFamily);
    }

    /** A request without a pool family. */
    public BuildRequest(String image, UUID imageId, String template, List<String> targets, String idempotencyKey) {
        this(image, imageId, template, targets, idempotencyKey, null);
    }

    /** A request for a new image, without an idempotency key. */
    public static BuildRequest of(String image, String template, List<String> targets) {
        return new BuildRequest(image, null, template, targets, null, null);
    }

    public BuildRequest withIdempotencyKey(String key) {
        return new BuildRequest(image, imageId, template, targets, key, poolFamily);
    }

    public BuildRequest withImageId(UUID id) {
        return new BuildRequest(image, id, template, targets, idempotencyKey, poolFamily);
    }

    /** The same request naming Conductor's pool family; null for none. */
    public BuildRequest withPoolFamily(String family) {
        return new BuildRequest(image, imageId, template, targets, idempotencyKey, family);
    }

    /**
     * A digest of everything the request asks for (targets as a set), to tell a repeated call
     * from a different request that reuses an idempotency key.
     */
    public String fingerprint() {
        return fingerprint("");
    }

    /** The fingerprint of the request together with something that goes with it (buildAndPush's accounts). */
    public String fingerprint(String extra) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<String> sortedTargets = new ArrayList<>(targets);
            sortedTargets.sort(null);
            List<String> parts = new ArrayList<>(List.of(image, String.valueOf(imageId), template,
                    String.join(",", sortedTargets), extra));
            if (poolFamily != null) {
                // Only when named, so that requests stored before pool families keep their fingerprints.
                parts.add("poolFamily\u0002" + poolFamily);
            }
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String checkImage(String image) {
        if (image == null || image.isBlank()) {
            throw new InvalidImageException("the image name is required");
        }
        String trimmed = image.strip();
        if (codePoints(trimmed) > MAX_IMAGE_CHARS) {
            throw new InvalidImageException("the image name has " + codePoints(trimmed) + " characters; at most "
                    + MAX_IMAGE_CHARS + " are allowed");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidImageException("the image name must not hold control characters");
        }
        // Conductor and the dashboards show the name to other users: characters that reorder the text
        // after them (U+202E makes "gpj.exe" read "exe.jpg"), break the line, or are half of a pair
        // would make it lie about itself.
        if (trimmed.codePoints().anyMatch(BuildRequest::misleadsInAName)) {
            throw new InvalidImageException("the image name must not hold bidi controls, line separators or unpaired "
                    + "surrogates");
        }
        if (trimmed.codePoints().noneMatch(BuildRequest::isVisible)) {
            throw new InvalidImageException("the image name must hold a visible character");
        }
        return trimmed;
    }

    private static boolean misleadsInAName(int c) {
        return Character.getType(c) == Character.SURROGATE // a lone half: codePoints() passes it on alone
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }

    /** A letter, digit, mark-free symbol or punctuation: not a space, a format character or a combining mark. */
    private static boolean isVisible(int c) {
        return switch (Character.getType(c)) {
            case Character.SPACE_SEPARATOR, Character.FORMAT, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.UNASSIGNED, Character.PRIVATE_USE,
                    Character.SURROGATE, Character.CONTROL -> false;
            default -> true;
        };
    }

    /**
     * A text's length as its readers count it: in code points, so that a character outside the Basic
     * Multilingual Plane (an emoji, a CJK extension ideograph) counts once, not as its two UTF-16 units.
     */
    private static int codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    private static void checkTemplate(String template) {
        if (template == null || template.isBlank()) {
            throw new InvalidTemplateException("the template is required");
        }
        if (codePoints(template) > MAX_TEMPLATE_CHARS) {
            throw new InvalidTemplateException("the template has " + codePoints(template) + " characters; at most "
                    + MAX_TEMPLATE_CHARS + " are allowed");
        }
        String root;
        try {
            root = TemplateParser.rootElement(template);
        } catch (SAXException | IOException e) {
            throw new InvalidTemplateException("the template is not well-formed XML: " + e.getMessage());
        }
        if (!root.equals("template")) {
            throw new InvalidTemplateException("the template's root element must be <template>, not <" + root + ">");
        }
    }

    private static List<String> checkTargets(List<String> targets) {
        if (targets == null || targets.isEmpty()) {
            throw new InvalidTargetsException("at least one target is required (known: " + Target.known() + ")");
        }
        if (targets.size() > MAX_TARGETS) {
            throw new InvalidTargetsException(targets.size() + " targets given; at most " + MAX_TARGETS + " are allowed");
        }
        Set<String> seen = new HashSet<>();
        for (String target : targets) {
            if (target == null || Target.byId(target).isEmpty()) {
                throw new InvalidTargetsException("unknown target '" + target + "' (known: " + Target.known() + ")");
            }
            if (!seen.add(target)) {
                throw new InvalidTargetsException("the target '" + target + "' is named twice");
            }
        }
        return List.copyOf(targets);
    }

    private static void checkIdempotencyKey(String key) {
        if (key == null) {
            return;
        }
        if (key.isBlank()) {
            throw new InvalidIdempotencyKeyException("the idempotency key must not be blank; pass null for none");
        }
        if (codePoints(key) > MAX_IDEMPOTENCY_KEY_CHARS) {
            throw new InvalidIdempotencyKeyException("the idempotency key has " + codePoints(key)
                    + " characters; at most " + MAX_IDEMPOTENCY_KEY_CHARS + " are allowed");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidIdempotencyKeyException("the idempotency key must not hold control characters");
        }
    }

    private static String checkPoolFamily(String family) {
        if (family == null) {
            return null;
        }
        if (family.isBlank()) {
            throw new InvalidPoolFamilyException("the pool family must not be blank; pass null for none");
        }
        String trimmed = family.strip();
        if (codePoints(trimmed) > MAX_POOL_FAMILY_CHARS) {
            throw new InvalidPoolFamilyException("the pool family has " + codePoints(trimmed) + " characters; at most "
                    + MAX_POOL_FAMILY_CHARS + " are allowed");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidPoolFamilyException("the pool family must not hold control characters");
        }
        if (trimmed.indexOf('"') >= 0) {
            // Conductor lists a pool family's images with ($environment == "<family>"): a quote breaks its query.
            throw new InvalidPoolFamilyException("the pool family must not hold double quotes");
        }
        return trimmed;
    }
}
