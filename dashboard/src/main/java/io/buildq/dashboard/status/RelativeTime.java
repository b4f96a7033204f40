package io.buildq.dashboard.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times as operators read them: "3 min ago", with the exact time (UTC, to the second) in the
 * element's title and its ISO form in {@code datetime}, from which the page's script keeps the
 * phrase current between updates.
 */
final class RelativeTime {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private RelativeTime() {
    }

    /** A {@code <time>} element for {@code at}, or an empty string for none. */
    static String element(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        return "<time datetime=\"" + at + "\" title=\"" + EXACT.format(at) + "\">" + phrase(at, now) + "</time>";
    }

    static String phrase(Instant at, Instant now) {
        long seconds = Math.max(0, Duration.between(at, now).toSeconds());
        if (seconds < 10) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86400 + " days ago";
    }

    /** A duration as "42 s", "3 min 5 s" or "2 h 10 min". */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
