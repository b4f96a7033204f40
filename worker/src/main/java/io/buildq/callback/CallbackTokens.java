package io.buildq.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token each callback URL carries: an HMAC-SHA256, under the installation's callback signing key,
 * of the collection, the job's id and the attempt. Factory sends the callback URL (token included)
 * in its request bodies and logs, so a token must be worth no more than the report it was made for:
 * one job's token cannot write another job, a target build's cannot write a push, and an attempt's
 * cannot write the attempt a retry starts after it.
 *
 * <p>The token's form suits how factory reads it ({@code CallbackWorker.__init__} splits the URL's user
 * info with {@code ^(\w*://)([^:/]+)(:)([^:/]+)(@)(.*)$} and sends it as Basic auth through
 * {@code base64.encodestring}): base64url holds neither {@code :} nor {@code /}, and
 * {@code buildq:} plus 43 characters is 50 bytes, short of the 57 at which encodestring breaks its line.
 */
public final class CallbackTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    /** @param key the installation's callback signing key (migration V11), at least 32 bytes */
    public CallbackTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a callback signing key has at least 256 bits, this one " + key.length * 8);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The token for callbacks about {@code attempt} of {@code jobId} in {@code collection}; URL-safe. */
    public String token(String collection, UUID jobId, int attempt) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(collection, jobId, attempt));
    }

    /** Whether {@code presented} is the token of exactly this collection, job and attempt (in constant time). */
    public boolean verifies(String collection, UUID jobId, int attempt, String presented) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(presented);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(collection, jobId, attempt), given);
    }

    private byte[] mac(String collection, UUID jobId, int attempt) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // Unambiguous: the collection is one of two fixed words, a UUID has a fixed form.
            return mac.doFinal((collection + "/" + jobId + "/" + attempt).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }
}
