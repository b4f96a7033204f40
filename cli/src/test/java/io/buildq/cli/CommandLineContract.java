package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.secret.CredentialCipher;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.FaultSettings;
import io.buildq.sim.http.FaultSettings;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.TestDatabase;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** The operator's commands end to end: a real worker, both simulators over HTTP, a real database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CommandLineContract {

    record Run(int exitCode, String out, String err) {
    }

    static final String TEMPLATE = "<template><name>web</name><os><name>Fedora</name></os><description>%s</description></template>";

    private final ObjectMapper json = new ObjectMapper();
    TestDatabase db;
    FactorySimulator factory;
    private IwhdSimulator iwhd;
    private BuildqWorker worker;
    private Path dir;
    private Path keyFile;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() throws IOException {
        db = TestDatabase.create(kind());
        new BuildqMigrations(db.dataSource()).migrate();
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(50)).start();
        iwhd = IwhdSimulator.builder().start();
        dir = Files.createTempDirectory("buildq-cli");
        keyFile = dir.resolve("secret.key");
        CredentialCipher cipher = CredentialCipher.generatedKeyFile(keyFile);
        worker = BuildqWorker.start(db.dataSource(), WorkerSettings.defaults(factory.baseUrl(), iwhd.baseUrl())
                .withCallback(new InetSocketAddress("127.0.0.1", 0), null)
                .withFactoryPollInterval(Duration.ofSeconds(1))
                .withReconcileInterval(Duration.ofSeconds(1)), cipher);
        Files.writeString(dir.resolve("ok.tdl"), TEMPLATE.formatted("plain"));
        Files.writeString(dir.resolve("rhevm-fails.tdl"), TEMPLATE.formatted("simulate-failure:rhevm"));
        Files.writeString(dir.resolve("east.xml"), "<provider_credentials><ec2_credentials><access_key>AKIACLI</access_key>"
                + "<secret_access_key>cli-secret-value</secret_access_key></ec2_credentials></provider_credentials>");
        Files.writeString(dir.resolve("east.account"), """
                # an EC2 account
                provider_name = ec2-us-east-1
                target = ec2
                factory_provider = {"name": "ec2-us-east-1"}
                credentials_file = east.xml
                """);
    }

    @AfterAll
    void stop() {
        worker.close();
        factory.close();
        iwhd.close();
        db.close();
    }

    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.get(0).equals("--help")) {
            all.addAll(List.of("--db", db.url(), "--secret-key-file", keyFile.toString(), "--iwhd", iwhd.baseUrl()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BuildqCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void buildWithPushAndWaitEndsWhenTheBuildAndPushAreCompleteAndExits0() {
        Run run = run("build", "--image", "web", "--template", path("ok.tdl"), "--target", "ec2",
                "--push", path("east.account"), "--wait");

        assertThat(run.exitCode()).as(run.err()).isZero();
        // The watch samples every 500 ms and a simulated build lasts about 300 ms: it shows the build
        // before it ends (QUEUED or RUNNING) and at its end, not necessarily every state between.
        assertThat(run.out()).containsPattern("build ec2 +(QUEUED|RUNNING)")
                .containsPattern("build ec2 +COMPLETE +100%")
                .containsPattern("push +ec2 -> ec2-us-east-1 +COMPLETE +100% +Pushed as ami-")
                .doesNotContain("cli-secret-value");
    }

    @Test
    void aBuildThatFailsExits1WithFactorysErrorAndRetryRunsItAgainToCompletion() {
        factory.faults().set(FaultSettings.none().withBuildFailureRate(1.0));
        Run failed;
        try {
            failed = run("build", "--image", "flaky", "--template", path("ok.tdl"), "--target", "ec2", "--wait", "--json");
        } finally {
            factory.faults().set(FaultSettings.none());
        }
        assertThat(failed.exitCode()).isEqualTo(1);
        JsonNode status = lastJson(failed.out());
        String jobId = status.at("/targets/0/jobId").asText();
        assertThat(status.at("/targets/0/status").asText()).isEqualTo("FAILED");
        // Every image failed, the base image (the OS install) first: the row says so with its error.
        assertThat(status.at("/targets/0/error").asText()).contains("The base image (OS install)")
                .contains("Simulated build failure");

        Run retry = run("retry", jobId);
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("retrying " + jobId + " as attempt 2");
        Run watch = run("watch", status.get("buildId").asText(), "--every-millis", "200");
        assertThat(watch.exitCode()).as(watch.out()).isZero();
        assertThat(watch.out()).containsPattern("build ec2 +COMPLETE");
    }

    @Test
    void watchPrintsALinePerChangeAndExitsWithTheOutcome() {
        // Factory answers each request a second late, so that the builds are still under way when the
        // watch starts: on PostgreSQL a worker picks a build up in milliseconds, and the 50 ms steps
        // would otherwise be over before the watch's first look.
        factory.faults().set(FaultSettings.none().withLatency(Duration.ofSeconds(1)));
        Run build;
        Run watch;
        try {
            build = run("build", "--image", "watched", "--template", path("rhevm-fails.tdl"), "--target", "ec2",
                    "--target", "rhevm");
            assertThat(build.exitCode()).isZero();
            watch = run("watch", build.out().strip(), "--every-millis", "100");
        } finally {
            factory.faults().set(FaultSettings.none());
        }

        assertThat(watch.exitCode()).isEqualTo(1);
        List<String> lines = watch.out().lines().toList();
        assertThat(lines).anyMatch(line -> line.matches("build ec2 +QUEUED.*") || line.matches("build ec2 +RUNNING.*"));
        assertThat(lines).anyMatch(line -> line.matches("build ec2 +COMPLETE.*"));
        assertThat(lines).anyMatch(line -> line.matches("build rhevm +FAILED .*error: ImageFactoryException: Failed to customize.*"));
        assertThat(lines).doesNotHaveDuplicates();
    }

    static JsonNode lastJson(String out) {
        try {
            return new ObjectMapper().readTree(out.substring(out.indexOf("{\n")));
        } catch (IOException e) {
            throw new IllegalStateException(out, e);
        }
    }
}
