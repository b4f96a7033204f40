package io.buildq.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Conductor's side in its own process: for each image name read on stdin, enqueues a build through
 * {@link BuildQueue} and prints the wall-clock time just before the call (epoch microseconds) and
 * the build's id. The worker hears of it only through the database.
 */
public final class EnqueuerProcess {

    private EnqueuerProcess() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setMaximumPoolSize(2);
        try (HikariDataSource dataSource = new HikariDataSource(config);
             BuildQueue queue = BuildQueue.create(dataSource);
             BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("ready");
            String name;
            while ((name = commands.readLine()) != null) {
                long before = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                UUID buildId = queue.build(BuildRequest.of(name, BuildqStack.TEMPLATE, List.of("ec2")));
                System.out.println(before + " " + buildId);
            }
        }
    }
}
