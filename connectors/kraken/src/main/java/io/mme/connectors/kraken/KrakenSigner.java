package io.mme.connectors.kraken;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Kraken's REST authentication: the {@code API-Sign} header, base64 of HMAC-SHA512 keyed with the
 * base64-decoded secret over the URI path followed by the raw SHA-256 of {@code nonce + postData},
 * and the nonce, which must strictly increase per API key. The nonce is epoch milliseconds, bumped
 * past the last one issued when two requests fall in the same millisecond (or the clock steps
 * back): Kraken only asks that it increase. Thread-safe: the nonce is one {@link AtomicLong}, and a
 * {@link Mac} is created per signature (cheap next to a network round trip).
 */
public final class KrakenSigner {
    private final byte[] secret;
    private final LongSupplier wallClockMillis;
    private final AtomicLong lastNonce = new AtomicLong();

    /**
     * @param base64Secret    the API secret as Kraken shows it (base64)
     * @param wallClockMillis epoch ms, the nonce's source
     */
    public KrakenSigner(String base64Secret, LongSupplier wallClockMillis) {
        try {
            this.secret = Base64.getDecoder().decode(base64Secret.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Kraken API secret is not base64", e);
        }
        this.wallClockMillis = wallClockMillis;
    }

    /** the next nonce: the clock in ms, or one more than the last nonce when the clock has not moved past it */
    public long nextNonce() {
        long now = wallClockMillis.getAsLong();
        return lastNonce.updateAndGet(last -> Math.max(now, last + 1));
    }

    /**
     * The {@code API-Sign} value.
     *
     * @param uriPath  the path from {@code /0/private/}
     * @param nonce    the nonce the body carries
     * @param postData the exact form-urlencoded body sent, {@code nonce=...} included
     */
    public String sign(String uriPath, long nonce, String postData) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((nonce + postData).getBytes(StandardCharsets.UTF_8));
            byte[] path = uriPath.getBytes(StandardCharsets.UTF_8);
            byte[] message = new byte[path.length + digest.length];
            System.arraycopy(path, 0, message, 0, path.length);
            System.arraycopy(digest, 0, message, path.length, digest.length);
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secret, "HmacSHA512"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256 or HmacSHA512", e);
        }
    }
}
