package io.mme.app.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Slices of the shared hftbacktest captures in ../shared/data/hftbacktest/binance-spot, written to
 * a test's directory (the tests stay short; the whole capture is the bench's).
 */
final class CaptureSlices {
    static final Path DIR = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/hftbacktest/binance-spot").normalize();
    static final Path CONFIG = Path.of("../examples/backtest-btcusdt.yaml");

    private CaptureSlices() {
    }

    static Path capture(String name) {
        Path file = DIR.resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("the capture " + file + " is missing (mme.shared.dir=" + System.getProperty("mme.shared.dir")
                    + "); see /work/shared/data/README.md");
        }
        return file;
    }

    /** the first {@code lines} lines of a capture as a gzip file */
    static Path slice(String name, int lines, Path into) throws IOException {
        return slice(name, lines, into, name, n -> null);
    }

    /**
     * The same, with lines changed: {@code edit} gets the 1-based line number and returns the text to
     * write instead (null: the line as recorded, "": drop it).
     */
    static Path slice(String name, int lines, Path into, String fileName, IntFunction<String> edit) throws IOException {
        Path out = into.resolve(fileName);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(capture(name))),
                StandardCharsets.UTF_8));
             Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(out)), StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while (n < lines && (line = in.readLine()) != null) {
                n++;
                String replaced = edit.apply(n);
                if (replaced == null) {
                    w.write(line);
                    w.write('\n');
                } else if (!replaced.isEmpty()) {
                    w.write(replaced);
                    w.write('\n');
                }
            }
        }
        return out;
    }
}
