package io.buildq.catalog;

import java.util.Locale;

/** Where an image stands for one provider account: the answers of Conductor's {@code image_status}. */
public enum CatalogState {
    /** A build for the account's target is queued or running. */
    BUILDING,
    /** The image has no latest build, or that build has no target image for the account's target. */
    NOT_BUILT,
    /** A push to the account is queued or running. */
    PUSHING,
    /** Built for the account's target, not pushed to the account. */
    NOT_PUSHED,
    /** The latest build's target image is on the account. */
    PUSHED;

    /** The name Conductor used: {@code building}, {@code not_built}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
