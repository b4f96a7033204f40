package io.buildq.cli;

import io.buildq.push.ProviderAccount;
import io.buildq.push.PushRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Pushes a completed build to provider accounts. Prints one push job id per account.",
        footer = {"", "Example:", "  buildq push 0b6a3c2e-1111-4c7e-9d55-5a1e2f3a4b5c --account ec2-us-east-1.account",
                "", "The key that seals credentials comes from BUILDQ_SECRET_KEY (or BUILDQ_SECRET_KEY_FILE)."})
final class PushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Parameters(index = "0", description = "the build's id")
    UUID buildId;

    @Option(names = "--account", required = true, description = "an account file; repeat for more")
    List<Path> accountFiles;

    @Override
    public Integer call() {
        List<ProviderAccount> accounts = AccountFile.readAll(accountFiles, System.getenv());
        PushRequest request = new PushRequest(buildId, accounts);
        try (QueueOptions.OpenQueue open = queue.open()) {
            List<UUID> pushes = open.queue().push(request);
            if (queue.json) {
                Printer.json(spec.commandLine().getOut(), pushes);
            } else {
                pushes.forEach(spec.commandLine().getOut()::println);
            }
            return 0;
        }
    }
}
