package io.buildq.migrations;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HexFormat;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * V11: the installation's secrets, and the first of them, the key workers sign each job's factory
 * callback URL with. Generated here, once per database, so that every worker of an installation
 * signs and checks with the same key without being configured: a callback reaches whichever worker
 * listens at the URL it was given, and a worker restarted on the same address still accepts the
 * callbacks of the builds its previous run started. Whoever can read this table can forge callbacks,
 * but whoever can read it can write the rows those callbacks would write anyway.
 *
 * <p>A Java migration because SQL has no portable way to draw 256 random bits on both H2 and
 * PostgreSQL.
 */
final class CallbackKeyMigration implements JavaMigration {

    /** The name of the callback signing key in {@link #TABLE}. */
    static final String CALLBACK_KEY = "callback-signing-key";
    static final String TABLE = "buildq_installation_secret";
    private static final String CREATE = """
            CREATE TABLE buildq_installation_secret (
                name   VARCHAR(64)  NOT NULL,
                secret VARCHAR(128) NOT NULL,
                CONSTRAINT buildq_installation_secret_pk PRIMARY KEY (name)
            )""";
    private static final String INSERT = "INSERT INTO buildq_installation_secret (name, secret) VALUES (?, ?)";

    private final SecureRandom random = new SecureRandom();

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("11");
    }

    @Override
    public String getDescription() {
        return "installation secrets: the callback signing key";
    }

    @Override
    public Integer getChecksum() {
        return (CREATE + INSERT + CALLBACK_KEY).hashCode();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(CREATE);
        }
        try (PreparedStatement insert = context.getConnection().prepareStatement(INSERT)) {
            insert.setString(1, CALLBACK_KEY);
            insert.setString(2, HexFormat.of().formatHex(key));
            insert.executeUpdate();
        }
    }
}
