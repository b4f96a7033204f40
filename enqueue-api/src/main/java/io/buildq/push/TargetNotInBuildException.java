package io.buildq.push;

import io.buildq.build.InvalidRequestException;

/** An account takes images of a target the build does not build. */
public class TargetNotInBuildException extends InvalidRequestException {
    public TargetNotInBuildException(String providerName, String target) {
        super("accounts", "account " + providerName + " takes " + target + " images, which the build does not build");
    }
}
