package io.buildq.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.sim.http.SelfSignedCertificate.Profile;
import io.buildq.sim.iwhd.IwhdSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way of trusting factory, over real HTTPS against the factory simulator serving paste's
 * certificate (MD5, RSA 768, CN *) or a modern one (SHA-256, RSA 2048, SAN localhost/127.0.0.1).
 */
class FactoryTrustTest {

    @TempDir
    Path directory;

    private FactorySimulator factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
    }

    // ------------------------------------------------------------------ system default

    @Test
    void theSystemDefaultRefusesPastesSelfSignedCertificate() {
        factory = FactorySimulator.builder().https(Profile.PASTE).start();

        assertThatThrownBy(() -> get(FactoryTrust.systemDefault()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed")
                .hasMessageContaining("unable to find valid certification path to requested target");
    }

    @Test
    void theSystemDefaultRefusesAModernSelfSignedCertificateToo() {
        factory = FactorySimulator.builder().https(Profile.MODERN).start();

        assertThatThrownBy(() -> get(FactoryTrust.systemDefault()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
    }

    @Test
    void theSystemDefaultLeavesTheBuilderAsItIs() {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();

        assertThat(FactoryTrust.systemDefault().apply(builder)).isSameAs(builder);
        assertThat(FactoryTrust.systemDefault().verifiesHostName()).isTrue();
    }

    // ------------------------------------------------------------------ certificate file

    @Test
    void aCertificateFileHoldingPastesCertificateIsTrustedWithoutAHostNameCheck() throws IOException {
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        FactoryTrust trust = FactoryTrust.certificateFile(write("factory.pem", pem(factory)));

        assertThat(get(trust)).isEqualTo(200);
        assertThat(trust.verifiesHostName()).isFalse();
        assertThat(trust.describe()).contains("factory.pem").contains("host name not checked");
    }

    @Test
    void aCertificateFileHoldingTheModernCertificateIsTrusted() throws IOException {
        factory = FactorySimulator.builder().https(Profile.MODERN).start();

        assertThat(get(FactoryTrust.certificateFile(write("factory.pem", pem(factory))))).isEqualTo(200);
    }

    @Test
    void factorysOwnSslPemFileWithKeyAndCertificateCanBeGivenAsItIs() throws IOException {
        factory = FactorySimulator.builder().https(Profile.MODERN).start();
        String key = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(SelfSignedCertificate.generate(Profile.PASTE).privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        assertThat(get(FactoryTrust.certificateFile(write("ssl.pem", key + pem(factory))))).isEqualTo(200);
    }

    @Test
    void aCertificateFileOfAnotherCertificateIsRefused() throws IOException {
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        Path other = write("other.pem", SelfSignedCertificate.generate(Profile.PASTE).pem());

        assertThatThrownBy(() -> get(FactoryTrust.certificateFile(other)))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
    }

    @Test
    void aCertificateFileOfSeveralCertificatesKeepsTheHostNameCheckWhichPastesCertificateFails() throws IOException {
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        FactoryTrust trust = FactoryTrust.certificateFile(
                write("bundle.pem", pem(factory) + SelfSignedCertificate.generate(Profile.MODERN).pem()));

        assertThat(trust.verifiesHostName()).isTrue();
        assertThatThrownBy(() -> get(trust))
                .isInstanceOf(SSLPeerUnverifiedException.class)
                .hasMessageContaining("Hostname 127.0.0.1 not verified");
    }

    @Test
    void aCertificateFileOfSeveralCertificatesAcceptsAModernCertificateThatNamesTheHost() throws IOException {
        factory = FactorySimulator.builder().https(Profile.MODERN).start();
        FactoryTrust trust = FactoryTrust.certificateFile(
                write("bundle.pem", SelfSignedCertificate.generate(Profile.PASTE).pem() + pem(factory)));

        assertThat(get(trust)).isEqualTo(200);
    }

    @Test
    void anUnreadableEmptyOrBrokenCertificateFileIsRefusedByName() throws IOException {
        Path missing = directory.resolve("missing.pem");
        Path empty = write("empty.pem", "");
        Path keyOnly = write("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        Path broken = write("broken.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> FactoryTrust.certificateFile(missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read").hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> FactoryTrust.certificateFile(directory))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(directory.toString());
        assertThatThrownBy(() -> FactoryTrust.certificateFile(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no PEM certificate").hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> FactoryTrust.certificateFile(keyOnly))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> FactoryTrust.certificateFile(broken))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be parsed").hasMessageContaining(broken.toString());
    }

    // ------------------------------------------------------------------ pinned SHA-256

    @Test
    void aPinInColonFormAcceptsPastesCertificate() throws IOException {
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        String fingerprint = SelfSignedCertificate.colonForm(SelfSignedCertificate.sha256Hex(factory.certificate()));

        FactoryTrust trust = FactoryTrust.pinnedSha256(fingerprint);

        assertThat(get(trust)).isEqualTo(200);
        assertThat(trust.pin()).isEqualTo(fingerprint);
        assertThat(trust.verifiesHostName()).isFalse();
    }

    @Test
    void aPinInPlainHexOfAnyCaseAcceptsTheModernCertificate() throws IOException {
        factory = FactorySimulator.builder().https(Profile.MODERN).start();
        String plain = SelfSignedCertificate.sha256Hex(factory.certificate()).toUpperCase();

        assertThat(get(FactoryTrust.pinnedSha256(plain))).isEqualTo(200);
        assertThat(FactoryTrust.pinnedSha256(plain))
                .isEqualTo(FactoryTrust.pinnedSha256(SelfSignedCertificate.colonForm(plain).toLowerCase()));
    }

    @Test
    void aPinOfAnotherCertificateIsRefused() {
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        FactoryTrust trust = FactoryTrust.pinnedSha256(SelfSignedCertificate.generate(Profile.PASTE).sha256Fingerprint());

        assertThatThrownBy(() -> get(trust))
                .isInstanceOf(SSLHandshakeException.class)
                .rootCause().hasMessageContaining("not the pinned " + trust.pin());
    }

    @Test
    void afterFactoryRestartsWithPastesDefaultThePinNoLongerMatches() throws IOException {
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        int port = factory.port();
        FactoryTrust trust = FactoryTrust.pinnedSha256(SelfSignedCertificate.sha256Hex(factory.certificate()));
        OkHttpClient client = trust.apply(new OkHttpClient.Builder()).build();
        assertThat(get(client)).isEqualTo(200);

        factory.close();
        factory = FactorySimulator.builder().https(Profile.PASTE).port(port).start();

        assertThatThrownBy(() -> get(client))
                .isInstanceOf(SSLHandshakeException.class)
                .rootCause().hasMessageContaining("not the pinned " + trust.pin());
    }

    @Test
    void aMalformedPinIsRefusedWithTheReason() {
        for (String pin : new String[] {"", "AB:CD", "sha256/Dl2lYhXVTn0mEOzCM15WlGQkGzr126U30uzN50IM62w=",
                "zz".repeat(32), "AB:CD:" + "ab".repeat(30)}) {
            assertThatThrownBy(() -> FactoryTrust.pinnedSha256(pin))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a SHA-256 fingerprint");
        }
    }

    // ------------------------------------------------------------------ insecure

    @Test
    void insecureTrustAcceptsPastesAndTheModernCertificateAndSaysSoLoudly() throws IOException {
        FactoryTrust trust = FactoryTrust.insecure();
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        assertThat(get(trust)).isEqualTo(200);
        factory.close();
        factory = FactorySimulator.builder().https(Profile.MODERN).start();
        assertThat(get(trust)).isEqualTo(200);

        assertThat(trust.checksCertificate()).isFalse();
        assertThat(trust.describe()).startsWith("INSECURE");
    }

    // ------------------------------------------------------------------ nothing else changes

    @Test
    void clientsBuiltWithoutApplyKeepTheJdksFullChecks() throws IOException {
        SSLContext defaultContext = defaultContext();
        SSLSocketFactory defaultUrlFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
        factory = FactorySimulator.builder().https(Profile.PASTE).start();
        OkHttpClient factoryClient = FactoryTrust.insecure().apply(new OkHttpClient.Builder()).build();
        assertThat(get(factoryClient)).isEqualTo(200);

        assertThatThrownBy(() -> get(new OkHttpClient()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
        assertThat(defaultContext()).isSameAs(defaultContext);
        assertThat(HttpsURLConnection.getDefaultSSLSocketFactory()).isSameAs(defaultUrlFactory);
        assertThat(HttpsURLConnection.getDefaultHostnameVerifier().verify("127.0.0.1", null)).isFalse();
        try (IwhdSimulator iwhd = IwhdSimulator.builder().start();
             Response response = new OkHttpClient().newCall(new Request.Builder().url(iwhd.baseUrl()).build()).execute()) {
            assertThat(response.isSuccessful()).isTrue();
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private int get(FactoryTrust trust) throws IOException {
        return get(trust.apply(new OkHttpClient.Builder()).build());
    }

    private int get(OkHttpClient client) throws IOException {
        try (Response response = client.newCall(new Request.Builder().url(factory.baseUrl()).build()).execute()) {
            assertThat(response.header("Content-Type")).startsWith("application/json");
            return response.code();
        }
    }

    private static String pem(FactorySimulator factory) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder().encodeToString(factory.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text, StandardCharsets.US_ASCII);
    }
}
