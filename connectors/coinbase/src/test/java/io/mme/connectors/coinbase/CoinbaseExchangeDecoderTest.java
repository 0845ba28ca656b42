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
 * The Exchange decoder on hand-written messages in the feed's shapes: level2 snapshot and
 * l2update, ticker, match and last_match, what can be checked without a level2 sequence, malformed
 * input.
 */
class CoinbaseExchangeDecoderTest {
    private static final int XYZ = 0;
    private static final int ABC = 1;

    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.COINBASE, "XYZ-USD", "XYZ", "USD", "0.0001", "0.1", null, null, null, null))
            .add(new InstrumentSpec(Venue.COINBASE, "ABC-BTC", "ABC", "BTC", "0.00000001", "0.001", null, null, null, null))
            .build();
    private final Instrument xyz = registry.get(XYZ);
    private final RecordingSink sink = new RecordingSink(registry.size(), 64);
    private final CoinbaseExchangeDecoder decoder = new CoinbaseExchangeDecoder(registry, sink);

    private static String snapshot(String product, String bids, String asks) {
        return "{\"type\":\"snapshot\",\"product_id\":\"" + product + "\",\"asks\":[" + asks + "],\"bids\":[" + bids + "]}";
    }

    private static String l2update(String product, String time, String changes) {
        return "{\"type\":\"l2update\",\"product_id\":\"" + product + "\",\"changes\":[" + changes + "],\"time\":\"" + time + "\"}";
    }

    private static String match(String type, long tradeId, String side, String price, String size, long sequence, String time) {
        return "{\"type\":\"" + type + "\",\"trade_id\":" + tradeId + ",\"maker_order_id\":\"m\",\"taker_order_id\":\"t\",\"side\":\"" + side
                + "\",\"size\":\"" + size + "\",\"price\":\"" + price + "\",\"product_id\":\"XYZ-USD\",\"sequence\":" + sequence
                + ",\"time\":\"" + time + "\"}";
    }

    private static String ticker(long sequence, String extra) {
        return "{\"type\":\"ticker\",\"sequence\":" + sequence + ",\"product_id\":\"XYZ-USD\",\"price\":\"0.7910\",\"open_24h\":\"0.75\","
                + "\"best_bid\":\"0.7901\",\"best_ask\":\"0.7911\"" + extra + ",\"side\":\"buy\",\"time\":\"2021-04-17T16:43:37.121358Z\","
                + "\"trade_id\":1568268,\"last_size\":\"450\"}";
    }

    private void books() {
        decoder.onMessage(snapshot("XYZ-USD", "[\"0.7901\",\"100.0\"],[\"0.7900\",\"5\"]", "[\"0.7911\",\"7.5\"]"));
        decoder.onMessage(snapshot("ABC-BTC", "[\"0.00618955\",\"1.5\"]", "[\"0.00620125\",\"2\"]"));
    }

    @Test
    void aSnapshotAndAnL2UpdateBecomeClearLevelsAndEndOfMessage() {
        books();
        sink.levels.clear();
        decoder.onMessage(l2update("XYZ-USD", "2021-04-17T16:43:37.075351Z", "[\"sell\",\"0.7911\",\"0\"],[\"buy\",\"0.7905\",\"12.5\"]"));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.snapshots()).isEqualTo(2);
        assertThat(decoder.updates()).isEqualTo(1);
        assertThat(sink.clears).isEqualTo(2);
        assertThat(sink.ends).isEqualTo(3);
        assertThat(sink.levels).containsExactly(
                new RecordingSink.Level(XYZ, Side.SELL, xyz.priceTicks("0.7911"), 0, 3),
                new RecordingSink.Level(XYZ, Side.BUY, xyz.priceTicks("0.7905"), xyz.quantityLots("12.5"), 3));
        assertThat(sink.books[XYZ].levels(Side.BUY)).isEqualTo(3);
        assertThat(sink.books[XYZ].levels(Side.SELL)).isZero();
        assertThat(decoder.valid(XYZ)).isTrue();
        assertThat(decoder.valid(ABC)).isTrue();
    }

    @Test
    void anL2UpdateBeforeItsSnapshotIsDropped() {
        decoder.onMessage(l2update("XYZ-USD", "2021-04-17T16:43:37.075351Z", "[\"buy\",\"0.7905\",\"12.5\"]"));

        assertThat(decoder.malformed()).isZero();
        assertThat(decoder.droppedWhileInvalid()).isEqualTo(1);
        assertThat(sink.ends).isZero();
    }

    @Test
    void anL2UpdateEarlierThanThePreviousOneOfItsProductInvalidatesTheBook() {
        books();
        decoder.onMessage(l2update("XYZ-USD", "2021-04-17T16:43:37.075351Z", "[\"buy\",\"0.7905\",\"12.5\"]"));
        decoder.onMessage(l2update("XYZ-USD", "2021-04-17T16:43:37.075351Z", "[\"buy\",\"0.7905\",\"2\"]"));
        decoder.onMessage(l2update("XYZ-USD", "2021-04-17T16:43:37.075350Z", "[\"buy\",\"0.7904\",\"1\"]"));

        assertThat(decoder.updates()).as("equal times are in order").isEqualTo(2);
        assertThat(decoder.outOfOrder()).isEqualTo(1);
        assertThat(sink.invalidations).containsExactly(XYZ + ": " + CoinbaseExchangeDecoder.OUT_OF_ORDER);
        assertThat(decoder.valid(XYZ)).isFalse();
        assertThat(decoder.valid(ABC)).isTrue();
        assertThat(decoder.needsResubscribe()).isTrue();

        decoder.resubscribed();
        decoder.onMessage(snapshot("XYZ-USD", "[\"0.7801\",\"1\"]", "[\"0.7811\",\"1\"]"));
        decoder.onMessage(l2update("XYZ-USD", "2021-04-17T16:43:30Z", "[\"buy\",\"0.7802\",\"1\"]"));
        assertThat(decoder.valid(XYZ)).as("a snapshot starts the book's times afresh").isTrue();
        assertThat(decoder.needsResubscribe()).isFalse();
    }

    @Test
    void matchesCarryTheAggressorsSideTheOppositeOfTheMakersTheVenueReports() {
        decoder.onMessage(match("last_match", 1568267, "buy", "0.7900", "10", 201390042, "2021-04-17T16:43:00.000001Z"));
        decoder.onMessage(match("match", 1568268, "sell", "0.7911", "450", 201390075, "2021-04-17T16:43:37.121358Z"));
        decoder.onMessage(match("match", 1568269, "buy", "0.7901", "0.5", 201390097, "2021-04-17T16:43:37.140491Z"));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.history()).isEqualTo(1);
        assertThat(decoder.trades()).isEqualTo(2);
        assertThat(decoder.tradeIdGaps()).isZero();
        assertThat(sink.trades).containsExactly(
                new RecordingSink.Trade(XYZ, 0, Side.BUY, xyz.priceTicks("0.7911"), xyz.quantityLots("450"), 1568268,
                        nanos("2021-04-17T16:43:37.121358Z")),
                new RecordingSink.Trade(XYZ, 0, Side.SELL, xyz.priceTicks("0.7901"), xyz.quantityLots("0.5"), 1568269,
                        nanos("2021-04-17T16:43:37.140491Z")));
    }

    @Test
    void aJumpInTradeIdsIsCountedAndALateMatchIgnored() {
        books();
        decoder.onMessage(match("last_match", 100, "buy", "0.7900", "10", 5000, "2021-04-17T16:43:00Z"));
        decoder.onMessage(match("match", 103, "buy", "0.7900", "10", 5010, "2021-04-17T16:43:01Z"));
        decoder.onMessage(match("match", 102, "buy", "0.7900", "10", 5008, "2021-04-17T16:43:01Z"));

        assertThat(decoder.tradeIdGaps()).isEqualTo(1);
        assertThat(decoder.late()).isEqualTo(1);
        assertThat(decoder.trades()).isEqualTo(1);
        assertThat(decoder.valid(XYZ)).as("level2 is the guaranteed channel: lost matches do not touch the book").isTrue();
        assertThat(decoder.needsResubscribe()).isFalse();
    }

    @Test
    void tickersBecomeBestBidOfferWithSizesWhereTheFeedSendsThemAndLateOnesAreIgnored() {
        decoder.onMessage(ticker(201390075, ""));
        decoder.onMessage(ticker(201390080, ",\"best_bid_size\":\"120.5\",\"best_ask_size\":\"3\""));
        decoder.onMessage(ticker(201390079, ""));

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.tickers()).isEqualTo(2);
        assertThat(decoder.late()).isEqualTo(1);
        long bid = xyz.priceTicks("0.7901");
        long ask = xyz.priceTicks("0.7911");
        assertThat(sink.quotes).containsExactly(
                new RecordingSink.Quote(XYZ, 0, 201390075, bid, 0, ask, 0),
                new RecordingSink.Quote(XYZ, 0, 201390080, bid, xyz.quantityLots("120.5"), ask, xyz.quantityLots("3")));
    }

    @Test
    void controlMessagesAreCountedAndVenueErrorsKept() {
        decoder.onMessage("{\"type\":\"subscriptions\",\"channels\":[{\"name\":\"level2\",\"product_ids\":[\"XYZ-USD\"]}]}");
        decoder.onMessage("{\"type\":\"heartbeat\",\"sequence\":90,\"last_trade_id\":20,\"product_id\":\"XYZ-USD\",\"time\":\"2021-04-17T16:43:37Z\"}");
        decoder.onMessage("{\"type\":\"status\",\"products\":[]}");
        String error = "{\"type\":\"error\",\"message\":\"Failed to subscribe\",\"reason\":\"NOPE-USD is not a valid product\"}";
        decoder.onMessage(error);

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.subscriptions()).isEqualTo(1);
        assertThat(decoder.heartbeats()).isEqualTo(1);
        assertThat(decoder.other()).isEqualTo(1);
        assertThat(decoder.venueErrors()).isEqualTo(1);
        assertThat(decoder.lastVenueError()).isEqualTo(error);
    }

    @Test
    void malformedMessagesAreCountedAndNeverThrown() {
        List<String> malformed = List.of(
                "",
                "nonsense",
                "{\"type\":\"snapshot\",\"product_id\":\"XYZ-USD\",\"asks\":[[\"0.7911\",\"7.5\"]",
                "{\"product_id\":\"XYZ-USD\"}",
                "{\"type\":\"snapshot\",\"product_id\":\"XYZ-USD\",\"bids\":[]}",
                "{\"type\":\"snapshot\",\"product_id\":\"XYZ-USD\",\"bids\":{},\"asks\":[]}",
                snapshot("XYZ-USD", "[0.7901,\"1\"]", ""),
                snapshot("XYZ-USD", "[\"0.79015\",\"1\"]", ""),
                snapshot("XYZ-USD", "[\"0.7901\",\"1\",\"2\"]", ""),
                snapshot("NOPE-USD", "[\"0.7901\",\"1\"]", ""),
                l2update("XYZ-USD", "2021-04-17T16:43:37Z", "[\"hold\",\"0.7901\",\"1\"]"),
                l2update("XYZ-USD", "2021-04-17T16:43:37Z", "[\"buy\",\"0.7901\",\"-1\"]"),
                l2update("XYZ-USD", "16:43:37", "[\"buy\",\"0.7901\",\"1\"]"),
                "{\"type\":\"l2update\",\"product_id\":\"XYZ-USD\",\"time\":\"2021-04-17T16:43:37Z\"}",
                match("match", 1, "sell", "0.7911", "0", 2, "2021-04-17T16:43:37Z"),
                match("match", 1, "sideways", "0.7911", "1", 2, "2021-04-17T16:43:37Z"),
                "{\"type\":\"match\",\"trade_id\":\"x\",\"product_id\":\"XYZ-USD\"}",
                "{\"type\":\"ticker\",\"product_id\":\"XYZ-USD\",\"best_bid\":\"1\",\"best_ask\":\"2\"}",
                ticker(1, ",\"best_bid_size\":[]"),
                "{\"type\":\"ticker\",\"sequence\":1,\"product_id\":\"NOPE-USD\",\"best_bid\":\"1\",\"best_ask\":\"2\"}",
                snapshot("XYZ-USD", "", "") + " {}");

        for (String m : malformed) {
            assertThatCode(() -> decoder.onMessage(m)).as(m).doesNotThrowAnyException();
        }

        assertThat(decoder.malformed()).isEqualTo(malformed.size());
        assertThat(decoder.lastError()).isNotBlank();
        assertThat(sink.clears + sink.ends + sink.tradeCalls + sink.quoteCalls).as("nothing of a malformed message reaches the sink").isZero();
    }

    @Test
    void aBrokenLevel2MessageOfAKnownProductInvalidatesOnlyThatBook() {
        books();
        decoder.onMessage(l2update("XYZ-USD", "2021-04-17T16:43:37Z", "[\"buy\",\"0.79O1\",\"1\"]"));

        assertThat(decoder.malformed()).isEqualTo(1);
        assertThat(sink.invalidations).containsExactly(XYZ + ": " + CoinbaseExchangeDecoder.MALFORMED_LEVEL2);
        assertThat(decoder.valid(ABC)).isTrue();
        assertThat(decoder.needsResubscribe()).isTrue();
    }

    @Test
    void anUnreadableMessageInvalidatesEveryBookButABrokenTickerOrUnknownProductNone() {
        books();
        decoder.onMessage("{\"type\":\"ticker\",\"sequence\":1,\"product_id\":\"XYZ-USD\",\"best_bid\":\"x\",\"best_ask\":\"2\"}");
        decoder.onMessage(l2update("NOPE-USD", "2021-04-17T16:43:37Z", "[\"buy\",\"1\",\"1\"]"));
        assertThat(decoder.malformed()).isEqualTo(2);
        assertThat(sink.invalidations).isEmpty();

        decoder.onMessage("{\"typ");
        assertThat(decoder.malformed()).isEqualTo(3);
        assertThat(sink.invalidations).containsExactly(XYZ + ": " + CoinbaseExchangeDecoder.UNREADABLE, ABC + ": " + CoinbaseExchangeDecoder.UNREADABLE);
        assertThat(decoder.needsResubscribe()).isTrue();
    }

    @Test
    void aNewConnectionForgetsTheOldBooksAndSequences() {
        books();
        decoder.onMessage(ticker(500, ""));
        decoder.newConnection();

        assertThat(decoder.valid(XYZ)).isFalse();
        assertThat(sink.valid[XYZ]).isFalse();
        decoder.onMessage(ticker(400, ""));
        assertThat(decoder.late()).isZero();
        assertThat(decoder.tickers()).isEqualTo(2);
    }

    private static long nanos(String timestamp) {
        Instant instant = Instant.parse(timestamp);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
