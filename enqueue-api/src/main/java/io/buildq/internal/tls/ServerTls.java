package io.buildq.internal.tls;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.buildq.internal.files.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A listener's TLS identity: a certificate chain and its private key, read from the PEM files that
 * certbot, a company CA or {@code openssl req -x509} produce. Used by the callback listener and both
 * dashboards, so that a password or a token never crosses a network in clear. Errors an operator can
 * make (a missing file, a key in the wrong format, a key that is not the certificate's, a key file
 * others may read) are refused at start, in one line that says what to do.
 */
public final class ServerTls {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private final SSLContext context;
    private final X509Certificate certificate;

    private ServerTls(SSLContext context, X509Certificate certificate) {
        this.context = context;
        this.certificate = certificate;
    }

    /**
     * Reads a PEM certificate chain (the server's certificate first) and its PEM private key (PKCS #8,
     * {@code BEGIN PRIVATE KEY}, unencrypted).
     *
     * @throws IllegalArgumentException naming the file and the fix, for anything an operator got wrong
     */
    public static ServerTls fromPemFiles(Path certificateChain, Path privateKey) {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> chain = readChain(certificateChain);
        PrivateKey key = readKey(privateKey);
        if (!belongTogether(key, chain.get(0))) {
            throw new IllegalArgumentException("the TLS key " + privateKey + " is not the key of the certificate in "
                    + certificateChain + " (" + chain.get(0).getSubjectX500Principal() + ")");
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("buildq", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new ServerTls(context, chain.get(0));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /** An HTTP server on {@code bind}: HTTPS with this identity, or plain HTTP when {@code tls} is null. */
    public static HttpServer listen(InetSocketAddress bind, ServerTls tls) throws IOException {
        answerWithoutDelay();
        if (tls == null) {
            return HttpServer.create(bind, 0);
        }
        HttpsServer server = HttpsServer.create(bind, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.context));
        return server;
    }

    /**
     * Turns Nagle's algorithm off on the JDK's HTTP servers (TCP_NODELAY). They write a response's
     * headers and its body in two writes, and with Nagle on the body waits for the client's delayed
     * ACK of the headers: 40 ms on Linux, on every answer with a body (a GET of the iwhd simulator
     * took 44 ms, 0.4 ms with it off). The JDK reads the property once, as its first server starts,
     * so the CLI sets it first thing too; an operator's own setting is kept.
     */
    public static void answerWithoutDelay() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    /** {@code https} with TLS, else {@code http}: the scheme of the URLs a server tells its clients. */
    public static String scheme(ServerTls tls) {
        return tls == null ? "http" : "https";
    }

    /** The context a server library that is not the JDK's (Jetty) is given. */
    public SSLContext sslContext() {
        return context;
    }

    /** The server's own certificate, the first of the chain. */
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return "ServerTls[" + certificate.getSubjectX500Principal() + "]";
    }

    private static List<X509Certificate> readChain(Path file) {
        byte[] pem = read(file, "TLS certificate");
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("the TLS certificate file " + file + " holds no certificate");
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS certificate file " + file
                    + " is not a PEM certificate chain (-----BEGIN CERTIFICATE-----): " + e.getMessage(), e);
        }
    }

    private static PrivateKey readKey(Path file) {
        if (Files.exists(file) && PrivateFiles.readableByOthers(file)) {
            throw new IllegalArgumentException("the TLS key file " + file + " can be read by others than its owner: `chmod 600 "
                    + file + "` (and replace the key if others may have read it)");
        }
        Matcher pem = PEM_KEY.matcher(new String(read(file, "TLS key"), StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw new IllegalArgumentException("the TLS key file " + file + " holds no PEM private key");
        }
        if (!pem.group(1).isEmpty()) {
            // "RSA ", "EC " (the older formats) or "ENCRYPTED ": the JDK reads unencrypted PKCS #8 only.
            throw new IllegalArgumentException("the TLS key file " + file + " holds a " + pem.group(1).trim()
                    + " private key; give an unencrypted PKCS #8 one: `openssl pkcs8 -topk8 -nocrypt -in " + file
                    + " -out key.pem`");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(2)));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm; try the next
            }
        }
        throw new IllegalArgumentException("the TLS key file " + file + " holds a private key of none of " + KEY_ALGORITHMS);
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "buildq".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " file " + file + ": " + e, e);
        }
    }
}
