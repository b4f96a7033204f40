package io.buildq.dashboard.status;

import io.buildq.status.JobKind;
import io.buildq.status.JobQuery;
import io.buildq.status.JobStatus;
import io.buildq.status.JobSummary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Renders the status page. Every value that came from a user or from factory is escaped. */
final class StatusHtml {

    /** The page's one script: it polls its own rows so that a running build's bar moves. */
    private static final String POLL_ROWS = """
            setInterval(function () {
              fetch('/builds/rows' + window.location.search, {credentials: 'same-origin'})
                .then(function (r) { return r.ok ? r.text() : null; })
                .then(function (t) { if (t !== null) { document.getElementById('rows').innerHTML = t; } });
            }, 1000);
            """;

    /**
     * What the page may load and run: its own script (by hash) and its inline styles, requests to this
     * server only, no frames around it. A name or an error that slipped past the escaping could run
     * nothing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'sha256-" + sha256Base64(POLL_ROWS)
            + "'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private static String sha256Base64(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JVM", e);
        }
    }

    private final String jobRunrUrl;

    /** @param jobRunrUrl the JobRunr dashboard's base URL, for links to its job pages */
    StatusHtml(String jobRunrUrl) {
        this.jobRunrUrl = jobRunrUrl;
    }

    String page(List<JobSummary> jobs, JobQuery query, String csrfToken, Instant now) {
        StringBuilder html = new StringBuilder();
        html.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>buildq: builds and pushes</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
                table{border-collapse:collapse;width:100%;font-size:14px}
                th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
                th{background:#f4f4f4}
                .bar{width:120px;height:12px;background:#eee;border-radius:3px;overflow:hidden;display:inline-block}
                .bar>span{display:block;height:100%;background:#4caf50}
                .bar.estimate>span{background:repeating-linear-gradient(45deg,#a5d6a7 0 6px,#c8e6c9 6px 12px)}
                .basis{color:#777;font-size:11px}
                .QUEUED{color:#555}.RUNNING{color:#1565c0}.COMPLETE{color:#2e7d32}.FAILED{color:#c62828}.CANCELLED{color:#777}
                .error{color:#c62828;white-space:pre-wrap;font-family:monospace;font-size:12px;max-width:40em}
                form.inline{display:inline} button{margin:0 2px}
                </style></head><body>
                <h1>Builds and pushes</h1>
                """);
        html.append("<form method=\"get\" action=\"/builds\" id=\"filters\">Status <select name=\"status\"><option value=\"\">any</option>");
        for (JobStatus status : JobStatus.values()) {
            html.append("<option").append(status == query.status() ? " selected" : "").append('>').append(status).append("</option>");
        }
        html.append("</select> Image <input name=\"image\" value=\"").append(escape(query.image())).append("\">")
                .append(" Target <input name=\"target\" value=\"").append(escape(query.target())).append("\">")
                .append(" <button type=\"submit\">Filter</button></form>");
        html.append("<form method=\"post\" action=\"/builds/retry-failed\" class=\"inline\">")
                .append(csrf(csrfToken))
                .append("<input type=\"hidden\" name=\"image\" value=\"").append(escape(query.image())).append("\">")
                .append("<button type=\"submit\" id=\"retry-all-failed\">Retry all failed</button></form>")
                .append(" <a href=\"").append(escape(jobRunrUrl)).append("/dashboard\">JobRunr dashboard</a>");
        html.append("<table><thead><tr><th>Image</th><th>Work</th><th>Status</th><th>Progress</th><th>Activity / error</th>")
                .append("<th>Attempt</th><th>Started</th><th>Took</th><th></th></tr></thead><tbody id=\"rows\">");
        html.append(rows(jobs, csrfToken, now));
        html.append("</tbody></table>");
        html.append("<script>").append(POLL_ROWS).append("</script></body></html>\n");
        return html.toString();
    }

    String rows(List<JobSummary> jobs, String csrfToken, Instant now) {
        StringBuilder html = new StringBuilder();
        if (jobs.isEmpty()) {
            html.append("<tr><td colspan=\"9\">No builds match.</td></tr>");
        }
        for (JobSummary job : jobs) {
            String work = job.kind() == JobKind.BUILD ? "build " + job.target()
                    : "push " + job.target() + " to " + job.providerName();
            html.append("<tr id=\"job-").append(job.jobId()).append("\" data-status=\"").append(job.status()).append("\">")
                    .append("<td>").append(escape(job.image())).append("</td>")
                    .append("<td><a href=\"").append(escape(jobRunrUrl)).append("/dashboard/jobs/").append(job.jobId())
                    .append("\" title=\"This job in JobRunr's dashboard\">").append(escape(work)).append("</a></td>")
                    .append("<td class=\"status ").append(job.status()).append("\">").append(job.status()).append("</td>")
                    .append(progressCell(job))
                    .append("<td>").append(escape(job.activity()));
            if (job.error() != null) {
                html.append("<div class=\"error\">").append(escape(job.error())).append("</div>");
            }
            html.append("</td><td>").append(job.attempt()).append("</td>")
                    .append("<td>").append(job.startedAt() == null ? "" : job.startedAt().toString()).append("</td>")
                    .append("<td>").append(took(job, now)).append("</td><td>")
                    .append(button(job.jobId(), "retry", "Retry", job.retryable(), csrfToken))
                    .append(button(job.jobId(), "cancel", "Cancel", job.status().isCancellable(), csrfToken))
                    .append("</td></tr>");
        }
        return html.toString();
    }

    private static String button(UUID jobId, String action, String label, boolean enabled, String csrfToken) {
        return "<form method=\"post\" action=\"/builds/" + jobId + "/" + action + "\" class=\"inline\">" + csrf(csrfToken)
                + "<button type=\"submit\" class=\"" + action + "\"" + (enabled ? "" : " disabled") + ">" + label
                + "</button></form>";
    }

    private static String csrf(String token) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + token + "\">";
    }

    /**
     * The bar and its figure: factory's percentage, or, while factory reports none, buildq's
     * estimate, drawn hatched, its figure marked {@code ~} and its basis in the title.
     */
    private static String progressCell(JobSummary job) {
        if (job.estimate() != null) {
            String basis = escape(job.estimate().basis(job.target()));
            return "<td title=\"" + basis + "\"><span class=\"bar estimate\"><span style=\"width:" + job.estimate().percent()
                    + "%\"></span></span> <span class=\"estimate\">~" + job.estimate().percent() + "%</span>"
                    + "<div class=\"basis\">" + basis + "</div></td>";
        }
        return "<td><span class=\"bar\"><span style=\"width:" + job.percent() + "%\"></span></span> " + job.percent()
                + "%</td>";
    }

    private static String took(JobSummary job, Instant now) {
        if (job.startedAt() == null) {
            return "";
        }
        Duration took = Duration.between(job.startedAt(), job.finishedAt() != null ? job.finishedAt() : now);
        return took.toSeconds() + " s";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
