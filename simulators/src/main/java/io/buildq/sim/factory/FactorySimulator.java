package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.sim.http.Faults;
import io.buildq.sim.http.OAuthVerifier;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.sim.http.SimulatorBuilder;
import io.buildq.sim.http.SimulatorServer;
import io.buildq.sim.http.SimulatorSettings;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Image Factory (REST v2, 2012 to 2016) over real HTTP, for tests and the demo. By default it
 * behaves like a stock factory as {@code shared/reference/real-install-notes.md} describes it, flaws
 * included; where the notes and factory's source (imgfac/Builder.py, imgfac/rest/*.py) disagree, it
 * follows the source. Defaults:
 * <ul>
 *   <li>OAuth off unless {@link Builder#oauthClient} is called; then factory's two-legged check with
 *       python-oauth2 1.5.211's answers (Q1): no header is a 500 "HTTP Response 401", an unknown key
 *       the only 401, query parameters count twice in the base string, the nonce and body hash are
 *       never checked. Order: route, OAuth, Accept (406), handler.</li>
 *   <li>Request bodies as bottle 0.10.9 under Paste read them (Q9, {@link FormData}).</li>
 *   <li>No concurrency limit (Q6). GET shows the stored record only: NEW, percent 0, until the
 *       outcome is saved; PENDING appears in a target's 202 and in callbacks, never on GET.</li>
 *   <li>A template builds a new base image even with a {@code base_image_id}; an id alone reuses
 *       that base image (waiting while it is stored NEW); failures after the record is stored leave an
 *       orphan at NEW (Q7, Q8). Base image callbacks go to the target's URLs from their own worker,
 *       so their order against the target's varies.</li>
 *   <li>{@link #restart()} (or {@code POST /_sim/restart}) drops all in-flight work and leaves those
 *       records at NEW forever (Q4).</li>
 *   <li>DELETE removes the record whatever its status; a build in flight goes on, then calls back
 *       COMPLETE and FAILED ("not managed") and never DELETED (observed). An unknown target fails
 *       after the 202 with "No plugin .info file loaded for target" (observed).</li>
 * </ul>
 * Named deviations: {@link Builder#verbose} (live status on GET), {@link Builder#maxConcurrentBuilds}
 * (a build limit), {@link Builder#progressReports} (progress callbacks), {@link Builder#oauthStrictRfc}
 * (query counted once), {@link Builder#callbackBeforeSave} (widens the callback/save race of Q5),
 * {@link Builder#knownTargets}, and the fault injection of {@link #faults()}.
 *
 * <pre>{@code
 * try (FactorySimulator factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(50)).start()) {
 *     String baseUrl = factory.baseUrl(); // http://127.0.0.1:PORT/imagefactory
 * }
 * }</pre>
 */
public final class FactorySimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FactorySimulator.class);
    /** The "targets" of each imagefactory_plugins/NAME/NAME.info at 0e7b1b3, and MockSphere (2012's MockCloud). */
    static final Set<String> DEFAULT_TARGETS = Set.of("atlas", "docker", "ec2", "gce", "hyperv", "indirection",
            "MockCloud", "MockSphere", "OVA", "openstack-kvm", "rackspace", "rhevm", "vsphere");

    private final Faults faults = new Faults();
    private final Restarts restarts = new Restarts();
    private final ImageRegistry registry;
    private final FactoryCounters counters = new FactoryCounters();
    private final BuildClock clock = new BuildClock(restarts);
    private final CallbackDelivery callbacks;
    private final ImageBuilds builds;
    private final SimulatorServer server;
    /** The certificate of this start when serving HTTPS, else null. */
    private final SelfSignedCertificate certificate;

    private FactorySimulator(SimulatorSettings settings, BuildSettings buildSettings, boolean oauthStrictRfc,
                             SelfSignedCertificate.Profile https, List<X509Certificate> callbackCaCertificates) {
        ObjectMapper json = new ObjectMapper();
        this.registry = new ImageRegistry(json);
        this.callbacks = new CallbackDelivery(json, faults, restarts, callbackCaCertificates);
        this.builds = new ImageBuilds(buildSettings, registry, counters, clock, callbacks, faults);
        this.faults.set(settings.faults());
        OAuthVerifier oauth = settings.oauthClients().isEmpty() ? null : new OAuthVerifier(settings.oauthClients());
        // Like paste with --ssl_pem '*': a new certificate at every start, never stored.
        this.certificate = https == null ? null : SelfSignedCertificate.generate(https);
        // The scheme is the server's, read per request: the server starts last, once its routes exist.
        FactoryResponses responses = new FactoryResponses(json, this::scheme);
        OAuthGate oauthGate = new OAuthGate(oauth, oauthStrictRfc, this::scheme);
        ImageViewHandler views = new ImageViewHandler(json, registry, responses, buildSettings.verbose());
        ImageCreateHandler creations = new ImageCreateHandler(json, registry, counters, builds, clock, responses);
        ImageDeleteHandler deletions = new ImageDeleteHandler(json, registry,
                new ImageDeletions(json, registry, counters, clock, callbacks, buildSettings.stepDuration()));
        FactoryRouter router = new FactoryRouter(oauthGate, this::restart, responses, views, creations, deletions);
        this.server = SimulatorServer.start("factory-sim", settings.address(), settings.port(),
                certificate == null ? null : certificate.serverContext(), faults,
                "Internal Server Error", router);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The REST root, e.g. {@code http://127.0.0.1:8075/imagefactory} ({@code https://} when serving HTTPS). */
    public String baseUrl() {
        return scheme() + "://" + server.host() + ":" + server.port() + "/imagefactory";
    }

    /** The certificate this start serves (see {@link Builder#https}), or null over plain HTTP. */
    public X509Certificate certificate() {
        return certificate == null ? null : certificate.certificate();
    }

    /** {@code http} or {@code https}, as paste's {@code wsgi.url_scheme}: it starts every href. */
    private String scheme() {
        return server.scheme();
    }

    public int port() {
        return server.port();
    }

    /** Every status the image has had, in order, starting with NEW: what factory reported. */
    public List<String> reportedStatuses(String imageId) {
        SimImage image = registry.everCreated(imageId);
        if (image == null) {
            throw new IllegalArgumentException("no image " + imageId);
        }
        return image.reportedStatuses();
    }

    /** The faults injected now; change them at run time with {@link Faults#set}. */
    public Faults faults() {
        return faults;
    }

    /** How many target images were created by POST (a duplicate build shows up here). */
    public int createdTargetImages() {
        return counters.createdTargetImages();
    }

    /**
     * When the request that created an image arrived, by the wall clock (so that another process can
     * measure from the moment it enqueued the build); empty for an id it never created.
     */
    public Optional<Instant> receivedAt(String imageId) {
        return Optional.ofNullable(registry.everCreated(imageId)).map(image -> image.receivedAt);
    }

    /** The most target image builds that were under way at once (created, without an outcome yet). */
    public int peakTargetBuildsInFlight() {
        return counters.peakTargetBuildsInFlight();
    }

    /** How many base images were created, by base image POSTs and by target or provider POSTs with a template. */
    public int createdBaseImages() {
        return counters.createdBaseImages();
    }

    /** The base image a target image was built on, as factory knows it now; empty for other ids. */
    public Optional<String> baseImageOf(String targetImageId) {
        SimImage image = registry.everCreated(targetImageId);
        return image == null || image.type != ImageType.TARGET ? Optional.empty()
                : Optional.ofNullable(image.parentId());
    }

    /**
     * A factory restart (real-install-notes Q4): every thread, pending step and callback worker is
     * dropped. Images stored at NEW then answer GET 200 with NEW, percent 0, "Initializing image
     * prior to Cloud/OS customization" and no error, forever, with no callback; completed and failed
     * records stay. Also reachable as {@code POST /_sim/restart}.
     */
    public void restart() {
        restarts.restart();
        callbacks.dropAll();
        builds.restart();
        counters.restarted();
        registry.restartedFromDisk();
        log.debug("factory simulator restarted: in-flight work dropped");
    }

    @Override
    public void close() {
        server.close();
        clock.close();
        callbacks.close();
    }

    /**
     * Configures a simulator; every setting has a default fit for tests. {@link #oauthClient} requires
     * two-legged OAuth 1.0 (HMAC-SHA1) on every image route, as factory did by default; off unless
     * called, as in most deployments ({@code --no_oauth}).
     */
    public static final class Builder extends SimulatorBuilder<Builder> {
        private Duration stepDuration = Duration.ofMillis(100);
        private boolean verbose;
        private Duration progressEvery;
        private int maxConcurrentBuilds;
        private Duration callbackBeforeSave = Duration.ZERO;
        private boolean oauthStrictRfc;
        private Set<String> knownTargets = DEFAULT_TARGETS;
        private SelfSignedCertificate.Profile https;
        private List<X509Certificate> callbackCaCertificates = List.of();

        private Builder() {
        }

        /** How long each build step takes; a build has three steps per image. */
        public Builder stepDuration(Duration stepDuration) {
            this.stepDuration = stepDuration;
            return this;
        }

        /**
         * Not faithful: GET shows live status, activity and a 10/30/50/100 percent ladder. Real
         * factory persisted only NEW and the outcome, and its percent stayed 0.
         */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /**
         * Not faithful: while an image builds, its percentage grows with the time elapsed and a
         * callback reports it every {@code every} (real factory called back on status changes only).
         * For measuring what a chatty progress feed costs a client; off by default.
         */
        public Builder progressReports(Duration every) {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("progress reports need a positive interval, was " + every);
            }
            this.progressEvery = every;
            return this;
        }

        /**
         * Not faithful: at most this many builds run at once, the rest wait in PENDING (which GET then
         * shows only with {@link #verbose}). 0, the default, is factory v2's: no limit at all
         * (real-install-notes Q6; {@code max_concurrent_local_sessions} served only v1's BuildJob).
         */
        public Builder maxConcurrentBuilds(int maxConcurrentBuilds) {
            if (maxConcurrentBuilds < 0) {
                throw new IllegalArgumentException(
                        "maxConcurrentBuilds must be 0 (no limit) or more, was " + maxConcurrentBuilds);
            }
            this.maxConcurrentBuilds = maxConcurrentBuilds;
            return this;
        }

        /**
         * When a build ends, sends its COMPLETE or FAILED callback and stores the outcome (so that GET
         * shows it) only {@code delay} later. Real factory posts the callback and then saves, on another
         * thread than the one that sends it, so the two race (Q5); the default, zero, saves right after
         * queueing the callback, which almost always wins that race.
         */
        public Builder callbackBeforeSave(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("callbackBeforeSave must not be negative, was " + delay);
            }
            this.callbackBeforeSave = delay;
            return this;
        }

        /**
         * Not faithful: counts query parameters once in the OAuth base string, as RFC 5849 says. By
         * default they count twice, as python-oauth2 1.5.211 did, so any query string breaks a
         * signature that a correct client computed (Q1).
         */
        public Builder oauthStrictRfc(boolean strict) {
            this.oauthStrictRfc = strict;
            return this;
        }

        /**
         * The targets with a cloud plugin; any other gets 202 and then FAILED "No plugin .info file
         * loaded for target: X" (observed). By default the .info targets of factory's plugins
         * (imagefactory_plugins at 0e7b1b3) plus 2012's MockSphere; condorcloud (a v1 builder) is not.
         */
        public Builder knownTargets(Set<String> targets) {
            this.knownTargets = Set.copyOf(targets);
            return this;
        }

        /**
         * Serves HTTPS instead of HTTP, as factory did by default ({@code --ssl_pem '*'}): each
         * {@link #start()} generates a new self-signed certificate of this profile, so a client that
         * pinned the previous one is refused after a restart. {@link FactorySimulator#certificate()}
         * gives it; {@link SelfSignedCertificate.Profile#PASTE} is paste's own (MD5, RSA 768).
         */
        public Builder https(SelfSignedCertificate.Profile profile) {
            this.https = profile;
            return this;
        }

        /**
         * The CA certificates factory's callback client trusts for https callback URLs (httplib2's CA
         * file, which factory cannot be configured to change; an operator adds a certificate to that
         * file). By default the JDK's trust store stands for it, so a self-signed receiver gets nothing.
         */
        public Builder callbackCaCertificates(List<X509Certificate> certificates) {
            this.callbackCaCertificates = List.copyOf(certificates);
            return this;
        }

        public FactorySimulator start() {
            return new FactorySimulator(settings(), new BuildSettings(stepDuration, progressEvery, verbose,
                    maxConcurrentBuilds, callbackBeforeSave, knownTargets), oauthStrictRfc, https, callbackCaCertificates);
        }
    }
}
