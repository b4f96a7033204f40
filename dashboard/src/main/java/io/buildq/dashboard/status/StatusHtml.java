package io.buildq.dashboard.status;

import io.buildq.status.BuildOverview;
import io.buildq.status.BuildPage;
import io.buildq.status.BuildQuery;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import io.buildq.status.JobSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Renders the status page (a page of builds, grouped by image and build) and a build's own page
 * (its jobs and their history as a timeline). Every value that came from a user or from factory is
 * escaped. Each page's changing part is one element, {@code #live}, which the page's script
 * replaces from {@code <page>/live} whenever the server's event stream says a job changed.
 */
final class StatusHtml {

    /**
     * The pages' one script: on each change the server announces ({@code /builds/events}, server-sent
     * events), it fetches the page's live part again (at most every 250 ms) and swaps it in; every 30 s
     * it brings the "3 min ago" phrases up to date. EventSource reconnects by itself after a drop.
     */
    private static final String LIVE_UPDATES = """
            (function () {
              var live = document.getElementById('live');
              var pending = null;
              function refresh() {
                pending = null;
                fetch(window.location.pathname + '/live' + window.location.search, {credentials: 'same-origin'})
                  .then(function (r) { return r.ok ? r.text() : null; })
                  .then(function (t) { if (t !== null) { live.innerHTML = t; live.dataset.updates = (+(live.dataset.updates || 0) + 1); } });
              }
              var events = new EventSource('/builds/events');
              events.addEventListener('change', function () { if (pending === null) { pending = setTimeout(refresh, 250); } });
              events.addEventListener('open', function () { document.body.dataset.live = 'on'; });
              function phrase(seconds) {
                if (seconds < 10) { return 'just now'; }
                if (seconds < 60) { return seconds + ' s ago'; }
                if (seconds < 3600) { return Math.floor(seconds / 60) + ' min ago'; }
                if (seconds < 172800) { return Math.floor(seconds / 3600) + ' h ago'; }
                return Math.floor(seconds / 86400) + ' days ago';
              }
              setInterval(function () {
                document.querySelectorAll('time[datetime]').forEach(function (t) {
                  t.textContent = phrase(Math.max(0, Math.floor((Date.now() - Date.parse(t.getAttribute('datetime'))) / 1000)));
                });
              }, 30000);
            })();
            """;

    /**
     * What the pages may load and run: their own script (by hash) and inline styles, requests to this
     * server only, no frames around them. A name or an error that slipped past the escaping could run
     * nothing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'sha256-" + sha256Base64(LIVE_UPDATES)
            + "'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private static final String STYLE = """
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
            a{color:#1565c0}
            table{border-collapse:collapse;width:100%;font-size:14px}
            th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
            thead th{background:#f4f4f4}
            tr.image th{background:#e8eaf6;font-size:15px;padding-top:10px}
            tr.build td{background:#fafafa;color:#555;font-size:13px}
            tr.push td:nth-child(2){padding-left:2em}
            .bar{width:120px;height:12px;background:#eee;border-radius:3px;overflow:hidden;display:inline-block}
            .bar>span{display:block;height:100%;background:#4caf50}
            .bar.estimate>span{background:repeating-linear-gradient(45deg,#a5d6a7 0 6px,#c8e6c9 6px 12px)}
            .basis{color:#777;font-size:11px}
            .QUEUED{color:#555}.RUNNING{color:#1565c0}.COMPLETE{color:#2e7d32}.FAILED{color:#c62828}.CANCELLED{color:#777}
            .error{color:#c62828;white-space:pre-wrap;font-family:monospace;font-size:12px;max-width:40em;overflow-wrap:anywhere}
            form.inline{display:inline} button{margin:0 2px}
            #counts a{display:inline-block;margin:0 .6em .4em 0;padding:2px 8px;border:1px solid #ccc;border-radius:10px;text-decoration:none}
            #counts a.on{border-color:#222;font-weight:bold}
            #pager{margin:.8em 0}
            #pager a{margin-right:1em}
            ol.timeline{list-style:none;padding-left:0;border-left:3px solid #ccc;margin-left:.5em}
            ol.timeline li{padding:2px 0 6px 12px;position:relative}
            ol.timeline li:before{content:'';position:absolute;left:-7px;top:7px;width:11px;height:11px;border-radius:50%;background:#ccc}
            ol.timeline li.COMPLETE:before{background:#2e7d32} ol.timeline li.FAILED:before{background:#c62828}
            ol.timeline li.RUNNING:before{background:#1565c0}
            .source{color:#777;font-size:12px}
            @media (max-width: 720px) {
              body{margin:.5em}
              table,thead,tbody,tr,th,td{display:block;width:auto}
              thead{display:none}
              tr.job{border-bottom:1px solid #ccc;padding:4px 0}
              td{border:none;padding:2px 6px}
              td:empty{display:none}
              tr.push td:nth-child(2){padding-left:6px}
              tr.job td:first-child{display:none}
              tr.job td[data-label]{display:inline-block}
              tr.job td[data-label]:before{content:attr(data-label) ' ';color:#777}
              tr.job td[data-label]:empty{display:none}
              .bar{width:60%}
            }
            </style>""";

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

    /** The list of builds: filters, counts, the page of builds, paging. */
    String page(BuildPage page, BuildQuery query, String csrfToken, Instant now) {
        StringBuilder html = new StringBuilder();
        head(html, "buildq: builds and pushes");
        html.append("<h1>Builds and pushes</h1>");
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
        html.append("<div id=\"live\">").append(live(page, query, csrfToken, now)).append("</div>");
        tail(html);
        return html.toString();
    }

    /** The part of the list that changes: counts, rows, paging. */
    String live(BuildPage page, BuildQuery query, String csrfToken, Instant now) {
        StringBuilder html = new StringBuilder();
        html.append("<nav id=\"counts\"><a href=\"").append(link(query, null, 1, true)).append("\"")
                .append(query.status() == null ? " class=\"on\"" : "").append(">all</a>");
        for (JobStatus status : JobStatus.values()) {
            html.append("<a href=\"").append(link(query, status, 1, false)).append("\" class=\"").append(status)
                    .append(status == query.status() ? " on" : "").append("\" data-count=\"")
                    .append(page.counts().getOrDefault(status, 0L)).append("\">").append(status).append(' ')
                    .append(page.counts().getOrDefault(status, 0L)).append("</a>");
        }
        html.append("</nav>");
        html.append("<table><thead><tr><th>Image</th><th>Work</th><th>Status</th><th>Progress</th><th>Activity / error</th>")
                .append("<th>Attempt</th><th>Started</th><th>Took</th><th></th></tr></thead><tbody id=\"rows\">");
        if (page.builds().isEmpty()) {
            html.append("<tr><td colspan=\"9\">No builds match.</td></tr>");
        }
        String image = null;
        for (BuildOverview build : page.builds()) {
            if (!build.image().equals(image)) {
                image = build.image();
                html.append("<tr class=\"image\"><th colspan=\"9\">").append(escape(image)).append("</th></tr>");
            }
            html.append("<tr class=\"build\" id=\"build-").append(build.buildId()).append("\"><td colspan=\"9\">")
                    .append("<a href=\"/builds/").append(build.buildId()).append("\">build ")
                    .append(build.buildId().toString(), 0, 8).append("</a> · requested ")
                    .append(RelativeTime.element(build.createdAt(), now)).append(" · ")
                    .append(summary(build.jobs())).append("</td></tr>");
            for (JobSummary job : build.jobs()) {
                html.append(jobRow(job, csrfToken, now));
            }
        }
        html.append("</tbody></table>");
        html.append("<nav id=\"pager\">");
        if (page.page() > 1) {
            html.append("<a rel=\"prev\" href=\"").append(link(query, query.status(), page.page() - 1, false))
                    .append("\">← newer</a>");
        }
        html.append("page ").append(page.page());
        if (page.hasNext()) {
            html.append(" <a rel=\"next\" href=\"").append(link(query, query.status(), page.page() + 1, false))
                    .append("\">older →</a>");
        }
        html.append("</nav>");
        return html.toString();
    }

    /** A build's own page: what was asked, each job with its history as a timeline. */
    String buildPage(BuildStatus build, Map<UUID, List<HistoryEntry>> history, String csrfToken, Instant now) {
        StringBuilder html = new StringBuilder();
        head(html, "buildq: build " + build.buildId());
        html.append("<p><a href=\"/builds\">← all builds</a></p>");
        html.append("<h1>").append(escape(build.image())).append(" · build ").append(build.buildId().toString(), 0, 8)
                .append("</h1><p>Build <code>").append(build.buildId()).append("</code> of image <code>")
                .append(build.imageId()).append("</code>, requested ").append(RelativeTime.element(build.createdAt(), now))
                .append(".</p>");
        html.append("<div id=\"live\">").append(buildLive(build, history, csrfToken, now)).append("</div>");
        tail(html);
        return html.toString();
    }

    /** The part of a build's page that changes: each job and its timeline. */
    String buildLive(BuildStatus build, Map<UUID, List<HistoryEntry>> history, String csrfToken, Instant now) {
        StringBuilder html = new StringBuilder();
        build.targets().forEach(target -> section(html, target.jobId(), "build " + target.target(), target.status(),
                history.getOrDefault(target.jobId(), List.of()), now));
        build.pushes().forEach(push -> section(html, push.jobId(), "push " + push.target() + " to " + push.providerName(),
                push.status(), history.getOrDefault(push.jobId(), List.of()), now));
        return html.toString();
    }

    private void section(StringBuilder html, UUID jobId, String work, JobStatus status, List<HistoryEntry> entries,
                         Instant now) {
        html.append("<section id=\"job-").append(jobId).append("\"><h2>").append(escape(work)).append(" <span class=\"")
                .append(status).append("\">").append(status).append("</span></h2><p><a href=\"").append(escape(jobRunrUrl))
                .append("/dashboard/jobs/").append(jobId).append("\">its job in JobRunr's dashboard</a></p>")
                .append("<ol class=\"timeline\">");
        for (HistoryEntry entry : entries) {
            html.append("<li class=\"").append(entry.status()).append("\">").append(RelativeTime.element(entry.recordedAt(), now))
                    .append(" <b>").append(entry.status()).append("</b> ").append(entry.percent()).append("%");
            if (entry.activity() != null) {
                html.append(" · ").append(escape(entry.activity()));
            }
            html.append(" <span class=\"source\">(").append(escape(entry.source())).append(", attempt ")
                    .append(entry.attempt()).append(")</span>");
            if (entry.error() != null) {
                html.append("<div class=\"error\">").append(escape(entry.error())).append("</div>");
            }
            html.append("</li>");
        }
        html.append("</ol></section>");
    }

    private String jobRow(JobSummary job, String csrfToken, Instant now) {
        String work = job.kind() == JobKind.BUILD ? "build " + job.target()
                : "push " + job.target() + " to " + job.providerName();
        StringBuilder html = new StringBuilder();
        html.append("<tr id=\"job-").append(job.jobId()).append("\" class=\"job ").append(job.kind() == JobKind.BUILD ? "target" : "push")
                .append("\" data-status=\"").append(job.status()).append("\">")
                .append("<td>").append(escape(job.image())).append("</td>")
                .append("<td><a href=\"").append(escape(jobRunrUrl)).append("/dashboard/jobs/").append(job.jobId())
                .append("\" title=\"This job in JobRunr's dashboard\">").append(escape(work)).append("</a></td>")
                .append("<td class=\"status ").append(job.status()).append("\">").append(job.status()).append("</td>")
                .append(progressCell(job))
                .append("<td>").append(escape(job.activity()));
        if (job.error() != null) {
            html.append("<div class=\"error\">").append(escape(job.error())).append("</div>");
        }
        html.append("</td><td data-label=\"attempt\">").append(job.attempt()).append("</td>")
                .append("<td data-label=\"started\">").append(RelativeTime.element(job.startedAt(), now)).append("</td>")
                .append("<td data-label=\"took\">").append(took(job, now)).append("</td><td>")
                .append(button(job.jobId(), "retry", "Retry", job.retryable(), csrfToken))
                .append(button(job.jobId(), "cancel", "Cancel", job.status().isCancellable(), csrfToken))
                .append("</td></tr>");
        return html.toString();
    }

    /** "2 targets, 1 push: 2 COMPLETE, 1 FAILED". */
    private static String summary(List<JobSummary> jobs) {
        long targets = jobs.stream().filter(job -> job.kind() == JobKind.BUILD).count();
        long pushes = jobs.size() - targets;
        StringBuilder text = new StringBuilder().append(targets).append(targets == 1 ? " target" : " targets");
        if (pushes > 0) {
            text.append(", ").append(pushes).append(pushes == 1 ? " push" : " pushes");
        }
        String separator = ": ";
        for (JobStatus status : JobStatus.values()) {
            long count = jobs.stream().filter(job -> job.status() == status).count();
            if (count > 0) {
                text.append(separator).append(count).append(' ').append(status);
                separator = ", ";
            }
        }
        return text.toString();
    }

    /** This list's URL with the state filter and page given; the image and target filters kept. */
    private static String link(BuildQuery query, JobStatus status, int page, boolean anyStatus) {
        StringBuilder url = new StringBuilder("/builds?");
        if (!anyStatus && status != null) {
            url.append("status=").append(status).append('&');
        }
        if (query.image() != null) {
            url.append("image=").append(URLEncoder.encode(query.image(), StandardCharsets.UTF_8)).append('&');
        }
        if (query.target() != null) {
            url.append("target=").append(URLEncoder.encode(query.target(), StandardCharsets.UTF_8)).append('&');
        }
        if (page > 1) {
            url.append("page=").append(page).append('&');
        }
        return escape(url.substring(0, url.length() - 1));
    }

    private static void head(StringBuilder html, String title) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(escape(title)).append("</title>").append(STYLE).append("</head><body>");
    }

    private static void tail(StringBuilder html) {
        html.append("<script>").append(LIVE_UPDATES).append("</script></body></html>\n");
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
     * estimate, drawn hatched, its figure marked {@code ~} and its basis shown.
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
        return RelativeTime.duration(Duration.between(job.startedAt(), job.finishedAt() != null ? job.finishedAt() : now));
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
