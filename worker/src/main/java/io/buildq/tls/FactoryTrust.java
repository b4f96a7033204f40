package io.buildq.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * How the worker trusts Image Factory's HTTPS certificate. Factory (paste) serves HTTPS by default
 * with a certificate it makes up at every start ({@code --ssl_pem '*'}: RSA 768, MD5withRSA,
 * CN {@code *}, no SubjectAltName), which no trust store and no host name check can accept; the
 * options here range from full JDK checks for a factory deployed with a real certificate to none.
 *
 * <p>An immutable value: build one with a static factory, then {@link #apply} it to the builder of
 * the factory client only. Nothing here touches JVM-wide state (no {@code Security.setProperty},
 * no {@code SSLContext.setDefault}, no {@code HttpsURLConnection} defaults), so iwhd, database and
 * every other connection keep the JDK's full checks.
 *
 * <p>What a JDK 17 with its default {@code java.security} does with paste's certificate, measured
 * against the simulator ({@code FactorySimulator.builder().https(PASTE)}), TLS 1.3 and 1.2 alike:
 * <ul>
 *   <li>{@link #systemDefault()}: refused, {@code SSLHandshakeException: PKIX path building failed:
 *       ... unable to find valid certification path to requested target};</li>
 *   <li>{@link #certificateFile} holding that very certificate: accepted. The PKIX trust manager
 *       returns at once when the server's leaf is itself a trust anchor, and algorithm constraints
 *       ({@code jdk.certpath.disabledAlgorithms}: MD5, RSA keySize &lt; 1024) are not applied to
 *       trust anchors. OkHttp's host name check would refuse it (CN {@code *}, no SAN), which is why
 *       a single end-entity certificate is checked by identity instead (see there);</li>
 *   <li>{@link #pinnedSha256} and {@link #insecure()}: accepted, because their trust managers are
 *       {@link X509ExtendedTrustManager}s. A plain {@link X509TrustManager} would not do: JSSE wraps
 *       it in {@code AbstractTrustManagerWrapper}, which applies {@code jdk.tls.disabledAlgorithms}
 *       (MD5withRSA) to the chain and fails with {@code SSLHandshakeException: Certificates do not
 *       conform to algorithm constraints} (cause: {@code CertPathValidatorException: Algorithm
 *       constraints check failed on signature algorithm: MD5withRSA}). The handshake itself signs
 *       with the 768-bit key (rsa_pss_rsae_sha256 in TLS 1.3, ECDHE_RSA in 1.2), which no default
 *       constraint forbids; the certificate's MD5 signature is never verified.</li>
 * </ul>
 */
public final class FactoryTrust {

    /** The four ways of trusting factory. */
    public enum Mode { SYSTEM_DEFAULT, CERTIFICATE_FILE, PINNED_SHA256, INSECURE }

    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----");
    private static final Pattern PLAIN_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern COLON_SHA256 = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){31}");

    private final Mode mode;
    private final Path file;
    private final List<X509Certificate> certificates;
    private final String pin;

    private FactoryTrust(Mode mode, Path file, List<X509Certificate> certificates, String pin) {
        this.mode = mode;
        this.file = file;
        this.certificates = certificates;
        this.pin = pin;
    }

    /**
     * The JDK's trust store and OkHttp's host name verification, untouched: for a factory deployed
     * with a certificate from a CA the JDK trusts ({@code --ssl_pem FILE}).
     */
    public static FactoryTrust systemDefault() {
        return new FactoryTrust(Mode.SYSTEM_DEFAULT, null, List.of(), null);
    }

    /**
     * Trusts exactly the certificates in a PEM file (CAs or the server's own certificate), read now,
     * with the JDK's PKIX checks (validity, algorithm constraints on everything but the trusted
     * certificates themselves). Only the {@code CERTIFICATE} blocks are read, so factory's own
     * {@code --ssl_pem} file (key and chain in one PEM) can be given as it is; its key is ignored.
     *
     * <p>Host names: if the file holds a single end-entity certificate (not a CA), as when an
     * operator saved the certificate factory presents, host name verification is replaced by a
     * check that the server's certificate is exactly that one. Paste's certificate (CN {@code *}, no
     * SubjectAltName) could never pass OkHttp's host name check, and an exact match pins the server
     * more tightly than a name would. Otherwise (CA certificates), OkHttp's host name verification
     * stays on.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read, holds no certificate,
     *                                  or holds one the JDK cannot parse
     */
    public static FactoryTrust certificateFile(Path pem) {
        Objects.requireNonNull(pem, "pem");
        String text;
        try {
            // Latin-1 reads any bytes: comments around the PEM blocks need not be ASCII.
            text = Files.readString(pem, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read factory certificate file " + pem + ": " + e, e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher block = PEM_CERTIFICATE.matcher(text);
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            while (block.find()) {
                byte[] bytes = block.group().getBytes(StandardCharsets.US_ASCII);
                certificates.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(bytes)));
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("factory certificate file " + pem + " holds a certificate that cannot"
                    + " be parsed: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("factory certificate file " + pem
                    + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return new FactoryTrust(Mode.CERTIFICATE_FILE, pem, List.copyOf(certificates), null);
    }

    /**
     * Accepts only a server whose certificate (the leaf) has this SHA-256 fingerprint, whatever its
     * algorithms, issuer, validity or names: no chain or host name check. Given as
     * {@code AB:CD:...} (what {@code openssl x509 -fingerprint -sha256} and keytool print) or as 64
     * hex digits, in any case. Paste makes a new certificate at every factory start, so the pin
     * must be renewed after each restart; until then factory is refused.
     *
     * @throws IllegalArgumentException if the fingerprint is not 32 bytes in either form
     */
    public static FactoryTrust pinnedSha256(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        String lower = fingerprint.strip().toLowerCase(Locale.ROOT);
        String plain;
        if (PLAIN_SHA256.matcher(lower).matches()) {
            plain = lower;
        } else if (COLON_SHA256.matcher(lower).matches()) {
            plain = lower.replace(":", "");
        } else {
            throw new IllegalArgumentException("factory certificate pin is not a SHA-256 fingerprint (64 hex digits,"
                    + " or 32 colon-separated pairs like AB:CD:...): '" + fingerprint + "'");
        }
        return new FactoryTrust(Mode.PINNED_SHA256, null, List.of(), plain);
    }

    /**
     * Trusts whatever certificate factory presents, for any host name, as every historical client
     * did ({@code VERIFY_NONE}). Anyone on the path can impersonate factory; log {@link #describe()}.
     */
    public static FactoryTrust insecure() {
        return new FactoryTrust(Mode.INSECURE, null, List.of(), null);
    }

    public Mode mode() {
        return mode;
    }

    /** False only for {@link #insecure()}: the one mode worth a warning at start. */
    public boolean checksCertificate() {
        return mode != Mode.INSECURE;
    }

    /** Whether OkHttp's host name verification stays on. */
    public boolean verifiesHostName() {
        return mode == Mode.SYSTEM_DEFAULT || (mode == Mode.CERTIFICATE_FILE && pinnedCertificate() == null);
    }

    /** The SHA-256 pin as {@code AB:CD:...}, for {@link Mode#PINNED_SHA256}; else null. */
    public String pin() {
        return pin == null ? null : colonForm(pin);
    }

    /** The PEM file read, for {@link Mode#CERTIFICATE_FILE}; else null. */
    public Path file() {
        return file;
    }

    /** The certificates read from the file, for {@link Mode#CERTIFICATE_FILE}; else empty. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** One line for the worker's start-up log. */
    public String describe() {
        return switch (mode) {
            case SYSTEM_DEFAULT -> "factory TLS: the JDK's trust store, host name verified";
            case CERTIFICATE_FILE -> pinnedCertificate() != null
                    ? "factory TLS: only the certificate in " + file + " (" + certificates.get(0).getSubjectX500Principal()
                            + ", SHA-256 " + colonForm(sha256(certificates.get(0))) + "), host name not checked"
                    : "factory TLS: the " + certificates.size() + " certificate(s) in " + file
                            + " as trust anchors, host name verified";
            case PINNED_SHA256 -> "factory TLS: only a certificate with SHA-256 " + colonForm(pin)
                    + ", no chain or host name check";
            case INSECURE -> "INSECURE factory TLS: ANY certificate for ANY host name is accepted; anyone on the network"
                    + " path can impersonate Image Factory (trust a certificate file or a SHA-256 pin instead)";
        };
    }

    /**
     * Sets the socket factory, trust manager and host name verifier that this trust calls for on a
     * builder meant for the factory client, and returns it. {@link #systemDefault()} leaves the
     * builder as it is. Apply it to a fresh builder: nothing set before is restored.
     */
    public OkHttpClient.Builder apply(OkHttpClient.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        switch (mode) {
            case SYSTEM_DEFAULT -> {
                return builder;
            }
            case CERTIFICATE_FILE -> {
                X509TrustManager trustManager = anchoredOn(certificates);
                builder.sslSocketFactory(clientContext(trustManager).getSocketFactory(), trustManager);
                X509Certificate only = pinnedCertificate();
                if (only != null) {
                    String fingerprint = sha256(only);
                    builder.hostnameVerifier(leafMatches(fingerprint));
                }
                return builder;
            }
            case PINNED_SHA256 -> {
                X509ExtendedTrustManager trustManager = new LeafTrustManager(pin);
                builder.sslSocketFactory(clientContext(trustManager).getSocketFactory(), trustManager);
                builder.hostnameVerifier(leafMatches(pin));
                return builder;
            }
            case INSECURE -> {
                X509ExtendedTrustManager trustManager = new LeafTrustManager(null);
                builder.sslSocketFactory(clientContext(trustManager).getSocketFactory(), trustManager);
                builder.hostnameVerifier((host, session) -> true);
                return builder;
            }
            default -> throw new IllegalStateException(mode.toString());
        }
    }

    /** The certificate to match exactly when the file holds a single end-entity certificate; else null. */
    private X509Certificate pinnedCertificate() {
        if (certificates.size() == 1 && certificates.get(0).getBasicConstraints() < 0) {
            return certificates.get(0);
        }
        return null;
    }

    private static X509TrustManager anchoredOn(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("factory-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the PKIX trust manager factory made no X509TrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store from the factory certificates", e);
        }
    }

    /** A client-side TLS context of its own, so that no JVM-wide default changes. */
    private static SSLContext clientContext(TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context for the factory client", e);
        }
    }

    /**
     * Stands in for host name verification where the certificate is pinned: the session's leaf must
     * be the pinned one (this also covers resumed sessions, which skip the trust manager).
     */
    private static HostnameVerifier leafMatches(String sha256) {
        return (host, session) -> {
            try {
                Certificate[] peer = session.getPeerCertificates();
                return peer.length > 0 && peer[0] instanceof X509Certificate leaf && sha256.equals(sha256(leaf));
            } catch (SSLPeerUnverifiedException e) {
                return false;
            }
        };
    }

    private static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String colonForm(String plainHex) {
        String upper = plainHex.toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(95);
        for (int i = 0; i < upper.length(); i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(upper, i, i + 2);
        }
        return out.toString();
    }

    /**
     * Accepts a server by its leaf certificate's fingerprint, or any server when the pin is null.
     * It must be an {@link X509ExtendedTrustManager}: JSSE wraps a plain {@link X509TrustManager} in
     * a checker of {@code jdk.tls.disabledAlgorithms} that refuses paste's MD5withRSA certificate.
     */
    private static final class LeafTrustManager extends X509ExtendedTrustManager {
        private final String pin;

        LeafTrustManager(String pin) {
            this.pin = pin;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("factory presented no certificate");
            }
            if (pin != null) {
                String actual = sha256(chain[0]);
                if (!pin.equals(actual)) {
                    throw new CertificateException("factory's certificate " + chain[0].getSubjectX500Principal()
                            + " has SHA-256 " + colonForm(actual) + ", not the pinned " + colonForm(pin)
                            + " (factory makes a new certificate at every start unless given --ssl_pem)");
                }
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the factory client trusts servers, not clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FactoryTrust that && mode == that.mode && Objects.equals(file, that.file)
                && certificates.equals(that.certificates) && Objects.equals(pin, that.pin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, file, certificates, pin);
    }

    @Override
    public String toString() {
        return describe();
    }
}
