package io.buildq.internal.catalog;

import io.buildq.build.TargetNames;
import io.buildq.catalog.Catalog;
import io.buildq.catalog.CatalogEntry;
import io.buildq.catalog.CatalogState;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.iwhd.IwhdQuery;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.push.ProviderAccount;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers the catalog question with the semantics of Conductor's {@code ProviderAccount#image_status}
 * (iwhd-api.md section 4, as corrected by real-install-notes Q10 to Q12): iwhd for the facts,
 * buildq's rows for the work in flight, which factory used to report. It reads objects others wrote
 * too (factory v1, imports), so every value iwhd answers is checked again in Java as an exact string:
 * iwhd compares two all-digit strings as numbers (Q12), and may leave attributes out (Q10).
 */
public final class ImageCatalog {

    private static final String NONE = "None";

    private final JobStore store;
    private final IwhdClient iwhd;
    private final TargetNames targetNames;

    /** A catalog that matches targets by their driver names ({@link TargetNames#literal()}). */
    public ImageCatalog(JobStore store, IwhdClient iwhd) {
        this(store, iwhd, TargetNames.literal());
    }

    /** @param targetNames which target image {@code target} serves an account's target (Q11) */
    public ImageCatalog(JobStore store, IwhdClient iwhd, TargetNames targetNames) {
        this.store = store;
        this.iwhd = iwhd;
        this.targetNames = Objects.requireNonNull(targetNames, "targetNames");
    }

    public Catalog catalog(UUID imageId, List<ProviderAccount> accounts) {
        List<JobRow> rows = store.jobsOfImage(imageId);
        List<JobRow> inFlight = rows.stream()
                .filter(row -> !row.status().isTerminal())
                .toList();
        Optional<String> latest = latestBuild(imageId.toString(), rows);
        // The latest build's target images by target, read once for all accounts.
        Map<String, String> targetImages = new HashMap<>();
        latest.ifPresent(build -> {
            for (String key : iwhd.query("target_images", IwhdQuery.where("build", build))) {
                // A build id written by others may be all digits, which iwhd compares as a number (Q12).
                if (iwhd.getAttribute("target_images", key, "build").filter(build::equals).isEmpty()) {
                    continue;
                }
                iwhd.getAttribute("target_images", key, "target").ifPresent(target -> targetImages.putIfAbsent(target, key));
            }
        });
        List<CatalogEntry> entries = new ArrayList<>();
        for (ProviderAccount account : accounts) {
            entries.add(entry(account, inFlight, latest, targetImages));
        }
        return new Catalog(imageId, latest.orElse(null), entries);
    }

    private CatalogEntry entry(ProviderAccount account, List<JobRow> inFlight, Optional<String> latest,
                               Map<String, String> targetImages) {
        String identifier = account.accountIdentifier();
        boolean building = inFlight.stream().anyMatch(row -> row.kind() == JobKind.BUILD
                && row.target().equals(account.target()));
        if (building) {
            return entry(account, CatalogState.BUILDING, latest.orElse(null), null, null, null);
        }
        if (latest.isEmpty()) {
            return entry(account, CatalogState.NOT_BUILT, null, null, null, null);
        }
        String build = latest.get();
        Optional<String> targetImage = Optional.ofNullable(targetImages.get(targetNames.targetImageTarget(account.target())));
        if (targetImage.isEmpty()) {
            return entry(account, CatalogState.NOT_BUILT, build, null, null, null);
        }
        boolean pushing = inFlight.stream().anyMatch(row -> row.kind() == JobKind.PUSH
                && row.target().equals(account.target()) && row.providerName().equals(account.providerName())
                && row.accountIdentifier().equals(identifier));
        if (pushing) {
            return entry(account, CatalogState.PUSHING, build, targetImage.get(), null, null);
        }
        Optional<String> providerImage = providerImage(targetImage.get(), account);
        if (providerImage.isEmpty()) {
            return entry(account, CatalogState.NOT_PUSHED, build, targetImage.get(), null, null);
        }
        return entry(account, CatalogState.PUSHED, build, targetImage.get(), providerImage.get(),
                iwhd.getAttribute("provider_images", providerImage.get(), "target_identifier").orElse(null));
    }

    /**
     * The target image's provider image on the account. Conductor's query also named
     * {@code provider_account_identifier}, but an access key or user name may be all digits, which
     * iwhd compares as an octal-aware 32-bit number ({@code "007" == "7"}, Q12): so iwhd is asked
     * only for the target image and provider, and every answer is compared here as exact strings.
     */
    private Optional<String> providerImage(String targetImage, ProviderAccount account) {
        IwhdQuery query = IwhdQuery.where("target_image", targetImage).and("provider", account.providerName());
        for (String key : iwhd.query("provider_images", query)) {
            boolean same = iwhd.getAttribute("provider_images", key, "target_image").filter(targetImage::equals).isPresent()
                    && iwhd.getAttribute("provider_images", key, "provider").filter(account.providerName()::equals).isPresent()
                    && sameAccount(account.accountIdentifier(),
                            iwhd.getAttribute("provider_images", key, "provider_account_identifier"));
            if (same) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a provider image's {@code provider_account_identifier} names the account. The attribute
     * is missing from what factory wrote before 1edd485, from condorcloud's and from imports, and is
     * the text {@code "None"} when factory had none (Q10): such an image names no account, as
     * Conductor's exact query found it for none. An account whose login buildq cannot tell (empty
     * identifier) takes any provider image on its provider.
     */
    private static boolean sameAccount(String accountIdentifier, Optional<String> written) {
        if (accountIdentifier.isEmpty()) {
            return true;
        }
        return written.filter(value -> !value.equals(NONE)).filter(accountIdentifier::equals).isPresent();
    }

    /**
     * The newest, by the build's timestamp, of the image's {@code latest_build}, its
     * {@code latest_unpushed}, and buildq's own newest build with a completed target; a value that
     * is not a key in {@code builds} (such as the text {@code "None"} factory writes after a push,
     * Q10) is ignored. The last is buildq's addition: as factory v1 did, the image's attributes name
     * a build only once every target (or push) of it completed, so that Conductor never shows a
     * half-built version; buildq's catalog answers for the targets that did complete.
     */
    private Optional<String> latestBuild(String imageId, List<JobRow> rows) {
        Optional<String> best = Optional.empty();
        double bestTime = Double.NEGATIVE_INFINITY;
        Optional<String> ownNewest = rows.stream()
                .filter(row -> row.kind() == JobKind.BUILD && row.status() == JobStatus.COMPLETE)
                .max(java.util.Comparator.comparing(JobRow::createdAt))
                .map(row -> row.requestId().toString());
        List<Optional<String>> candidates = new ArrayList<>();
        for (String attribute : List.of("latest_build", "latest_unpushed")) {
            candidates.add(iwhd.getAttribute("images", imageId, attribute));
        }
        candidates.add(ownNewest);
        for (Optional<String> candidate : candidates) {
            Optional<String> build = candidate.filter(value -> !value.equals(NONE));
            if (build.isEmpty()) {
                continue;
            }
            Optional<String> timestamp = iwhd.getAttribute("builds", build.get(), "timestamp");
            if (iwhd.getAttribute("builds", build.get(), "object_type").isEmpty()) {
                continue;
            }
            double time = timestamp.map(ImageCatalog::seconds).orElse(0.0);
            if (best.isEmpty() || time > bestTime) {
                best = build;
                bestTime = time;
            }
        }
        return best;
    }

    private static double seconds(String timestamp) {
        try {
            return Double.parseDouble(timestamp);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static CatalogEntry entry(ProviderAccount account, CatalogState state, String build, String targetImage,
                                      String providerImage, String targetIdentifier) {
        return new CatalogEntry(account.providerName(), account.target(), account.accountIdentifier(), state, build,
                targetImage, providerImage, targetIdentifier);
    }
}
