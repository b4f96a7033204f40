package io.buildq.worker;

import io.buildq.retry.Backoff;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a worker process needs besides its database.
 *
 * @param factoryUrl          Image Factory's REST root, e.g. {@code http://localhost:8075/imagefactory}
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
 */
public record WorkerSettings(String factoryUrl, String iwhdUrl, int workers, InetSocketAddress callbackBind,
                             URI callbackUrl, Duration factoryPollInterval, Duration queuePollInterval,
                             Duration reconcileInterval, String factoryOAuthKey, String factoryOAuthSecret,
                             Backoff backoff, Duration httpTimeout, int factorySlots) {

    public WorkerSettings {
        Objects.requireNonNull(factoryUrl, "factoryUrl");
        Objects.requireNonNull(iwhdUrl, "iwhdUrl");
        Objects.requireNonNull(callbackBind, "callbackBind");
        Objects.requireNonNull(backoff, "backoff");
        if (factorySlots < 1) {
            throw new IllegalArgumentException("factorySlots must be at least 1, was " + factorySlots);
        }
        if (httpTimeout.isNegative() || httpTimeout.isZero()) {
            throw new IllegalArgumentException("httpTimeout must be positive, was " + httpTimeout);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if ((factoryOAuthKey == null) != (factoryOAuthSecret == null)) {
            throw new IllegalArgumentException("give both a factory OAuth key and secret, or neither");
        }
        if (queuePollInterval.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("JobRunr polls SQL databases every 5 s at the most; queuePollInterval was "
                    + queuePollInterval);
        }
    }

    /**
     * Defaults: 8 workers, 2 builds at once per factory (factory's own default), callbacks on
     * 127.0.0.1:8076, factory polled every 10 s, the queue every 5 s,
     * calls to factory and iwhd given 60 s to answer, transient failures retried for 30 min
     * ({@link Backoff#defaults()}), and rows reconciled with JobRunr every 5 s (so a Requeue in its
     * dashboard shows within one poll).
     */
    public static WorkerSettings defaults(String factoryUrl, String iwhdUrl) {
        return new WorkerSettings(factoryUrl, iwhdUrl, 8, new InetSocketAddress("127.0.0.1", 8076), null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), null, null, Backoff.defaults(),
                Duration.ofSeconds(60), 2);
    }

    public WorkerSettings withWorkers(int count) {
        return new WorkerSettings(factoryUrl, iwhdUrl, count, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots);
    }

    public WorkerSettings withCallback(InetSocketAddress bind, URI url) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, bind, url, factoryPollInterval, queuePollInterval,
                reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots);
    }

    public WorkerSettings withFactoryPollInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, interval, queuePollInterval,
                reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots);
    }

    public WorkerSettings withQueuePollInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval, interval,
                reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots);
    }

    public WorkerSettings withFactoryOAuth(String consumerKey, String consumerSecret) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, consumerKey, consumerSecret, backoff, httpTimeout, factorySlots);
    }

    public WorkerSettings withBackoff(Backoff backoff) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots);
    }

    public WorkerSettings withHttpTimeout(Duration timeout) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, timeout, factorySlots);
    }

    public WorkerSettings withFactorySlots(int slots) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, slots);
    }

    public WorkerSettings withReconcileInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, interval, factoryOAuthKey, factoryOAuthSecret, backoff, httpTimeout, factorySlots);
    }
}
