package io.mme.connectors.kraken;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The shared Kraken recordings (../shared/data/venues) and what a test needs from them: the
 * received messages of the v1 book recording, and instruments for the pairs the messages name, on
 * grids with the decimals the venue prints for each pair.
 */
final class KrakenRecordings {
    static final Path DATA = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/venues");
    static final String V1_BOOK = "kraken-v1-book1000.ws.rec";

    private static final Pattern RECEIVED = Pattern.compile("^[0-9.]+: (.*)$");
    /** the end of a book message: channel name and pair */
    static final Pattern BOOK_PAIR = Pattern.compile("\"book-[0-9]+\",\"([^\"]+)\"]$");
    /** one level's price and volume strings */
    private static final Pattern LEVEL = Pattern.compile("\\[\"[0-9]+\\.([0-9]+)\",\"[0-9]+\\.([0-9]+)\"");

    private KrakenRecordings() {
    }

    /** a file of the shared data; fails the test, saying where it looked, when it is missing */
    static Path file(String name) {
        Path path = DATA.resolve(name);
        if (!Files.isRegularFile(path)) {
            fail("the shared recording " + name + " is missing: looked for " + path.toAbsolutePath().normalize()
                    + " (set MME_SHARED_DIR to the shared directory; by default it is ../shared beside the project)");
        }
        return path;
    }

    /** the messages the client received, in order */
    static List<String> messages() {
        List<String> messages = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file(V1_BOOK))) {
                Matcher m = RECEIVED.matcher(line);
                if (m.matches()) {
                    messages.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(messages).as("received messages in %s", V1_BOOK).isNotEmpty();
        return messages;
    }

    /** the pair a book message names, or null */
    static String pair(String message) {
        Matcher m = BOOK_PAIR.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    /**
     * An instrument for every pair the book messages name. Each pair's grid has the decimals the
     * venue prints for it (one number of decimals per pair for prices and one for volumes, or the
     * test fails): fine enough to hold every value exactly.
     */
    static InstrumentRegistry registry(List<String> messages) {
        Map<String, TreeSet<Integer>> priceDecimals = new TreeMap<>();
        Map<String, TreeSet<Integer>> volumeDecimals = new TreeMap<>();
        for (String message : messages) {
            String pair = pair(message);
            if (pair == null) {
                continue;
            }
            Matcher level = LEVEL.matcher(message);
            while (level.find()) {
                priceDecimals.computeIfAbsent(pair, p -> new TreeSet<>()).add(level.group(1).length());
                volumeDecimals.computeIfAbsent(pair, p -> new TreeSet<>()).add(level.group(2).length());
            }
        }
        assertThat(priceDecimals).as("pairs in the book messages").isNotEmpty();
        InstrumentRegistry.Builder b = InstrumentRegistry.builder();
        for (String pair : priceDecimals.keySet()) {
            assertThat(priceDecimals.get(pair)).as("price decimals printed for %s", pair).hasSize(1);
            assertThat(volumeDecimals.get(pair)).as("volume decimals printed for %s", pair).hasSize(1);
            int pd = priceDecimals.get(pair).first();
            int vd = volumeDecimals.get(pair).first();
            b.add(new InstrumentSpec(Venue.KRAKEN, pair, pair, "QUOTE", step(pd), step(vd), null, null, null, null));
        }
        return b.build();
    }

    private static String step(int decimals) {
        return decimals == 0 ? "1" : "0." + "0".repeat(decimals - 1) + "1";
    }
}
