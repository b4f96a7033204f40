package io.buildq.internal.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.api.BuildQueue;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import io.buildq.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * New rows are written by hand-made INSERTs ({@link NewRows}), read by Hibernate: what is read back
 * must be what was written, column by column, on both databases.
 */
class NewRowsTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:15:30.123456Z");

    /** Every getter a job row has: a row read back must agree on each. */
    private static final List<Function<JobRow, Object>> JOB_FIELDS = List.of(JobRow::id, JobRow::requestId, JobRow::kind,
            JobRow::target, JobRow::status, JobRow::percent, JobRow::activity, JobRow::error, JobRow::attempt,
            JobRow::factoryImageId, JobRow::factoryStatus, JobRow::jobRunrJobId, JobRow::createdAt, JobRow::updatedAt,
            JobRow::startedAt, JobRow::finishedAt, JobRow::startMarker, JobRow::factoryStartedAt, JobRow::providerName,
            JobRow::accountIdentifier, JobRow::factoryProvider, JobRow::factoryUrl, JobRow::parentJobId,
            JobRow::identifierOnProvider, JobRow::version);

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aBuildAndItsPushReadBackAsWrittenWithTheirFirstHistoryEntries(TestDatabase.Kind kind) {
        try (TestDatabase db = migrated(kind); JobStore store = JobStore.open(db.dataSource(), Clock.fixed(AT, ZoneOffset.UTC))) {
            BuildRequestRow request = new BuildRequestRow(UUID.randomUUID(), UUID.randomUUID(), "fedora-16", "rhel",
                    "<template/>", "key-1", "f".repeat(64), AT);
            JobRow build = JobRow.queued(UUID.randomUUID(), request.id(), JobKind.BUILD, "ec2", AT);
            JobRow push = JobRow.queuedPush(UUID.randomUUID(), build, "ec2-us-east-1", "123456789012",
                    "<provider_definition/>", AT);

            store.insert(request, List.of(build, push), List.of(new CredentialRow(push.id(), "sealed", AT)),
                    ChangeSource.ENQUEUE);

            BuildRequestRow read = store.findRequest(request.id()).orElseThrow();
            assertThat(List.of(read.id(), read.imageId(), read.imageName(), read.poolFamily(), read.template(),
                    read.idempotencyKey(), read.fingerprint(), read.createdAt()))
                    .containsExactly(request.id(), request.imageId(), "fedora-16", "rhel", "<template/>", "key-1",
                            "f".repeat(64), AT);
            for (JobRow written : List.of(build, push)) {
                JobRow back = store.findJob(written.id()).orElseThrow();
                assertThat(JOB_FIELDS.stream().map(field -> field.apply(back)).toList())
                        .as("job " + written.kind())
                        .isEqualTo(JOB_FIELDS.stream().map(field -> field.apply(written)).toList());
                assertThat(store.history(written.id())).singleElement().satisfies(entry -> {
                    assertThat(entry.source()).isEqualTo(ChangeSource.ENQUEUE.label());
                    assertThat(entry.status()).isEqualTo(JobStatus.QUEUED);
                    assertThat(entry.activity()).isEqualTo(written.activity());
                    assertThat(entry.recordedAt()).isEqualTo(AT);
                    assertThat(entry.attempt()).isEqualTo(1);
                });
            }
            assertThat(store.findCredentials(push.id())).map(CredentialRow::sealed).contains("sealed");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aThousandBuildsGoInOneCall(TestDatabase.Kind kind) {
        try (TestDatabase db = migrated(kind); JobStore store = JobStore.open(db.dataSource(), Clock.systemUTC())) {
            List<BuildRequestRow> requests = new ArrayList<>();
            List<JobRow> jobs = new ArrayList<>();
            for (int i = 0; i < BuildQueue.MAX_BATCH; i++) {
                BuildRequestRow request = new BuildRequestRow(UUID.randomUUID(), UUID.randomUUID(), "image-" + i, null,
                        "<template/>", null, "f".repeat(64), AT);
                requests.add(request);
                jobs.add(JobRow.queued(UUID.randomUUID(), request.id(), JobKind.BUILD, "ec2", AT));
            }

            store.insertAll(requests, jobs, ChangeSource.ENQUEUE, connection -> { });

            assertThat(db.count("select count(*) from buildq_request")).isEqualTo(1000);
            assertThat(db.count("select count(*) from buildq_job where status = 'QUEUED'")).isEqualTo(1000);
            assertThat(db.count("select count(*) from buildq_job_history where source = 'enqueue'")).isEqualTo(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aRequestIdAlreadyTakenFailsAsAConstraintViolationAndWritesNothing(TestDatabase.Kind kind) {
        try (TestDatabase db = migrated(kind); JobStore store = JobStore.open(db.dataSource(), Clock.systemUTC())) {
            BuildRequestRow request = new BuildRequestRow(UUID.randomUUID(), UUID.randomUUID(), "fedora-16", null,
                    "<template/>", "key-1", "f".repeat(64), AT);
            store.insert(request, List.of(JobRow.queued(UUID.randomUUID(), request.id(), JobKind.BUILD, "ec2", AT)),
                    ChangeSource.ENQUEUE);
            BuildRequestRow sameKey = new BuildRequestRow(UUID.randomUUID(), UUID.randomUUID(), "fedora-16", null,
                    "<template/>", "key-1", "f".repeat(64), AT);

            // BuildQueue takes this exception as "another caller used the key first".
            assertThatThrownBy(() -> store.insert(sameKey,
                    List.of(JobRow.queued(UUID.randomUUID(), sameKey.id(), JobKind.BUILD, "rhevm", AT)), ChangeSource.ENQUEUE))
                    .isInstanceOf(ConstraintViolationException.class);

            assertThat(db.count("select count(*) from buildq_job")).isEqualTo(1);
            assertThat(db.count("select count(*) from buildq_job_history")).isEqualTo(1);
        }
    }

    private static TestDatabase migrated(TestDatabase.Kind kind) {
        TestDatabase db = TestDatabase.create(kind);
        new BuildqMigrations(db.dataSource()).migrate();
        BuildQueue.create(db.dataSource()).close(); // creates JobRunr's tables
        return db;
    }
}
