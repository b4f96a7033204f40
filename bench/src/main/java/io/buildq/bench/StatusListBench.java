package io.buildq.bench;

import io.buildq.api.BuildQueue;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.dashboard.status.StatusServer;
import io.buildq.status.BuildQuery;
import io.buildq.status.JobQuery;
import io.buildq.status.JobStatus;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The status list with a full table, on PostgreSQL: {@code listBuilds} finished builds (one in 50
 * FAILED, one in 1,000 still QUEUED, over 2,000 images and three targets) with 30 history rows each
 * (100,000 and 3,000,000 in the full run), written with {@code generate_series} and analyzed. Each
 * query kind runs {@code listQueries} times after a warm-up; the baseline is the plainest query of
 * a page, the 25 newest jobs with their requests in one raw SQL join.
 */
final class StatusListBench {

    private static final int WARM_UP = 10;

    private StatusListBench() {
    }

    static List<Figure> run(BenchSize size) throws SQLException, IOException, InterruptedException {
        List<Figure> figures = new ArrayList<>();
        try (TestDatabase db = Databases.fresh(TestDatabase.Kind.POSTGRES);
             BuildQueue queue = BuildQueue.create(db.dataSource());
             StatusServer page = StatusServer.start(queue, DashboardSettings.loopback(0), "http://127.0.0.1:8000")) {
            seed(db, size.listBuilds());
            String db2 = Databases.label(TestDatabase.Kind.POSTGRES);
            Percentiles baseline = time(size.listQueries(), () -> rawPage(db));
            String rows = size.listBuilds() + " builds, " + size.listBuilds() * 30L + " history rows";
            figures.add(compared(db2, "status list, first page (BuildQueue.builds; p95 ms; " + rows + ")",
                    time(size.listQueries(), () -> queue.builds(BuildQuery.firstPage())), baseline));
            figures.add(compared(db2, "status list, FAILED only (p95 ms)",
                    time(size.listQueries(), () -> queue.builds(new BuildQuery(JobStatus.FAILED, null, null, 1, 25))), baseline));
            figures.add(compared(db2, "status list, one image (p95 ms)",
                    time(size.listQueries(), () -> queue.builds(new BuildQuery(null, "image-7", null, 1, 25))), baseline));
            figures.add(compared(db2, "status list, page 40 (p95 ms)",
                    time(size.listQueries(), () -> queue.builds(new BuildQuery(null, null, null, 40, 25))), baseline));
            figures.add(compared(db2, "JSON list of 200 jobs (/api/builds; p95 ms)",
                    time(size.listQueries(), () -> queue.jobs(JobQuery.all())), baseline));
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + page.port() + "/builds");
            figures.add(compared(db2, "status page over HTTP, rendered (p95 ms)", time(size.listQueries(), () -> {
                try {
                    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }), baseline));
        }
        return figures;
    }

    private static Figure compared(String db, String measure, Percentiles buildq, Percentiles baseline) {
        return Figure.compared(db, measure, buildq.p95(), baseline.p95(), " ms", "<= 100 ms", buildq.p95() <= 100);
    }

    private static Percentiles time(int count, Supplier<?> query) {
        for (int i = 0; i < WARM_UP; i++) {
            query.get();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            query.get();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return Percentiles.of(millis);
    }

    private static int rawPage(TestDatabase db) {
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("select j.*, r.image_name from buildq_job j "
                     + "join buildq_request r on r.id = j.request_id order by j.created_at desc limit 25");
             ResultSet rows = select.executeQuery()) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            return count;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code builds} finished builds with 30 history rows each, as described above, and analyzes. */
    static void seed(TestDatabase db, int builds) throws SQLException {
        try (Connection connection = db.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("insert into buildq_request (id, image_id, image_name, template, fingerprint, created_at) "
                    + "select md5(i || 'r')::uuid, md5((i % 2000) || 'i')::uuid, 'image-' || (i % 2000), '<template/>', "
                    + "md5(i::text), now() - make_interval(secs => i * 60) from generate_series(1, " + builds + ") i");
            sql.execute("insert into buildq_job (id, request_id, kind, target, status, percent, attempt, jobrunr_job_id, "
                    + "created_at, updated_at, started_at, factory_started_at, finished_at, version) "
                    + "select md5(i || 'j')::uuid, md5(i || 'r')::uuid, 'BUILD', (array['ec2', 'rhevm', 'vsphere'])[1 + i % 3], "
                    + "case when i % 1000 = 0 then 'QUEUED' when i % 50 = 0 then 'FAILED' else 'COMPLETE' end, "
                    + "case when i % 1000 = 0 then 0 else 100 end, 1, md5(i || 'q')::uuid, "
                    + "now() - make_interval(secs => i * 60), now() - make_interval(secs => i * 60 - 3000), "
                    + "now() - make_interval(secs => i * 60 - 5), now() - make_interval(secs => i * 60 - 10), "
                    + "case when i % 1000 = 0 then null else now() - make_interval(secs => i * 60 - 3000) end, 0 "
                    + "from generate_series(1, " + builds + ") i");
            sql.execute("insert into buildq_job_history (job_id, recorded_at, source, status, percent, attempt) "
                    + "select md5(i || 'j')::uuid, now() - make_interval(secs => i * 60 - h * 100), 'callback', 'RUNNING', "
                    + "h * 3, 1 from generate_series(1, " + builds + ") i, generate_series(1, 30) h");
            sql.execute("analyze");
        }
    }
}
