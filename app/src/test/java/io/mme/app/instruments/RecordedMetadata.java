package io.mme.app.instruments;

import io.mme.core.instrument.InstrumentSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.fail;

/** The venues' recorded metadata responses in ../shared/data/venues/metadata, read once per run. */
final class RecordedMetadata {
    static final Path DIR = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/venues/metadata").normalize();
    static final String BINANCE = "binance-exchangeinfo.rec";
    static final String COINBASE = "coinbase-products.rec";
    static final String KRAKEN = "kraken-assetpairs.rec";

    private static final Map<String, String> BODIES = new ConcurrentHashMap<>();

    private RecordedMetadata() {
    }

    /** the recording's path; fails the test when the shared data is not beside the project */
    static Path file(String name) {
        Path file = DIR.resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("the recorded metadata " + file + " is missing (from mme.shared.dir="
                    + System.getProperty("mme.shared.dir") + "); the tests need ../shared/data beside the project, "
                    + "see /work/shared/data/README.md");
        }
        return file;
    }

    /** the REST body the recording holds */
    static String body(String name) {
        return BODIES.computeIfAbsent(name, n -> {
            try {
                return SavedResponse.body(Files.readString(file(n)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** the kept specs by venue symbol */
    static Map<String, InstrumentSpec> bySymbol(ParsedMetadata parsed) {
        Map<String, InstrumentSpec> out = new HashMap<>();
        parsed.instruments().forEach(s -> out.put(s.venueSymbol(), s));
        return out;
    }
}
