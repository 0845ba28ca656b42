package io.mme.connectors.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Faults injected into the recorded Advanced Trade feed (its first connection): a dropped message
 * is a sequence gap that invalidates every book until new snapshots arrive, and a corrupted price
 * is counted as malformed and invalidates only its own book.
 */
class CoinbaseAdvancedTradeFaultInjectionTest {
    private static final Pattern SEQUENCE_NUM = Pattern.compile("\"sequence_num\":[0-9]+");
    private static final Pattern FIRST_PRICE = Pattern.compile("\"price_level\":\"([0-9.]+)\"");

    private final List<String> messages = CoinbaseRecordings.advancedTradeConnections().getFirst();
    private final InstrumentRegistry registry = CoinbaseRecordings.registry(messages);
    private final RecordingSink sink = new RecordingSink(registry.size());
    private final CoinbaseAdvancedTradeDecoder decoder = new CoinbaseAdvancedTradeDecoder(registry, sink);
    /** each book's first snapshot message, by instrument id, in the order they came */
    private final Map<Integer, String> firstSnapshots = new LinkedHashMap<>();
    /** the first level2 update after every book of the connection had its snapshot */
    private final int firstUpdateAfterSnapshots;

    CoinbaseAdvancedTradeFaultInjectionTest() {
        sink.keep = false;
        long books = messages.stream().map(CoinbaseRecordings::tree).filter(CoinbaseAdvancedTradeFaultInjectionTest::isSnapshot)
                .map(CoinbaseAdvancedTradeFaultInjectionTest::product).distinct().count();
        int found = -1;
        for (int i = 0; i < messages.size() && found < 0; i++) {
            JsonNode tree = CoinbaseRecordings.tree(messages.get(i));
            if (isSnapshot(tree)) {
                firstSnapshots.putIfAbsent(registry.find(Venue.COINBASE, product(tree)).id(), messages.get(i));
            } else if (tree.get("channel").asText().equals("l2_data") && firstSnapshots.size() == books) {
                found = i;
            }
        }
        assertThat(found).as("a level2 update after the snapshots of the first connection").isPositive();
        firstUpdateAfterSnapshots = found;
    }

    @Test
    void aDroppedMessageIsASequenceGapThatInvalidatesEveryBookUntilNewSnapshotsArrive() {
        int dropped = firstUpdateAfterSnapshots;
        replay(0, dropped);
        firstSnapshots.keySet().forEach(id -> assertThat(decoder.valid(id)).isTrue());

        decoder.onMessage(messages.get(dropped + 1));

        assertThat(decoder.gaps()).isEqualTo(1);
        assertThat(decoder.needsResubscribe()).isTrue();
        assertThat(decoder.resubscribeRequests()).isEqualTo(1);
        assertThat(sink.invalidations).hasSize(firstSnapshots.size())
                .allSatisfy(reason -> assertThat(reason).endsWith(CoinbaseAdvancedTradeDecoder.GAP));
        for (int id : firstSnapshots.keySet()) {
            assertThat(decoder.valid(id)).isFalse();
            assertThat(sink.valid[id]).isFalse();
        }

        // the rest of the recording: in sequence again, but the books wait for snapshots
        replay(dropped + 2, messages.size());
        assertThat(decoder.gaps()).isEqualTo(1);
        assertThat(decoder.droppedWhileInvalid()).isPositive();
        assertThat(sink.levelsWhileInvalid).as("levels passed on for an invalid book").isZero();
        firstSnapshots.keySet().forEach(id -> assertThat(decoder.valid(id)).isFalse());

        // the session resubscribes; the venue sends snapshots (the recorded first ones) in sequence
        decoder.resubscribed();
        assertThat(decoder.needsResubscribe()).isFalse();
        for (Map.Entry<Integer, String> snapshot : firstSnapshots.entrySet()) {
            decoder.onMessage(renumbered(snapshot.getValue(), decoder.lastSequence() + 1));
            int id = snapshot.getKey();
            assertThat(decoder.valid(id)).isTrue();
            assertThat(sink.valid[id]).isTrue();
            ReferenceBooks reference = new ReferenceBooks();
            reference.advancedTrade(CoinbaseRecordings.tree(snapshot.getValue()));
            assertThat(reference.difference(registry.get(id), sink.books[id], Integer.MAX_VALUE)).isNull();
        }
        assertThat(decoder.gaps()).isEqualTo(1);
        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.needsResubscribe()).isFalse();
        assertThat(sink.crossedAtEnd).isZero();
    }

    @Test
    void aCorruptedPriceIsCountedAsMalformedAndOnlyItsBookWaitsForANewSnapshot() {
        int corrupted = firstUpdateAfterSnapshots;
        String message = messages.get(corrupted);
        Matcher price = FIRST_PRICE.matcher(message);
        assertThat(price.find()).isTrue();
        String bad = message.substring(0, price.end(1) - 1) + "x" + message.substring(price.end(1));
        int target = registry.find(Venue.COINBASE, product(CoinbaseRecordings.tree(message))).id();
        replay(0, corrupted);

        assertThatCode(() -> decoder.onMessage(bad)).doesNotThrowAnyException();

        assertThat(decoder.malformed()).isEqualTo(1);
        assertThat(decoder.lastError()).contains(price.group(1).substring(0, price.group(1).length() - 1) + "x");
        assertThat(decoder.valid(target)).isFalse();
        assertThat(sink.valid[target]).isFalse();
        assertThat(sink.invalidations).containsExactly(target + ": " + CoinbaseAdvancedTradeDecoder.MALFORMED_LEVEL2);
        assertThat(decoder.needsResubscribe()).isTrue();

        // the rest of the recording: the message's sequence_num counted, so no gap; only the target waits
        replay(corrupted + 1, messages.size());
        assertThat(decoder.gaps()).isZero();
        assertThat(decoder.malformed()).isEqualTo(1);
        assertThat(decoder.valid(target)).isFalse();
        assertThat(sink.levelsWhileInvalid).isZero();
        for (int id : firstSnapshots.keySet()) {
            if (id != target) {
                assertThat(decoder.valid(id)).as("%s", registry.get(id)).isTrue();
                assertThat(sink.valid[id]).isTrue();
            }
        }

        decoder.onMessage(renumbered(firstSnapshots.get(target), decoder.lastSequence() + 1));
        assertThat(decoder.valid(target)).isTrue();
        assertThat(sink.valid[target]).isTrue();
        assertThat(decoder.malformed()).isEqualTo(1);
    }

    private void replay(int from, int to) {
        for (int i = from; i < to; i++) {
            decoder.onMessage(messages.get(i));
        }
    }

    private static String renumbered(String message, long sequence) {
        Matcher m = SEQUENCE_NUM.matcher(message);
        assertThat(m.find()).isTrue();
        return message.substring(0, m.start()) + "\"sequence_num\":" + sequence + message.substring(m.end());
    }

    private static boolean isSnapshot(JsonNode message) {
        return message.get("channel").asText().equals("l2_data") && message.get("events").get(0).get("type").asText().equals("snapshot");
    }

    private static String product(JsonNode message) {
        return message.get("events").get(0).get("product_id").asText();
    }
}
