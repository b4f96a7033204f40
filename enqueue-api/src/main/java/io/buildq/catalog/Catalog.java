package io.buildq.catalog;

import java.util.List;
import java.util.UUID;

/**
 * Which of an image's provider accounts have it built and pushed, and what is missing: the answer to
 * Conductor's "read a pool's catalog, check which images are built, for which providers, and offer to
 * build and push".
 */
public record Catalog(UUID imageId, String latestBuildId, List<CatalogEntry> entries) {

    public Catalog {
        entries = List.copyOf(entries);
    }

    /** The entry of the account with this provider name (the first, if several share it). */
    public CatalogEntry entry(String providerName) {
        return entries.stream().filter(entry -> entry.providerName().equals(providerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no account " + providerName + " in the catalog"));
    }

    /** Targets to build so that every NOT_BUILT account can be pushed to: pass them to buildAndPush. */
    public List<String> targetsToBuild() {
        return entries.stream().filter(entry -> entry.state() == CatalogState.NOT_BUILT)
                .map(CatalogEntry::target).distinct().toList();
    }

    /** Accounts that are built for but not pushed to: pass them to push with {@link #latestBuildId()}. */
    public List<CatalogEntry> accountsToPush() {
        return entries.stream().filter(entry -> entry.state() == CatalogState.NOT_PUSHED).toList();
    }
}
