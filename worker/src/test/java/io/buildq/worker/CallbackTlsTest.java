package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.build.BuildRequest;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.tls.ServerTls;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The callback listener over HTTPS, so that callback tokens do not cross a network in clear. */
class CallbackTlsTest {

    @TempDir
    Path directory;

    @Test
    void factoryThatTrustsTheListenersCertificateDeliversItsCallbacksOverHttps() throws IOException {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(SelfSignedCertificate.Profile.MODERN);
        Path cert = Files.writeString(directory.resolve("cert.pem"), certificate.pem(), StandardCharsets.US_ASCII);
        Path key = Files.writeString(directory.resolve("key.pem"), certificate.privateKeyPem(), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        // Factory trusts the certificate as an operator makes it: added to its callback client's CA file.
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false,
                factory -> factory.callbackCaCertificates(List.of(certificate.certificate())))) {
            pipeline.startWorker(settings -> settings.withCallbackTls(ServerTls.fromPemFiles(cert, key)));

            UUID buildId = pipeline.queue.build(BuildRequest.of("over-https", BuildPipelineContract.TEMPLATE.formatted("tls"),
                    List.of("ec2")));
            BuildStatus finished = await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.queue.status(buildId),
                    BuildStatus::isFinished);

            TargetStatus ec2 = finished.target("ec2");
            assertThat(ec2.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(callbackUrl(pipeline, ec2.factoryImageId())).startsWith("https://buildq:");
            assertThat(pipeline.queue.history(ec2.jobId())).extracting(HistoryEntry::source)
                    .as("changes that came by callback, over HTTPS").contains(ChangeSource.CALLBACK.label());
        }
    }

    private static String callbackUrl(Pipeline pipeline, String imageId) throws IOException {
        try (Response response = new OkHttpClient().newCall(new Request.Builder()
                .url(pipeline.factory.baseUrl() + "/target_images/" + imageId).build()).execute()) {
            return new ObjectMapper().readTree(response.body().string())
                    .at("/target_image/parameters/callbacks/0").asText();
        }
    }
}
