package io.buildq.bench;

import io.buildq.migrations.BuildqMigrations;
import io.buildq.testing.TestDatabase;

/** Fresh, migrated databases: each measurement gets its own, dropped after it. */
final class Databases {

    private Databases() {
    }

    static TestDatabase fresh(TestDatabase.Kind kind) {
        TestDatabase db = TestDatabase.create(kind);
        new BuildqMigrations(db.dataSource()).migrate();
        return db;
    }

    static String label(TestDatabase.Kind kind) {
        return kind == TestDatabase.Kind.H2 ? "H2" : "PostgreSQL";
    }

    static long finishedBuilds(TestDatabase db) {
        return db.count("select count(*) from buildq_job where status in ('COMPLETE', 'FAILED', 'CANCELLED')");
    }

    static long succeededJobRunrJobs(TestDatabase db) {
        return db.count("select count(*) from jobrunr_jobs where state = 'SUCCEEDED'");
    }
}
