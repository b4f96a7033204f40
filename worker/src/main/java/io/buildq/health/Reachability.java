package io.buildq.health;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Whether a service answers HTTP at its root, for the health report: any answer counts (a 401 from an
 * OAuth-signed iwhd or a 404 from factory's root still says the service is up), no answer does not.
 * Reported beside readiness, never part of it: a worker waits out factory or iwhd by itself.
 */
public final class Reachability {

    private Reachability() {
    }

    /** A check of {@code url} through {@code client} (with its TLS trust and signing), bounded to {@code bound}. */
    public static Supplier<String> of(OkHttpClient client, String url, Duration bound) {
        OkHttpClient quick = client.newBuilder().callTimeout(bound).build();
        return () -> {
            try (Response response = quick.newCall(new Request.Builder().url(url).get().build()).execute()) {
                return "reachable (HTTP " + response.code() + ")";
            } catch (IOException | IllegalArgumentException e) {
                return "unreachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        };
    }
}
