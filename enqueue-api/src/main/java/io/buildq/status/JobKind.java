package io.buildq.status;

/** What a job row does: build a target image, or push one to a provider account. */
public enum JobKind {
    BUILD, PUSH;

    /** The error of a push whose build failed; such a push runs again if its build is retried. */
    public static final String BUILD_FAILED = "build failed";

    /** Whether a job of this kind, in this status and with this error, ended only because its build failed. */
    public boolean failedWithItsBuild(JobStatus status, String error) {
        return this == PUSH && status == JobStatus.FAILED && BUILD_FAILED.equals(error);
    }
}
