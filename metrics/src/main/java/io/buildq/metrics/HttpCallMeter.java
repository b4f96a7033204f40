package io.buildq.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Times every call an OkHttp client makes to one service, as {@code buildq_http_client_requests}
 * tagged with the service, the method, the route and the outcome class: {@code 2xx}, {@code 3xx},
 * {@code 4xx}, {@code 5xx}, or {@code no_answer} when the call ended without a response (refused,
 * reset, timed out). The route is the path with its ids replaced by {@code {id}}, so that a series
 * counts a kind of call, not an image.
 *
 * <p>An application interceptor: one call is one sample, whatever OkHttp did underneath.
 */
public final class HttpCallMeter implements Interceptor {

    /** A path segment that names one thing: a UUID, a long hex or decimal id, or a number. */
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{16,}|[0-9]+|.*[0-9].*[0-9].*[0-9].*");

    private final MeterRegistry registry;
    private final String service;

    public HttpCallMeter(MeterRegistry registry, String service) {
        this.registry = registry;
        this.service = service;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        long start = System.nanoTime();
        String outcome = "no_answer";
        try {
            Response response = chain.proceed(request);
            outcome = (response.code() / 100) + "xx";
            return response;
        } finally {
            Timer.builder("buildq.http.client.requests")
                    .description("Calls to Image Factory and iwhd, by route and outcome class")
                    .tag("service", service)
                    .tag("method", request.method())
                    .tag("route", route(request.url().encodedPath()))
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** The path with each id segment replaced by {@code {id}}. */
    static String route(String encodedPath) {
        String[] segments = encodedPath.split("/", -1);
        StringBuilder route = new StringBuilder();
        for (int i = 1; i < segments.length; i++) {
            route.append('/').append(ID.matcher(segments[i]).matches() ? "{id}" : segments[i]);
        }
        return route.length() == 0 ? "/" : route.toString();
    }
}
