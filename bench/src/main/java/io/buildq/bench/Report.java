package io.buildq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** The benchmark's results: a table on stdout, and the same as Markdown for docs/benchmarks.md. */
final class Report {

    private static final String[] HEADER = {"Database", "Measure", "buildq", "Baseline", "Ratio", "Target", "Verdict"};

    private final String size;
    private final List<Figure> figures;
    private final Duration took;
    private final String postgresVersion;

    Report(String size, List<Figure> figures, Duration took, String postgresVersion) {
        this.size = size;
        this.figures = figures;
        this.took = took;
        this.postgresVersion = postgresVersion;
    }

    String text() {
        int[] widths = new int[HEADER.length];
        for (String[] row : rows().toList()) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        rows().forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                out.append(String.format("%-" + widths[i] + "s", row[i])).append(i + 1 < row.length ? "  " : "\n");
            }
        });
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Benchmarks\n\n")
                .append("Written by the benchmark (`bench` module; see the README, \"Benchmarks\"). Do not edit by hand:\n")
                .append("run it again.\n\n")
                .append("- Run: ").append(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(", size `").append(size).append("`, ").append(took.toSeconds()).append(" s in all\n")
                .append("- Machine: ").append(machine()).append('\n')
                .append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", heap up to ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB\n")
                .append("- Databases: H2 ").append(version("h2")).append(" (in memory, in process); ")
                .append(postgresVersion).append(" (over 127.0.0.1)\n")
                .append("- JobRunr ").append(version("jobrunr"))
                .append(", poll interval 5 s (its minimum on SQL databases) for buildq and the baseline alike\n\n")
                .append("Each baseline was measured in the same run, on the same database, just before or after buildq's ")
                .append("figure. Ratio is buildq ÷ baseline.\n\n");
        List<String[]> rows = rows().toList();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                out.append("|").append(" --- |".repeat(HEADER.length)).append('\n');
            }
        }
        return out.toString();
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown());
    }

    private Stream<String[]> rows() {
        return Stream.concat(Stream.<String[]>of(HEADER), figures.stream().map(figure -> new String[] {
                figure.database(), figure.measure(), figure.buildq(), figure.baseline(), figure.ratio(), figure.target(),
                figure.verdict()}));
    }

    /** A library's version, as Maven built the benchmark against it. */
    private static String version(String library) {
        Properties properties = new Properties();
        try (InputStream in = Report.class.getResourceAsStream("/buildq-bench.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // unknown, below
        }
        return properties.getProperty(library, "(version unknown)");
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it unknown
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024L * 1024 * 1024);
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " GiB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }
}
