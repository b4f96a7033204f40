package io.buildq.worker;

import io.buildq.build.Target;
import io.buildq.callback.CallbackReceiver;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.FactoryException;
import io.buildq.factory.FactoryImage;
import io.buildq.factory.FactoryOutcome;
import io.buildq.factory.FactoryStatus;
import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobRow;
import io.buildq.job.JobStatus;
import io.buildq.job.JobStore;
import io.buildq.progress.ProgressSignals;
import io.buildq.progress.ProgressWriter;
import io.buildq.queue.BuildJob;
import io.buildq.queue.BuildJobHandler;
import io.buildq.registration.IwhdRegistrar;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one target build: start it on factory (or reattach to the image an earlier run started),
 * follow it through callbacks and polling to its outcome, register the result in iwhd, and leave the
 * row COMPLETE or FAILED. JobRunr may run a job more than once; every step checks the row first.
 */
public final class BuildJobRunner extends BuildJobHandler {

    private static final Logger log = LoggerFactory.getLogger(BuildJobRunner.class);

    private final JobStore store;
    private final FactoryClient factory;
    private final ProgressWriter progress;
    private final ProgressSignals signals;
    private final CallbackReceiver callbacks;
    private final IwhdRegistrar registrar;
    private final Duration pollInterval;

    public BuildJobRunner(JobStore store, FactoryClient factory, ProgressWriter progress, ProgressSignals signals,
                          CallbackReceiver callbacks, IwhdRegistrar registrar, Duration pollInterval) {
        this.store = store;
        this.factory = factory;
        this.progress = progress;
        this.signals = signals;
        this.callbacks = callbacks;
        this.registrar = registrar;
        this.pollInterval = pollInterval;
    }

    @Override
    public void run(BuildJob job) throws Exception {
        UUID jobId = job.jobId();
        JobRow row = store.findJob(jobId).orElse(null);
        if (row == null) {
            log.warn("Job {} has no row; nothing to build", jobId);
            return;
        }
        if (row.status() == JobStatus.COMPLETE || row.status() == JobStatus.CANCELLED) {
            log.info("Job {} is already {}; nothing to do", jobId, row.status());
            return;
        }
        if (row.status() == JobStatus.FAILED) {
            // Only a Requeue in JobRunr's dashboard runs a job whose row failed: that is a retry.
            row = store.change(jobId, ProgressWriter.SOURCE_WORKER,
                    r -> r.requeueForRetry("Retry requested from JobRunr's dashboard"));
        }
        row = store.change(jobId, ProgressWriter.SOURCE_WORKER, r -> r.markRunning(store.now()));
        BuildRequestRow request = store.findRequest(row.requestId()).orElseThrow();
        DashboardMirror mirror = new DashboardMirror(jobContext());
        signals.register(jobId);
        try {
            if (row.factoryImageId() == null) {
                row = startOnFactory(request, row);
                mirror.log("Image Factory accepted the build as target image " + row.factoryImageId());
            } else {
                mirror.log("Reattaching to Image Factory target image " + row.factoryImageId());
            }
            row = follow(row, mirror);
            finish(request, row, mirror);
        } finally {
            signals.unregister(jobId);
        }
    }

    private JobRow startOnFactory(BuildRequestRow request, JobRow row) {
        String factoryTarget = Target.byId(row.target()).map(Target::factoryName).orElse(row.target());
        FactoryImage created = factory.createTargetImage(factoryTarget, request.template(),
                List.of(callbacks.callbackUrl(row.id(), row.attempt())));
        // Stored before anything else: from now on any worker reattaches instead of building again.
        return progress.attach(row.id(), row.attempt(), created);
    }

    /** Waits for factory's outcome; callbacks wake the thread, and a GET every poll interval covers lost ones. */
    private JobRow follow(JobRow row, DashboardMirror mirror) throws InterruptedException {
        while (true) {
            mirror.show(row);
            if (row.status().isTerminal() || isOutcome(row)) {
                return row;
            }
            if (!signals.await(row.id(), pollInterval)) {
                FactoryImage seen;
                try {
                    seen = factory.getTargetImage(row.factoryImageId());
                } catch (FactoryException e) {
                    if (e.status() == 404) {
                        JobRow failed = fail(row, "Image Factory no longer knows target image " + row.factoryImageId()
                                + " (was it restarted or the image deleted?)", mirror);
                        throw new FactoryBuildFailedException(failed.error());
                    }
                    throw e; // transient: JobRunr retries the job, which reattaches
                }
                progress.record(row.id(), row.attempt(), seen, ProgressWriter.SOURCE_POLL);
            }
            row = store.findJob(row.id()).orElseThrow();
        }
    }

    private void finish(BuildRequestRow request, JobRow row, DashboardMirror mirror) {
        if (row.status().isTerminal()) {
            mirror.log("The row is " + row.status() + "; stopping");
            return;
        }
        FactoryStatus outcome = FactoryStatus.parse(row.factoryStatus());
        JobStatus status = FactoryOutcome.jobStatusFor(outcome);
        if (status == JobStatus.COMPLETE) {
            JobRow registering = store.change(row.id(), ProgressWriter.SOURCE_WORKER,
                    r -> r.describeActivity("Registering the target image in iwhd"));
            mirror.show(registering);
            FactoryImage image = factory.getTargetImage(row.factoryImageId());
            registrar.registerTargetImage(request, row, image);
            JobRow done = store.complete(row.id(), ProgressWriter.SOURCE_WORKER,
                    "Target image build complete; registered in iwhd", registrar::finishBuild);
            mirror.show(done);
            return;
        }
        String error = row.error() != null ? row.error()
                : "Image Factory reported " + outcome + " for target image " + row.factoryImageId();
        JobRow failed = fail(row, error, mirror);
        throw new FactoryBuildFailedException("Image Factory build failed: " + failed.error());
    }

    private JobRow fail(JobRow row, String error, DashboardMirror mirror) {
        JobRow failed = store.change(row.id(), ProgressWriter.SOURCE_WORKER, r -> r.markFailed(store.now(), error));
        mirror.show(failed);
        return failed;
    }

    private static boolean isOutcome(JobRow row) {
        return row.factoryStatus() != null && FactoryStatus.parse(row.factoryStatus()).isTerminal();
    }

    /** Mirrors the row to JobRunr's progress bar and job log, so that its dashboard shows progress too. */
    private static final class DashboardMirror {
        private final JobContext context;
        private final JobDashboardProgressBar bar;
        private String lastLine;

        DashboardMirror(JobContext context) {
            this.context = context;
            this.bar = context.progressBar(100);
        }

        void show(JobRow row) {
            bar.setProgress(row.percent());
            String line = row.status() + (row.factoryStatus() != null ? " (factory " + row.factoryStatus() + ")" : "")
                    + " " + row.percent() + "%" + (row.activity() != null ? ": " + row.activity() : "");
            if (!line.equals(lastLine)) {
                lastLine = line;
                if (row.status() == JobStatus.FAILED) {
                    context.logger().error(line + " | error: " + row.error());
                } else {
                    context.logger().info(line);
                }
            }
        }

        void log(String message) {
            context.logger().info(message);
        }
    }
}
