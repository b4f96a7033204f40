package io.buildq.push;

import io.buildq.build.InvalidRequestException;
import io.buildq.status.JobStatus;
import java.util.UUID;

/** Only a COMPLETE target build can be pushed; use buildAndPush to push when a build completes. */
public class BuildNotCompleteException extends InvalidRequestException {
    public BuildNotCompleteException(UUID buildId, String target, JobStatus status) {
        super("buildId", "the " + target + " build of " + buildId + " is " + status + ", not COMPLETE");
    }
}
