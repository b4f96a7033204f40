package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The command line on H2; the build, watch and retry cases of the contract also run on PostgreSQL. */
class H2CommandLineTest extends CommandLineContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }

    @Test
    void pushStatusCatalogAndCancelDoWhatTheySay() throws IOException {
        Run build = run("build", "--image", "pushed-later", "--template", path("ok.tdl"), "--target", "ec2", "--wait");
        assertThat(build.exitCode()).isZero();
        String buildId = build.out().lines().findFirst().orElseThrow().replace("build ", "");

        Run catalogBefore = run("catalog", imageOf(buildId), "--account", path("east.account"));
        assertThat(catalogBefore.out()).containsPattern("ec2-us-east-1 +ec2 +not_pushed").contains("missing: build [], push to [ec2-us-east-1]");

        Run push = run("push", buildId, "--account", path("east.account"));
        assertThat(push.exitCode()).as(push.err()).isZero();
        String pushId = push.out().strip();
        assertThat(run("watch", buildId, "--every-millis", "100").exitCode()).isZero();

        Run catalog = run("catalog", imageOf(buildId), "--account", path("east.account"), "--json");
        JsonNode entries = new ObjectMapper().readTree(catalog.out()).get("entries");
        assertThat(entries.get(0).get("state").asText()).isEqualTo("PUSHED");

        Run table = run("status");
        assertThat(table.out()).contains("JOB").containsPattern(pushId + " +pushed-later +push ec2 -> ec2-us-east-1 +COMPLETE");
        Run one = run("status", pushId);
        assertThat(one.out()).contains("push ec2 -> ec2-us-east-1 of pushed-later").contains("COMPLETE 100%, attempt 1")
                .containsPattern("callback|poll");

        Run queued = run("build", "--image", "cancelled", "--template", path("ok.tdl"), "--target", "vsphere");
        String cancelledBuild = queued.out().strip();
        String jobId = new ObjectMapper().readTree(run("status", cancelledBuild, "--json").out()).at("/targets/0/jobId").asText();
        Run cancel = run("cancel", jobId);
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(run("watch", cancelledBuild).exitCode()).isEqualTo(2);
        Run again = run("cancel", jobId);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err().strip()).startsWith("buildq: Job " + jobId + " is CANCELLED").doesNotContain("\tat ");
    }

    @Test
    void badArgumentsAreOneLineNamingTheFieldAndWriteNothing() throws IOException {
        long jobs = db.count("select count(*) from buildq_job");

        Run unknownTarget = run("build", "--image", "x", "--template", path("ok.tdl"), "--target", "azure");
        assertThat(unknownTarget.exitCode()).isEqualTo(1);
        assertThat(unknownTarget.err().strip()).startsWith("buildq: targets: unknown target 'azure'").doesNotContain("\n");

        Files.writeString(dir().resolve("bad.tdl"), "<image/>");
        Run badTemplate = run("build", "--image", "x", "--template", path("bad.tdl"), "--target", "ec2");
        assertThat(badTemplate.err().strip()).isEqualTo("buildq: template: the template's root element must be <template>, not <image>");

        Files.writeString(dir().resolve("no-target.account"), "provider_name = p\nfactory_provider = p\ncredentials_env = NOPE_UNSET\n");
        Run badAccount = run("build", "--image", "x", "--template", path("ok.tdl"), "--target", "ec2", "--push",
                path("no-target.account"));
        assertThat(badAccount.exitCode()).isEqualTo(1);
        assertThat(badAccount.err().strip()).startsWith("buildq: account file").contains("NOPE_UNSET");

        Run missingOption = run("build", "--image", "x", "--target", "ec2");
        assertThat(missingOption.exitCode()).isEqualTo(2);
        assertThat(missingOption.err()).contains("--template");

        assertThat(db.count("select count(*) from buildq_job")).isEqualTo(jobs);
    }

    @Test
    void everyCommandHasHelpWithAnExampleAndTheCompletionScriptIsGenerated() {
        for (String command : new String[] {"build", "push", "status", "watch", "retry", "cancel", "catalog", "demo",
                "migrate", "worker", "dashboard", "simulate"}) {
            Run help = run(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).as(command).containsIgnoringCase("example");
        }
        Run completion = run("generate-completion");
        assertThat(completion.out()).contains("complete -F").contains("buildq");
    }

    private java.nio.file.Path dir() {
        return java.nio.file.Path.of(path("ok.tdl")).getParent();
    }

    private String imageOf(String buildId) throws IOException {
        return new ObjectMapper().readTree(run("status", buildId, "--json").out()).get("imageId").asText();
    }
}
