package io.buildq.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Objects;
import javax.sql.DataSource;

/** Reads the secrets migration V11 generated for this installation (one database, all its workers). */
public final class InstallationSecrets {

    private final DataSource dataSource;

    public InstallationSecrets(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The 256-bit key that signs each job's factory callback URL; the same for every worker. */
    public byte[] callbackSigningKey() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT secret FROM " + CallbackKeyMigration.TABLE + " WHERE name = ?")) {
            select.setString(1, CallbackKeyMigration.CALLBACK_KEY);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("the database has no callback signing key: it was not migrated by buildq"
                            + " (run `buildq migrate`), or the row was deleted");
                }
                return HexFormat.of().parseHex(row.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the callback signing key: " + e.getMessage(), e);
        }
    }
}
