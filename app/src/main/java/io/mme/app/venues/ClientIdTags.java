package io.mme.app.venues;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The client-id tag of a run directory: made once (4 random characters of a-z0-9) and kept in the
 * directory, so that a restart recognises its own orders on the venues and a new run directory never
 * reuses the ids of an old one (Coinbase keeps client order ids as idempotency keys). CLI thread.
 */
public final class ClientIdTags {
    public static final String FILE = "client-id-tag";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private ClientIdTags() {
    }

    /** the configured tag when given (and kept), else the directory's own, made on first use */
    public static String forRunDirectory(Path runDirectory, String configured) throws IOException {
        Path file = runDirectory.resolve(FILE);
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (configured != null && !configured.equals(kept)) {
                throw new IllegalStateException("execution.clientIdTag is " + configured + " but the run directory " + runDirectory
                        + " was started with " + kept + ": its orders on the venues carry that tag");
            }
            return kept;
        }
        String tag = configured;
        if (tag == null) {
            SecureRandom random = new SecureRandom();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            tag = b.toString();
        }
        Files.createDirectories(runDirectory);
        Files.writeString(file, tag + "\n", StandardCharsets.US_ASCII);
        return tag;
    }
}
