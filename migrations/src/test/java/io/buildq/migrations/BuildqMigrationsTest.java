package io.buildq.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.details.JobDetailsAsmGenerator;
import org.jobrunr.jobs.lambdas.JobLambda;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BuildqMigrationsTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void migrateCreatesBuildqAndJobRunrTablesAndIsIdempotent(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            BuildqMigrations migrations = new BuildqMigrations(db.dataSource());

            assertThat(migrations.migrate()).isEqualTo(15);
            assertThat(migrations.migrate()).isZero();

            assertThat(db.count("select count(*) from buildq_request")).isZero();
            assertThat(db.count("select count(*) from buildq_job")).isZero();
            assertThat(db.count("select count(*) from buildq_job_history")).isZero();
            assertThat(db.count("select count(*) from jobrunr_jobs")).isZero();
            migrations.verify();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void eachInstallationGetsItsOwnCallbackSigningKeyOnce(TestDatabase.Kind kind) {
        try (TestDatabase first = TestDatabase.create(kind); TestDatabase second = TestDatabase.create(kind)) {
            new BuildqMigrations(first.dataSource()).migrate();
            new BuildqMigrations(second.dataSource()).migrate();
            byte[] key = new InstallationSecrets(first.dataSource()).callbackSigningKey();

            assertThat(key).hasSize(32);
            assertThat(new InstallationSecrets(first.dataSource()).callbackSigningKey())
                    .as("read again, the same key").isEqualTo(key);
            assertThat(new InstallationSecrets(second.dataSource()).callbackSigningKey())
                    .as("another installation's key").isNotEqualTo(key);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void verifyRefusesAnUnmigratedDatabaseAndSaysWhatToRun(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            assertThatThrownBy(() -> new BuildqMigrations(db.dataSource()).verify())
                    .isInstanceOf(SchemaNotMigratedException.class)
                    .hasMessageContaining("buildq migrate");
        }
    }

    @Test
    void onPostgresEveryJobThatBecomesEnqueuedIsAnnouncedOnceOnTheChannel() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.POSTGRES);
             Connection listener = DriverManager.getConnection(db.url())) {
            new BuildqMigrations(db.dataSource()).migrate();
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + BuildqMigrations.ENQUEUED_CHANNEL);
            }
            StorageProvider storage = SqlStorageProviderFactory.using(db.dataSource(), null, DatabaseOptions.SKIP_CREATE);
            storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
            JobLambda noop = () -> System.out.println("never run");
            Job created = new Job(new JobDetailsAsmGenerator().toJobDetails(noop));
            storage.save(created);                  // insert as ENQUEUED: announced
            Job saved = storage.getJobById(created.getId());
            storage.save(saved);                    // saved again, still ENQUEUED: not announced
            saved = storage.getJobById(created.getId());
            saved.delete("test");                   // DELETED: not announced
            storage.save(saved);
            saved = storage.getJobById(created.getId());
            saved.enqueue();                        // what the dashboard's Requeue does: announced
            storage.save(saved);
            storage.close();

            List<String> payloads = new ArrayList<>();
            PGConnection pg = listener.unwrap(PGConnection.class);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (payloads.size() < 2 && System.nanoTime() < deadline) {
                PGNotification[] received = pg.getNotifications(500);
                if (received != null) {
                    for (PGNotification notification : received) {
                        payloads.add(notification.getParameter());
                    }
                }
            }
            PGNotification[] more = pg.getNotifications(200);
            assertThat(more == null ? 0 : more.length).as("notifications beyond the two enqueues").isZero();
            assertThat(payloads).containsExactly(created.getId().toString(), created.getId().toString());
        }
    }

    @Test
    void onH2TheNotifyMigrationIsRecordedWithoutATrigger() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            new BuildqMigrations(db.dataSource()).migrate();
            assertThat(db.count("select count(*) from \"buildq_schema_history\" where \"version\" = '3' and \"success\"")).isOne();
            assertThat(db.count("select count(*) from information_schema.triggers")).isZero();
        }
    }
}
