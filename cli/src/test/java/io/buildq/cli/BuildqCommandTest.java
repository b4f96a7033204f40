package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** The `buildq` command as an operator runs it: exit codes and what it prints. */
class BuildqCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BuildqCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void migrateCreatesTheSchemaAndSaysSo(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Run first = run("migrate", "--db", db.url());
            Run second = run("migrate", "--db", db.url());

            assertThat(first.exitCode()).isZero();
            assertThat(first.out()).contains("buildq schema is up to date (15 migration(s) applied)");
            assertThat(second.out()).contains("(0 migration(s) applied)");
            assertThat(db.count("select count(*) from buildq_job")).isZero();
        }
    }

    @Test
    void aWorkerOnAnUnmigratedDatabaseStopsWithOneLineThatSaysWhatToRun() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            Run run = run("worker", "--db", db.url(), "--factory", "http://127.0.0.1:1/imagefactory",
                    "--iwhd", "http://127.0.0.1:1", "--callback-bind", "127.0.0.1:0");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().strip()).startsWith("buildq: The database schema is not up to date")
                    .contains("buildq migrate").doesNotContain("\n\tat ");
        }
    }

    @Test
    void aMalformedCallbackAddressIsOneClearLine() {
        Run run = run("worker", "--db", "jdbc:h2:mem:x", "--factory", "http://f/imagefactory", "--iwhd", "http://i",
                "--callback-bind", "8076");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("buildq: --callback-bind must be host:port, was '8076'");
    }

    @Test
    void aDatabaseThatCannotBeUsedIsOneLineNotAStackTrace() {
        Run unreachable = run("status", "--db", "jdbc:postgresql://127.0.0.1:1/buildq?connectTimeout=2");
        Run unknownDriver = run("migrate", "--db", "jdbc:nosuchdb://somewhere/buildq");

        for (Run run : new Run[] {unreachable, unknownDriver}) {
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().strip()).startsWith("buildq: cannot use the database: ").doesNotContain("\n");
        }
        assertThat(unreachable.err()).containsIgnoringCase("refused");
        assertThat(unknownDriver.err()).contains("jdbc:nosuchdb");
    }

    @Test
    void aDashboardOffLoopbackOverPlainHttpStopsWithOneLineNamingTheWaysOut() {
        Run run = run("dashboard", "--db", "jdbc:h2:mem:x", "--host", "0.0.0.0", "--user", "ops", "--password", "pw",
                "--port", "0", "--status-port", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("buildq: the dashboard binds to 0.0.0.0").contains("in clear")
                .contains("--tls-cert").contains("--tls-by-proxy").doesNotContain("\n");
    }

    @Test
    void aTlsCertificateWithoutItsKeyIsOneLine() {
        Run run = run("dashboard", "--db", "jdbc:h2:mem:x", "--tls-cert", "cert.pem", "--port", "0", "--status-port", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("buildq: give both --tls-cert and --tls-key, or neither");
    }

    @Test
    void anApiTokenIsPrintedOnceListedByNameAndRevoked() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            run("migrate", "--db", db.url());

            Run created = run("token", "create", "--db", db.url(), "--name", "conductor");
            Run twice = run("token", "create", "--db", db.url(), "--name", "conductor");
            Run revoked = run("token", "revoke", "--db", db.url(), "--name", "conductor");
            Run listed = run("token", "list", "--db", db.url());
            Run unknown = run("token", "revoke", "--db", db.url(), "--name", "nobody");

            assertThat(created.exitCode()).isZero();
            String token = created.out().strip();
            assertThat(token).matches("bq_[A-Za-z0-9_-]{43}");
            assertThat(db.count("select count(*) from buildq_api_token where token_sha256 like '%" + token + "%'"))
                    .as("the token itself is not stored").isZero();
            assertThat(twice.exitCode()).isEqualTo(1);
            assertThat(twice.err().strip()).startsWith("buildq: a token named 'conductor' exists already");
            assertThat(revoked.out()).contains("revoked conductor");
            assertThat(listed.out()).contains("conductor").doesNotContain(token).containsPattern("conductor .* \\d{4}-\\d{2}-\\d{2}");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err().strip()).isEqualTo("buildq: no valid token named 'nobody' (buildq token list shows them)");
        }
    }

    @Test
    void aMissingDatabaseIsAUsageErrorNamingTheOption() {
        Run run = run("migrate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--db");
    }

    @Test
    void theDemoBuildsTheSampleImageOneTargetSucceedingAndOneFailingWithFactorysError(@TempDir Path dataDir) {
        Run run = run("demo", "--data-dir", dataDir.toString(), "--dashboard-port", "0", "--factory-port", "0",
                "--iwhd-port", "0", "--callback-port", "0", "--metrics-port", "0", "--status-port", "0", "--step-millis", "50", "--exit-when-done");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("JobRunr dashboard   http://127.0.0.1:")
                .containsPattern("metrics +http://127\\.0\\.0\\.1:[1-9]\\d*/metrics")
                .containsPattern("build ec2 +COMPLETE +100%")
                .containsPattern("build rhevm +FAILED")
                .contains("error: ImageFactoryException: Failed to customize the image for target rhevm")
                .containsPattern("push +ec2-us-east-1 +COMPLETE +100% +Pushed as ami-")
                .containsPattern("push +rhevm-lab +FAILED")
                .contains("error: build failed")
                .containsPattern("ec2-us-east-1 +ec2 +pushed +as ami-")
                .containsPattern("rhevm-lab +rhevm +not_built")
                .contains("missing: build [rhevm], push to []")
                .contains("The sample build has finished")
                .doesNotContain("demo-not-a-real");
        assertThat(dataDir.resolve("buildq.mv.db")).exists();
        assertThat(dataDir.resolve("secret.key")).exists();
    }
}
