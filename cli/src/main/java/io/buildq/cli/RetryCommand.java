package io.buildq.cli;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Retries a FAILED job (a target build or a push) as its next attempt, or every failed job.",
        footer = {"", "Examples:", "  buildq retry 5e0d2f44-9c1b-4a8e-8f21-7a6b5c4d3e2f",
                "  buildq retry --all-failed --image web-server"})
final class RetryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    static final class Which {
        @Parameters(index = "0", description = "the job's id (see buildq status)")
        UUID jobId;

        @Option(names = "--all-failed", required = true, description = "retry every failed job")
        boolean allFailed;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--image", description = "with --all-failed: only this image's jobs")
    String image;

    @Override
    public Integer call() {
        try (QueueOptions.OpenQueue open = queue.open()) {
            if (which.allFailed) {
                List<UUID> retried = open.queue().retryAllFailed(image);
                if (queue.json) {
                    Printer.json(spec.commandLine().getOut(), retried);
                } else {
                    spec.commandLine().getOut().println("retried " + retried.size() + " job(s)");
                    retried.forEach(spec.commandLine().getOut()::println);
                }
                return 0;
            }
            open.queue().retry(which.jobId);
            if (queue.json) {
                Printer.json(spec.commandLine().getOut(), open.queue().job(which.jobId));
            } else {
                spec.commandLine().getOut().println("retrying " + which.jobId + " as attempt "
                        + open.queue().job(which.jobId).attempt());
            }
            return 0;
        }
    }
}
