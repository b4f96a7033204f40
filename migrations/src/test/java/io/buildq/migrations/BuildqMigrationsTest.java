package io.buildq.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BuildqMigrationsTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void migrateCreatesBuildqAndJobRunrTablesAndIsIdempotent(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            BuildqMigrations migrations = new BuildqMigrations(db.dataSource());

            assertThat(migrations.migrate()).isEqualTo(2);
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
    void verifyRefusesAnUnmigratedDatabaseAndSaysWhatToRun(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            assertThatThrownBy(() -> new BuildqMigrations(db.dataSource()).verify())
                    .isInstanceOf(SchemaNotMigratedException.class)
                    .hasMessageContaining("buildq migrate");
        }
    }
}
