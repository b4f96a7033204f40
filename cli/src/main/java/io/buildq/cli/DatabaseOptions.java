package io.buildq.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import picocli.CommandLine.Option;

/** The database every command but {@code simulate} needs: H2 (embedded) or PostgreSQL. */
final class DatabaseOptions {

    @Option(names = "--db", required = true, defaultValue = "${env:BUILDQ_DB_URL}",
            description = "JDBC URL of the queue's database (env BUILDQ_DB_URL), e.g. "
                    + "jdbc:postgresql://db:5432/buildq or jdbc:h2:file:./buildq-data/buildq;AUTO_SERVER=TRUE")
    String url;

    @Option(names = "--db-user", defaultValue = "${env:BUILDQ_DB_USER}", description = "database user (env BUILDQ_DB_USER)")
    String user;

    @Option(names = "--db-password", defaultValue = "${env:BUILDQ_DB_PASSWORD}",
            description = "database password (env BUILDQ_DB_PASSWORD; prefer the variable: arguments are visible to every user)")
    String password;

    @Option(names = "--db-pool-size", defaultValue = "${env:BUILDQ_DB_POOL_SIZE:-16}",
            description = "connections in the pool (env BUILDQ_DB_POOL_SIZE, default ${DEFAULT-VALUE})")
    int poolSize;

    HikariDataSource open(String poolName) {
        return open(url, user, password, poolSize, poolName);
    }

    static HikariDataSource open(String url, String user, String password, int poolSize, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setPoolName(poolName);
        return new HikariDataSource(config);
    }
}
