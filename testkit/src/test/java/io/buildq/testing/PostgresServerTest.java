package io.buildq.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The fallback a machine without PostgreSQL gets: the embedded server starts here too (as root, it
 * runs as {@code nobody}), and takes the CREATE DATABASE each test class begins with.
 */
class PostgresServerTest {

    @Test
    void theEmbeddedServerStartsAndCreatesDatabases() throws Exception {
        String adminUrl = PostgresServer.startEmbedded();

        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE bq_embedded_check");
            try (ResultSet rows = statement.executeQuery(
                    "SELECT current_setting('server_version_num')::int, (SELECT count(*) FROM pg_database "
                            + "WHERE datname = 'bq_embedded_check')")) {
                rows.next();
                assertThat(rows.getInt(1)).as("server version").isGreaterThanOrEqualTo(130000);
                assertThat(rows.getInt(2)).as("databases created").isEqualTo(1);
            }
        }
    }

    @Test
    void aConfiguredUrlIsUsedAsGiven() {
        String configured = "jdbc:postgresql://db.example:6543/ci?user=ci";

        assertThat(PostgresServer.find(configured)).isEqualTo(configured);
    }
}
