package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.buildq.build.BuildRequest;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Factory's callbacks, forged by someone who saw a callback URL: factory sends it in its request
 * bodies, logs it, and returns it to anyone who GETs the image ({@code parameters.callbacks}). Each URL
 * carries the token of its own job and attempt, and nothing else.
 */
class ForgedCallbackTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String FORGED = "forged by ForgedCallbackTest";
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http = new OkHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aCallbackTokenWritesItsOwnJobAndAttemptAndNothingElse() throws IOException {
        // Slow steps: both builds stay under way while they are attacked.
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true, Duration.ofSeconds(3))) {
            TargetStatus a = awaitFactoryImage(pipeline,
                    pipeline.queue.build(BuildRequest.of("victim-a", BuildPipelineContract.TEMPLATE.formatted("a"), List.of("ec2"))));
            TargetStatus b = awaitFactoryImage(pipeline,
                    pipeline.queue.build(BuildRequest.of("victim-b", BuildPipelineContract.TEMPLATE.formatted("b"), List.of("ec2"))));
            Callback urlOfA = callbackOf(pipeline, a.factoryImageId());
            Callback urlOfB = callbackOf(pipeline, b.factoryImageId());
            assertThat(urlOfA.token()).isNotEqualTo(urlOfB.token());

            assertThat(put(urlOfB.path(), null, failed(b.factoryImageId()))).as("no token").isEqualTo(401);
            assertThat(put(urlOfB.path(), urlOfA.token(), failed(b.factoryImageId()))).as("another build's token").isEqualTo(401);
            assertThat(put(urlOfB.path(), "AAAA" + urlOfB.token().substring(4), failed(b.factoryImageId())))
                    .as("a token altered").isEqualTo(401);
            assertThat(put(urlOfA.path().substring(0, urlOfA.path().lastIndexOf('/')) + "/2", urlOfA.token(), failed(a.factoryImageId())))
                    .as("a token for a later attempt of its job").isEqualTo(401);
            assertThat(put(urlOfA.path().replace("target_images", "provider_images"), urlOfA.token(),
                    failed(a.factoryImageId())))
                    .as("a build's token on its job as a push").isEqualTo(401);
            assertThat(wasForged(pipeline, a.jobId())).isFalse();
            assertThat(wasForged(pipeline, b.jobId())).isFalse();

            // The control: A's own token writes A, so the refusals above were the tokens' doing.
            assertThat(put(urlOfA.path(), urlOfA.token(), failed(a.factoryImageId()))).isEqualTo(200);
            await().atMost(BOUND).until(() -> wasForged(pipeline, a.jobId()));
            assertThat(pipeline.queue.job(a.jobId()).status()).isEqualTo(JobStatus.FAILED);
            assertThat(wasForged(pipeline, b.jobId())).isFalse();

            // Retried, the job's second attempt has its own token; the first one's no longer writes.
            pipeline.queue.retry(a.jobId());
            UUID buildOfA = pipeline.queue.job(a.jobId()).buildId();
            TargetStatus retried = await().atMost(BOUND).until(() -> pipeline.queue.status(buildOfA).target("ec2"),
                    target -> target.attempt() == 2 && target.factoryImageId() != null);
            Callback urlOfRetry = callbackOf(pipeline, retried.factoryImageId());
            assertThat(urlOfRetry.token()).isNotEqualTo(urlOfA.token());
            assertThat(put(urlOfRetry.path(), urlOfA.token(), failed(retried.factoryImageId())))
                    .as("the first attempt's token on the second").isEqualTo(401);
            put(urlOfA.path(), urlOfA.token(), failed(retried.factoryImageId())); // a replay, on its own URL
            assertThat(pipeline.queue.job(a.jobId()).status()).isNotEqualTo(JobStatus.FAILED);
            assertThat(pipeline.queue.history(a.jobId()).stream().filter(entry -> entry.attempt() == 2)
                    .map(HistoryEntry::error)).doesNotContain(FORGED);
        }
    }

    private static TargetStatus awaitFactoryImage(Pipeline pipeline, UUID buildId) {
        return await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2"),
                target -> target.factoryImageId() != null);
    }

    private static boolean wasForged(Pipeline pipeline, UUID jobId) {
        return pipeline.queue.history(jobId).stream().anyMatch(entry -> FORGED.equals(entry.error()));
    }

    /** The callback URL as anyone who GETs the image from factory reads it. */
    private Callback callbackOf(Pipeline pipeline, String imageId) throws IOException {
        try (Response response = http.newCall(new Request.Builder()
                .url(pipeline.factory.baseUrl() + "/target_images/" + imageId).build()).execute()) {
            JsonNode image = json.readTree(response.body().string()).get("target_image");
            URI url = URI.create(image.get("parameters").get("callbacks").get(0).asText());
            String token = url.getRawUserInfo().substring(url.getRawUserInfo().indexOf(':') + 1);
            return new Callback(url.getScheme() + "://" + url.getRawAuthority().substring(url.getRawAuthority().indexOf('@') + 1)
                    + url.getRawPath(), token);
        }
    }

    private ObjectNode failed(String imageId) {
        ObjectNode body = json.createObjectNode();
        ObjectNode image = body.putObject("target_image");
        image.put("id", imageId);
        image.put("status", "FAILED");
        image.put("percent_complete", 0);
        image.putObject("status_detail").put("activity", "Failed").put("error", FORGED);
        return body;
    }

    private int put(String url, String token, JsonNode body) throws IOException {
        Request.Builder request = new Request.Builder().url(url).put(RequestBody.create(body.toString(), JSON));
        if (token != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(("buildq:" + token).getBytes(StandardCharsets.UTF_8)));
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    private record Callback(String path, String token) {
    }
}
