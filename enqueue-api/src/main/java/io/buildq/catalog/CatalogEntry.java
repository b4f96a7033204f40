package io.buildq.catalog;

/**
 * One provider account's line of the catalog.
 *
 * @param buildId          the image's latest build in iwhd, or null if it has none
 * @param targetImageId    that build's target image for the account's target, or null
 * @param providerImageId  the provider image of that target image on the account, or null
 * @param targetIdentifier the cloud's id for it (an AMI id...), or null
 */
public record CatalogEntry(String providerName, String target, String accountIdentifier, CatalogState state,
                           String buildId, String targetImageId, String providerImageId, String targetIdentifier) {
}
