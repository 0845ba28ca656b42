package io.mme.connectors.kraken;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The v1 book decoder on hand-written messages, checked against {@link ReferenceBook}: both-sides
 * updates, the depth cut, republished levels, control messages, malformed input.
 */
class KrakenV1BookDecoderTest {
    private static final String TS = "1618678133.365913";

    // configured as AssetPairs has it (price decimals 1); the v1 feed prints prices with 5 decimals,
    // and the checksum needs those
    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.00000001", null, null, null, null)).build();
    private final Instrument xbt = registry.get(0);
    private final RecordingSink sink = new RecordingSink(1);
    private final KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(registry, sink);
    private final ReferenceBook reference = new ReferenceBook(5, 8);

    private static String level(String price, String volume) {
        return "[\"" + price + "\",\"" + volume + "\",\"" + TS + "\"]";
    }

    private static String price(double p) {
        return String.format(Locale.ROOT, "%.5f", p);
    }

    /** a book-N snapshot with {@code levels} levels a side around 50000 */
    private String snapshot(int depth, int levels) {
        List<String> asks = new ArrayList<>();
        List<String> bids = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            String ask = price(50_000.5 + i);
            String bid = price(49_999.5 - i);
            String volume = "1.0000000" + (i % 10);
            asks.add(level(ask, volume));
            bids.add(level(bid, volume));
            reference.set(false, ask, volume);
            reference.set(true, bid, volume);
        }
        return "[336,{\"as\":[" + String.join(",", asks) + "],\"bs\":[" + String.join(",", bids) + "]},\"book-" + depth + "\",\"XBT/USD\"]";
    }

    private static String update(String objects, int depth) {
        return "[336," + objects + ",\"book-" + depth + "\",\"XBT/USD\"]";
    }

    @Test
    void aSnapshotClearsTheBookAndPassesEveryLevelOn() {
        decoder.onMessage(snapshot(10, 10));

        assertThat(decoder.snapshots()).isEqualTo(1);
        assertThat(decoder.valid(0)).isTrue();
        assertThat(sink.clears).isEqualTo(1);
        assertThat(sink.levels).hasSize(20);
        assertThat(sink.valid[0]).isTrue();
        assertThat(decoder.book(0).bestPrice(Side.BUY)).isEqualTo(xbt.priceTicks("49999.5"));
        assertThat(decoder.book(0).bestPrice(Side.SELL)).isEqualTo(xbt.priceTicks("50000.5"));
        assertThat(sink.sameBook(0, decoder.book(0))).isTrue();
    }

    @Test
    void anUpdateOnBothSidesComesAsTwoObjectsAndIsCheckedAfterBoth() {
        decoder.onMessage(snapshot(10, 3));
        sink.levels.clear();
        long c = reference.set(false, "50000.50000", "0.00000000").set(true, "50000.00000", "0.25000000").checksum();

        decoder.onMessage(update("{\"a\":[" + level("50000.50000", "0.00000000") + "]},{\"b\":["
                + level("50000.00000", "0.25000000") + "],\"c\":\"" + c + "\"}", 10));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isEqualTo(1);
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(sink.levels).containsExactly(
                new RecordingSink.Level(0, Side.SELL, xbt.priceTicks("50000.5"), 0),
                new RecordingSink.Level(0, Side.BUY, xbt.priceTicks("50000.0"), xbt.quantityLots("0.25")));
        assertThat(decoder.book(0).bestPrice(Side.SELL)).isEqualTo(xbt.priceTicks("50001.5"));
        assertThat(sink.sameBook(0, decoder.book(0))).isTrue();
    }

    @Test
    void theBookIsCutBackToTheSubscribedDepthAndTheSinkHearsOfTheLevelsThatFellOut() {
        decoder.onMessage(snapshot(10, 10));
        sink.levels.clear();

        // a better bid pushes the tenth out of range: the venue will never mention it again
        long c1 = reference.set(true, "49999.70000", "2.00000000").truncate(10).checksum();
        decoder.onMessage(update("{\"b\":[" + level("49999.70000", "2.00000000") + "],\"c\":\"" + c1 + "\"}", 10));
        assertThat(sink.levels).containsExactly(
                new RecordingSink.Level(0, Side.BUY, xbt.priceTicks("49999.7"), xbt.quantityLots("2")),
                new RecordingSink.Level(0, Side.BUY, xbt.priceTicks("49990.5"), 0));

        // removing the best leaves nine bids; a book that kept the eleventh would now show ten
        long c2 = reference.set(true, "49999.70000", "0.00000000").truncate(10).checksum();
        decoder.onMessage(update("{\"b\":[" + level("49999.70000", "0.00000000") + "],\"c\":\"" + c2 + "\"}", 10));

        assertThat(decoder.checksumsPassed()).isEqualTo(2);
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(decoder.book(0).levels(Side.BUY)).isEqualTo(9);
        assertThat(sink.sameBook(0, decoder.book(0))).isTrue();
    }

    @Test
    void theChecksumUsesTheDecimalsTheFeedPrintsWhateverTheGrid() {
        InstrumentRegistry fine = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.00000001", "0.0000000001", null, null, null, null)).build();
        KrakenV1BookDecoder onFineGrid = new KrakenV1BookDecoder(fine, new RecordingSink(1));
        onFineGrid.onMessage(snapshot(10, 10));
        long c = reference.set(true, "49999.70000", "2.00000000").truncate(10).checksum();

        onFineGrid.onMessage(update("{\"b\":[" + level("49999.70000", "2.00000000") + "],\"c\":\"" + c + "\"}", 10));

        assertThat(onFineGrid.malformed()).as(onFineGrid.lastError()).isZero();
        assertThat(onFineGrid.checksumsPassed()).isEqualTo(1);
    }

    @Test
    void aRepublishedLevelIsAppliedLikeAnyOther() {
        decoder.onMessage(snapshot(10, 10));
        long c = reference.set(false, "50000.70000", "3.00000000").truncate(10).checksum();

        decoder.onMessage(update("{\"a\":[[\"50000.70000\",\"3.00000000\",\"" + TS + "\",\"r\"]],\"c\":\"" + c + "\"}", 10));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isEqualTo(1);
        assertThat(decoder.book(0).bestPrice(Side.SELL)).isEqualTo(xbt.priceTicks("50000.5"));
        assertThat(decoder.book(0).quantityAt(Side.SELL, xbt.priceTicks("50000.7"))).isEqualTo(xbt.quantityLots("3"));
    }

    @Test
    void updatesBeforeAnySnapshotAreDroppedAndNotPassedOn() {
        decoder.onMessage(update("{\"b\":[" + level("49999.70000", "2.00000000") + "],\"c\":\"1\"}", 10));

        assertThat(decoder.droppedWhileInvalid()).isEqualTo(1);
        assertThat(decoder.malformed()).isZero();
        assertThat(decoder.checksumsFailed()).isZero();
        assertThat(sink.levels).isEmpty();
        assertThat(sink.ends).isZero();
    }

    @Test
    void controlMessagesAndOtherChannelsAreCountedAndIgnored() {
        decoder.onMessage("{\"event\":\"heartbeat\"}");
        decoder.onMessage("{\"connectionID\":17843232920108168701,\"event\":\"systemStatus\",\"status\":\"online\",\"version\":\"1.8.3\"}");
        decoder.onMessage("{\"channelID\":464,\"channelName\":\"book-1000\",\"event\":\"subscriptionStatus\",\"pair\":\"XBT/USD\","
                + "\"status\":\"subscribed\",\"subscription\":{\"depth\":1000,\"name\":\"book\"}}");
        decoder.onMessage("{\"event\":\"pong\",\"reqid\":42}");
        decoder.onMessage("[0,[[\"5541.20000\",\"0.15850568\",\"1534614057.321597\",\"s\",\"l\",\"\"]],\"trade\",\"XBT/USD\"]");
        decoder.onMessage("[0,[\"5698.40000\",\"5700.00000\",\"1542057299.545897\",\"1.01234567\",\"0.98765432\"],\"spread\",\"XBT/USD\"]");

        assertThat(decoder.messages()).isEqualTo(6);
        assertThat(decoder.events()).isEqualTo(4);
        assertThat(decoder.ignored()).isEqualTo(2);
        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(sink.levels).isEmpty();
        assertThat(sink.ends).isZero();
    }

    @Test
    void malformedMessagesAreCountedAndNeverThrow() {
        decoder.onMessage(snapshot(10, 10));
        String good = level("49999.70000", "2.00000000");
        String[] bad = {
                "", "{", "[", "42", "[1,{\"a\":[]},\"book-10\"]", "{\"event\":\"heartbeat\"} x",
                update("{\"b\":[" + good + "],\"c\":\"1\"}", 10).replace("XBT/USD", "ETH/USD"),
                update("{\"b\":[" + level("49999.75000", "2.00000000") + "],\"c\":\"1\"}", 10),
                update("{\"b\":[[\"49999.70000\",2.0,\"" + TS + "\"]],\"c\":\"1\"}", 10),
                update("{\"b\":[[\"49999.70000\"]],\"c\":\"1\"}", 10),
                update("{\"b\":[" + level("-49999.70000", "2.00000000") + "],\"c\":\"1\"}", 10),
                update("{\"b\":[" + good + "],\"c\":\"4294967296\"}", 10),
                update("{\"b\":[" + good + "],\"c\":\"1\"}", 10).replace("book-10", "book-"),
                update("{\"b\":[" + good + "],\"c\":\"1\"}", 10).replace("book-10", "book-2000"),
                update("{\"a\":[]},{\"b\":[]},{\"b\":[" + good + "],\"c\":\"1\"}", 10),
                update("{\"b\":[" + level("49999.7000000000000000000", "2.00000000") + "],\"c\":\"1\"}", 10),
                update("{\"b\":[" + good + "],\"c\":\"1\"}", 10) + "]",
        };
        for (String message : bad) {
            decoder.onMessage(message);
        }

        assertThat(decoder.messages()).isEqualTo(1 + bad.length);
        assertThat(decoder.malformed()).isEqualTo(bad.length);
        assertThat(decoder.checksumsPassed() + decoder.checksumsFailed()).isZero();
        assertThat(decoder.valid(0)).isFalse();
        assertThat(sink.invalidations).singleElement().asString().startsWith("0: malformed book message: ");
        assertThat(sink.levels).hasSize(20);
    }
}
