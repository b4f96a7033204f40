package io.buildq.internal.iwhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.buildq.internal.oauth.OAuth1Signer;
import io.buildq.sim.http.FaultSettings;
import io.buildq.sim.iwhd.IwhdSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The iwhd client against the simulator over HTTP, on the paths Image Factory and Conductor used. */
class IwhdClientTest {

    private IwhdSimulator iwhd;
    private IwhdClient client;

    @BeforeEach
    void start() {
        iwhd = IwhdSimulator.builder().strictQueries(true).start();
        client = new IwhdClient(new OkHttpClient(), iwhd.baseUrl());
    }

    @AfterEach
    void stop() {
        iwhd.close();
    }

    @Test
    void bucketsAreCreatedOnceAndCreatingThemAgainIsHarmless() {
        client.ensureBucket("builds");
        client.ensureBucket("builds");

        assertThat(client.buckets()).containsExactly("builds");
    }

    @Test
    void objectsKeepTheirBodyAndAttributesInTheOrderTheyWereSet() {
        client.ensureBucket("images");
        client.putObject("images", "img-1", "<image><name>web</name></image>".getBytes(StandardCharsets.UTF_8));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("uuid", "img-1");
        attributes.put("object_type", "image");
        client.setAttributes("images", "img-1", attributes);
        client.putAttribute("images", "img-1", "latest_unpushed", "None");

        assertThat(new String(client.getObject("images", "img-1").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("<image><name>web</name></image>");
        assertThat(client.attributeNames("images", "img-1")).containsExactly("uuid", "object_type", "latest_unpushed");
        assertThat(client.getAttribute("images", "img-1", "latest_unpushed")).contains("None");
        assertThat(client.getAttribute("images", "img-1", "missing")).isEmpty();
        assertThat(client.getObject("images", "nothing")).isEmpty();
        assertThat(client.deleteObject("images", "img-1")).isTrue();
        assertThat(client.attributeNames("images", "img-1")).isEmpty();
    }

    @Test
    void aQueryFindsMatchingKeysAndNoMatchIsAnEmptyListNotAnError() {
        client.ensureBucket("target_images");
        client.setAttributes("target_images", "t1", Map.of("build", "b1", "target", "ec2"));
        client.setAttributes("target_images", "t2", Map.of("build", "b1", "target", "rhevm"));
        client.setAttributes("target_images", "t3", Map.of("build", "b2", "target", "ec2"));

        assertThat(client.query("target_images", IwhdQuery.where("build", "b1").and("target", "ec2"))).containsExactly("t1");
        assertThat(client.query("target_images", IwhdQuery.where("build", "b1"))).containsExactly("t1", "t2");
        assertThat(client.query("target_images", IwhdQuery.where("build", "b9"))).isEmpty();
    }

    @Test
    void aValueThatWouldChangeTheQuerysMeaningIsRefusedNotConcatenated() {
        assertThatThrownBy(() -> IwhdQuery.where("build", "x\") || ($build != \""))
                .isInstanceOf(UnsafeQueryValueException.class)
                .hasMessageContaining("build");
        assertThatThrownBy(() -> IwhdQuery.where("Build", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void injected500sAreTransientIwhdExceptionsWithTheStatus() {
        iwhd.faults().set(FaultSettings.none().withErrorRate(1.0));

        assertThatThrownBy(() -> client.ensureBucket("builds"))
                .isInstanceOfSatisfying(IwhdException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void aDroppedConnectionIsATransientIwhdExceptionWithoutAStatus() {
        iwhd.faults().set(FaultSettings.none().withDropRate(1.0));
        IwhdClient noRetries = new IwhdClient(new OkHttpClient.Builder().retryOnConnectionFailure(false).build(), iwhd.baseUrl());

        assertThatThrownBy(() -> noRetries.getAttribute("images", "k", "uuid"))
                .isInstanceOfSatisfying(IwhdException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void aHangingWarehouseEndsInTheClientsTimeout() {
        iwhd.faults().set(FaultSettings.none().withHangRate(1.0));
        IwhdClient impatient = new IwhdClient(new OkHttpClient.Builder().callTimeout(Duration.ofMillis(300)).build(), iwhd.baseUrl());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> impatient.query("images",
                IwhdQuery.where("uuid", "x"))).isInstanceOf(IwhdException.class));
    }

    @Test
    void withOAuthTheSignedClientGetsThroughAndAnUnsignedOneIsRefused() {
        try (IwhdSimulator signed = IwhdSimulator.builder().oauthClient("conductor", "s3cret").start()) {
            IwhdClient signer = new IwhdClient(new OkHttpClient.Builder()
                    .addInterceptor(OAuth1Signer.forIwhd("conductor", "s3cret", Clock.systemUTC())).build(), signed.baseUrl());
            signer.ensureBucket("images");
            signer.setAttributes("images", "i1", Map.of("uuid", "i1"));
            assertThat(signer.query("images", IwhdQuery.where("uuid", "i1"))).containsExactly("i1");

            assertThatThrownBy(() -> new IwhdClient(new OkHttpClient(), signed.baseUrl()).buckets())
                    .isInstanceOfSatisfying(IwhdException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void anUnreachableWarehouseIsATransientIwhdException() {
        iwhd.close();
        assertThatThrownBy(() -> client.buckets())
                .isInstanceOfSatisfying(IwhdException.class, e -> assertThat(e.isTransient()).isTrue());
    }
}
