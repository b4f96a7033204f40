package io.buildq.internal.job;

import java.util.Locale;

/** Who changed a job row: each history entry names one, as its lower-case {@link #label()}. */
public enum ChangeSource {
    /** The build request was enqueued. */
    ENQUEUE,
    /** A caller of {@code BuildQueue}: retry, cancel. */
    API,
    /** The worker running the job. */
    WORKER,
    /** A status callback from Image Factory. */
    CALLBACK,
    /** The worker's GET of factory's image. */
    POLL,
    /** Factory's answer to the start. */
    CREATE,
    /** The reconciler, keeping rows and JobRunr's jobs in agreement. */
    RECONCILER,
    /** The sweeper, deleting what factory holds of rows nobody follows. */
    SWEEPER,
    /** A test setting a row up by hand. */
    TEST;

    /** The name the history stores and shows: {@code worker}, {@code callback}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
