package io.buildq.worker;

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
 */
public record WorkerSettings(String factoryUrl, String iwhdUrl, int workers, InetSocketAddress callbackBind,
                             URI callbackUrl, Duration factoryPollInterval, Duration queuePollInterval,
                             Duration reconcileInterval, String factoryOAuthKey, String factoryOAuthSecret) {

    public WorkerSettings {
        Objects.requireNonNull(factoryUrl, "factoryUrl");
        Objects.requireNonNull(iwhdUrl, "iwhdUrl");
        Objects.requireNonNull(callbackBind, "callbackBind");
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
     * Defaults: 8 workers, callbacks on 127.0.0.1:8076, factory polled every 10 s, the queue every 5 s,
     * and rows reconciled with JobRunr every 5 s (so a Requeue in its dashboard shows within one poll).
     */
    public static WorkerSettings defaults(String factoryUrl, String iwhdUrl) {
        return new WorkerSettings(factoryUrl, iwhdUrl, 8, new InetSocketAddress("127.0.0.1", 8076), null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), null, null);
    }

    public WorkerSettings withWorkers(int count) {
        return new WorkerSettings(factoryUrl, iwhdUrl, count, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, factoryOAuthKey, factoryOAuthSecret);
    }

    public WorkerSettings withCallback(InetSocketAddress bind, URI url) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, bind, url, factoryPollInterval, queuePollInterval,
                reconcileInterval, factoryOAuthKey, factoryOAuthSecret);
    }

    public WorkerSettings withFactoryPollInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, interval, queuePollInterval,
                reconcileInterval, factoryOAuthKey, factoryOAuthSecret);
    }

    public WorkerSettings withQueuePollInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval, interval,
                reconcileInterval, factoryOAuthKey, factoryOAuthSecret);
    }

    public WorkerSettings withFactoryOAuth(String consumerKey, String consumerSecret) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, reconcileInterval, consumerKey, consumerSecret);
    }

    public WorkerSettings withReconcileInterval(Duration interval) {
        return new WorkerSettings(factoryUrl, iwhdUrl, workers, callbackBind, callbackUrl, factoryPollInterval,
                queuePollInterval, interval, factoryOAuthKey, factoryOAuthSecret);
    }
}
