package io.buildq.cli;

import io.buildq.build.BuildRequest;
import io.buildq.push.ProviderAccount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Enqueues a build of an image for one or more targets, and optionally pushes each target to accounts"
                + " when it completes. Prints the build's id.",
        footer = {"", "Example:",
                "  buildq build --image web-server --template web.tdl --target ec2 --target rhevm \\",
                "      --push ec2-us-east-1.account --wait",
                "", "Exit codes: 0 enqueued (with --wait: all complete), 1 an error or (with --wait) something failed,",
                "  2 a bad argument or (with --wait) something was cancelled."})
final class BuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Option(names = "--image", required = true, description = "the image's name")
    String image;

    @Option(names = "--image-id", description = "the image's uuid in iwhd, to build a new version of an existing image")
    UUID imageId;

    @Option(names = "--template", required = true, description = "the TDL file")
    Path template;

    @Option(names = "--target", required = true, description = "a target to build for (ec2, rhevm, vsphere, openstack-kvm, mock, ...); repeat for more")
    List<String> targets;

    @Option(names = "--push", description = "an account file to push to when the account's target is built; repeat for more")
    List<Path> accounts = new ArrayList<>();

    @Option(names = "--pool-family", description = "the Conductor pool family the image belongs to, written as its "
            + "'environment' in iwhd so that Conductor lists it (an image without one is invisible there)")
    String poolFamily;

    @Option(names = "--idempotency-key", description = "the same key with the same request gives the same build")
    String idempotencyKey;

    @Option(names = "--wait", description = "watch the build until it ends, and exit with its outcome")
    boolean await;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String templateXml;
        try {
            templateXml = Files.readString(template, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("template: cannot read " + template);
        }
        BuildRequest request = new BuildRequest(image, imageId, templateXml, targets, idempotencyKey);
        if (poolFamily != null) {
            request = request.withPoolFamily(poolFamily);
        }
        List<ProviderAccount> pushTo = AccountFile.readAll(accounts, System.getenv());
        try (QueueOptions.OpenQueue open = queue.open()) {
            UUID buildId = pushTo.isEmpty() ? open.queue().build(request) : open.queue().buildAndPush(request, pushTo);
            if (!await) {
                if (queue.json) {
                    Printer.json(spec.commandLine().getOut(), open.queue().status(buildId));
                } else {
                    spec.commandLine().getOut().println(buildId);
                }
                return 0;
            }
            spec.commandLine().getOut().println("build " + buildId);
            int outcome = new Watcher(open.queue(), spec.commandLine().getOut(), WatchCommand.onTerminal(queue.json),
                    Duration.ofMillis(500)).watch(buildId);
            if (queue.json) {
                Printer.json(spec.commandLine().getOut(), open.queue().status(buildId));
            }
            return outcome;
        }
    }
}
