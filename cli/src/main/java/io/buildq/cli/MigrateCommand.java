package io.buildq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.buildq.migrations.BuildqMigrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Creates or upgrades buildq's and JobRunr's tables. Run it before workers start.",
        footer = {"", "Example:", "  buildq migrate --db jdbc:postgresql://localhost:5432/buildq --db-user buildq"})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        try (HikariDataSource dataSource = database.open("buildq-migrate")) {
            int applied = new BuildqMigrations(dataSource).migrate();
            spec.commandLine().getOut().println("buildq schema is up to date (" + applied + " migration(s) applied)");
            return 0;
        }
    }
}
