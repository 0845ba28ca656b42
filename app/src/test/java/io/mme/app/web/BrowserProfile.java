package io.mme.app.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh Chromium profile directory for a browser test, outside JUnit's {@code @TempDir}: Chromium's
 * helper processes may still write into the profile for a moment after {@code quit()}, and a
 * {@code @TempDir} that cannot be deleted fails the test that used it. Removed, best effort, when the
 * test JVM exits. Test code only; any thread.
 */
public final class BrowserProfile {
    private BrowserProfile() {
    }

    /** a new, empty profile directory, its absolute path as Chromium's {@code --user-data-dir} wants it */
    public static Path fresh() {
        try {
            Path dir = Files.createTempDirectory("mme-chromium-profile-").toAbsolutePath();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "chromium-profile-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Chromium profile directory under " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a file Chromium still holds: the OS's temporary directory cleaning takes it
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }
}
