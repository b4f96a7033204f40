package io.buildq.cli;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Shows a build's targets and pushes until all have ended: progress bars on a terminal, a line per"
                + " change otherwise.",
        footer = {"", "Example:", "  buildq watch 0b6a3c2e-1111-4c7e-9d55-5a1e2f3a4b5c",
                "", "Exit codes: 0 all complete, 1 something failed, 2 something was cancelled (and none failed)."})
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Parameters(index = "0", description = "the build's id")
    UUID buildId;

    @Option(names = "--every-millis", defaultValue = "1000", description = "how often to look (default ${DEFAULT-VALUE})")
    long everyMillis;

    @Override
    public Integer call() throws InterruptedException {
        try (QueueOptions.OpenQueue open = queue.open()) {
            int outcome = new Watcher(open.queue(), spec.commandLine().getOut(), onTerminal(queue.json),
                    Duration.ofMillis(everyMillis)).watch(buildId);
            if (queue.json) {
                Printer.json(spec.commandLine().getOut(), open.queue().status(buildId));
            }
            return outcome;
        }
    }

    /** Progress bars only for a person at a terminal; scripts and logs get plain lines. */
    static boolean onTerminal(boolean json) {
        return !json && System.console() != null;
    }
}
