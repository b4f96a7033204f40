package io.buildq.migrations;

import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * V3: on PostgreSQL, a trigger on JobRunr's job table that sends {@code NOTIFY buildq_jobs_enqueued}
 * with the job's id whenever a job becomes ENQUEUED (created, retried, or requeued from the
 * dashboard), so that workers start it at once instead of at their next poll. On H2 it does nothing
 * (workers there are woken in-process), which keeps the version history the same on both.
 *
 * <p>JobRunr's own migrations do not know about the trigger: check it is still there after an
 * upgrade of JobRunr that rebuilds {@code jobrunr_jobs}.
 */
final class NotifyEnqueuedJobsMigration implements JavaMigration {

    private static final String FUNCTION = """
            CREATE OR REPLACE FUNCTION buildq_notify_enqueued() RETURNS trigger AS $$
            BEGIN
                -- JobRunr rewrites every column on each save: notify only when the state changes.
                IF TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM NEW.state THEN
                    PERFORM pg_notify('%s', NEW.id);
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql""".formatted(BuildqMigrations.ENQUEUED_CHANNEL);

    private static final String TRIGGER = """
            CREATE TRIGGER buildq_notify_enqueued
            AFTER INSERT OR UPDATE OF state ON jobrunr_jobs
            FOR EACH ROW WHEN (NEW.state = 'ENQUEUED')
            EXECUTE FUNCTION buildq_notify_enqueued()""";

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("3");
    }

    @Override
    public String getDescription() {
        return "notify workers of enqueued jobs";
    }

    @Override
    public Integer getChecksum() {
        return (FUNCTION + TRIGGER).hashCode();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName();
        if (!"PostgreSQL".equalsIgnoreCase(product)) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(FUNCTION);
            statement.execute(TRIGGER);
        }
    }
}
