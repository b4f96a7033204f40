package io.buildq.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A fresh, empty database for one test class, on H2 or on the real PostgreSQL, dropped on close.
 * PostgreSQL is the server {@link PostgresServer} finds (a configured one, the machine's, or an
 * embedded one); each instance creates a database of its own there, so that runs and test classes
 * never see each other's rows.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind { H2, POSTGRES }

    private final Kind kind;
    private final String name;
    private final String url;
    private final HikariDataSource dataSource;

    private TestDatabase(Kind kind, String name, String url) {
        this.kind = kind;
        this.name = name;
        this.url = url;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(12);
        // Grown on demand rather than opened at once: the fault suite runs three scenarios beside
        // their worker processes on one server, within PostgreSQL's 100 connections.
        config.setMinimumIdle(1);
        config.setPoolName("test-" + name);
        this.dataSource = new HikariDataSource(config);
    }

    public static TestDatabase create(Kind kind) {
        String name = "bq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (kind == Kind.H2) {
            return new TestDatabase(kind, name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        }
        PostgresServer.execute("CREATE DATABASE " + name);
        return new TestDatabase(kind, name, PostgresServer.adminUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
    }

    public Kind kind() {
        return kind;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL, for processes started by a test. */
    public String url() {
        return url;
    }

    public long count(String sql) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs one statement, for a test that sets rows up as no API would. */
    public void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
        if (kind == Kind.POSTGRES) {
            PostgresServer.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
