package io.buildq.cli;

import io.buildq.catalog.Catalog;
import io.buildq.catalog.CatalogEntry;
import io.buildq.push.ProviderAccount;
import java.io.PrintWriter;
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

@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "For each account: building, not_built, pushing, not_pushed or pushed, and what is missing.",
        footer = {"", "Example:", "  buildq catalog 6f1e0000-aaaa-4bbb-8ccc-000000000001 --account ec2-us-east-1.account"
                + " --iwhd http://localhost:9090"})
final class CatalogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    QueueOptions queue;

    @Parameters(index = "0", description = "the image's uuid in iwhd")
    UUID imageId;

    @Option(names = "--account", required = true, description = "an account file; repeat for more")
    List<Path> accountFiles;

    @Override
    public Integer call() {
        List<ProviderAccount> accounts = AccountFile.readAll(accountFiles, System.getenv());
        PrintWriter out = spec.commandLine().getOut();
        try (QueueOptions.OpenQueue open = queue.open()) {
            Catalog catalog = open.queue().catalog(imageId, accounts);
            if (queue.json) {
                Printer.json(out, catalog);
                return 0;
            }
            out.println("image " + imageId + ", latest build " + (catalog.latestBuildId() == null ? "none" : catalog.latestBuildId()));
            for (CatalogEntry entry : catalog.entries()) {
                out.printf("  %-20s %-14s %-10s %s%n", Printer.printable(entry.providerName()),
                        Printer.printable(entry.target()), entry.state().wireName(),
                        entry.targetIdentifier() == null ? "" : "as " + Printer.printable(entry.targetIdentifier()));
            }
            out.println("missing: build " + catalog.targetsToBuild() + ", push to "
                    + Printer.printable(catalog.accountsToPush().stream().map(CatalogEntry::providerName).toList().toString()));
            out.flush();
            return 0;
        }
    }
}
