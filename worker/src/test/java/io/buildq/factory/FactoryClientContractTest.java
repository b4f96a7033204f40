package io.buildq.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.oauth.OAuth1Signer;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.FaultSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** buildq's Image Factory client against the simulator over HTTP: the calls, the errors, the faults. */
class FactoryClientContractTest {

    private static final String TEMPLATE = "<template><name>f16</name><os><name>Fedora</name></os></template>";
    private static final String CREDENTIALS = "<provider_credentials><ec2_credentials><access_key>AKIA</access_key>"
            + "<secret_access_key>s3cr3t-value</secret_access_key></ec2_credentials></provider_credentials>";

    private FactorySimulator factory;

    @AfterEach
    void stop() {
        factory.close();
    }

    private FactoryClient client(OkHttpClient http) {
        return new FactoryClient(http, new ObjectMapper(), factory.baseUrl());
    }

    private FactoryClient client() {
        return client(new OkHttpClient());
    }

    @Test
    void aTargetImageIsCreatedFollowedListedAndDeleted() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(30)).start();
        FactoryClient client = client();

        FactoryImage created = client.createTargetImage("ec2", TEMPLATE, List.of());
        // The 202 says PENDING: the build thread started before the answer was built (Q6, observed).
        assertThat(created.status()).isEqualTo(FactoryStatus.PENDING);
        assertThat(created.type()).isEqualTo("TargetImage");
        assertThat(created.target()).isEqualTo("ec2");
        assertThat(client.listTargetImages()).containsExactly(created.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> client.getTargetImage(created.id()).status().isTerminal());
        FactoryImage done = client.getTargetImage(created.id());
        assertThat(done.status()).isEqualTo(FactoryStatus.COMPLETE);
        assertThat(done.icicle()).startsWith("<icicle>");

        client.deleteTargetImage(created.id());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> client.getTargetImage(created.id()))
                .isInstanceOfSatisfying(FactoryException.class, e -> assertThat(e.status()).isEqualTo(404)));
        assertThat(factory.reportedStatuses(created.id())).endsWith("COMPLETE", "DELETING", "DELETED");
    }

    @Test
    void aProviderImageIsPushedWithoutItsCredentialsEverComingBack() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(30)).start();
        FactoryClient client = client();
        FactoryImage target = client.createTargetImage("ec2", TEMPLATE, List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.getTargetImage(target.id()).status() == FactoryStatus.COMPLETE);

        FactoryImage push = client.createProviderImage(target.id(), "ec2", "ec2-us-east-1", CREDENTIALS, List.of());
        assertThat(push.type()).isEqualTo("ProviderImage");
        assertThat(push.provider()).isEqualTo("ec2-us-east-1");
        assertThat(push.identifierOnProvider()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.getProviderImage(push.id()).status().isTerminal());

        FactoryImage pushed = client.getProviderImage(push.id());
        assertThat(pushed.status()).isEqualTo(FactoryStatus.COMPLETE);
        assertThat(pushed.identifierOnProvider()).startsWith("ami-");
        assertThat(pushed.providerAccountIdentifier()).isEqualTo("AKIA");
        assertThat(pushed.toString()).doesNotContain("s3cr3t-value");
        assertThat(client.listProviderImages()).containsExactly(push.id());

        client.deleteProviderImage(push.id(), "ec2", "ec2-us-east-1", CREDENTIALS);
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.listProviderImages().contains(push.id()));
    }

    @Test
    void aPushWithCredentialsTheProviderRefusesFails() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        FactoryClient client = client();
        FactoryImage target = client.createTargetImage("ec2", TEMPLATE, List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.getTargetImage(target.id()).status() == FactoryStatus.COMPLETE);

        FactoryImage push = client.createProviderImage(target.id(), "ec2", "ec2-us-east-1", "<bad>simulate-failure</bad>", List.of());

        await().atMost(Duration.ofSeconds(10)).until(() -> client.getProviderImage(push.id()).status() == FactoryStatus.FAILED);
        assertThat(client.getProviderImage(push.id()).error()).contains("rejected the credentials");
    }

    @Test
    void factorysPlainTextErrorsBecomeTypedExceptionsWithStatusAndMessage() {
        factory = FactorySimulator.builder().start();
        FactoryClient client = client();

        assertThatThrownBy(() -> client.getTargetImage("0b1e8c9a-0000-0000-0000-000000000000"))
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).endsWith("No TargetImage found with id: 0b1e8c9a-0000-0000-0000-000000000000");
                });
        assertThatThrownBy(() -> client.createProviderImage(null, "ec2", "ec2-us-east-1", CREDENTIALS, List.of()))
                .isInstanceOfSatisfying(FactoryException.class, e -> assertThat(e.status()).isEqualTo(500));
        assertThatThrownBy(() -> client.createProviderImage("x", "ec2", null, CREDENTIALS, List.of()))
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Missing key/value pair: provider(null), credentials(REDACTED), target(ec2)")
                            .doesNotContain("AKIA");
                });
        assertThatThrownBy(() -> client.deleteProviderImage("0b1e8c9a-0000-0000-0000-000000000001", "ec2", "p", CREDENTIALS))
                .isInstanceOfSatisfying(FactoryException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void withOAuthOnlySignedRequestsGetThroughAndEveryRefusalIsAPermanentAuthenticationError() {
        // real-install-notes.md Q1: factory's refusals, and what the client makes of each.
        factory = FactorySimulator.builder().oauthClient("mock-key", "mock-secret").start();

        FactoryImage created = client(signed("mock-key", "mock-secret", Clock.systemUTC()))
                .createTargetImage("ec2", TEMPLATE, List.of());
        assertThat(created.id()).isNotNull();

        // No Authorization header: a 500 that says "OAuth validation failed", not a server fault.
        assertThatThrownBy(() -> client().getTargetImage(created.id()))
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.isAuthentication()).isTrue();
                    assertThat(e.isTransient()).as("no retry fixes a missing key").isFalse();
                    assertThat(e.getMessage()).contains("--factory-oauth-key").contains("OAuth validation failed");
                });
        // A wrong secret: a 500 with the base string factory expected.
        assertThatThrownBy(() -> client(signed("mock-key", "wrong-secret", Clock.systemUTC())).getTargetImage(created.id()))
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("BUILDQ_FACTORY_OAUTH_SECRET").contains("Invalid signature");
                });
        // A clock 10 minutes behind: python-oauth2's threshold is 300 s.
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        assertThatThrownBy(() -> client(signed("mock-key", "mock-secret", late)).getTargetImage(created.id()))
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("clock").contains("Expired timestamp");
                });
        // An unknown consumer key: the one real 401.
        assertThatThrownBy(() -> client(signed("other-key", "mock-secret", Clock.systemUTC())).getTargetImage(created.id()))
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("does not know the OAuth consumer key");
                });
        // A 500 that is not about OAuth stays transient.
        factory.faults().set(FaultSettings.none().withErrorRate(1));
        assertThatThrownBy(() -> client(signed("mock-key", "mock-secret", Clock.systemUTC())).getTargetImage(created.id()))
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.isAuthentication()).isFalse();
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void aTemplateTooLargeOrNotAsciiForFactorysJsonParserIsSentAsAFormAndBuilt() {
        // Q9: bottle parses JSON only under 102,400 bytes, and factory encodes its strings as ASCII.
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        FactoryClient client = client();
        String large = "<template><name>big</name><description>" + "x".repeat(150 * 1024)
                + "</description><os><name>Fedora</name></os></template>";
        String accented = "<template><name>caf\u00e9</name><description>\u00dcbung \u65e5\u672c</description>"
                + "<os><name>Fedora</name></os></template>";
        for (String template : List.of(large, accented)) {
            FactoryImage created = client.createTargetImage("ec2", template, List.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> client.getTargetImage(created.id()).status().isTerminal());
            assertThat(client.getTargetImage(created.id()).status()).isEqualTo(FactoryStatus.COMPLETE);
        }
        String small = "<template><name>small</name><os><name>Fedora</name></os></template>";
        assertThat(FactoryRequestBody.fitsJson(("{\"target_image\":{\"template\":\"" + small + "\"}}").getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).isTrue();
        assertThat(FactoryRequestBody.fitsJson(large.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isFalse();
        assertThat(FactoryRequestBody.fitsJson(accented.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isFalse();
    }

    private static OkHttpClient signed(String key, String secret, Clock clock) {
        return new OkHttpClient.Builder().addInterceptor(new OAuth1Signer(key, secret, clock)).build();
    }

    @Test
    void injected500sAreTransientFactoryExceptions() {
        factory = FactorySimulator.builder().faults(FaultSettings.none().withErrorRate(1.0)).start();

        assertThatThrownBy(() -> client().listTargetImages())
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void droppedConnectionsAreTransientFactoryExceptionsWithoutAStatus() {
        factory = FactorySimulator.builder().faults(FaultSettings.none().withDropRate(1.0)).start();

        assertThatThrownBy(() -> client(new OkHttpClient.Builder().retryOnConnectionFailure(false).build()).listTargetImages())
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void aHangingFactoryEndsInTheClientsTimeoutNotInAHang() {
        factory = FactorySimulator.builder().faults(FaultSettings.none().withHangRate(1.0)).start();
        FactoryClient client = client(new OkHttpClient.Builder().callTimeout(Duration.ofMillis(300)).build());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(client::listTargetImages)
                .isInstanceOfSatisfying(FactoryException.class, e -> assertThat(e.isTransient()).isTrue()));
    }

    @Test
    void addedLatencyBeyondTheReadTimeoutIsATimeout() {
        factory = FactorySimulator.builder().faults(FaultSettings.none().withLatency(Duration.ofSeconds(2))).start();
        FactoryClient client = client(new OkHttpClient.Builder().readTimeout(Duration.ofMillis(200)).build());

        assertThatThrownBy(client::listTargetImages)
                .isInstanceOfSatisfying(FactoryException.class, e -> {
                    assertThat(e.getCause()).isInstanceOf(java.net.SocketTimeoutException.class);
                    assertThat(e.isTransient()).isTrue();
                });
    }

    @Test
    void aBuildFailureRateOfOneFailsEveryBuild() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(10))
                .faults(FaultSettings.none().withBuildFailureRate(1.0)).start();
        FactoryClient client = client();

        FactoryImage created = client.createTargetImage("ec2", TEMPLATE, List.of());

        await().atMost(Duration.ofSeconds(10)).until(() -> client.getTargetImage(created.id()).status() == FactoryStatus.FAILED);
        assertThat(client.getTargetImage(created.id()).error()).contains("has failed its build");
    }

    @Test
    void theSameSeedGivesTheSameFaultsSoAFailureCanBeReplayed() {
        List<Integer> first = statuses(FaultSettings.none().withErrorRate(0.5).withSeed(42));
        List<Integer> second = statuses(FaultSettings.none().withErrorRate(0.5).withSeed(42));
        List<Integer> other = statuses(FaultSettings.none().withErrorRate(0.5).withSeed(7));

        assertThat(first).isEqualTo(second).contains(200, 500);
        assertThat(other).isNotEqualTo(first);
    }

    private List<Integer> statuses(FaultSettings faults) {
        if (factory != null) {
            factory.close();
        }
        factory = FactorySimulator.builder().faults(faults).start();
        FactoryClient client = client();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            try {
                client.listTargetImages();
                statuses.add(200);
            } catch (FactoryException e) {
                statuses.add(e.status());
            }
        }
        return statuses;
    }
}
