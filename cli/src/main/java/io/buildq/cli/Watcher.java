package io.buildq.cli;

import io.buildq.api.BuildQueue;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Follows a build until every target and push has ended: on a terminal, progress bars redrawn in
 * place; otherwise one line per change, for logs and scripts.
 */
final class Watcher {

    /** Exit codes of watch and build --wait. */
    static final int COMPLETE = 0;
    static final int FAILED = 1;
    static final int CANCELLED = 2;

    private final BuildQueue queue;
    private final PrintWriter out;
    private final boolean terminal;
    private final Duration every;

    Watcher(BuildQueue queue, PrintWriter out, boolean terminal, Duration every) {
        this.queue = queue;
        this.out = out;
        this.terminal = terminal;
        this.every = every;
    }

    int watch(UUID buildId) throws InterruptedException {
        Map<String, String> last = new HashMap<>();
        int drawn = 0;
        while (true) {
            BuildStatus status = queue.status(buildId);
            if (terminal) {
                drawn = redraw(status, drawn);
            } else {
                printChanges(status, last);
            }
            if (status.isFinished()) {
                if (terminal) {
                    // The bars were cut to the screen's width; the errors are worth reading whole.
                    status.targets().stream().filter(target -> target.error() != null)
                            .forEach(target -> out.println("build " + Printer.printable(target.target()) + ": "
                                    + Printer.printable(target.error())));
                    status.pushes().stream().filter(push -> push.error() != null)
                            .forEach(push -> out.println("push " + Printer.printable(push.providerName()) + ": "
                                    + Printer.printable(push.error())));
                    out.flush();
                }
                return exitCode(status);
            }
            Thread.sleep(every.toMillis()); // the pace of a person watching, not a synchronisation
        }
    }

    static int exitCode(BuildStatus status) {
        List<JobStatus> statuses = new ArrayList<>();
        status.targets().forEach(target -> statuses.add(target.status()));
        status.pushes().forEach(push -> statuses.add(push.status()));
        if (statuses.contains(JobStatus.FAILED)) {
            return FAILED;
        }
        return statuses.contains(JobStatus.CANCELLED) ? CANCELLED : COMPLETE;
    }

    private void printChanges(BuildStatus status, Map<String, String> last) {
        for (TargetStatus target : status.targets()) {
            String line = Printer.line(target);
            if (!line.equals(last.put(target.jobId().toString(), line))) {
                out.println(line);
            }
        }
        for (PushStatus push : status.pushes()) {
            String line = Printer.line(push);
            if (!line.equals(last.put(push.jobId().toString(), line))) {
                out.println(line);
            }
        }
        out.flush();
    }

    private int redraw(BuildStatus status, int previousLines) {
        if (previousLines > 0) {
            out.print("\033[" + previousLines + "A"); // back to the first line drawn last time
        }
        List<String> lines = new ArrayList<>();
        status.targets().forEach(target -> lines.add(bar(Printer.shownPercent(target)) + " " + Printer.line(target)));
        status.pushes().forEach(push -> lines.add(bar(push.percent()) + " " + Printer.line(push)));
        int width = screenWidth();
        for (String line : lines) {
            // A line that wrapped would take two rows and throw the redraw off by one.
            String shown = line.length() < width ? line : line.substring(0, width - 2) + "…";
            out.print("\033[2K" + shown + "\n");
        }
        out.flush();
        return lines.size();
    }

    private static int screenWidth() {
        try {
            return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100")));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private static String bar(int percent) {
        int filled = percent / 5;
        return "[" + "#".repeat(filled) + ".".repeat(20 - filled) + "]";
    }
}
