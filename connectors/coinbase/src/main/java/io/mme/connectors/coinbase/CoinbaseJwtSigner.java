package io.mme.connectors.coinbase;

import io.mme.core.venue.Credentials;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Coinbase CDP API key authentication: one JWT signed with ES256 per REST request (its {@code uri}
 * claim ties it to one method, host and path) and one per user-channel subscribe (no {@code uri}).
 * Header {@code {alg ES256, kid, nonce, typ JWT}}, claims {@code sub} = key name, {@code iss} = "cdp",
 * {@code nbf} = now, {@code exp} = now + 120 s, where "now" is the venue's clock (the caller passes
 * it). The secret is the key's PEM: SEC1 ({@code BEGIN EC PRIVATE KEY}, as Coinbase issues it) or
 * PKCS#8 ({@code BEGIN PRIVATE KEY}).
 *
 * <p>Thread-safe: a {@link Signature} is made per token (cheap next to the ECDSA itself), the
 * random source is thread-safe.
 */
public final class CoinbaseJwtSigner {
    /** how long a token is valid: the venue's maximum */
    public static final long LIFETIME_SECONDS = 120;
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    /** id-ecPublicKey with the prime256v1 parameters: the AlgorithmIdentifier a PKCS#8 wrapper of a P-256 SEC1 key carries */
    private static final byte[] EC_P256_ALGORITHM = {
            0x30, 0x13,
            0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01,
            0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07};

    private final String keyName;
    private final PrivateKey key;
    private final SecureRandom random = new SecureRandom();

    public CoinbaseJwtSigner(Credentials credentials) {
        this.keyName = credentials.keyId();
        this.key = privateKey(credentials.secret());
    }

    /**
     * A token for one REST request.
     *
     * @param authority      the host as the request names it ({@code api.coinbase.com})
     * @param path           the path without the query string
     * @param venueEpochSeconds the venue's time now
     */
    public String restToken(String method, String authority, String path, long venueEpochSeconds) {
        return token(method + " " + authority + path, venueEpochSeconds);
    }

    /** a token for a WebSocket subscribe: no uri claim */
    public String streamToken(long venueEpochSeconds) {
        return token(null, venueEpochSeconds);
    }

    private String token(String uri, long now) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String header = "{\"alg\":\"ES256\",\"kid\":" + quote(keyName) + ",\"nonce\":\"" + HexFormat.of().formatHex(nonce) + "\",\"typ\":\"JWT\"}";
        String claims = "{\"sub\":" + quote(keyName) + ",\"iss\":\"cdp\",\"nbf\":" + now + ",\"exp\":" + (now + LIFETIME_SECONDS)
                + (uri == null ? "" : ",\"uri\":" + quote(uri)) + "}";
        String signingInput = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64URL.encodeToString(sign(signingInput));
    }

    /** the JWS signature of {@code signingInput}: raw R||S (64 bytes), as ES256 wants, not DER */
    byte[] sign(String signingInput) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key, random);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an EC private key from PEM text: SEC1 ({@code BEGIN EC PRIVATE KEY}) is wrapped into
     * PKCS#8 (a fixed ASN.1 prefix for P-256) for the JDK's {@link KeyFactory}; PKCS#8 is used as it is.
     *
     * @throws IllegalArgumentException naming the expected forms (never the key's text)
     */
    public static ECPrivateKey privateKey(String pem) {
        String text = pem.trim();
        boolean sec1 = text.contains("-----BEGIN EC PRIVATE KEY-----");
        boolean pkcs8 = text.contains("-----BEGIN PRIVATE KEY-----");
        if (!sec1 && !pkcs8) {
            throw new IllegalArgumentException("the Coinbase secret must be an EC private key in PEM: "
                    + "-----BEGIN EC PRIVATE KEY----- (SEC1) or -----BEGIN PRIVATE KEY----- (PKCS#8)");
        }
        String body = text.replaceAll("-----(BEGIN|END) (EC )?PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Coinbase secret's PEM body is not base64", e);
        }
        byte[] pkcs8Der = sec1 ? wrapSec1(der) : der;
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8Der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the Coinbase secret is not a readable EC P-256 private key: " + e.getMessage(), e);
        }
    }

    /** PrivateKeyInfo { version 0, AlgorithmIdentifier(ecPublicKey, prime256v1), OCTET STRING(sec1) } */
    static byte[] wrapSec1(byte[] sec1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[]{0x02, 0x01, 0x00});
        content.writeBytes(EC_P256_ALGORITHM);
        content.write(0x04);
        writeLength(content, sec1.length);
        content.writeBytes(sec1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        }
    }

    /** a JSON string literal; key names are {@code organizations/.../apiKeys/...}, but quote properly anyway */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
