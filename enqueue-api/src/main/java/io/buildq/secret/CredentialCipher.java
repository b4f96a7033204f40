package io.buildq.secret;

import io.buildq.error.BuildQueueException;
import io.buildq.internal.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals provider credentials for storage with AES-256-GCM. Each sealed value is bound to its job's
 * id (the GCM associated data), so a value copied to another row does not open. The key is 32 random
 * bytes, base64 in {@code BUILDQ_SECRET_KEY} or in the file {@code BUILDQ_SECRET_KEY_FILE} names.
 */
public final class CredentialCipher {

    public static final String KEY_VARIABLE = "BUILDQ_SECRET_KEY";
    public static final String KEY_FILE_VARIABLE = "BUILDQ_SECRET_KEY_FILE";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private CredentialCipher(byte[] key) {
        if (key.length != 32) {
            throw new BuildQueueException("The secret key must be 32 bytes (base64 of 32 random bytes), not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    public static CredentialCipher fromBase64(String base64Key) {
        try {
            return new CredentialCipher(Base64.getDecoder().decode(base64Key.strip()));
        } catch (IllegalArgumentException e) {
            throw new BuildQueueException("The secret key is not base64", e);
        }
    }

    /** The key from {@code BUILDQ_SECRET_KEY}, else from the file {@code BUILDQ_SECRET_KEY_FILE} names. */
    public static CredentialCipher fromEnvironment(Map<String, String> environment) {
        String key = environment.get(KEY_VARIABLE);
        if (key != null && !key.isBlank()) {
            return fromBase64(key);
        }
        String file = environment.get(KEY_FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return fromKeyFile(Path.of(file));
        }
        throw new BuildQueueException("No secret key for provider credentials: set " + KEY_VARIABLE + " (base64 of 32 random"
                + " bytes, e.g. `head -c 32 /dev/urandom | base64`) or " + KEY_FILE_VARIABLE);
    }

    /**
     * Reads the key file. A key file its group or others may read is refused before it is read: whoever
     * read it can open every stored provider credential, and a key that was exposed should be replaced,
     * not used on as if nothing happened.
     */
    public static CredentialCipher fromKeyFile(Path file) {
        if (Files.exists(file) && PrivateFiles.readableByOthers(file)) {
            throw new BuildQueueException("The secret key file " + file + " can be read by others than its owner, who could"
                    + " open every stored provider credential: `chmod 600 " + file + "` (and replace the key if others"
                    + " may have read it)");
        }
        try {
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret key file " + file, e);
        }
    }

    /** Reads the key file, creating it (readable by its owner only) with a new random key if missing. */
    public static CredentialCipher generatedKeyFile(Path file) {
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            // 0600 from its creation: written first and chmod-ed after, it was readable for a moment.
            PrivateFiles.createOwnerOnly(file, Base64.getEncoder().encodeToString(key));
        }
        return fromKeyFile(file);
    }

    public String seal(String plaintext, UUID boundTo) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(boundTo));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JVM", e);
        }
    }

    /** Opens a sealed value; fails if it was sealed with another key or for another job. */
    public String open(String sealed, UUID boundTo) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new BuildQueueException("The credentials of job " + boundTo + " are damaged (not base64)", e);
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new BuildQueueException("The credentials of job " + boundTo + " are damaged (" + bytes.length
                    + " bytes, too short to be sealed)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(boundTo));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new BuildQueueException("The credentials of job " + boundTo
                    + " cannot be opened with this secret key (was the key changed?)", e);
        }
    }

    private static byte[] associatedData(UUID jobId) {
        return ByteBuffer.allocate(16).putLong(jobId.getMostSignificantBits()).putLong(jobId.getLeastSignificantBits()).array();
    }

    @Override
    public String toString() {
        return "CredentialCipher[AES-256-GCM]";
    }
}
