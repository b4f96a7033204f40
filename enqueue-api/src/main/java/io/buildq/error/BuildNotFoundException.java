package io.buildq.error;

import java.util.UUID;

/** No build or job has the given id. */
public class BuildNotFoundException extends BuildQueueException {
    private final UUID id;

    public BuildNotFoundException(UUID id) {
        super("No build or job with id " + id);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
