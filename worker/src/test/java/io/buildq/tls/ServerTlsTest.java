package io.buildq.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.buildq.internal.tls.ServerTls;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.sim.http.SelfSignedCertificate.Profile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listeners' TLS identity: what an operator's PEM files give, and each mistake refused in one line. */
class ServerTlsTest {

    @TempDir
    Path directory;

    private static final SelfSignedCertificate certificate = SelfSignedCertificate.generate(Profile.MODERN);

    @Test
    void aListenerWithTheOperatorsCertificateServesHttpsThatAClientTrustingItReads() throws IOException {
        Path cert = write("cert.pem", certificate.pem());
        ServerTls tls = ServerTls.fromPemFiles(cert, writeKey("key.pem", certificate.privateKeyPem()));
        HttpServer server = ServerTls.listen(new InetSocketAddress("127.0.0.1", 0), tls);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            OkHttpClient trusting = FactoryTrust.certificateFile(cert).apply(new OkHttpClient.Builder()).build();
            try (Response response = trusting.newCall(new Request.Builder()
                    .url("https://localhost:" + server.getAddress().getPort() + "/").build()).execute()) {
                assertThat(response.code()).isEqualTo(204);
            }
            OkHttpClient plain = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(3)).build();
            assertThatThrownBy(() -> plain.newCall(new Request.Builder()
                    .url("http://localhost:" + server.getAddress().getPort() + "/").build()).execute().close())
                    .as("plain HTTP gets no answer").isInstanceOf(IOException.class);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedBeforeItIsRead() throws IOException {
        Path key = writeKey("key.pem", certificate.privateKeyPem());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ServerTls.fromPemFiles(write("cert.pem", certificate.pem()), key))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chmod 600 " + key);
    }

    @Test
    void theKeyOfAnotherCertificateIsRefused() throws IOException {
        SelfSignedCertificate other = SelfSignedCertificate.generate(Profile.MODERN);

        assertThatThrownBy(() -> ServerTls.fromPemFiles(write("cert.pem", certificate.pem()),
                writeKey("key.pem", other.privateKeyPem())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the key of the certificate");
    }

    @Test
    void anOlderFormatKeyIsRefusedWithTheCommandThatConvertsIt() throws IOException {
        String pkcs1 = certificate.privateKeyPem().replace("PRIVATE KEY", "RSA PRIVATE KEY");

        assertThatThrownBy(() -> ServerTls.fromPemFiles(write("cert.pem", certificate.pem()), writeKey("key.pem", pkcs1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aCertificateFileWithoutACertificateIsRefusedNamingTheFile() throws IOException {
        Path notACertificate = write("cert.pem", "hello\n");

        assertThatThrownBy(() -> ServerTls.fromPemFiles(notACertificate, writeKey("key.pem", certificate.privateKeyPem())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(notACertificate.toString());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private Path writeKey(String name, String text) throws IOException {
        Path key = write(name, text);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }
}
