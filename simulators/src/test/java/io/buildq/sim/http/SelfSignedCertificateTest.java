package io.buildq.sim.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.SelfSignedCertificate.Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The simulator's certificates are what paste made (or a modern equivalent), and a JDK 17 with its
 * default {@code java.security} treats paste's the way docs/stock-install.md says.
 */
class SelfSignedCertificateTest {

    @Test
    void thePasteProfileIsPastesAutoSslCertificate() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate(Profile.PASTE);
        X509Certificate certificate = generated.certificate();

        assertThat(certificate.getVersion()).isEqualTo(1);
        assertThat(certificate.getSigAlgName()).isEqualTo("MD5withRSA");
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(768);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("O=Dummy Certificate,CN=*");
        assertThat(certificate.getIssuerX500Principal().getName()).isEqualTo("O=Self-Signed,CN=Untrusted Authority");
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(365));
        assertThat(certificate.getSubjectAlternativeNames()).isNull();
        certificate.verify(certificate.getPublicKey()); // signed with its own key despite the other issuer name
    }

    @Test
    void theModernProfileNamesLocalhostAndTheLoopbackAddress() throws Exception {
        X509Certificate certificate = SelfSignedCertificate.generate(Profile.MODERN).certificate();

        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(certificate.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void everyGenerationMakesANewKeyAndCertificate() {
        SelfSignedCertificate first = SelfSignedCertificate.generate(Profile.PASTE);
        SelfSignedCertificate second = SelfSignedCertificate.generate(Profile.PASTE);

        assertThat(second.sha256Hex()).isNotEqualTo(first.sha256Hex());
        assertThat(second.certificate().getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
    }

    @Test
    void thePemParsesBackToTheSameCertificate() throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate(Profile.MODERN);

        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(generated.pem().getBytes(StandardCharsets.US_ASCII)));

        assertThat(parsed).isEqualTo(generated.certificate());
        assertThat(generated.pem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
    }

    @Test
    void fingerprintsComeColonSeparatedOrPlainAndNormalizeFromEither() {
        SelfSignedCertificate generated = SelfSignedCertificate.generate(Profile.PASTE);

        assertThat(generated.sha256Fingerprint()).matches("[0-9A-F]{2}(:[0-9A-F]{2}){31}");
        assertThat(generated.sha256Hex()).matches("[0-9a-f]{64}");
        assertThat(SelfSignedCertificate.normalizeFingerprint(generated.sha256Fingerprint())).isEqualTo(generated.sha256Hex());
        assertThat(SelfSignedCertificate.normalizeFingerprint(" " + generated.sha256Hex().toUpperCase() + "\n"))
                .isEqualTo(generated.sha256Hex());
        assertThat(SelfSignedCertificate.colonForm(generated.sha256Hex())).isEqualTo(generated.sha256Fingerprint());
        assertThatThrownBy(() -> SelfSignedCertificate.normalizeFingerprint("AB:CD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a SHA-256 fingerprint");
    }

    @Test
    void anHttpsFactoryPutsHttpsInItsBaseUrlAndHrefs() throws Exception {
        try (FactorySimulator factory = FactorySimulator.builder().https(Profile.MODERN).start()) {
            X509TrustManager trust = trusting(factory.certificate());
            OkHttpClient http = client(trust).build();

            assertThat(factory.baseUrl()).startsWith("https://127.0.0.1:");
            try (Response response = http.newCall(new Request.Builder().url(factory.baseUrl() + "/target_images")
                    .post(RequestBody.create("{\"target_image\": {\"target\": \"ec2\", \"template\": \"<template/>\"}}",
                            MediaType.get("application/json"))).build()).execute()) {
                assertThat(response.code()).isEqualTo(202);
                JsonNode image = new ObjectMapper().readTree(response.body().string()).get("target_image");
                assertThat(image.get("href").asText()).startsWith("https://127.0.0.1:" + factory.port() + "/imagefactory/");
            }
        }
    }

    @Test
    void aPlainFactoryHasNoCertificate() {
        try (FactorySimulator factory = FactorySimulator.builder().start()) {
            assertThat(factory.certificate()).isNull();
            assertThat(factory.baseUrl()).startsWith("http://");
        }
    }

    @Test
    void eachStartOfAnHttpsFactoryServesANewCertificate() {
        X509Certificate first;
        try (FactorySimulator factory = FactorySimulator.builder().https(Profile.PASTE).start()) {
            first = factory.certificate();
        }
        try (FactorySimulator factory = FactorySimulator.builder().https(Profile.PASTE).start()) {
            assertThat(factory.certificate()).isNotEqualTo(first);
        }
    }

    // ------------------------------------------- what JDK 17 makes of paste's certificate

    @Test
    void theJdksDefaultTrustRefusesPastesCertificate() {
        try (FactorySimulator factory = FactorySimulator.builder().https(Profile.PASTE).start()) {
            assertThatThrownBy(() -> get(new OkHttpClient(), factory))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("PKIX path building failed")
                    .hasMessageContaining("unable to find valid certification path to requested target");
        }
    }

    @Test
    void aPkixTrustStoreHoldingPastesCertificateAcceptsItButOkHttpsHostNameCheckDoesNot() throws Exception {
        try (FactorySimulator factory = FactorySimulator.builder().https(Profile.PASTE).start()) {
            X509TrustManager trust = trusting(factory.certificate());

            // MD5 and RSA 768 are not checked on a trust anchor, and the leaf is the anchor.
            assertThat(get(client(trust).hostnameVerifier((host, session) -> true).build(), factory)).isEqualTo(200);
            assertThatThrownBy(() -> get(client(trust).build(), factory))
                    .isInstanceOf(SSLPeerUnverifiedException.class)
                    .hasMessageContaining("Hostname 127.0.0.1 not verified");
        }
    }

    @Test
    void anExtendedTrustManagerAcceptsPastesCertificateButAPlainOneIsHeldToTheTlsConstraints() throws Exception {
        try (FactorySimulator factory = FactorySimulator.builder().https(Profile.PASTE).start()) {
            X509TrustManager plain = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };

            assertThat(get(client(trustingAll()).hostnameVerifier((host, session) -> true).build(), factory))
                    .isEqualTo(200);
            assertThatThrownBy(() -> get(client(plain).hostnameVerifier((host, session) -> true).build(), factory))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessage("Certificates do not conform to algorithm constraints")
                    .rootCause().hasMessage("Algorithm constraints check failed on signature algorithm: MD5withRSA");
        }
    }

    @Test
    void theModernCertificateOnceTrustedPassesOkHttpsHostNameCheck() throws Exception {
        try (FactorySimulator factory = FactorySimulator.builder().https(Profile.MODERN).start()) {
            assertThat(get(client(trusting(factory.certificate())).build(), factory)).isEqualTo(200);
        }
    }

    private static int get(OkHttpClient http, FactorySimulator factory) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(factory.baseUrl()).build()).execute()) {
            return response.code();
        }
    }

    private static OkHttpClient.Builder client(X509TrustManager trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return new OkHttpClient.Builder().sslSocketFactory(context.getSocketFactory(), trust);
    }

    private static X509TrustManager trusting(X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("factory", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static X509ExtendedTrustManager trustingAll() {
        return new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
