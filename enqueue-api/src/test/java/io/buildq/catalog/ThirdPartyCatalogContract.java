package io.buildq.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.build.IdempotencyKeyConflictException;
import io.buildq.build.TargetNames;
import io.buildq.internal.catalog.ImageCatalog;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.job.JobStore;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.push.ProviderAccount;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The catalog over iwhd objects that factory v1, imports and other writers left (real-install-notes
 * Q10 to Q12), and the pool family a request stores; once per database. Passes whether the iwhd
 * simulator compares all-digit strings as numbers, as real iwhd does, or as text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ThirdPartyCatalogContract {

    static final String TEMPLATE = "<template><name>f16</name></template>";
    static final String EC2 = "ec2-us-east-1";

    private TestDatabase db;
    private JobStore store;
    private IwhdSimulator simulator;
    private IwhdClient iwhd;
    private BuildQueue queue;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() {
        db = TestDatabase.create(kind());
        new BuildqMigrations(db.dataSource()).migrate();
        store = JobStore.open(db.dataSource(), Clock.systemUTC());
        simulator = IwhdSimulator.builder().strictQueries(true).start();
        iwhd = new IwhdClient(new OkHttpClient(), simulator.baseUrl());
        queue = BuildQueue.create(db.dataSource());
    }

    @AfterAll
    void stop() {
        queue.close();
        store.close();
        simulator.close();
        db.close();
    }

    @Test
    void providerImagesWithoutAnAccountIdentifierOrWithNoneNameNoAccount() {
        Written image = builtAndPushed("1320766154.28");
        providerImage(image.targetImage, EC2, "ami-old", null); // factory before 1edd485, an import
        providerImage(image.targetImage, EC2, "ami-none", "None"); // factory that had no identifier

        Catalog catalog = catalog(TargetNames.literal(), image.id, ec2("us-east-1", "AKIAOLD"),
                ec2("us-east-1", "0"), ec2("us-east-1", "None"));

        // iwhd reads a missing attribute as "", which it finds equal to "0" (Q12); exact strings do not.
        assertThat(catalog.entries()).extracting(CatalogEntry::state).containsOnly(CatalogState.NOT_PUSHED);
        assertThat(catalog.entries()).extracting(CatalogEntry::buildId).containsOnly(image.build);
        assertThat(catalog.entries()).extracting(CatalogEntry::providerImageId).containsOnly((String) null);
    }

    @Test
    void anAccountWhoseLoginCannotBeToldTakesAProviderImageWithoutIdentifier() {
        Written image = builtAndPushed("1320766154.28");
        String key = providerImage(image.targetImage, EC2, "ami-old", null);
        ProviderAccount unknown = new ProviderAccount(EC2, "ec2", "us-east-1",
                "<provider_account><provider_credentials><ec2_credentials><secret_access_key>s</secret_access_key>"
                        + "</ec2_credentials></provider_credentials></provider_account>");

        CatalogEntry entry = catalog(TargetNames.literal(), image.id, unknown).entries().get(0);

        assertThat(entry.state()).isEqualTo(CatalogState.PUSHED);
        assertThat(entry.providerImageId()).isEqualTo(key);
    }

    @Test
    void allDigitAccountIdentifiersAreToldApartAsExactStrings() {
        Written image = builtAndPushed("1320766154.28");
        String seven = providerImage(image.targetImage, EC2, "ami-7", "7");
        String zeroZeroSeven = providerImage(image.targetImage, EC2, "ami-007", "007");

        Catalog catalog = catalog(TargetNames.literal(), image.id, ec2("us-east-1", "007"), ec2("us-east-1", "7"),
                ec2("us-east-1", "07"), ec2("us-east-1", "4294967303"));

        assertThat(catalog.entries().get(0)).satisfies(entry -> {
            assertThat(entry.state()).isEqualTo(CatalogState.PUSHED);
            assertThat(entry.providerImageId()).isEqualTo(zeroZeroSeven);
            assertThat(entry.targetIdentifier()).isEqualTo("ami-007");
        });
        assertThat(catalog.entries().get(1)).satisfies(entry -> {
            assertThat(entry.state()).isEqualTo(CatalogState.PUSHED);
            assertThat(entry.providerImageId()).isEqualTo(seven);
            assertThat(entry.targetIdentifier()).isEqualTo("ami-7");
        });
        // "07" == "7" == "007" == "4294967303" (7 + 2^32) to iwhd; to Conductor's accounts they are four logins.
        assertThat(catalog.entries().get(2).state()).isEqualTo(CatalogState.NOT_PUSHED);
        assertThat(catalog.entries().get(3).state()).isEqualTo(CatalogState.NOT_PUSHED);
    }

    @Test
    void anAllDigitBuildIdFindsOnlyItsOwnTargetImages() {
        String imageId = UUID.randomUUID().toString();
        object("images", imageId, "uuid", imageId, "object_type", "image", "latest_build", "010");
        object("builds", "010", "uuid", "010", "object_type", "build", "image", imageId, "timestamp", "1320766154.28");
        // "8" is 010 read as octal: real iwhd answers it to ($build == "010").
        object("target_images", UUID.randomUUID().toString(), "object_type", "target_image", "build", "8", "target", "ec2");
        object("target_images", UUID.randomUUID().toString(), "object_type", "target_image", "build", "010",
                "target", "rhevm");

        Catalog catalog = catalog(TargetNames.literal(), UUID.fromString(imageId), ec2("us-east-1", "AKIA"),
                rhevm("admin@lab"));

        assertThat(catalog.latestBuildId()).isEqualTo("010");
        assertThat(catalog.entries()).extracting(CatalogEntry::state)
                .containsExactly(CatalogState.NOT_BUILT, CatalogState.NOT_PUSHED);
    }

    @Test
    void noneAsLatestUnpushedOrAsParentIsNoBuild() {
        String imageId = UUID.randomUUID().toString();
        object("images", imageId, "uuid", imageId, "object_type", "image", "latest_unpushed", "None");

        Catalog nothing = catalog(TargetNames.literal(), UUID.fromString(imageId), ec2("us-east-1", "AKIA"));

        assertThat(nothing.latestBuildId()).isNull();
        assertThat(nothing.entries().get(0).state()).isEqualTo(CatalogState.NOT_BUILT);

        // Pushed once, then built again: the new build's parent is the text "None" (Q10).
        Written pushed = builtAndPushed("1320766154.28");
        providerImage(pushed.targetImage, EC2, "ami-1", "AKIA");
        assertThat(catalog(TargetNames.literal(), pushed.id, ec2("us-east-1", "AKIA")).entries().get(0).state())
                .isEqualTo(CatalogState.PUSHED);
        String next = UUID.randomUUID().toString();
        object("builds", next, "uuid", next, "object_type", "build", "image", pushed.id.toString(),
                "timestamp", "1320766999.00", "parent", "None");
        object("target_images", UUID.randomUUID().toString(), "object_type", "target_image", "build", next, "target", "ec2");
        iwhd.putAttribute("images", pushed.id.toString(), "latest_unpushed", next);

        Catalog rebuilt = catalog(TargetNames.literal(), pushed.id, ec2("us-east-1", "AKIA"));

        assertThat(rebuilt.latestBuildId()).isEqualTo(next);
        assertThat(rebuilt.entries().get(0).state()).isEqualTo(CatalogState.NOT_PUSHED);
    }

    @Test
    void theTargetNamesDecideWhichTargetImageServesAnAccount() {
        Written image = builtAndPushed("1320766154.28");
        String build = image.build;
        object("target_images", UUID.randomUUID().toString(), "object_type", "target_image", "build", build,
                "target", "MockSphere");
        ProviderAccount mock = new ProviderAccount("mock-provider", "mock", "mock",
                "<provider_credentials><mock_credentials><username>mock_user</username><password>p</password>"
                        + "</mock_credentials></provider_credentials>");

        assertThat(catalog(TargetNames.literal(), image.id, mock).entries().get(0).state())
                .as("iwhd-era Conductor compares driver names literally").isEqualTo(CatalogState.NOT_BUILT);
        assertThat(catalog(TargetNames.timEra(), image.id, mock).entries().get(0).state())
                .as("Tim-era Conductor asks for MockSphere").isEqualTo(CatalogState.NOT_PUSHED);
        assertThat(catalog(TargetNames.timEra(), image.id, ec2("us-east-1", "AKIA")).entries().get(0).state())
                .as("ec2 keeps its name in both eras").isEqualTo(CatalogState.NOT_PUSHED);
    }

    @Test
    void aRequestsPoolFamilyIsStoredWithItAndTakesPartInIdempotency() {
        BuildRequest request = BuildRequest.of("web-server", TEMPLATE, List.of("ec2")).withIdempotencyKey("pool-" + UUID.randomUUID());

        UUID named = queue.build(request.withPoolFamily("default"));
        UUID unnamed = queue.build(BuildRequest.of("web-server", TEMPLATE, List.of("ec2")));

        assertThat(store.findRequest(named).orElseThrow().poolFamily()).isEqualTo("default");
        assertThat(store.findRequest(unnamed).orElseThrow().poolFamily()).isNull();
        assertThat(queue.build(request.withPoolFamily("default"))).isEqualTo(named);
        assertThatThrownBy(() -> queue.build(request.withPoolFamily("other")))
                .isInstanceOf(IdempotencyKeyConflictException.class);
        assertThatThrownBy(() -> queue.build(request)).isInstanceOf(IdempotencyKeyConflictException.class);
    }

    // ------------------------------------------------------------------ objects as factory v1 wrote them

    private record Written(UUID id, String build, String targetImage) {
    }

    /** An image whose latest_build has an ec2 target image, after a push (latest_unpushed "None"). */
    private Written builtAndPushed(String timestamp) {
        String imageId = UUID.randomUUID().toString();
        String build = UUID.randomUUID().toString();
        String targetImage = UUID.randomUUID().toString();
        object("images", imageId, "uuid", imageId, "object_type", "image", "latest_build", build,
                "latest_unpushed", "None");
        object("builds", build, "uuid", build, "object_type", "build", "image", imageId, "timestamp", timestamp,
                "parent", "None");
        object("target_images", targetImage, "uuid", targetImage, "object_type", "target_image", "build", build,
                "target", "ec2", "icicle", "none", "target_parameters", "None");
        return new Written(UUID.fromString(imageId), build, targetImage);
    }

    /** A provider image; {@code accountIdentifier} null leaves the attribute out. */
    private String providerImage(String targetImage, String provider, String identifier, String accountIdentifier) {
        String key = UUID.randomUUID().toString();
        if (accountIdentifier == null) {
            object("provider_images", key, "uuid", key, "object_type", "provider_image", "target_image", targetImage,
                    "provider", provider, "icicle", "none", "target_identifier", identifier);
        } else {
            object("provider_images", key, "uuid", key, "object_type", "provider_image", "target_image", targetImage,
                    "provider", provider, "icicle", "none", "target_identifier", identifier,
                    "provider_account_identifier", accountIdentifier);
        }
        return key;
    }

    private void object(String bucket, String key, String... pairs) {
        iwhd.ensureBucket(bucket);
        iwhd.putObject(bucket, key, "placeholder".getBytes(StandardCharsets.UTF_8));
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put(pairs[i], pairs[i + 1]);
        }
        iwhd.setAttributes(bucket, key, attributes);
    }

    private Catalog catalog(TargetNames names, UUID imageId, ProviderAccount... accounts) {
        return new ImageCatalog(store, iwhd, names).catalog(imageId, List.of(accounts));
    }

    static ProviderAccount ec2(String region, String accessKey) {
        return new ProviderAccount("ec2-" + region, "ec2", region,
                "<provider_account><provider_credentials><ec2_credentials><access_key>" + accessKey + "</access_key>"
                        + "<secret_access_key>s</secret_access_key></ec2_credentials></provider_credentials></provider_account>");
    }

    static ProviderAccount rhevm(String user) {
        return new ProviderAccount("rhevm-lab", "rhevm", "{\"cluster\": \"Default\"}",
                "<provider_credentials><rhevm_credentials><username>" + user + "</username><password>p</password>"
                        + "</rhevm_credentials></provider_credentials>");
    }
}
