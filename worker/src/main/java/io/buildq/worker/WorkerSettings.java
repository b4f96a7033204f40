package io.buildq.worker;

import io.buildq.build.TargetNames;
import io.buildq.internal.tls.ServerTls;
import io.buildq.retry.Backoff;
import io.buildq.tls.FactoryTrust;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a worker process needs besides its database.
 *
 * @param factoryUrl          Image Factory's REST root, e.g. {@code https://localhost:8075/imagefactory}
 * @param iwhdUrl             iwhd's root, e.g. {@code http://localhost:9090}
 * @param workers             JobRunr worker threads: builds this process follows at once
 * @param callbackBind        where to listen for factory's status callbacks
 * @param callbackUrl         the base URL factory can reach that listener at; null for the bind address
 * @param factoryPollInterval how often a build asks factory for its status when no callback came
 * @param queuePollInterval   JobRunr's poll interval for new jobs (5 s at least on SQL databases)
 * @param reconcileInterval   how often rows are compared with JobRunr's jobs (see {@link JobReconciler})
 * @param factoryOAuthKey     with {@code factoryOAuthSecret}, signs factory requests with two-legged OAuth 1.0; null for none
 * @param backoff             how a job waits out factory or iwhd failing transiently, and for how long at most
 * @param httpTimeout         how long a call to factory or iwhd may wait for an answer before it counts as failed
 * @param factorySlots        how many builds run against the factory at once, over every worker that uses it
 * @param buildDeadline       how long factory may take to report an outcome for one image; past it the image
 *                            is taken as lost (a factory restart leaves it NEW forever), deleted, and the row failed
 * @param factoryTrust        how factory's HTTPS certificate is trusted (only used for an https factory URL)
 * @param iwhdOAuthKey        with {@code iwhdOAuthSecret}, signs iwhd requests with two-legged OAuth 1.0; null for none
 * @param targetNames         the {@code target} a target image carries in iwhd for each Deltacloud driver (Q11)
 * @param callbackTls         the callback listener's certificate and key, for HTTPS; null for plain HTTP
 * @param retention           how long finished builds are kept (see {@code io.buildq.retention.RowRetention}); null keeps them forever
 */
public record WorkerSettings(                             String factoryUrl,
                             String iwhdUrl,
                             int workers,
                             InetSocketAddress callbackBind,
                             URI callbackUrl,
                             Duration factoryPollInterval,
                             Duration queuePollInterval,
                             Duration reconcileInterval,
                             String factoryOAuthKey,
                             String factoryOAuthSecret,
                             Backoff backoff,
                             Duration httpTimeout,
                             int factorySlots,
                             Duration buildDeadline,
                             FactoryTrust factoryTrust,
                             String iwhdOAuthKey,
                             String iwhdOAuthSecret,
                             TargetNames targetNames,
                             ServerTls callbackTls,
                             Duration retention) {

    public WorkerSettings {
        Objects.requireNonNull(factoryUrl, "factoryUrl");
        Objects.requireNonNull(iwhdUrl, "iwhdUrl");
        Objects.requireNonNull(callbackBind, "callbackBind");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(factoryTrust, "factoryTrust");
        Objects.requireNonNull(targetNames, "targetNames");
        if (factorySlots < 1) {
            throw new IllegalArgumentException("factorySlots must be at least 1, was " + factorySlots);
        }
        if (httpTimeout.isNegative() || httpTimeout.isZero()) {
            throw new IllegalArgumentException("httpTimeout must be positive, was " + httpTimeout);
        }
        if (buildDeadline.isNegative() || buildDeadline.isZero()) {
            throw new IllegalArgumentException("buildDeadline must be positive, was " + buildDeadline);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if ((factoryOAuthKey == null) != (factoryOAuthSecret == null)) {
            throw new IllegalArgumentException("give both a factory OAuth key and secret, or neither");
        }
        if ((iwhdOAuthKey == null) != (iwhdOAuthSecret == null)) {
            throw new IllegalArgumentException("give both an iwhd OAuth key and secret, or neither");
        }
        if (retention != null && retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("retention must be at least 1 day (or none), was " + retention);
        }
        if (queuePollInterval.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("JobRunr polls SQL databases every 5 s at the most; queuePollInterval was "
                    + queuePollInterval);
        }
    }

    /** How long finished builds are kept by default: a quarter, as the operators' issue asked. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    /** The default build deadline: real builds take an hour or two; a build still going after 6 h is lost. */
    public static final Duration DEFAULT_BUILD_DEADLINE = Duration.ofHours(6);

    /**
     * Defaults: 8 workers, 2 builds at once per factory (real REST v2 factory has no limit of its own
     * and starts every build at once, each an OS install in a VM on its host), callbacks on 127.0.0.1:8076, factory polled
     * every 10 s, the queue every 5 s, calls to factory and iwhd given 60 s to answer, transient
     * failures retried for 30 min ({@link Backoff#defaults()}), rows reconciled with JobRunr every 5 s
     * (so a Requeue in its dashboard shows within one poll), a 6 h deadline per image, the JDK's
     * trust for an https factory, and no OAuth.
     */
    public static WorkerSettings defaults(String factoryUrl, String iwhdUrl) {
        return new WorkerSettings(factoryUrl, iwhdUrl, 8, new InetSocketAddress("127.0.0.1", 8076), null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), null, null, Backoff.defaults(),
                Duration.ofSeconds(60), 2, DEFAULT_BUILD_DEADLINE, FactoryTrust.systemDefault(), null, null,
                TargetNames.literal(), null, DEFAULT_RETENTION);
    }

    public WorkerSettings withWorkers(int count) {
        return new WorkerSettings(factoryUrl, iwhdUrl, count, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withCallback(InetSocketAddress bind, URI url) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, bind, url, factoryPollInterval, queuePollInterval,
                reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots,
                buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withFactoryPollInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, interval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withQueuePollInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                interval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots,
                buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withFactoryOAuth(String consumerKey, String consumerSecret) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, consumerKey, consumerSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    /** Signs every iwhd request with two-legged OAuth 1.0 (header, consumer only, no body), as Aeolus installs configured iwhd. */
    public WorkerSettings withIwhdOAuth(String consumerKey, String consumerSecret) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, consumerKey, consumerSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withBackoff(Backoff backoff) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withHttpTimeout(Duration timeout) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, timeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withFactorySlots(int slots) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                slots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    public WorkerSettings withReconcileInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, interval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots,
                buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    /** How long factory may take to report an outcome for one image before buildq takes it as lost. */
    public WorkerSettings withBuildDeadline(Duration deadline) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, deadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    /** How the worker trusts factory's HTTPS certificate (see {@link FactoryTrust}). */
    public WorkerSettings withFactoryTrust(FactoryTrust trust) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, trust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, retention);
    }

    /** How target images are named in iwhd for an account's target; the catalog must use the same. */
    public WorkerSettings withTargetNames(TargetNames names) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, names, callbackTls, retention);
    }

    /** Serves factory's callbacks over HTTPS with this certificate and key (the URLs factory gets say https). */
    public WorkerSettings withCallbackTls(ServerTls tls) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, tls, retention);
    }

    /** Keeps finished builds for {@code keep} (at least a day), or forever when null. */
    public WorkerSettings withRetention(Duration keep) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout,
                factorySlots, buildDeadline, factoryTrust, iwhdOAuthKey, iwhdOAuthSecret, targetNames, callbackTls, keep);
    }

    /** Leaves the OAuth secrets out, so that a logged or printed settings object leaks nothing. */
    @Override
    public String toString() {
        return "WorkerSettings[factoryUrl=" + factoryUrl + ", iwhdUrl=" + iwhdUrl + ", workers=" + workers
                + ", callbackBind=" + callbackBind + ", callbackUrl=" + callbackUrl + ", callbackTls=" + callbackTls
                + ", factorySlots=" + factorySlots
                + ", buildDeadline=" + buildDeadline + ", retention=" + retention + ", factoryTrust=" + factoryTrust.describe()
                + ", factoryOAuthKey=" + factoryOAuthKey + ", iwhdOAuthKey=" + iwhdOAuthKey + "]";
    }
}
