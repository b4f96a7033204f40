package io.buildq.job;

/** What a job row does: build a target image, or push one to a provider account. */
public enum JobKind {
    BUILD, PUSH
}
