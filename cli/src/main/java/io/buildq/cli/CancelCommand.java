package io.buildq.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancels a QUEUED or RUNNING job; factory deletes a running build's image, and pushes waiting on a"
                + " cancelled build are cancelled.",
        footer = {"", "Example:", "  buildq cancel 5e0d2f44-9c1b-4a8e-8f21-7a6b5c4d3e2f"})
final class CancelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Parameters(index = "0", description = "the job's id (see buildq status)")
    UUID jobId;

    @Override
    public Integer call() {
        try (QueueOptions.OpenQueue open = queue.open()) {
            open.queue().cancel(jobId);
            if (queue.json) {
                Printer.json(spec.commandLine().getOut(), open.queue().job(jobId));
            } else {
                spec.commandLine().getOut().println("cancelled " + jobId);
            }
            return 0;
        }
    }
}
