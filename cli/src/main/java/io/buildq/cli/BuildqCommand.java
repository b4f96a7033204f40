package io.buildq.cli;

import io.buildq.internal.tls.ServerTls;

import io.buildq.error.BuildQueueException;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code buildq} command: each subcommand is one process or one operation. */
@Command(name = "buildq", mixinStandardHelpOptions = true, version = "buildq 0.1.0",
        description = "An image build-and-push queue for Image Factory and iwhd, on JobRunr.",
        subcommands = {DemoCommand.class, BuildCommand.class, PushCommand.class, StatusCommand.class, WatchCommand.class,
                RetryCommand.class, CancelCommand.class, CatalogCommand.class, MigrateCommand.class, WorkerCommand.class,
                DashboardCommand.class, TokenCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"", "Every command takes --db URL (or BUILDQ_DB_URL). Exit codes: 0 done, 1 an error (one line,"
                + " naming the field), 2 a bad argument; watch and build --wait: 0 complete, 1 failed, 2 cancelled.",
                "Shell completion: source <(buildq generate-completion)"})
public final class BuildqCommand {

    public static void main(String[] args) {
        // Before any H2 class loads: H2's auto-server (AUTO_SERVER=TRUE, started by whichever process
        // opens the file first) binds through NetUtils, which reads h2.bindAddress once; unset, it
        // listens on every interface (it starts with -tcpAllowOthers).
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        // Before any HTTP server starts (JobRunr's dashboard is one): see ServerTls.answerWithoutDelay.
        ServerTls.answerWithoutDelay();
        // Before the first logger: logback's configuration names the appender after this variable.
        String logFormat = System.getenv("BUILDQ_LOG_FORMAT");
        if (logFormat != null && logFormat.isEmpty()) {
            // Set but empty (BUILDQ_LOG_FORMAT=${UNSET} in a compose file): logback would take "" as the
            // appender's name and log nothing; its system property outranks the variable.
            System.setProperty("BUILDQ_LOG_FORMAT", "text");
        } else if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
            System.err.println("buildq: BUILDQ_LOG_FORMAT must be text or json, was '" + Printer.printable(logFormat) + "'");
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BuildqCommand());
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            // Errors users can act on are one line; anything else is a bug worth its stack trace.
            if (e instanceof BuildQueueException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException) {
                cl.getErr().println("buildq: " + Printer.printable(e.getMessage()));
                return 1;
            }
            if (causedByTheDatabase(e)) {
                // An unreachable server, a wrong password, an unknown driver: the operator's to mend.
                cl.getErr().println("buildq: cannot use the database: " + Printer.printable(messages(e)));
                return 1;
            }
            throw e;
        });
        return commandLine;
    }

    private static boolean causedByTheDatabase(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException || cause.getClass().getName().startsWith("com.zaxxer.hikari.")) {
                return true;
            }
        }
        return false;
    }

    /** The outermost message (which names the URL) and the deepest (which says why), once each. */
    private static String messages(Throwable e) {
        String outer = String.valueOf(e.getMessage());
        String deepest = null;
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                deepest = cause.getMessage();
            }
        }
        return deepest == null || outer.contains(deepest) ? outer : outer + ": " + deepest;
    }
}
