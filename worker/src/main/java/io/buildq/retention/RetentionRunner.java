package io.buildq.retention;

import io.buildq.queue.RetentionJob;
import io.buildq.queue.RetentionJobHandler;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jobrunr.storage.StorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RetentionJob}: deletes finished builds past their age in batches of
 * {@link RowRetention#BATCH}, and their JobRunr jobs with them. JobRunr deletes its SUCCEEDED jobs
 * after 36 h and DELETED ones 72 h later by itself, but keeps FAILED ones forever; those of the
 * deleted rows go here. One run stops after {@link #MAX_BATCHES} batches, so a first run on a large
 * backlog takes the database a few seconds at a time; the next hourly run goes on.
 */
public final class RetentionRunner extends RetentionJobHandler {

    /** Batches per run: 50 × 200 = 10,000 builds an hour at most, far above any installation's rate. */
    static final int MAX_BATCHES = 50;
    /** JobRunr's recurring schedule: hourly, off the hour, so that it meets no other hourly job. */
    public static final String SCHEDULE = "23 * * * *";

    private static final Logger log = LoggerFactory.getLogger(RetentionRunner.class);

    private final RowRetention retention;
    private final StorageProvider jobRunr;
    private final Clock clock;

    public RetentionRunner(RowRetention retention, StorageProvider jobRunr, Clock clock) {
        this.retention = retention;
        this.jobRunr = jobRunr;
        this.clock = clock;
    }

    @Override
    public void run(RetentionJob job) throws SQLException {
        Instant cutoff = clock.instant().minus(Duration.ofDays(job.keepDays()));
        int requests = 0;
        int jobs = 0;
        int history = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            RowRetention.Deleted deleted = retention.deleteBatch(cutoff, RowRetention.BATCH);
            for (UUID jobRunrJob : deleted.jobRunrJobIds()) {
                jobRunr.deletePermanently(jobRunrJob); // 0 when JobRunr already deleted it
            }
            requests += deleted.requests();
            jobs += deleted.jobs();
            history += deleted.historyEntries();
            if (deleted.requests() < RowRetention.BATCH) {
                break;
            }
        }
        if (requests > 0) {
            log.info("Retention: deleted {} builds finished before {} ({} jobs, {} history entries)", requests, cutoff,
                    jobs, history);
        }
    }
}
