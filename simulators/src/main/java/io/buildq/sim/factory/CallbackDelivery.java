package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.buildq.sim.http.Faults;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Factory's callbacks: a PUT of an image's JSON to every URL in its {@code parameters}' callbacks,
 * each image (or deletion) and URL through its own {@link CallbackLane}, as factory's CallbackWorkers
 * sent them. Lost on purpose when {@link Faults} say so; dropped by a restart.
 *
 * <p>An https callback URL is checked as factory's httplib2 checks it ({@code CallbackWorker.__init__}
 * builds a plain {@code httplib2.Http()}, so {@code disable_ssl_certificate_validation} is False and
 * httplib2 0.7 to 0.9 require a certificate chaining to its CA file and naming the host): a receiver
 * factory does not trust gets nothing, and the handshake error is swallowed like every other
 * ({@code _do_next_callback} logs it at debug).
 */
final class CallbackDelivery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackDelivery.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final ObjectMapper json;
    private final Faults faults;
    private final Restarts restarts;
    /** One lane per image (or deletion) and callback URL: factory's CallbackWorkers. */
    private final Map<String, CallbackLane> lanes = new ConcurrentHashMap<>();
    // Many lanes share this pool; each lane sends its own callbacks in order (CallbackLane).
    private final ExecutorService pool = Executors.newCachedThreadPool(DaemonThreads.named("factory-sim-callbacks"));
    private final OkHttpClient client;

    /** @param trusted the CA file of factory's httplib2, for https callbacks; empty for the JDK's trust store */
    CallbackDelivery(ObjectMapper json, Faults faults, Restarts restarts, List<X509Certificate> trusted) {
        this.json = json;
        this.faults = faults;
        this.restarts = restarts;
        OkHttpClient.Builder client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10));
        if (!trusted.isEmpty()) {
            X509TrustManager trust = trustManager(trusted);
            client.sslSocketFactory(sslContext(trust).getSocketFactory(), trust);
        }
        this.client = client.build();
    }

    private static X509TrustManager trustManager(List<X509Certificate> trusted) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the callback CA certificates", e);
        }
    }

    private static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for callbacks", e);
        }
    }

    /** The image's live state, to the callback URLs of its build. */
    void send(SimImage image) {
        send("build " + image.id, image.type, image.fields(json), image.parameters);
    }

    /**
     * PUT to every callback URL once, through that URL's lane; failures are logged and forgotten, as
     * factory's CallbackWorker did. A {@code parameters} that is not a dict (a form's string) has none.
     */
    void send(String lane, ImageType type, ObjectNode fields, JsonNode parameters) {
        JsonNode callbacks = parameters == null || !parameters.isObject() ? null : parameters.get("callbacks");
        if (callbacks == null || !callbacks.isArray() || callbacks.isEmpty()) {
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.set(type.singular, fields);
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        int sentIn = restarts.current();
        for (JsonNode callback : callbacks) {
            String url = callback.asText();
            if (faults.loseNextCallback()) {
                log.debug("callback {} lost on purpose", url);
                continue;
            }
            lanes.computeIfAbsent(lane + " " + url, key -> new CallbackLane(pool)).submit(() -> {
                if (restarts.isCurrent(sentIn)) {
                    deliver(url, payload);
                }
            });
        }
    }

    /** A restart: what the lanes still hold is never sent. */
    void dropAll() {
        lanes.values().forEach(CallbackLane::drop);
        lanes.clear();
    }

    private void deliver(String url, byte[] payload) {
        try {
            URI uri = URI.create(url);
            Request.Builder request = new Request.Builder().put(RequestBody.create(payload, JSON));
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                String credentials = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
                request.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
                uri = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
            }
            try (Response response = client.newCall(request.url(uri.toString()).build()).execute()) {
                log.debug("callback {} answered {}", url, response.code());
            }
        } catch (Exception e) {
            log.debug("callback {} failed: {}", url, e.toString());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
