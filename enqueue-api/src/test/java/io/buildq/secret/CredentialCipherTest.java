package io.buildq.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.error.BuildQueueException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialCipherTest {

    private static final String CREDENTIALS = "<provider_credentials><ec2_credentials><access_key>AKIA</access_key>"
            + "<secret_access_key>s3cret</secret_access_key></ec2_credentials></provider_credentials>";
    private final UUID push = UUID.randomUUID();

    @Test
    void whatIsSealedForAPushOpensForThatPushWithTheSameKey() {
        CredentialCipher cipher = CredentialCipher.fromBase64(newKey());

        String sealed = cipher.seal(CREDENTIALS, push);

        assertThat(sealed).doesNotContain("s3cret");
        assertThat(cipher.open(sealed, push)).isEqualTo(CREDENTIALS);
        assertThat(cipher.seal(CREDENTIALS, push)).as("a fresh nonce every time").isNotEqualTo(sealed);
    }

    @Test
    void anotherKeyCannotOpenThem() {
        String sealed = CredentialCipher.fromBase64(newKey()).seal(CREDENTIALS, push);

        assertThatThrownBy(() -> CredentialCipher.fromBase64(newKey()).open(sealed, push))
                .isInstanceOf(BuildQueueException.class).hasMessageContaining("cannot be opened with this secret key");
    }

    @Test
    void credentialsSealedForOnePushCannotBeOpenedForAnother() {
        CredentialCipher cipher = CredentialCipher.fromBase64(newKey());
        String sealed = cipher.seal(CREDENTIALS, push);

        assertThatThrownBy(() -> cipher.open(sealed, UUID.randomUUID())).isInstanceOf(BuildQueueException.class);
    }

    @Test
    void aChangedByteIsRefusedNotDecryptedToSomethingElse() {
        CredentialCipher cipher = CredentialCipher.fromBase64(newKey());
        byte[] bytes = Base64.getDecoder().decode(cipher.seal(CREDENTIALS, push));
        bytes[20] ^= 1;

        assertThatThrownBy(() -> cipher.open(Base64.getEncoder().encodeToString(bytes), push))
                .isInstanceOf(BuildQueueException.class);
    }

    @Test
    void damagedValuesAreRefusedWithTheJobNamed() {
        CredentialCipher cipher = CredentialCipher.fromBase64(newKey());

        assertThatThrownBy(() -> cipher.open("not base64!", push))
                .isInstanceOf(BuildQueueException.class).hasMessageContaining(push.toString()).hasMessageContaining("damaged");
        assertThatThrownBy(() -> cipher.open(Base64.getEncoder().encodeToString(new byte[5]), push))
                .isInstanceOf(BuildQueueException.class).hasMessageContaining("too short");
    }

    @Test
    void aKeyMustBe32BytesOfBase64AndSayWhereItComesFrom() {
        assertThatThrownBy(() -> CredentialCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(BuildQueueException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> CredentialCipher.fromBase64("%%%"))
                .isInstanceOf(BuildQueueException.class).hasMessageContaining("not base64");
        assertThatThrownBy(() -> CredentialCipher.fromEnvironment(Map.of()))
                .isInstanceOf(BuildQueueException.class)
                .hasMessageContaining(CredentialCipher.KEY_VARIABLE).hasMessageContaining(CredentialCipher.KEY_FILE_VARIABLE);
        assertThat(CredentialCipher.fromBase64(newKey()).toString()).doesNotContain("=");
    }

    @Test
    void aGeneratedKeyFileIsCreatedForItsOwnerAloneAndOpensWhatItSealed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data").resolve("secret.key");
        UUID job = UUID.randomUUID();

        String sealed = CredentialCipher.generatedKeyFile(file).seal("s3cr3t", job);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(CredentialCipher.generatedKeyFile(file).open(sealed, job)).as("the same key, read back")
                .isEqualTo("s3cr3t");
    }

    @Test
    void aKeyFileItsGroupOrOthersMayReadIsRefusedWithTheCommandThatFixesIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret.key");
        CredentialCipher.generatedKeyFile(file);
        for (String mode : List.of("rw-r-----", "rw----r--", "rw-r--r--")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

            assertThatThrownBy(() -> CredentialCipher.fromKeyFile(file)).as(mode)
                    .isInstanceOf(BuildQueueException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("chmod 600")
                    .message().doesNotContain("\n");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(CredentialCipher.fromKeyFile(file)).isNotNull();
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
