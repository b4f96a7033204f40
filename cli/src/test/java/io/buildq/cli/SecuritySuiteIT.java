package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.error.BuildQueueException;
import io.buildq.push.ProviderAccount;
import io.buildq.push.PushRequest;
import io.buildq.secret.CredentialCipher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.io.TempDir;

/**
 * buildq as an attacker meets it: the packaged demo in its own process (H2 file database, simulators,
 * worker, both dashboards), attacked over HTTP and JDBC from this one. Prints its figures and asserts
 * them; each attack also has a control that shows the same channel works for whoever is entitled.
 */
// Beside the fault suite's scenarios (it waits on its demo's builds as they do), never beside the one
// scenario that measures a time bound and takes the machine alone (FaultSuiteIT.MACHINE).
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = "fault-suite-machine", mode = ResourceAccessMode.READ)
class SecuritySuiteIT {

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String FORGED = "forged by SecuritySuiteIT";
    private static final String EVIL = "evil.example";
    private static final MediaType JSON = MediaType.get("application/json");

    @TempDir
    Path directory;

    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();
    private final ObjectMapper json = new ObjectMapper();
    private Process demo;
    private Path output;

    @BeforeEach
    void startTheDemo() throws IOException {
        output = directory.resolve("demo.out");
        // Steps of 1.5 s: both builds are under way long enough to be attacked through their callbacks.
        demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", Path.of("target", "buildq.jar").toString(), "demo",
                "--data-dir", directory.resolve("data").toString(), "--dashboard-port", "0", "--status-port", "0",
                "--factory-port", "0", "--iwhd-port", "0", "--callback-port", "0", "--metrics-port", "0", "--step-millis", "1500"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    @AfterEach
    void stopTheDemo() throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(30, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
        }
    }

    @Test
    void nobodyElseGetsIn() throws Exception {
        int jobRunrPort = Integer.parseInt(printed("JobRunr dashboard +http://127\\.0\\.0\\.1:(\\d+)/dashboard"));
        int statusPort = Integer.parseInt(printed("status page +http://127\\.0\\.0\\.1:(\\d+)/builds"));
        String factory = printed("factory simulator +(http://\\S+)");
        String dbUrl = printed("database +(jdbc:h2:\\S+)");
        String password = Files.readString(directory.resolve("data").resolve(DemoDatabase.PASSWORD_FILE)).strip();
        Map<String, Integer> refused = new LinkedHashMap<>();

        try (Connection db = DriverManager.getConnection(dbUrl, DemoDatabase.USER, password)) {
            // --- Forged callbacks, while both builds run: tokens read where anyone reads them, from factory.
            await().atMost(BOUND).until(() -> runningBuilds(db).size() == 2);
            List<Job> running = runningBuilds(db);
            Job ec2 = running.get(0);
            Job rhevm = running.get(1);
            Callback ec2Url = callbackOf(factory, ec2.factoryImageId());
            Callback rhevmUrl = callbackOf(factory, rhevm.factoryImageId());
            refused.put("callback without a token", put(rhevmUrl.url(), null, failed(rhevm.factoryImageId())));
            refused.put("callback with another build's token",
                    put(rhevmUrl.url(), ec2Url.token(), failed(rhevm.factoryImageId())));
            refused.put("callback with an altered token", put(rhevmUrl.url(),
                    (rhevmUrl.token().charAt(0) == 'A' ? "B" : "A") + rhevmUrl.token().substring(1), failed(rhevm.factoryImageId())));
            refused.put("callback with a token for a later attempt",
                    put(ec2Url.url().substring(0, ec2Url.url().lastIndexOf('/')) + "/2", ec2Url.token(), failed(ec2.factoryImageId())));
            refused.put("callback with a build's token on its push collection",
                    put(ec2Url.url().replace("/target_images/", "/provider_images/"), ec2Url.token(), failed(ec2.factoryImageId())));
            long forgedRows = forgedRows(db);
            // The control: the build's own token does write it, so the refusals above were the tokens'.
            int control = put(ec2Url.url(), ec2Url.token(), failed(ec2.factoryImageId()));
            await().atMost(BOUND).until(() -> forgedRows(db) > 0);

            // --- The dashboards, once the demo is done: a rebinding Host, a cross-site page, no proof.
            await().atMost(BOUND).until(() -> Files.readString(output).contains("The sample build has finished"));
            String failedJob = rhevm.id().toString();
            String status = "http://127.0.0.1:" + statusPort;
            String jobRunr = "http://127.0.0.1:" + jobRunrPort;
            String snapshot = snapshot(db);
            refused.put("status page read through a rebound name",
                    call("GET", status + "/builds", EVIL + ":" + statusPort, null, false));
            refused.put("status API retry through a rebound name", call("POST", status + "/api/builds/" + failedJob + "/retry",
                    EVIL + ":" + statusPort, "http://" + EVIL + ":" + statusPort, true));
            refused.put("status API retry from another site's page", call("POST", status + "/api/builds/" + failedJob + "/retry",
                    null, "http://" + EVIL, true));
            refused.put("status API retry without X-Requested-By", call("POST", status + "/api/builds/" + failedJob + "/retry",
                    null, null, false));
            refused.put("status page form without its token", form(status + "/builds/" + failedJob + "/retry", "csrf=guess"));
            refused.put("JobRunr API read through a rebound name",
                    call("GET", jobRunr + "/api/jobs?state=FAILED", EVIL + ":" + jobRunrPort, null, false));
            refused.put("JobRunr requeue through a rebound name", call("POST", jobRunr + "/api/jobs/" + failedJob + "/requeue",
                    EVIL + ":" + jobRunrPort, "http://" + EVIL + ":" + jobRunrPort, false));
            refused.put("JobRunr requeue from another site's page",
                    call("POST", jobRunr + "/api/jobs/" + failedJob + "/requeue", null, "http://" + EVIL, false));
            refused.put("JobRunr delete from another site's page",
                    call("DELETE", jobRunr + "/api/jobs/" + failedJob, null, "http://" + EVIL, false));
            int replay = put(rhevmUrl.url(), rhevmUrl.token(), failed(rhevm.factoryImageId()));
            String after = snapshot(db);
            int statusRead = call("GET", status + "/builds", null, null, false);

            long kindsRefused = refused.values().stream().filter(code -> code >= 400 && code < 500).count();
            boolean rowsChanged = !after.equals(snapshot) || forgedRows != 0;
            System.out.printf("forged requests: %d kinds (%s) refused=%d rows_changed=%d%n", refused.size(),
                    String.join(", ", refused.keySet()), kindsRefused, rowsChanged ? 1 : 0);
            refused.forEach((kind, code) -> System.out.printf("  %-55s HTTP %d%n", kind, code));
            System.out.printf("  control: the build's own token answered %d and wrote its row; the loopback status page "
                    + "answered %d%n", control, statusRead);
            System.out.printf("replayed callback of a finished attempt, with its own token: HTTP %d, rows_changed=%d%n",
                    replay, after.equals(snapshot) ? 0 : 1);
            assertThat(refused).allSatisfy((kind, code) -> assertThat(code).as(kind).isBetween(400, 499));
            assertThat(forgedRows).as("rows a forged callback wrote").isZero();
            assertThat(after).as("rows and JobRunr jobs after the dashboard attacks").isEqualTo(snapshot);
            assertThat(control).isEqualTo(200);
            assertThat(statusRead).isEqualTo(200);

            badInputs(dbUrl, password, UUID.fromString(printed("Enqueued build ([0-9a-f-]{36})")), failedJob);
        }
        localDatabaseAccess(dbUrl, password);
        listenersBeyondLoopback();
    }

    /** Every kind of bad input the Java API can be given, against the demo's database, from another process. */
    private void badInputs(String dbUrl, String password, UUID failedBuild, String failedJob) throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(dbUrl);
        dataSource.setUser(DemoDatabase.USER);
        dataSource.setPassword(password);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String template = "<template><name>t</name><os><name>Fedora</name><version>16</version><arch>x86_64</arch>"
                + "<install type='url'><url>http://mirror.example/</url></install></os></template>";
        String credentials = "<provider_credentials><ec2_credentials><access_key>A</access_key></ec2_credentials>"
                + "</provider_credentials>";
        try (BuildQueue queue = BuildQueue.builder(dataSource)
                .credentialCipher(CredentialCipher.fromBase64(Base64.getEncoder().encodeToString(key))).build();
             Connection db = dataSource.getConnection()) {
            ProviderAccount account = new ProviderAccount("ec2-us-east-1", "ec2", "ec2-us-east-1", credentials);
            Map<String, Runnable> inputs = new LinkedHashMap<>();
            inputs.put("blank image name", () -> queue.build(BuildRequest.of(" ", template, List.of("ec2"))));
            inputs.put("null image name", () -> queue.build(BuildRequest.of(null, template, List.of("ec2"))));
            inputs.put("image name of 256 characters", () -> queue.build(BuildRequest.of("\uD83D\uDE80".repeat(256), template,
                    List.of("ec2"))));
            inputs.put("NUL in image name", () -> queue.build(BuildRequest.of("web\u0000", template, List.of("ec2"))));
            inputs.put("terminal escape in image name", () -> queue.build(BuildRequest.of("web\u001b[2J", template,
                    List.of("ec2"))));
            inputs.put("bidi override in image name", () -> queue.build(BuildRequest.of("a\u202egpj.exe", template,
                    List.of("ec2"))));
            inputs.put("bidi isolate in image name", () -> queue.build(BuildRequest.of("a\u2067b", template, List.of("ec2"))));
            inputs.put("zero-width-only image name", () -> queue.build(BuildRequest.of("\u200b\u200d", template,
                    List.of("ec2"))));
            inputs.put("lone surrogate in image name", () -> queue.build(BuildRequest.of("a\ud800b", template,
                    List.of("ec2"))));
            inputs.put("line separator in image name", () -> queue.build(BuildRequest.of("a\u2028b", template,
                    List.of("ec2"))));
            inputs.put("empty template", () -> queue.build(BuildRequest.of("i", "", List.of("ec2"))));
            inputs.put("template not XML", () -> queue.build(BuildRequest.of("i", "<template>", List.of("ec2"))));
            inputs.put("template of the wrong root", () -> queue.build(BuildRequest.of("i", "<image/>", List.of("ec2"))));
            inputs.put("template with an external entity", () -> queue.build(BuildRequest.of("i",
                    "<!DOCTYPE template [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><template>&x;</template>", List.of("ec2"))));
            inputs.put("template too large", () -> queue.build(BuildRequest.of("i", "<template>"
                    + "x".repeat(BuildRequest.MAX_TEMPLATE_CHARS) + "</template>", List.of("ec2"))));
            inputs.put("no targets", () -> queue.build(BuildRequest.of("i", template, List.of())));
            inputs.put("unknown target", () -> queue.build(BuildRequest.of("i", template, List.of("azure"))));
            inputs.put("duplicate target", () -> queue.build(BuildRequest.of("i", template, List.of("ec2", "ec2"))));
            inputs.put("too many targets", () -> queue.build(BuildRequest.of("i", template, Collections.nCopies(17, "ec2"))));
            inputs.put("null target", () -> queue.build(BuildRequest.of("i", template, Arrays.asList("ec2", null))));
            inputs.put("blank idempotency key", () -> queue.build(BuildRequest.of("i", template, List.of("ec2"))
                    .withIdempotencyKey(" ")));
            inputs.put("idempotency key too long", () -> queue.build(BuildRequest.of("i", template, List.of("ec2"))
                    .withIdempotencyKey("k".repeat(256))));
            inputs.put("blank pool family", () -> queue.build(BuildRequest.of("i", template, List.of("ec2"))
                    .withPoolFamily(" ")));
            inputs.put("pool family with a double quote", () -> queue.build(BuildRequest.of("i", template, List.of("ec2"))
                    .withPoolFamily("a\" OR \"1")));
            inputs.put("no provider name", () -> new ProviderAccount(" ", "ec2", "p", credentials));
            inputs.put("provider name with a double quote", () -> new ProviderAccount("a\"b", "ec2", "p", credentials));
            inputs.put("account of an unknown target", () -> new ProviderAccount("n", "azure", "p", credentials));
            inputs.put("no factory provider", () -> new ProviderAccount("n", "ec2", "", credentials));
            inputs.put("no credentials", () -> new ProviderAccount("n", "ec2", "p", null));
            inputs.put("credentials not XML", () -> new ProviderAccount("n", "ec2", "p", "<provider_credentials>"));
            inputs.put("credentials of the wrong root", () -> new ProviderAccount("n", "ec2", "p", "<credentials/>"));
            inputs.put("credentials over 64 KiB", () -> new ProviderAccount("n", "ec2", "p", "<provider_credentials>"
                    + "\u65e5".repeat(22_000) + "</provider_credentials>"));
            inputs.put("push of an unknown build", () -> queue.push(new PushRequest(UUID.randomUUID(), List.of(account))));
            inputs.put("push of a build not complete", () -> queue.push(new PushRequest(failedBuild, List.of(account))));
            inputs.put("push to a target not in the build", () -> queue.push(new PushRequest(failedBuild,
                    List.of(new ProviderAccount("vsphere-lab", "vsphere", "vsphere-lab", credentials)))));
            inputs.put("push to one account twice", () -> new PushRequest(failedBuild, List.of(account, account)));
            inputs.put("push without accounts", () -> new PushRequest(failedBuild, List.of()));
            inputs.put("retry of an unknown job", () -> queue.retry(UUID.randomUUID()));
            inputs.put("cancel of a finished job", () -> queue.cancel(UUID.fromString(failedJob)));

            String before = counts(db);
            List<String> untyped = new ArrayList<>();
            for (Map.Entry<String, Runnable> input : inputs.entrySet()) {
                try {
                    input.getValue().run();
                    untyped.add(input.getKey() + ": accepted");
                } catch (BuildQueueException e) {
                    if (e.getClass() == BuildQueueException.class) {
                        untyped.add(input.getKey() + ": " + e);
                    }
                } catch (RuntimeException e) {
                    untyped.add(input.getKey() + ": " + e);
                }
            }
            String after = counts(db);
            System.out.printf("bad inputs: %d kinds, typed_errors=%d, rows_written=%s%n", inputs.size(),
                    inputs.size() - untyped.size(), after.equals(before) ? "0" : before + " -> " + after);
            assertThat(untyped).as("inputs that were not refused with a typed error").isEmpty();
            assertThat(after).as("rows in buildq's and JobRunr's tables").isEqualTo(before);
        }
    }

    /** H2's auto-server, reached as another local user would: without the password, no way in. */
    private void localDatabaseAccess(String dbUrl, String password) throws SQLException {
        List<String> refusals = new ArrayList<>();
        for (String[] credentials : new String[][] {{"", ""}, {"sa", ""}, {DemoDatabase.USER, "guess"}}) {
            try (Connection ignored = DriverManager.getConnection(dbUrl, credentials[0], credentials[1])) {
                refusals.add("user '" + credentials[0] + "': let in");
            } catch (SQLException e) {
                assertThat(e.getMessage()).as("user '" + credentials[0] + "'").containsIgnoringCase("password");
            }
        }
        try (Connection owner = DriverManager.getConnection(dbUrl, DemoDatabase.USER, password)) {
            assertThat(owner.isValid(5)).as("the owner, with the password file").isTrue();
        }
        System.out.printf("local access to the demo database without its password: %s (3 tries: no user, sa, a guessed "
                + "password)%n", refusals.isEmpty() ? "refused" : String.join(", ", refusals));
        assertThat(refusals).isEmpty();
    }

    /** Every socket the demo process listens on, from /proc: none may be reachable from another host. */
    private void listenersBeyondLoopback() throws IOException {
        List<String> inodes = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc", String.valueOf(demo.pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Matcher socket = Pattern.compile("socket:\\[(\\d+)]").matcher(Files.readSymbolicLink(fd).toString());
                    if (socket.matches()) {
                        inodes.add(socket.group(1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        List<String> listeners = new ArrayList<>();
        List<String> beyondLoopback = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            // One read per table: the kernel's table changes between reads (CI once failed on a second
            // read shorter than the first).
            List<String> rows = Files.readAllLines(Path.of(table));
            for (String line : rows.subList(1, rows.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) { // 0A: LISTEN
                    InetAddress address = procAddress(fields[1].substring(0, fields[1].indexOf(':')));
                    listeners.add(address.getHostAddress());
                    if (!address.isLoopbackAddress()) {
                        beyondLoopback.add(address.getHostAddress() + " (" + table + " " + fields[1] + ")");
                    }
                }
            }
        }
        System.out.printf("listeners beyond loopback in the demo: %d (of %d: JobRunr dashboard, status page, simulators, "
                + "callbacks, H2)%n", beyondLoopback.size(), listeners.size());
        assertThat(listeners).as("the demo's listeners").hasSizeGreaterThanOrEqualTo(6);
        assertThat(beyondLoopback).isEmpty();
    }

    /**
     * An address as /proc/net/tcp{,6} writes it: hex of 32-bit words in the host's (little-endian)
     * order; an IPv4-mapped IPv6 address comes back as its IPv4 address.
     */
    private static InetAddress procAddress(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + 3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }

    private String printed(String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        return await().atMost(BOUND).until(() -> {
            Matcher matcher = compiled.matcher(Files.readString(output, StandardCharsets.UTF_8));
            return matcher.find() ? matcher.group(1) : null;
        }, found -> found != null);
    }

    private record Job(UUID id, String factoryImageId) {
    }

    private record Callback(String url, String token) {
    }

    /** The sample's two target builds once both run on factory, ec2 first. */
    private static List<Job> runningBuilds(Connection db) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                "select id, factory_image_id from buildq_job where kind = 'BUILD' and status = 'RUNNING'"
                        + " and factory_image_id is not null order by target")) {
            while (rows.next()) {
                jobs.add(new Job(rows.getObject(1, UUID.class), rows.getString(2)));
            }
        }
        return jobs;
    }

    private static long forgedRows(Connection db) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                "select count(*) from buildq_job_history where error = '" + FORGED + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Every row's state, the history's length and JobRunr's jobs: what an attack must leave as it was. */
    private static String snapshot(Connection db) throws SQLException {
        StringBuilder snapshot = new StringBuilder(counts(db));
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                "select j.id, j.status, j.attempt, j.error, r.state from buildq_job j join jobrunr_jobs r on r.id = j.id"
                        + " order by j.id")) {
            while (rows.next()) {
                snapshot.append('\n').append(rows.getString(1)).append(' ').append(rows.getString(2)).append(' ')
                        .append(rows.getInt(3)).append(' ').append(rows.getString(4)).append(' ').append(rows.getString(5));
            }
        }
        return snapshot.toString();
    }

    private static String counts(Connection db) throws SQLException {
        StringBuilder counts = new StringBuilder();
        for (String table : List.of("buildq_request", "buildq_job", "buildq_job_history", "buildq_credentials",
                "jobrunr_jobs")) {
            try (Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("select count(*) from " + table)) {
                rows.next();
                counts.append(table).append('=').append(rows.getLong(1)).append(' ');
            }
        }
        return counts.toString().trim();
    }

    /** A target image's callback URL and token, as anyone who GETs the image from factory reads them. */
    private Callback callbackOf(String factory, String imageId) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(factory + "/target_images/" + imageId).build())
                .execute()) {
            JsonNode image = json.readTree(response.body().string());
            URI url = URI.create(image.at("/target_image/parameters/callbacks/0").asText());
            String userInfo = url.getRawUserInfo();
            return new Callback(url.getScheme() + "://" + url.getHost() + ":" + url.getPort() + url.getRawPath(),
                    userInfo.substring(userInfo.indexOf(':') + 1));
        }
    }

    private String failed(String imageId) {
        return json.createObjectNode().set("target_image", json.createObjectNode().put("id", imageId)
                .put("status", "FAILED").put("percent_complete", 0)
                .set("status_detail", json.createObjectNode().put("activity", "Failed").put("error", FORGED))).toString();
    }

    private int put(String url, String token, String body) throws IOException {
        Request.Builder request = new Request.Builder().url(url).put(RequestBody.create(body, JSON));
        if (token != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(("buildq:" + token).getBytes(StandardCharsets.UTF_8)));
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    /** A request as a browser on another site (or a rebound name) would send it. */
    private int call(String method, String url, String host, String origin, boolean requestedBy) throws IOException {
        Request.Builder request = new Request.Builder().url(url)
                .method(method, method.equals("GET") ? null : RequestBody.create(new byte[0]));
        if (host != null) {
            request.header("Host", host);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (requestedBy) {
            request.header("X-Requested-By", "evil");
        }
        try (Response response = http.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    private int form(String url, String body) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url)
                .post(RequestBody.create(body, MediaType.get("application/x-www-form-urlencoded"))).build()).execute()) {
            return response.code();
        }
    }
}
