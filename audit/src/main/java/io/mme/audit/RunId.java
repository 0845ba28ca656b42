package io.mme.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The run id of a run directory: made once, on first use, and kept in the directory's
 * {@value #FILE} file, so that every restart of the run finds the same one and a new run directory
 * never shares one with an old. It is the first part of every audit key in PostgreSQL (and of
 * {@code audit_progress}): any number of runs drain into one schema without their rows colliding.
 * Looks like {@code 20261207T152710Z-k3v9q2} (UTC creation time, 6 random characters).
 * Stateless; whichever thread opens the run directory (the CLI thread, or the store's owner).
 */
public final class RunId {
    public static final String FILE = "run-id";
    /** the run id the migration gives rows stored before runs had ids */
    public static final String LEGACY = "legacy";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** the longest run id */
    public static final int MAX_LENGTH = 64;
    /** what a run id is (a regular expression, the same in Java and ECMA-262, so the OpenAPI document states it) */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0," + (MAX_LENGTH - 1) + "}";
    private static final Pattern VALID = Pattern.compile(PATTERN);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private RunId() {
    }

    /** the run directory's id, made and kept (atomically: a crash never leaves half a file) on first use */
    public static String forRunDirectory(Path runDirectory) {
        Path file = runDirectory.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                return read(file);
            }
            Files.createDirectories(runDirectory);
            String id = STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + '-' + random(6);
            Path temporary = runDirectory.resolve(FILE + ".tmp");
            Files.writeString(temporary, id + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                Files.deleteIfExists(temporary);
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the run id in " + runDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The run directory's id when it has one, without making one (for readers such as {@code mme
     * audit}); null when the directory has no {@value #FILE} file (a run from before run ids, or one
     * that never started). Throws {@link UncheckedIOException} when the file cannot be read or holds
     * no run id.
     */
    public static String existing(Path runDirectory) {
        Path file = runDirectory.resolve(FILE);
        try {
            return Files.isRegularFile(file) ? read(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** true for a usable run id (what {@link #forRunDirectory} makes, or {@value #LEGACY}) */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    private static String read(Path file) throws IOException {
        String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!isValid(id)) {
            throw new IOException(file + " holds '" + id + "', not a run id (letters, digits, '_', '.', '-'; up to 64)");
        }
        return id;
    }

    private static String random(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
