package io.buildq.migrations;

import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * V12: room for the limits buildq counts in code points. BuildQueue allows 255 characters in an image
 * name (and 262,144 in a template) counted as code points, so that a name in emoji or in a script
 * outside the Basic Multilingual Plane gets the same length as one in Latin. PostgreSQL's
 * {@code VARCHAR(n)} counts code points too; H2's counts UTF-16 units, where such a character takes
 * two, so on H2 the columns that hold user text are widened to twice their length. On PostgreSQL
 * this does nothing, which keeps the version history the same on both.
 */
final class CodePointLimitsMigration implements JavaMigration {

    private static final List<String> WIDEN = List.of(
            "ALTER TABLE buildq_request ALTER COLUMN image_name SET DATA TYPE VARCHAR(510)",
            "ALTER TABLE buildq_request ALTER COLUMN idempotency_key SET DATA TYPE VARCHAR(510)",
            "ALTER TABLE buildq_request ALTER COLUMN pool_family SET DATA TYPE VARCHAR(510)",
            "ALTER TABLE buildq_request ALTER COLUMN template SET DATA TYPE VARCHAR(524288)",
            "ALTER TABLE buildq_job ALTER COLUMN provider_name SET DATA TYPE VARCHAR(510)",
            "ALTER TABLE buildq_job ALTER COLUMN factory_provider SET DATA TYPE VARCHAR(8192)");

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("12");
    }

    @Override
    public String getDescription() {
        return "room on H2 for limits counted in code points";
    }

    @Override
    public Integer getChecksum() {
        return String.join(";", WIDEN).hashCode();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName();
        if (!"H2".equalsIgnoreCase(product)) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String widen : WIDEN) {
                statement.execute(widen);
            }
        }
    }
}
