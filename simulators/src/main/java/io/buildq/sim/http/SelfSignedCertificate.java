package io.buildq.sim.http;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A key pair and a certificate made up on the spot, for a simulator that serves HTTPS. Like paste
 * with {@code --ssl_pem '*'}, nothing is written to disk: every instance (so every simulator start)
 * has a new key and certificate, and clients that pinned the old one stop trusting the server.
 *
 * <p>Fingerprints are SHA-256 over the DER encoding. {@link #sha256Fingerprint()} gives them the
 * way {@code openssl x509 -fingerprint -sha256} and keytool print them ({@code AB:CD:...}, upper
 * case); {@link #sha256Hex()} gives the plain form (lower-case hex, no separators).
 * {@link #normalizeFingerprint(String)} turns either form, in either case, into the plain one.
 */
public final class SelfSignedCertificate {

    /** What kind of certificate to make. */
    public enum Profile {
        /**
         * Exactly what paste's {@code _auto_ssl_context()} made: an X.509 v1 certificate (pyOpenSSL's
         * default version, no extensions), RSA 768-bit key, MD5withRSA, a random serial, valid for
         * one year from now, subject {@code CN=*, O=Dummy Certificate}, issuer
         * {@code CN=Untrusted Authority, O=Self-Signed} (not the subject, yet signed with the
         * certificate's own key). A current JDK refuses it under its default constraints.
         */
        PASTE,
        /**
         * A certificate a current JDK accepts once trusted: X.509 v3, RSA 2048, SHA256withRSA, subject
         * and issuer {@code CN=localhost}, SubjectAltNames {@code DNS:localhost} and
         * {@code IP:127.0.0.1}, valid for one year.
         */
        MODERN
    }

    private static final Pattern PLAIN_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern COLON_SHA256 = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){31}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Profile profile;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private SelfSignedCertificate(Profile profile, X509Certificate certificate, PrivateKey privateKey) {
        this.profile = profile;
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** Generates a new key pair and certificate of the given profile. */
    public static SelfSignedCertificate generate(Profile profile) {
        try {
            return switch (profile) {
                case PASTE -> paste();
                case MODERN -> modern();
            };
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a " + profile + " certificate", e);
        }
    }

    private static SelfSignedCertificate paste() throws GeneralSecurityException, OperatorCreationException {
        KeyPair keys = rsa(768);
        Instant now = Instant.now();
        // pyOpenSSL appends name entries in the order they are set: CN first, then O.
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "*").addRDN(BCStyle.O, "Dummy Certificate").build();
        X500Name issuer = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "Untrusted Authority").addRDN(BCStyle.O, "Self-Signed").build();
        // random.randint(0, sys.maxint) on a 64-bit Python 2
        BigInteger serial = BigInteger.valueOf(RANDOM.nextLong() & Long.MAX_VALUE);
        X509v1CertificateBuilder builder = new X509v1CertificateBuilder(issuer, serial,
                Date.from(now), Date.from(now.plus(Duration.ofDays(365))), subject,
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
        return new SelfSignedCertificate(Profile.PASTE, sign(builder.build(signer("MD5withRSA", keys))), keys.getPrivate());
    }

    private static SelfSignedCertificate modern() throws GeneralSecurityException, OperatorCreationException,
            IOException {
        KeyPair keys = rsa(2048);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "localhost").build();
        BigInteger serial = new BigInteger(127, RANDOM);
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial,
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(365))), name,
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
        byte[] loopback = InetAddress.getByName("127.0.0.1").getAddress();
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, new DEROctetString(loopback))}));
        return new SelfSignedCertificate(Profile.MODERN, sign(builder.build(signer("SHA256withRSA", keys))),
                keys.getPrivate());
    }

    private static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, RANDOM);
        return generator.generateKeyPair();
    }

    private static ContentSigner signer(String algorithm, KeyPair keys) throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithm).build(keys.getPrivate());
    }

    private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
        // The JDK's own provider parses it, so that it behaves exactly like a certificate read off the wire.
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    public Profile profile() {
        return profile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * A new server-side TLS context that presents this certificate. It uses the {@code SunX509} key
     * manager, which (like pyOpenSSL) serves the certificate without judging its algorithms; whether
     * the client accepts it is the client's business.
     */
    public SSLContext serverContext() {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey, password, new X509Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
            keyManagers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS server context for " + profile, e);
        }
    }

    /** The certificate as a PEM block ({@code -----BEGIN CERTIFICATE-----}), ending with a newline. */
    public String pem() {
        try {
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as an unencrypted PKCS #8 PEM block ({@code -----BEGIN PRIVATE KEY-----}). */
    public String privateKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(privateKey.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** SHA-256 of the DER certificate, colon-separated upper-case hex: {@code AB:CD:...} (95 characters). */
    public String sha256Fingerprint() {
        return colonForm(sha256Hex());
    }

    /** SHA-256 of the DER certificate, plain lower-case hex (64 characters). */
    public String sha256Hex() {
        return sha256Hex(certificate);
    }

    /** SHA-256 of a certificate's DER encoding, plain lower-case hex. */
    public static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The plain form (64 lower-case hex digits) of a SHA-256 fingerprint given as plain hex or as
     * colon-separated pairs, in any case; surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException if it is neither form of 32 bytes
     */
    public static String normalizeFingerprint(String fingerprint) {
        String lower = fingerprint.strip().toLowerCase(Locale.ROOT);
        if (PLAIN_SHA256.matcher(lower).matches()) {
            return lower;
        }
        if (COLON_SHA256.matcher(lower).matches()) {
            return lower.replace(":", "");
        }
        throw new IllegalArgumentException("not a SHA-256 fingerprint (64 hex digits, or 32 colon-separated pairs"
                + " like AB:CD:...): '" + fingerprint + "'");
    }

    /** The colon-separated upper-case form of a fingerprint given in either form. */
    public static String colonForm(String fingerprint) {
        String plain = normalizeFingerprint(fingerprint).toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(95);
        for (int i = 0; i < plain.length(); i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(plain, i, i + 2);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return profile + " certificate " + certificate.getSubjectX500Principal() + " SHA-256 " + sha256Fingerprint();
    }
}
