package io.buildq.job;

/** What a job row does. Pushes arrive with the push feature. */
public enum JobKind {
    BUILD
}
