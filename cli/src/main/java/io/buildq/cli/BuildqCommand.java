package io.buildq.cli;

import io.buildq.api.BuildQueueException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code buildq} command: each subcommand is one process or one operation. */
@Command(name = "buildq", mixinStandardHelpOptions = true, version = "buildq 0.1.0",
        description = "An image build-and-push queue for Image Factory and iwhd, on JobRunr.",
        subcommands = {DemoCommand.class, MigrateCommand.class, WorkerCommand.class, DashboardCommand.class,
                SimulateCommand.class, CommandLine.HelpCommand.class})
public final class BuildqCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BuildqCommand());
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            // Errors users can act on are one line; anything else is a bug worth its stack trace.
            if (e instanceof BuildQueueException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException) {
                cl.getErr().println("buildq: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine;
    }
}
