package io.mme.connectors.kraken;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.L2Book;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the recorded Kraken v1 {@code book-1000} feed (../shared/data/venues) through the v1
 * decoder: every checksum the venue sent must match the rebuilt book, and a corrupted update must
 * be caught by its checksum.
 */
class KrakenV1RecordingReplayTest {
    /** an update's first level: side key and price string */
    private static final Pattern FIRST_UPDATE_LEVEL = Pattern.compile("\\{\"([ab])\":\\[\\[\"([0-9.]+)\"");

    @Test
    void everyUpdateMatchesItsChecksumAndNoBookEverCrosses() {
        List<String> messages = KrakenRecordings.messages();
        InstrumentRegistry registry = KrakenRecordings.registry(messages);
        RecordingSink sink = new RecordingSink(registry.size());
        sink.keep = false;
        KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(registry, sink);

        messages.forEach(decoder::onMessage);

        long withChecksum = messages.stream().filter(m -> m.startsWith("[") && m.contains("\"c\":")).count();
        assertThat(decoder.malformed()).as("malformed: %s", decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isPositive().isEqualTo(withChecksum);
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(decoder.snapshots()).isEqualTo(registry.size());
        assertThat(decoder.updates()).isEqualTo(withChecksum);
        assertThat(decoder.droppedWhileInvalid()).isZero();
        assertThat(decoder.events()).isPositive();
        assertThat(sink.invalidations).isEmpty();
        assertThat(sink.crossedAtEnd).isZero();
        assertThat(sink.ends).isEqualTo(decoder.snapshots() + decoder.updates());
        for (Instrument instrument : registry.all()) {
            int id = instrument.id();
            assertThat(decoder.valid(id)).as("%s valid", instrument).isTrue();
            assertThat(sink.valid[id]).as("%s valid at the sink", instrument).isTrue();
            assertThat(sink.sameBook(id, decoder.book(id))).as("%s: the sink's book is the decoder's", instrument).isTrue();
            assertThat(decoder.book(id).levels(Side.BUY)).isPositive().isLessThanOrEqualTo(1000);
            assertThat(decoder.book(id).levels(Side.SELL)).isPositive().isLessThanOrEqualTo(1000);
        }
    }

    @Test
    void aCorruptedPriceFailsTheChecksumAndTheBookStaysInvalidUntilTheNextSnapshot() {
        List<String> messages = KrakenRecordings.messages();
        InstrumentRegistry registry = KrakenRecordings.registry(messages);
        RecordingSink sink = new RecordingSink(registry.size());
        sink.keep = false;
        KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(registry, sink);
        Map<Integer, String> firstSnapshot = new HashMap<>();

        // replay until an update whose first level lies in its book's top ten (the checksum covers
        // only those), and send that one with its price moved by one unit of the last printed digit
        int target = -1;
        int at = 0;
        for (; at < messages.size() && target < 0; at++) {
            String message = messages.get(at);
            String pair = KrakenRecordings.pair(message);
            Matcher level = FIRST_UPDATE_LEVEL.matcher(message);
            if (pair != null && message.contains("\"as\":")) {
                firstSnapshot.putIfAbsent(registry.find(Venue.KRAKEN, pair).id(), message);
            } else if (pair != null && level.find()) {
                Instrument instrument = registry.find(Venue.KRAKEN, pair);
                Side side = level.group(1).equals("b") ? Side.BUY : Side.SELL;
                if (inTopTen(decoder.book(instrument.id()), side, instrument.priceTicks(level.group(2)))) {
                    String price = level.group(2);
                    String corrupted = message.substring(0, level.start(2)) + nudged(price) + message.substring(level.end(2));
                    decoder.onMessage(corrupted);
                    target = instrument.id();
                    continue;
                }
            }
            decoder.onMessage(message);
        }
        assertThat(target).as("an update inside the top ten").isNotNegative();
        assertThat(decoder.checksumsFailed()).isEqualTo(1);
        assertThat(decoder.valid(target)).isFalse();
        assertThat(sink.valid[target]).isFalse();
        assertThat(sink.invalidations).singleElement().asString().startsWith(target + ": checksum mismatch");

        // the rest of the recording: the target's updates wait for a snapshot, the others still check out
        long passedBefore = decoder.checksumsPassed();
        for (; at < messages.size(); at++) {
            decoder.onMessage(messages.get(at));
        }
        assertThat(decoder.droppedWhileInvalid()).isPositive();
        assertThat(decoder.checksumsPassed()).isGreaterThan(passedBefore);
        assertThat(decoder.checksumsFailed()).isEqualTo(1);
        assertThat(decoder.valid(target)).isFalse();
        assertThat(sink.valid[target]).isFalse();
        assertThat(sink.levelsWhileInvalid).as("levels passed on for an invalid book").isZero();
        for (Instrument instrument : registry.all()) {
            if (instrument.id() != target) {
                assertThat(decoder.valid(instrument.id())).as("%s valid", instrument).isTrue();
            }
        }

        // a snapshot (the first one, sent again) makes it valid
        decoder.onMessage(firstSnapshot.get(target));
        assertThat(decoder.malformed()).isZero();
        assertThat(decoder.valid(target)).isTrue();
        assertThat(sink.valid[target]).isTrue();
        assertThat(sink.sameBook(target, decoder.book(target))).isTrue();
        String snapshot = firstSnapshot.get(target);
        String asks = snapshot.substring(snapshot.indexOf("\"as\":"), snapshot.indexOf("\"bs\":"));
        assertThat(decoder.book(target).levels(Side.SELL)).isEqualTo(asks.split("\\],\\[").length);
    }

    private static boolean inTopTen(L2Book book, Side side, long price) {
        if (book.levels(side) < KrakenChecksum.LEVELS) {
            return true;
        }
        long tenth = book.price(side, KrakenChecksum.LEVELS - 1);
        return side == Side.BUY ? price >= tenth : price <= tenth;
    }

    /** the same price text with its last digit changed by one */
    private static String nudged(String price) {
        char last = price.charAt(price.length() - 1);
        return price.substring(0, price.length() - 1) + (char) (last == '9' ? '8' : last + 1);
    }
}
