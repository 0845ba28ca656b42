package io.mme.core.venue;

import java.util.Map;

/**
 * A venue API key and its secret, read from the environment; never printed ({@link #toString}
 * masks both), never written to a file by the engine.
 *
 * @param keyId  the public key id (Binance API key, Coinbase key name, Kraken API key)
 * @param secret the secret (an HMAC secret, a PEM private key, a base64 secret: the gateway knows)
 */
public record Credentials(String keyId, String secret) {
    public Credentials {
        if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("credentials need a key id and a secret");
        }
    }

    /**
     * Reads the two variables; the message names a missing variable (never a value).
     *
     * @throws IllegalStateException when either is unset or blank
     */
    public static Credentials fromEnvironment(Map<String, String> env, String keyVariable, String secretVariable) {
        String key = env.get(keyVariable);
        String secret = env.get(secretVariable);
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("environment variable " + keyVariable + " (the API key) is not set");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException("environment variable " + secretVariable + " (the API secret) is not set");
        }
        // PEM keys are often passed with literal \n in one line
        return new Credentials(key.trim(), secret.contains("\\n") ? secret.replace("\\n", "\n") : secret);
    }

    /** the key id with all but its first 4 characters masked, for logs */
    public String maskedKey() {
        return mask(keyId);
    }

    public static String mask(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 4 ? "****" : text.substring(0, 4) + "****";
    }

    @Override
    public String toString() {
        return "Credentials[key=" + maskedKey() + ", secret=****]";
    }
}
