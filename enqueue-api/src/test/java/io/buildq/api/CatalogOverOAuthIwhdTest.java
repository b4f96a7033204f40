package io.buildq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.catalog.Catalog;
import io.buildq.catalog.CatalogEntry;
import io.buildq.catalog.CatalogState;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.iwhd.IwhdException;
import io.buildq.internal.oauth.OAuth1Signer;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.push.ProviderAccount;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The catalog read from an iwhd that requires two-legged OAuth, as every Aeolus install ran it
 * (real-install-notes.md Q2): {@link BuildQueue.Builder#iwhdOAuth} signs every catalog request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogOverOAuthIwhdTest {

    private static final String KEY = "conductor";
    private static final String SECRET = "s3cret";
    private static final ProviderAccount ACCOUNT = new ProviderAccount("ec2-us-east-1", "ec2", "ec2-us-east-1",
            "<provider_account><access_key>AKIAEXAMPLE</access_key><secret_access_key>x</secret_access_key></provider_account>");

    private final UUID imageId = UUID.randomUUID();
    private TestDatabase db;
    private IwhdSimulator iwhd;

    @BeforeAll
    void start() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
        new BuildqMigrations(db.dataSource()).migrate();
        iwhd = IwhdSimulator.builder().oauthClient(KEY, SECRET).start();
        // What Image Factory registers after one build of the image pushed to the account (iwhd-api.md section 4).
        IwhdClient seeder = new IwhdClient(new OkHttpClient.Builder()
                .addInterceptor(OAuth1Signer.forIwhd(KEY, SECRET, Clock.systemUTC())).build(), iwhd.baseUrl());
        store(seeder, "images", imageId.toString(), Map.of("uuid", imageId.toString(), "object_type", "image",
                "latest_build", "b1", "latest_unpushed", "None"));
        store(seeder, "builds", "b1", Map.of("uuid", "b1", "object_type", "build", "image", imageId.toString(),
                "timestamp", "1320766154.28"));
        store(seeder, "target_images", "t1", Map.of("uuid", "t1", "object_type", "target_image", "build", "b1",
                "target", "ec2"));
        store(seeder, "provider_images", "p1", Map.of("uuid", "p1", "object_type", "provider_image",
                "target_image", "t1", "provider", "ec2-us-east-1", "provider_account_identifier", "AKIAEXAMPLE",
                "target_identifier", "ami-1234abcd"));
    }

    @AfterAll
    void stop() {
        iwhd.close();
        db.close();
    }

    @Test
    void withIwhdOAuthTheCatalogReadsAWarehouseThatRequiresIt() {
        try (BuildQueue queue = BuildQueue.builder(db.dataSource()).iwhd(iwhd.baseUrl()).iwhdOAuth(KEY, SECRET).build()) {
            Catalog catalog = queue.catalog(imageId, List.of(ACCOUNT));

            assertThat(catalog.latestBuildId()).isEqualTo("b1");
            CatalogEntry entry = catalog.entry("ec2-us-east-1");
            assertThat(entry.state()).isEqualTo(CatalogState.PUSHED);
            assertThat(entry.targetIdentifier()).isEqualTo("ami-1234abcd");
        }
    }

    @Test
    void withoutIwhdOAuthTheCatalogFailsWithAnIwhdExceptionNaming401() {
        try (BuildQueue queue = BuildQueue.builder(db.dataSource()).iwhd(iwhd.baseUrl()).build()) {
            assertThatThrownBy(() -> queue.catalog(imageId, List.of(ACCOUNT)))
                    .isInstanceOfSatisfying(IwhdException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.isTransient()).isFalse();
                    })
                    .hasMessageContaining("401");
        }
    }

    @Test
    void withTheWrongSecretTheCatalogIsRefusedToo() {
        try (BuildQueue queue = BuildQueue.builder(db.dataSource()).iwhd(iwhd.baseUrl()).iwhdOAuth(KEY, "wrong").build()) {
            assertThatThrownBy(() -> queue.catalog(imageId, List.of(ACCOUNT)))
                    .isInstanceOfSatisfying(IwhdException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    private static void store(IwhdClient iwhd, String bucket, String key, Map<String, String> attributes) {
        iwhd.ensureBucket(bucket);
        iwhd.putObject(bucket, key, new byte[0]);
        iwhd.setAttributes(bucket, key, attributes);
    }
}
