package io.buildq.cli;

import io.buildq.error.BuildNotFoundException;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobKind;
import io.buildq.status.JobQuery;
import io.buildq.status.JobSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Without an id, a table of recent builds and pushes; with a build's id, its targets and pushes;"
                + " with a job's id, that job and its history.",
        footer = {"", "Examples:", "  buildq status", "  buildq status 0b6a3c2e-1111-4c7e-9d55-5a1e2f3a4b5c --json"})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Parameters(index = "0", arity = "0..1", description = "a build's or a job's id")
    UUID id;

    @Option(names = "--limit", defaultValue = "50", description = "rows in the table (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (QueueOptions.OpenQueue open = queue.open()) {
            if (id == null) {
                List<JobSummary> jobs = open.queue().jobs(new JobQuery(null, null, null, limit));
                if (queue.json) {
                    Printer.json(out, jobs);
                    return 0;
                }
                out.printf("%-36s  %-20s %-32s %-9s %4s  %s%n", "JOB", "IMAGE", "WORK", "STATUS", "%", "ACTIVITY / ERROR");
                for (JobSummary job : jobs) {
                    String work = job.kind() == JobKind.BUILD ? "build " + job.target()
                            : "push " + job.target() + " -> " + job.providerName();
                    out.printf("%-36s  %-20s %-32s %-9s %3d%%  %s%n", job.jobId(), Printer.printable(job.image()),
                            Printer.printable(work), job.status(),
                            job.percent(), Printer.orEmpty(job.error() != null ? "error: " + job.error() : job.activity()));
                }
                out.flush();
                return 0;
            }
            try {
                BuildStatus status = open.queue().status(id);
                if (queue.json) {
                    Printer.json(out, status);
                } else {
                    Printer.status(out, status);
                }
            } catch (BuildNotFoundException notABuild) {
                JobSummary job = open.queue().job(id);
                if (queue.json) {
                    Printer.json(out, Map.of("job", job, "history", open.queue().history(id)));
                    return 0;
                }
                out.println(job.kind().name().toLowerCase() + " " + Printer.printable(job.target()
                        + (job.kind() == JobKind.PUSH ? " -> " + job.providerName() : "") + " of " + job.image())
                        + " (build " + job.buildId() + "): " + job.status() + " " + job.percent() + "%, attempt " + job.attempt());
                open.queue().history(id).forEach(entry -> out.printf("  %s  %-10s %-9s %-9s %3d%%  %s%n", entry.recordedAt(),
                        entry.source(), entry.status(), entry.factoryStatus() == null ? "" : entry.factoryStatus(),
                        entry.percent(), Printer.orEmpty(entry.error() != null ? "error: " + entry.error() : entry.activity())));
                out.flush();
            }
            return 0;
        }
    }
}
