package io.mme.connectors.coinbase;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The Advanced Trade decoder on hand-written messages in the documented shapes (VENUES.md 2.2):
 * books, trades, tickers, the per-connection sequence check, malformed input.
 */
class CoinbaseAdvancedTradeDecoderTest {
    private static final int XYZ = 0;
    private static final int ABC = 1;
    private static final int QQQ = 2;

    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.COINBASE, "XYZ-USD", "XYZ", "USD", "0.01", "0.00000001", null, null, null, null))
            .add(new InstrumentSpec(Venue.COINBASE, "ABC-EUR", "ABC", "EUR", "0.0001", "0.01", null, null, null, null))
            .add(new InstrumentSpec(Venue.COINBASE, "QQQ-USD", "QQQ", "USD", "0.01", "0.001", null, null, null, null))
            .build();
    private final Instrument xyz = registry.get(XYZ);
    private final RecordingSink sink = new RecordingSink(registry.size(), 64);
    private final CoinbaseAdvancedTradeDecoder decoder = new CoinbaseAdvancedTradeDecoder(registry, sink);

    private static String message(String channel, long sequence, String... events) {
        return "{\"channel\":\"" + channel + "\",\"client_id\":\"\",\"timestamp\":\"2026-07-25T09:40:01.512340781Z\",\"sequence_num\":" + sequence
                + ",\"events\":[" + String.join(",", events) + "]}";
    }

    private static String book(String type, String product, String... updates) {
        return "{\"type\":\"" + type + "\",\"product_id\":\"" + product + "\",\"updates\":[" + String.join(",", updates) + "]}";
    }

    private static String level(String side, String price, String quantity) {
        return "{\"side\":\"" + side + "\",\"event_time\":\"2026-07-25T09:40:01.509113Z\",\"price_level\":\"" + price
                + "\",\"new_quantity\":\"" + quantity + "\"}";
    }

    private static String l2(long sequence, String type, String product, String... updates) {
        return message("l2_data", sequence, book(type, product, updates));
    }

    private static String heartbeat(long sequence) {
        return message("heartbeats", sequence, "{\"current_time\":\"2026-07-25 09:40:02.000101 +0000 UTC m=+91717.5\",\"heartbeat_counter\":\"3049\"}");
    }

    private static String ticker(long sequence, String product, String bid, String ask) {
        return message("ticker", sequence, "{\"type\":\"update\",\"tickers\":[{\"type\":\"ticker\",\"product_id\":\"" + product
                + "\",\"price\":\"100.02\",\"volume_24_h\":\"1.5\",\"best_bid\":\"" + bid + "\",\"best_bid_quantity\":\"0.5\",\"best_ask\":\""
                + ask + "\",\"best_ask_quantity\":\"0.25\"}]}");
    }

    private void snapshots(long sequence) {
        decoder.onMessage(l2(sequence, "snapshot", "XYZ-USD", level("bid", "100.00", "1"), level("offer", "100.05", "2")));
        decoder.onMessage(l2(sequence + 1, "snapshot", "ABC-EUR", level("bid", "5.0001", "10"), level("offer", "5.0003", "10")));
    }

    @Test
    void aSnapshotAndAnUpdateBecomeClearLevelsAndEndOfMessageWithTheSequenceNum() {
        decoder.onMessage(l2(7, "snapshot", "XYZ-USD", level("bid", "100.00", "1"), level("offer", "100.05", "2"), level("offer", "100.1", "3")));
        decoder.onMessage(l2(8, "update", "XYZ-USD", level("offer", "100.05", "0"), level("ask", "100.07", "0.5"),
                level("bid", "100.01", "1.25000000")));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.snapshots()).isEqualTo(1);
        assertThat(decoder.updates()).isEqualTo(1);
        assertThat(sink.clears).isEqualTo(1);
        assertThat(sink.ends).isEqualTo(2);
        assertThat(sink.levels).containsExactly(
                new RecordingSink.Level(XYZ, Side.BUY, xyz.priceTicks("100"), xyz.quantityLots("1"), 7),
                new RecordingSink.Level(XYZ, Side.SELL, xyz.priceTicks("100.05"), xyz.quantityLots("2"), 7),
                new RecordingSink.Level(XYZ, Side.SELL, xyz.priceTicks("100.10"), xyz.quantityLots("3"), 7),
                new RecordingSink.Level(XYZ, Side.SELL, xyz.priceTicks("100.05"), 0, 8),
                new RecordingSink.Level(XYZ, Side.SELL, xyz.priceTicks("100.07"), xyz.quantityLots("0.5"), 8),
                new RecordingSink.Level(XYZ, Side.BUY, xyz.priceTicks("100.01"), xyz.quantityLots("1.25"), 8));
        assertThat(sink.books[XYZ].bestPrice(Side.BUY)).isEqualTo(xyz.priceTicks("100.01"));
        assertThat(sink.books[XYZ].bestPrice(Side.SELL)).isEqualTo(xyz.priceTicks("100.07"));
        assertThat(decoder.valid(XYZ)).isTrue();
        assertThat(sink.valid[XYZ]).isTrue();
    }

    @Test
    void eachEventOfAMessageEndsItsOwnBookMessage() {
        decoder.onMessage(message("l2_data", 1, book("snapshot", "XYZ-USD", level("bid", "100.00", "1")),
                book("snapshot", "ABC-EUR", level("offer", "5.0003", "10"))));

        assertThat(decoder.snapshots()).isEqualTo(2);
        assertThat(sink.ends).isEqualTo(2);
        assertThat(decoder.valid(XYZ)).isTrue();
        assertThat(decoder.valid(ABC)).isTrue();
    }

    @Test
    void theSequenceIsCheckedBeforeTheEventsWhereverTheFieldStands() {
        snapshots(1);
        decoder.onMessage("{\"channel\":\"l2_data\",\"events\":[" + book("update", "XYZ-USD", level("bid", "100.01", "1")) + "],\"sequence_num\":5}");

        assertThat(decoder.gaps()).isEqualTo(1);
        assertThat(decoder.droppedWhileInvalid()).as("the update after the gap").isEqualTo(1);
        assertThat(sink.books[XYZ].quantityAt(Side.BUY, xyz.priceTicks("100.01"))).isZero();
    }

    @Test
    void tradesCarryTheAggressorsSideTheOppositeOfTheMakersTheVenueReports() {
        decoder.onMessage(message("market_trades", 1, "{\"type\":\"snapshot\",\"trades\":[{\"trade_id\":\"1\",\"product_id\":\"XYZ-USD\","
                + "\"price\":\"99\",\"size\":\"1\",\"side\":\"BUY\",\"time\":\"2026-07-25T09:39:01Z\"}]}"));
        decoder.onMessage(message("market_trades", 2, "{\"type\":\"update\",\"trades\":["
                + "{\"trade_id\":\"712345901\",\"product_id\":\"XYZ-USD\",\"price\":\"100.05\",\"size\":\"0.0015\",\"side\":\"SELL\","
                + "\"time\":\"2026-07-25T09:40:01.701Z\"},"
                + "{\"trade_id\":\"712345902\",\"product_id\":\"XYZ-USD\",\"price\":\"100\",\"size\":\"2\",\"side\":\"BUY\","
                + "\"time\":\"2026-07-25T09:40:01.702345Z\"}]}"));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.history()).isEqualTo(1);
        assertThat(decoder.trades()).isEqualTo(2);
        assertThat(sink.trades).containsExactly(
                new RecordingSink.Trade(XYZ, 0, Side.BUY, xyz.priceTicks("100.05"), xyz.quantityLots("0.0015"), 712345901L,
                        nanos("2026-07-25T09:40:01.701Z")),
                new RecordingSink.Trade(XYZ, 0, Side.SELL, xyz.priceTicks("100"), xyz.quantityLots("2"), 712345902L,
                        nanos("2026-07-25T09:40:01.702345Z")));
    }

    @Test
    void tickersBecomeBestBidOfferWithTheirSequenceNumAndOnesWithoutABestBidAreNotPassedOn() {
        decoder.onMessage(ticker(3, "XYZ-USD", "100.01", "100.02"));
        decoder.onMessage(ticker(4, "XYZ-USD", "", "100.02"));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.tickers()).isEqualTo(1);
        assertThat(decoder.tickersWithoutQuote()).isEqualTo(1);
        assertThat(sink.quotes).containsExactly(new RecordingSink.Quote(XYZ, 0, 3, xyz.priceTicks("100.01"), xyz.quantityLots("0.5"),
                xyz.priceTicks("100.02"), xyz.quantityLots("0.25")));
    }

    @Test
    void controlMessagesAreCountedAndVenueErrorsKept() {
        decoder.onMessage(message("subscriptions", 0, "{\"subscriptions\":{\"level2\":[\"XYZ-USD\"]}}"));
        decoder.onMessage(heartbeat(1));
        decoder.onMessage(message("candles", 2, "{\"type\":\"update\",\"candles\":[]}"));
        String error = "{\"type\":\"error\",\"message\":\"Failed to subscribe\"}";
        decoder.onMessage(error);

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.subscriptions()).isEqualTo(1);
        assertThat(decoder.heartbeats()).isEqualTo(1);
        assertThat(decoder.other()).isEqualTo(1);
        assertThat(decoder.venueErrors()).isEqualTo(1);
        assertThat(decoder.lastVenueError()).isEqualTo(error);
        assertThat(decoder.gaps()).isZero();
    }

    @Test
    void aLateOrRepeatedSequenceNumIsIgnored() {
        snapshots(10);
        decoder.onMessage(l2(11, "update", "ABC-EUR", level("bid", "5.0002", "1")));
        decoder.onMessage(l2(9, "update", "XYZ-USD", level("bid", "100.01", "1")));

        assertThat(decoder.late()).isEqualTo(2);
        assertThat(decoder.gaps()).isZero();
        assertThat(decoder.updates()).isZero();
        assertThat(decoder.lastSequence()).isEqualTo(11);
        assertThat(decoder.valid(XYZ)).isTrue();
        assertThat(decoder.valid(ABC)).isTrue();
    }

    @Test
    void aGapInvalidatesEveryBookOfTheConnectionUntilItsNextSnapshot() {
        snapshots(1);
        decoder.onMessage(heartbeat(4));

        assertThat(decoder.gaps()).isEqualTo(1);
        assertThat(decoder.needsResubscribe()).isTrue();
        assertThat(sink.invalidations).containsExactly(XYZ + ": " + CoinbaseAdvancedTradeDecoder.GAP, ABC + ": " + CoinbaseAdvancedTradeDecoder.GAP);
        assertThat(decoder.valid(QQQ)).isFalse();

        decoder.onMessage(l2(5, "update", "XYZ-USD", level("bid", "100.01", "1")));
        assertThat(decoder.droppedWhileInvalid()).isEqualTo(1);
        assertThat(sink.levelsWhileInvalid).isZero();

        decoder.resubscribed();
        decoder.onMessage(l2(6, "snapshot", "XYZ-USD", level("bid", "99.00", "1"), level("offer", "99.05", "2")));
        assertThat(decoder.needsResubscribe()).isFalse();
        assertThat(decoder.valid(XYZ)).isTrue();
        assertThat(sink.valid[XYZ]).isTrue();
        assertThat(sink.books[XYZ].bestPrice(Side.BUY)).isEqualTo(xyz.priceTicks("99"));
        assertThat(decoder.valid(ABC)).isFalse();
        assertThat(decoder.resubscribeRequests()).isEqualTo(1);
    }

    @Test
    void aNewConnectionRestartsTheSequenceAndItsBooksWaitForItsSnapshots() {
        snapshots(100);
        decoder.newConnection();

        assertThat(decoder.valid(XYZ)).isFalse();
        assertThat(sink.valid[XYZ]).isFalse();
        assertThat(decoder.needsResubscribe()).isFalse();
        decoder.onMessage(message("subscriptions", 0, "{\"subscriptions\":{}}"));
        decoder.onMessage(l2(1, "snapshot", "XYZ-USD", level("bid", "100.00", "1")));
        assertThat(decoder.late() + decoder.gaps()).isZero();
        assertThat(decoder.valid(XYZ)).isTrue();
    }

    @Test
    void malformedMessagesAreCountedAndNeverThrown() {
        List<String> malformed = List.of(
                "",
                "not json",
                "[1,2]",
                "{\"channel\":\"l2_data\",\"sequence_num\":1,\"events\":[",
                message("l2_data", 2, book("snapshot", "XYZ-USD", level("bid", "100.00", "1"))) + "}",
                "{\"channel\":\"heartbeats\",\"events\":[]}",
                "{\"channel\":\"heartbeats\",\"sequence_num\":{},\"events\":[]}",
                "{\"channel\":\"l2_data\",\"sequence_num\":3,\"events\":\"snapshot\"}",
                message("l2_data", 4, "{\"type\":\"snapshot\",\"product_id\":\"XYZ-USD\",\"updates\":{}}"),
                message("l2_data", 5, "{\"type\":\"snapshot\",\"product_id\":\"XYZ-USD\",\"updates\":[{\"side\":\"bid\",\"price_level\":100.00,"
                        + "\"new_quantity\":\"1\"}]}"),
                l2(6, "snapshot", "XYZ-USD", level("middle", "100.00", "1")),
                l2(7, "snapshot", "XYZ-USD", level("bid", "100.001", "1")),
                l2(8, "snapshot", "XYZ-USD", level("bid", "100.00", "-1")),
                l2(9, "snapshot", "XYZ-USD", level("bid", "0", "1")),
                l2(10, "snapshot", "NOPE-USD", level("bid", "100.00", "1")),
                l2(11, "sideways", "XYZ-USD", level("bid", "100.00", "1")),
                message("market_trades", 12, "{\"type\":\"update\",\"trades\":[{\"trade_id\":\"1\",\"product_id\":\"NOPE-USD\",\"price\":\"1\","
                        + "\"size\":\"1\",\"side\":\"BUY\",\"time\":\"2026-07-25T09:40:01Z\"}]}"),
                message("market_trades", 13, "{\"type\":\"update\",\"trades\":[{\"trade_id\":\"1\",\"product_id\":\"XYZ-USD\",\"price\":\"1\","
                        + "\"size\":\"1\",\"side\":\"BUY\"}]}"),
                message("market_trades", 14, "{\"type\":\"update\",\"trades\":[{\"trade_id\":\"1\",\"product_id\":\"XYZ-USD\",\"price\":\"1\","
                        + "\"size\":\"1\",\"side\":\"BUY\",\"time\":\"yesterday\"}]}"),
                message("ticker", 15, "{\"type\":\"update\",\"tickers\":[{\"product_id\":\"XYZ-USD\",\"best_bid\":100.01,\"best_ask\":\"100.02\"}]}"),
                ticker(16, "XYZ-USD", "1e2", "100.02"));

        for (String m : malformed) {
            assertThatCode(() -> decoder.onMessage(m)).as(m).doesNotThrowAnyException();
        }

        assertThat(decoder.malformed()).isEqualTo(malformed.size());
        assertThat(decoder.lastError()).isNotBlank();
        assertThat(decoder.snapshots() + decoder.trades() + decoder.tickers()).isZero();
        assertThat(sink.clears + sink.ends + sink.tradeCalls + sink.quoteCalls).as("nothing of a malformed message reaches the sink").isZero();
    }

    @Test
    void aBrokenLevel2EventOfAKnownProductInvalidatesOnlyThatBook() {
        snapshots(1);
        decoder.onMessage(l2(3, "update", "XYZ-USD", level("bid", "100.01", "1"), level("bid", "10O.02", "1")));

        assertThat(decoder.malformed()).isEqualTo(1);
        assertThat(decoder.lastError()).contains("10O.02");
        assertThat(sink.invalidations).containsExactly(XYZ + ": " + CoinbaseAdvancedTradeDecoder.MALFORMED_LEVEL2);
        assertThat(sink.books[XYZ].quantityAt(Side.BUY, xyz.priceTicks("100.01"))).as("no level of the broken event").isZero();
        assertThat(decoder.valid(XYZ)).isFalse();
        assertThat(decoder.valid(ABC)).isTrue();
        assertThat(decoder.needsResubscribe()).isTrue();
        assertThat(decoder.gaps()).isZero();
    }

    @Test
    void aLevel2MessageWhoseProductCannotBeReadInvalidatesEveryBookOfTheConnection() {
        snapshots(1);
        decoder.onMessage(message("l2_data", 3, "{\"type\":\"update\",\"updates\":[]}"));

        assertThat(decoder.malformed()).isEqualTo(1);
        assertThat(sink.invalidations).containsExactly(XYZ + ": " + CoinbaseAdvancedTradeDecoder.UNREADABLE_LEVEL2,
                ABC + ": " + CoinbaseAdvancedTradeDecoder.UNREADABLE_LEVEL2);
        assertThat(decoder.needsResubscribe()).isTrue();

        decoder.onMessage(l2(4, "snapshot", "ABC-EUR", level("bid", "5.0001", "10"), level("offer", "5.0003", "10")));
        String truncated = l2(5, "update", "ABC-EUR", level("bid", "5.0002", "1"));
        decoder.onMessage(truncated.substring(0, truncated.length() - 30));
        assertThat(decoder.malformed()).isEqualTo(2);
        assertThat(decoder.valid(ABC)).as("a truncated level2 message may have been for any book").isFalse();
    }

    @Test
    void brokenTickersTradesAndUnknownProductsLeaveTheBooksAlone() {
        snapshots(1);
        decoder.onMessage(ticker(3, "XYZ-USD", "x", "100.02"));
        decoder.onMessage(message("market_trades", 4, "{\"type\":\"update\",\"trades\":[{\"trade_id\":\"1\",\"product_id\":\"XYZ-USD\","
                + "\"price\":\"1\",\"size\":\"1\",\"side\":\"UP\",\"time\":\"2026-07-25T09:40:01Z\"}]}"));
        decoder.onMessage(l2(5, "update", "NOPE-USD", level("bid", "1", "1")));

        assertThat(decoder.malformed()).isEqualTo(3);
        assertThat(sink.invalidations).isEmpty();
        assertThat(decoder.valid(XYZ)).isTrue();
        assertThat(decoder.valid(ABC)).isTrue();
        assertThat(decoder.needsResubscribe()).isFalse();
    }

    private static long nanos(String timestamp) {
        Instant instant = Instant.parse(timestamp);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
