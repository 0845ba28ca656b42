package io.mme.connectors.binance;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binance request signatures (VENUES.md §1.3, §1.4): an HMAC secret signs with HMAC-SHA256 (hex);
 * a PEM PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}) signs with Ed25519 (base64).
 * REST signs the query string as sent; the WS API signs its params sorted by name. Thread-safe: each
 * call builds its own {@link Mac} / {@link Signature} (they are not shareable and cheap to make).
 */
public final class BinanceSigner {
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private final SecretKeySpec hmacKey;
    private final PrivateKey ed25519Key;

    /** @param secret an HMAC secret, or an Ed25519 private key in PEM (PKCS#8) */
    public BinanceSigner(String secret) {
        String trimmed = secret.trim();
        if (trimmed.startsWith(PEM_BEGIN)) {
            this.hmacKey = null;
            this.ed25519Key = parseEd25519(trimmed);
        } else {
            this.hmacKey = new SecretKeySpec(trimmed.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            this.ed25519Key = null;
        }
    }

    /** true for an Ed25519 key, false for an HMAC secret */
    public boolean ed25519() {
        return ed25519Key != null;
    }

    /** the signature of {@code payload}: hex HMAC-SHA256 or base64 Ed25519 (not URL-encoded) */
    public String sign(String payload) {
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        try {
            if (ed25519Key != null) {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(ed25519Key);
                s.update(data);
                return Base64.getEncoder().encodeToString(s.sign());
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a Binance request: " + e.getMessage(), e);
        }
    }

    /** the WS API payload: every param but {@code signature}, sorted by name, joined as {@code k=v&k=v} */
    public static String webSocketPayload(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().equals("signature")) {
                continue;
            }
            b.append(b.isEmpty() ? "" : "&").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    private static PrivateKey parseEd25519(String pem) {
        int end = pem.indexOf(PEM_END);
        if (end < 0) {
            throw new IllegalArgumentException("the Binance secret looks like a PEM key but has no '" + PEM_END + "' line");
        }
        String body = pem.substring(PEM_BEGIN.length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the Binance secret is not an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
        }
    }
}
