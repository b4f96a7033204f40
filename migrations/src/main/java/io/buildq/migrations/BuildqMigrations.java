package io.buildq.migrations;

import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;

/**
 * Brings a database up to the schema this version of buildq expects: buildq's own tables through
 * Flyway, and JobRunr's tables through JobRunr's own migrator. Run once per deploy, before workers
 * start; {@link #verify()} lets every other process refuse to run on an old schema.
 */
public final class BuildqMigrations {

    /** Flyway's history table; named so it cannot collide with an application's own Flyway. */
    public static final String HISTORY_TABLE = "buildq_schema_history";
    static final String LOCATION = "classpath:db/buildq";
    /**
     * The PostgreSQL channel on which a trigger announces each job that became ENQUEUED (payload: the
     * job's id); workers LISTEN on it to start jobs without waiting for JobRunr's poll.
     */
    public static final String ENQUEUED_CHANNEL = "buildq_jobs_enqueued";

    private final DataSource dataSource;
    private final Flyway flyway;

    public BuildqMigrations(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // Conductor's database may already hold other tables: start our history at zero.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .javaMigrations(new NotifyEnqueuedJobsMigration(), new CallbackKeyMigration(), new CodePointLimitsMigration())
                .load();
    }

    /** Applies every pending migration of both schemas and returns how many of buildq's ran. */
    public int migrate() {
        // JobRunr's tables first: V3 puts a trigger on one of them. CREATE runs JobRunr's versioned
        // scripts (and their cross-node lock); closing the provider leaves the DataSource to its owner.
        StorageProvider jobRunrTables = SqlStorageProviderFactory.using(dataSource, null, DatabaseOptions.CREATE);
        jobRunrTables.close();
        MigrateResult result = flyway.migrate();
        return result.migrationsExecuted;
    }

    /**
     * Fails with {@link SchemaNotMigratedException} unless every buildq migration has been applied;
     * processes call this at start so that they never run against a schema they do not understand.
     */
    public void verify() {
        MigrationInfo[] pending = flyway.info().pending();
        if (pending.length > 0) {
            throw new SchemaNotMigratedException(
                    "The database schema is not up to date (" + pending.length + " buildq migration(s) pending, first: V"
                            + pending[0].getVersion() + "). Run `buildq migrate --db URL` first.");
        }
    }
}
