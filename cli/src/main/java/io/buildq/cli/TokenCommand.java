package io.buildq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.buildq.httpapi.ApiToken;
import io.buildq.httpapi.ApiTokens;
import io.buildq.migrations.BuildqMigrations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Bearer tokens of the HTTP API (/v1): one per client. Only a token's SHA-256 is stored; the token"
                + " is printed once, when it is created.",
        subcommands = {TokenCommand.Create.class, TokenCommand.List.class, TokenCommand.Revoke.class},
        footer = {"", "Example:", "  buildq token create --name conductor"})
final class TokenCommand {

    private TokenCommand() {
    }

    /** The tokens of the database the options name, on a migrated schema. */
    private static <T> T withTokens(DatabaseOptions database, java.util.function.Function<ApiTokens, T> action) {
        try (HikariDataSource dataSource = database.open("buildq-token")) {
            new BuildqMigrations(dataSource).verify();
            return action.apply(new ApiTokens(dataSource, Clock.systemUTC()));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a token for a client and prints it: the only time it can be read.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--name", required = true, description = "the client's name, e.g. conductor")
        String name;

        @Override
        public Integer call() {
            String token = withTokens(database, tokens -> tokens.create(name));
            spec.commandLine().getOut().println(token);
            spec.commandLine().getErr().println("buildq: token '" + name + "' created; it is shown only now. Send it as"
                    + " Authorization: Bearer <token>.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tokens (never the tokens themselves).")
    static final class List implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            java.util.List<ApiToken> tokens = withTokens(database, ApiTokens::list);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-24s %-22s %-22s %s%n", "NAME", "CREATED", "LAST USED", "REVOKED");
            for (ApiToken token : tokens) {
                out.printf("%-24s %-22s %-22s %s%n", Printer.printable(token.name()), minute(token.createdAt()),
                        minute(token.lastUsedAt()), token.isRevoked() ? minute(token.revokedAt()) : "-");
            }
            return 0;
        }

        private static String minute(Instant instant) {
            return instant == null ? "-" : instant.toString().substring(0, 16).replace('T', ' ') + "Z";
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a token: requests carrying it are refused from now on.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DatabaseOptions database;

        @Option(names = "--name", required = true, description = "the token's name")
        String name;

        @Override
        public Integer call() {
            if (!withTokens(database, tokens -> tokens.revoke(name))) {
                throw new IllegalArgumentException("no valid token named '" + name + "' (buildq token list shows them)");
            }
            spec.commandLine().getOut().println("revoked " + name);
            return 0;
        }
    }
}
