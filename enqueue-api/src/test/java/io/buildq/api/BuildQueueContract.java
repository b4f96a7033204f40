package io.buildq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.build.BuildRequest;
import io.buildq.build.InvalidBatchException;
import io.buildq.build.IdempotencyKeyConflictException;
import io.buildq.build.InvalidIdempotencyKeyException;
import io.buildq.build.InvalidImageException;
import io.buildq.build.InvalidRequestException;
import io.buildq.build.InvalidTargetsException;
import io.buildq.build.InvalidTemplateException;
import io.buildq.error.BuildNotFoundException;
import io.buildq.error.BuildQueueException;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.migrations.SchemaNotMigratedException;
import io.buildq.push.BuildNotCompleteException;
import io.buildq.push.InvalidAccountException;
import io.buildq.push.InvalidPushException;
import io.buildq.push.ProviderAccount;
import io.buildq.push.PushRequest;
import io.buildq.push.TargetNotInBuildException;
import io.buildq.secret.CredentialCipher;
import io.buildq.secret.NoSecretKeyException;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What Conductor sees of BuildQueue without a worker: validation, rows, jobs, idempotency. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BuildQueueContract {

    static final String TEMPLATE = Templates.fedora16("f16");

    private TestDatabase db;
    private BuildQueue queue;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() {
        db = TestDatabase.create(kind());
        new BuildqMigrations(db.dataSource()).migrate();
        queue = BuildQueue.builder(db.dataSource())
                .credentialCipher(CredentialCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[32])))
                .build();
    }

    @AfterAll
    void stop() {
        queue.close();
        db.close();
    }

    @BeforeEach
    void empty() {
        for (String sql : List.of("delete from buildq_credentials", "delete from buildq_job_history", "delete from buildq_job", "delete from buildq_request",
                "delete from jobrunr_jobs")) {
            try (var connection = db.dataSource().getConnection(); var statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aBuildWhoseJobRunrJobsCannotBeWrittenLeavesNoRowsBehind() {
        // JobRunr's table refuses build jobs for this test: its insert fails inside our transaction.
        execute("alter table jobrunr_jobs add constraint test_refuses_builds check (jobSignature not like '%BuildJob%')");
        try {
            assertThatThrownBy(() -> queue.build(BuildRequest.of("web-server", TEMPLATE, List.of("ec2", "rhevm"))))
                    .isInstanceOf(QueueUnavailableException.class)
                    .hasMessageStartingWith("The build could not be enqueued");
        } finally {
            execute("alter table jobrunr_jobs drop constraint test_refuses_builds");
        }
        assertThat(db.count("select count(*) from buildq_request")).isZero();
        assertThat(db.count("select count(*) from buildq_job")).isZero();
        assertThat(db.count("select count(*) from buildq_job_history")).isZero();
        assertThat(db.count("select count(*) from jobrunr_jobs")).isZero();
    }

    private void execute(String sql) {
        try (var connection = db.dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Test
    void buildAllEnqueuesEveryBuildOrNone() {
        List<UUID> ids = queue.buildAll(List.of(
                BuildRequest.of("web", TEMPLATE, List.of("ec2", "rhevm")),
                BuildRequest.of("db", TEMPLATE, List.of("vsphere")).withIdempotencyKey("db-1"),
                BuildRequest.of("db", TEMPLATE, List.of("vsphere")).withIdempotencyKey("db-1")));

        assertThat(ids).hasSize(3).doesNotContainNull();
        assertThat(ids.get(2)).as("the same key for the same request in one list: one build").isEqualTo(ids.get(1));
        assertThat(queue.status(ids.get(0)).targets()).extracting(TargetStatus::target).containsExactly("ec2", "rhevm");
        assertThat(queue.status(ids.get(1)).targets()).singleElement()
                .satisfies(target -> assertThat(queue.history(target.jobId())).singleElement()
                        .satisfies(entry -> assertThat(entry.status()).isEqualTo(JobStatus.QUEUED)));
        assertThat(db.count("select count(*) from jobrunr_jobs where state = 'ENQUEUED'")).isEqualTo(3);
        // A key used before for the same request gives that build again, beside a new one.
        List<UUID> again = queue.buildAll(List.of(BuildRequest.of("db", TEMPLATE, List.of("vsphere")).withIdempotencyKey("db-1"),
                BuildRequest.of("cache", TEMPLATE, List.of("ec2"))));
        assertThat(again.get(0)).isEqualTo(ids.get(1));
        assertThat(db.count("select count(*) from buildq_request")).isEqualTo(3);

        // A key used for another request: refused before anything of the list is written.
        assertThatThrownBy(() -> queue.buildAll(List.of(BuildRequest.of("new", TEMPLATE, List.of("ec2")),
                BuildRequest.of("db", TEMPLATE, List.of("ec2")).withIdempotencyKey("db-1"))))
                .isInstanceOf(IdempotencyKeyConflictException.class);
        assertThatThrownBy(() -> queue.buildAll(List.of(BuildRequest.of("x", TEMPLATE, List.of("ec2")).withIdempotencyKey("k"),
                BuildRequest.of("y", TEMPLATE, List.of("ec2")).withIdempotencyKey("k"))))
                .as("the same key twice in one list for different requests").isInstanceOf(IdempotencyKeyConflictException.class);
        assertThat(db.count("select count(*) from buildq_request")).isEqualTo(3);
        assertThat(db.count("select count(*) from buildq_job")).isEqualTo(4);
    }

    @Test
    void aBadListIsATypedErrorNamingTheFieldAndWritesNothing() {
        List<BuildRequest> withNull = new java.util.ArrayList<>();
        withNull.add(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        withNull.add(null);
        for (List<BuildRequest> bad : java.util.Arrays.asList(null, List.<BuildRequest>of(), withNull,
                java.util.Collections.nCopies(BuildQueue.MAX_BATCH + 1, BuildRequest.of("web", TEMPLATE, List.of("ec2"))))) {
            assertThatThrownBy(() -> queue.buildAll(bad)).isInstanceOfSatisfying(InvalidBatchException.class,
                    e -> assertThat(e.field()).isEqualTo("requests"));
        }
        assertThat(db.count("select count(*) from buildq_request")).isZero();
    }

    @Test
    void aListWhoseJobRunrJobsCannotBeWrittenLeavesNoRowsBehind() {
        execute("alter table jobrunr_jobs add constraint test_refuses_builds check (jobSignature not like '%BuildJob%')");
        try {
            assertThatThrownBy(() -> queue.buildAll(List.of(BuildRequest.of("a", TEMPLATE, List.of("ec2")),
                    BuildRequest.of("b", TEMPLATE, List.of("rhevm")))))
                    .isInstanceOf(QueueUnavailableException.class)
                    .hasMessageStartingWith("The builds could not be enqueued");
        } finally {
            execute("alter table jobrunr_jobs drop constraint test_refuses_builds");
        }
        assertThat(db.count("select count(*) from buildq_request")).isZero();
        assertThat(db.count("select count(*) from buildq_job")).isZero();
        assertThat(db.count("select count(*) from buildq_job_history")).isZero();
    }

    @Test
    void aBuildWritesOneQueuedRowAndOneJobRunrJobPerTarget() {
        UUID buildId = queue.build(BuildRequest.of("web-server", TEMPLATE, List.of("ec2", "rhevm", "vsphere")));

        BuildStatus status = queue.status(buildId);
        assertThat(status.image()).isEqualTo("web-server");
        assertThat(status.targets()).extracting(TargetStatus::target).containsExactly("ec2", "rhevm", "vsphere");
        assertThat(status.targets()).allSatisfy(target -> {
            assertThat(target.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(target.attempt()).isEqualTo(1);
            assertThat(target.percent()).isZero();
            assertThat(queue.history(target.jobId())).singleElement()
                    .satisfies(entry -> assertThat(entry.source()).isEqualTo("enqueue"));
        });
        assertThat(db.count("select count(*) from jobrunr_jobs where state = 'ENQUEUED'")).isEqualTo(3);
        // The job ids are the row ids: JobRunr can tell us about any row.
        for (TargetStatus target : status.targets()) {
            assertThat(db.count("select count(*) from jobrunr_jobs where id = '" + target.jobId() + "'")).isEqualTo(1);
        }
    }

    @Test
    void lengthsAreCountedInCharactersAsReadersCountThemOnEveryDatabase() {
        String emoji = "\uD83D\uDE80"; // one character, two UTF-16 units
        String name = emoji.repeat(BuildRequest.MAX_IMAGE_CHARS);
        String family = emoji.repeat(BuildRequest.MAX_POOL_FAMILY_CHARS);
        String template = "<template><name>" + emoji.repeat(BuildRequest.MAX_TEMPLATE_CHARS - 34) + "</name></template>";

        UUID buildId = queue.build(BuildRequest.of(name, template, List.of("ec2")).withPoolFamily(family)
                .withIdempotencyKey(emoji.repeat(BuildRequest.MAX_IDEMPOTENCY_KEY_CHARS)));

        assertThat(queue.status(buildId).image()).isEqualTo(name);
        assertThatThrownBy(() -> BuildRequest.of(name + emoji, TEMPLATE, List.of("ec2")))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("256 characters");
    }

    @Test
    void credentialsUpToTheirLimitInBytesAreSealedAndStoredWhateverTheirScript() {
        String open = "<provider_credentials><ec2_credentials><account_number>";
        String close = "</account_number></ec2_credentials></provider_credentials>";
        int room = ProviderAccount.MAX_CREDENTIALS_BYTES - open.length() - close.length();
        String cjk = "\u65e5".repeat(room / 3); // three bytes each in UTF-8

        queue.buildAndPush(BuildRequest.of("web", TEMPLATE, List.of("ec2")),
                List.of(new ProviderAccount("ec2-us-east-1", "ec2", "ec2-us-east-1", open + cjk + close)));

        assertThat(db.count("select count(*) from buildq_credentials")).isEqualTo(1);
        assertThatThrownBy(() -> new ProviderAccount("ec2-us-east-1", "ec2", "ec2-us-east-1", open + cjk + "\u65e5" + close))
                .isInstanceOf(InvalidAccountException.class).hasMessageContaining("bytes in UTF-8");
    }

    static Stream<Arguments> invalidRequests() {
        List<String> tooMany = new ArrayList<>(Collections.nCopies(17, "ec2"));
        return Stream.of(
                invalid("no image name", InvalidImageException.class, "image", () -> BuildRequest.of(" ", TEMPLATE, List.of("ec2"))),
                invalid("null image name", InvalidImageException.class, "image", () -> BuildRequest.of(null, TEMPLATE, List.of("ec2"))),
                invalid("image name too long", InvalidImageException.class, "image",
                        () -> BuildRequest.of("x".repeat(256), TEMPLATE, List.of("ec2"))),
                invalid("control character in image", InvalidImageException.class, "image",
                        () -> BuildRequest.of("web\u0000server", TEMPLATE, List.of("ec2"))),
                invalid("bidi override in image", InvalidImageException.class, "image",
                        () -> BuildRequest.of("invoice\u202egpj.exe", TEMPLATE, List.of("ec2"))),
                invalid("bidi isolate in image", InvalidImageException.class, "image",
                        () -> BuildRequest.of("web\u2067server", TEMPLATE, List.of("ec2"))),
                invalid("zero-width-only image", InvalidImageException.class, "image",
                        () -> BuildRequest.of("\u200b\u200d\u2060", TEMPLATE, List.of("ec2"))),
                invalid("lone surrogate in image", InvalidImageException.class, "image",
                        () -> BuildRequest.of("web\ud800server", TEMPLATE, List.of("ec2"))),
                invalid("line separator in image", InvalidImageException.class, "image",
                        () -> BuildRequest.of("web\u2028server", TEMPLATE, List.of("ec2"))),
                invalid("no template", InvalidTemplateException.class, "template", () -> BuildRequest.of("i", "", List.of("ec2"))),
                invalid("template not XML", InvalidTemplateException.class, "template",
                        () -> BuildRequest.of("i", "<template><name>x</template>", List.of("ec2"))),
                invalid("template with wrong root", InvalidTemplateException.class, "template",
                        () -> BuildRequest.of("i", "<image><name>x</name></image>", List.of("ec2"))),
                invalid("template with a DTD", InvalidTemplateException.class, "template",
                        () -> BuildRequest.of("i", "<!DOCTYPE template [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><template>&x;</template>", List.of("ec2"))),
                invalid("template too large", InvalidTemplateException.class, "template",
                        () -> BuildRequest.of("i", "<template>" + "x".repeat(BuildRequest.MAX_TEMPLATE_CHARS) + "</template>", List.of("ec2"))),
                invalid("no targets", InvalidTargetsException.class, "targets", () -> BuildRequest.of("i", TEMPLATE, List.of())),
                invalid("unknown target", InvalidTargetsException.class, "targets",
                        () -> BuildRequest.of("i", TEMPLATE, List.of("ec2", "azure"))),
                invalid("duplicate target", InvalidTargetsException.class, "targets",
                        () -> BuildRequest.of("i", TEMPLATE, List.of("ec2", "rhevm", "ec2"))),
                invalid("too many targets", InvalidTargetsException.class, "targets",
                        () -> BuildRequest.of("i", TEMPLATE, tooMany)),
                invalid("null target", InvalidTargetsException.class, "targets",
                        () -> BuildRequest.of("i", TEMPLATE, Arrays.asList("ec2", null))),
                invalid("blank idempotency key", InvalidIdempotencyKeyException.class, "idempotencyKey",
                        () -> BuildRequest.of("i", TEMPLATE, List.of("ec2")).withIdempotencyKey("  ")),
                invalid("idempotency key too long", InvalidIdempotencyKeyException.class, "idempotencyKey",
                        () -> BuildRequest.of("i", TEMPLATE, List.of("ec2")).withIdempotencyKey("k".repeat(256))));
    }

    private static Arguments invalid(String name, Class<? extends InvalidRequestException> type, String field,
                                     Supplier<BuildRequest> request) {
        return Arguments.of(name, type, field, request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void eachInvalidFieldRaisesItsOwnTypedExceptionAndWritesNothing(String name,
            Class<? extends InvalidRequestException> type, String field, Supplier<BuildRequest> request) {
        assertThatThrownBy(() -> queue.build(request.get()))
                .isInstanceOf(type)
                .isInstanceOf(BuildQueueException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(field))
                .hasMessageStartingWith(field + ": ");
        assertNothingWritten();
    }

    @Test
    void theSameIdempotencyKeyTwiceGivesOneBuild() {
        BuildRequest request = BuildRequest.of("web-server", TEMPLATE, List.of("ec2", "rhevm")).withIdempotencyKey("conductor-42");

        UUID first = queue.build(request);
        UUID second = queue.build(BuildRequest.of("web-server", TEMPLATE, List.of("rhevm", "ec2")).withIdempotencyKey("conductor-42"));

        assertThat(second).isEqualTo(first);
        assertThat(db.count("select count(*) from buildq_request")).isEqualTo(1);
        assertThat(db.count("select count(*) from buildq_job")).isEqualTo(2);
        assertThat(db.count("select count(*) from jobrunr_jobs")).isEqualTo(2);
    }

    @Test
    void theSameIdempotencyKeyWithADifferentRequestIsRefusedAndWritesNothing() {
        UUID first = queue.build(BuildRequest.of("web-server", TEMPLATE, List.of("ec2")).withIdempotencyKey("k-1"));

        assertThatThrownBy(() -> queue.build(BuildRequest.of("web-server", TEMPLATE, List.of("ec2", "rhevm"))
                .withIdempotencyKey("k-1")))
                .isInstanceOfSatisfying(IdempotencyKeyConflictException.class, e -> {
                    assertThat(e.field()).isEqualTo("idempotencyKey");
                    assertThat(e.existingBuildId()).isEqualTo(first);
                });
        assertThat(db.count("select count(*) from buildq_request")).isEqualTo(1);
        assertThat(db.count("select count(*) from buildq_job")).isEqualTo(1);
        assertThat(db.count("select count(*) from jobrunr_jobs")).isEqualTo(1);
    }

    @Test
    void withoutAKeyTwoIdenticalRequestsAreTwoBuilds() {
        BuildRequest request = BuildRequest.of("web-server", TEMPLATE, List.of("ec2"));

        assertThat(queue.build(request)).isNotEqualTo(queue.build(request));
        assertThat(db.count("select count(*) from buildq_request")).isEqualTo(2);
    }

    @Test
    void statusOfAnUnknownIdIsATypedError() {
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> queue.status(unknown))
                .isInstanceOfSatisfying(BuildNotFoundException.class, e -> assertThat(e.id()).isEqualTo(unknown));
        assertThatThrownBy(() -> queue.history(unknown)).isInstanceOf(BuildNotFoundException.class);
    }

    @Test
    void aQueueRefusesADatabaseThatWasNotMigrated() {
        try (TestDatabase fresh = TestDatabase.create(kind())) {
            assertThatThrownBy(() -> BuildQueue.create(fresh.dataSource()))
                    .isInstanceOf(SchemaNotMigratedException.class)
                    .hasMessageContaining("buildq migrate");
        }
    }

    static ProviderAccount account(String name, String target) {
        return new ProviderAccount(name, target, name, "<provider_credentials><" + target + "_credentials><username>u-" + name
                + "</username><password>p</password></" + target + "_credentials></provider_credentials>");
    }

    static Stream<Arguments> invalidAccounts() {
        String credentials = "<provider_credentials><ec2_credentials><access_key>A</access_key></ec2_credentials></provider_credentials>";
        return Stream.of(
                Arguments.of("no provider name", (Supplier<ProviderAccount>) () -> new ProviderAccount(" ", "ec2", "p", credentials)),
                Arguments.of("unknown target", (Supplier<ProviderAccount>) () -> new ProviderAccount("n", "azure", "p", credentials)),
                Arguments.of("no factory provider", (Supplier<ProviderAccount>) () -> new ProviderAccount("n", "ec2", "", credentials)),
                Arguments.of("no credentials", (Supplier<ProviderAccount>) () -> new ProviderAccount("n", "ec2", "p", null)),
                Arguments.of("credentials not XML", (Supplier<ProviderAccount>) () -> new ProviderAccount("n", "ec2", "p",
                        "<provider_credentials><access_key>AKIA SECRET</provider_credentials>")),
                Arguments.of("credentials of the wrong root", (Supplier<ProviderAccount>) () -> new ProviderAccount("n", "ec2", "p",
                        "<credentials/>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAccounts")
    void anInvalidAccountIsATypedErrorNamingTheAccountsFieldAndNeverQuotingTheCredentials(String name,
            Supplier<ProviderAccount> account) {
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        long jobs = db.count("select count(*) from buildq_job");

        assertThatThrownBy(() -> queue.buildAndPush(BuildRequest.of("web", TEMPLATE, List.of("ec2")), List.of(account.get())))
                .isInstanceOfSatisfying(InvalidAccountException.class, e -> assertThat(e.field()).isEqualTo("accounts"))
                .message().doesNotContain("SECRET");
        assertThat(db.count("select count(*) from buildq_job")).isEqualTo(jobs);
        assertThat(db.count("select count(*) from buildq_credentials")).isZero();
        assertThat(build).isNotNull();
    }

    @Test
    void badPushesAreTypedErrorsAndWriteNothing() {
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        long jobs = db.count("select count(*) from buildq_job");
        long jobRunrJobs = db.count("select count(*) from jobrunr_jobs");

        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> queue.push(new PushRequest(unknown, List.of(account("ec2-us-east-1", "ec2")))))
                .isInstanceOfSatisfying(BuildNotFoundException.class, e -> assertThat(e.id()).isEqualTo(unknown));
        assertThatThrownBy(() -> queue.push(new PushRequest(build, List.of(account("ec2-us-east-1", "ec2")))))
                .isInstanceOfSatisfying(BuildNotCompleteException.class, e -> assertThat(e.field()).isEqualTo("buildId"))
                .hasMessageContaining("QUEUED");
        assertThatThrownBy(() -> queue.push(new PushRequest(build, List.of(account("rhevm-lab", "rhevm")))))
                .isInstanceOfSatisfying(TargetNotInBuildException.class, e -> assertThat(e.field()).isEqualTo("accounts"));
        assertThatThrownBy(() -> queue.buildAndPush(BuildRequest.of("web", TEMPLATE, List.of("ec2")),
                List.of(account("rhevm-lab", "rhevm")))).isInstanceOf(TargetNotInBuildException.class);
        assertThatThrownBy(() -> new PushRequest(null, List.of(account("ec2-us-east-1", "ec2"))))
                .isInstanceOfSatisfying(InvalidPushException.class, e -> assertThat(e.field()).isEqualTo("buildId"));
        assertThatThrownBy(() -> new PushRequest(build, List.of()))
                .isInstanceOfSatisfying(InvalidAccountException.class, e -> assertThat(e.field()).isEqualTo("accounts"));
        assertThatThrownBy(() -> new PushRequest(build, List.of(account("ec2-us-east-1", "ec2"), account("ec2-us-east-1", "ec2"))))
                .isInstanceOf(InvalidAccountException.class).hasMessageContaining("named twice");

        assertThat(db.count("select count(*) from buildq_job")).isEqualTo(jobs);
        assertThat(db.count("select count(*) from jobrunr_jobs")).isEqualTo(jobRunrJobs);
        assertThat(db.count("select count(*) from buildq_credentials")).isZero();
    }

    @Test
    void aQueueWithoutASecretKeyRefusesToPush() {
        try (BuildQueue keyless = BuildQueue.create(db.dataSource())) {
            assertThatThrownBy(() -> keyless.buildAndPush(BuildRequest.of("web", TEMPLATE, List.of("ec2")),
                    List.of(account("ec2-us-east-1", "ec2")))).isInstanceOf(NoSecretKeyException.class);
        }
        assertNothingWritten();
    }

    @Test
    void buildAndPushWritesPushRowsWaitingForTheirBuildWithSealedCredentials() {
        UUID build = queue.buildAndPush(BuildRequest.of("web", TEMPLATE, List.of("ec2", "rhevm")),
                List.of(account("ec2-us-east-1", "ec2"), account("rhevm-lab", "rhevm")));

        BuildStatus status = queue.status(build);
        assertThat(status.pushes()).hasSize(2).allSatisfy(push -> {
            assertThat(push.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(push.buildJobId()).isEqualTo(status.target(push.target()).jobId());
        });
        assertThat(status.push("ec2-us-east-1").accountIdentifier()).isEqualTo("u-ec2-us-east-1");
        // Only the builds are JobRunr jobs yet: a push is enqueued when its build completes.
        assertThat(db.count("select count(*) from jobrunr_jobs")).isEqualTo(2);
        assertThat(db.count("select count(*) from buildq_credentials")).isEqualTo(2);
        assertThat(db.count("select count(*) from buildq_credentials where sealed like '%password%'")).isZero();
    }

    private void assertNothingWritten() {
        assertThat(db.count("select count(*) from buildq_request")).isZero();
        assertThat(db.count("select count(*) from buildq_job")).isZero();
        assertThat(db.count("select count(*) from buildq_job_history")).isZero();
        assertThat(db.count("select count(*) from jobrunr_jobs")).isZero();
    }
}
