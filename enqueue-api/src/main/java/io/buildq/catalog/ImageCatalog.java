package io.buildq.catalog;

import io.buildq.iwhd.IwhdClient;
import io.buildq.iwhd.IwhdQuery;
import io.buildq.job.JobKind;
import io.buildq.job.JobRow;
import io.buildq.job.JobStatus;
import io.buildq.job.JobStore;
import io.buildq.push.ProviderAccount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers the catalog question with the semantics of Conductor's {@code ProviderAccount#image_status}
 * (iwhd-api.md section 4): iwhd for the facts, buildq's rows for the work in flight, which factory
 * used to report.
 */
public final class ImageCatalog {

    private static final String NONE = "None";

    private final JobStore store;
    private final IwhdClient iwhd;

    public ImageCatalog(JobStore store, IwhdClient iwhd) {
        this.store = store;
        this.iwhd = iwhd;
    }

    public Catalog catalog(UUID imageId, List<ProviderAccount> accounts) {
        List<JobRow> inFlight = store.jobsOfImage(imageId).stream()
                .filter(row -> row.status() == JobStatus.QUEUED || row.status() == JobStatus.RUNNING)
                .toList();
        Optional<String> latest = latestBuild(imageId.toString());
        // The latest build's target images by target, read once for all accounts.
        Map<String, String> targetImages = new HashMap<>();
        latest.ifPresent(build -> {
            for (String key : iwhd.query("target_images", IwhdQuery.where("build", build))) {
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
        Optional<String> targetImage = Optional.ofNullable(targetImages.get(account.target()));
        if (targetImage.isEmpty()) {
            return entry(account, CatalogState.NOT_BUILT, build, null, null, null);
        }
        boolean pushing = inFlight.stream().anyMatch(row -> row.kind() == JobKind.PUSH
                && row.target().equals(account.target()) && row.providerName().equals(account.providerName())
                && row.accountIdentifier().equals(identifier));
        if (pushing) {
            return entry(account, CatalogState.PUSHING, build, targetImage.get(), null, null);
        }
        IwhdQuery query = IwhdQuery.where("target_image", targetImage.get()).and("provider", account.providerName());
        if (!identifier.isEmpty()) {
            query = query.and("provider_account_identifier", identifier);
        }
        List<String> providerImages = iwhd.query("provider_images", query);
        if (providerImages.isEmpty()) {
            return entry(account, CatalogState.NOT_PUSHED, build, targetImage.get(), null, null);
        }
        String providerImage = providerImages.get(0);
        return entry(account, CatalogState.PUSHED, build, targetImage.get(), providerImage,
                iwhd.getAttribute("provider_images", providerImage, "target_identifier").orElse(null));
    }

    /**
     * The newer, by the build's timestamp, of the image's {@code latest_build} and
     * {@code latest_unpushed}; a value that is not a key in {@code builds} (such as None) is ignored.
     */
    private Optional<String> latestBuild(String imageId) {
        Optional<String> best = Optional.empty();
        double bestTime = Double.NEGATIVE_INFINITY;
        for (String attribute : List.of("latest_build", "latest_unpushed")) {
            Optional<String> build = iwhd.getAttribute("images", imageId, attribute).filter(value -> !value.equals(NONE));
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
