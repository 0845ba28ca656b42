package io.mme.app.stream;

import io.mme.app.api.ApiServer;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming endpoint against a real {@link ApiServer} on an ephemeral port, with a tap fed
 * directly (event time under the test's control).
 */
class StreamServerTest {
    private static final int BINANCE = 0;
    private static final int COINBASE = 1;
    private static final int KRAKEN = 2;

    private StreamTap tap;
    private StreamTestSupport.Feed feed;
    private StreamServer stream;
    private StreamTestSupport.Access access;
    private ApiServer api;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        var registry = StreamTestSupport.registry();
        tap = new StreamTap(registry, 1_000, 1_024);
        feed = new StreamTestSupport.Feed(tap);
        access = new StreamTestSupport.Access(registry, null, null);
        stream = new StreamServer(tap, access, StreamTestSupport.tokens(), null,
                StreamServer.Settings.defaults());
        api = new ApiServer(ApiServer.Settings.loopback(0)).install(stream::install).start();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        stream.close();
        api.close();
        http.close();
    }

    private StreamTestSupport.Client client() {
        return StreamTestSupport.Client.connect(http, api.port(), StreamTestSupport.TOKEN);
    }

    @Test
    void aBadTokenInTheHeaderIsClosedWithPolicyViolation() throws Exception {
        StreamTestSupport.Client c = StreamTestSupport.Client.connect(http, api.port(), "wrong");
        assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 invalid token");
    }

    @Test
    void aBadTokenInTheFirstMessageIsClosedWithPolicyViolation() throws Exception {
        StreamTestSupport.Client c = StreamTestSupport.Client.connect(http, api.port(), null);
        c.send("{\"op\":\"auth\",\"token\":\"wrong\"}");
        assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 invalid token");
    }

    @Test
    void subscribingBeforeAuthenticatingIsClosedWithPolicyViolation() throws Exception {
        StreamTestSupport.Client c = StreamTestSupport.Client.connect(http, api.port(), null);
        c.send("{\"op\":\"subscribe\",\"channel\":\"positions\"}");
        assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 authentication required");
    }

    @Test
    void theFirstMessageAuthenticatesAndThenSubscriptionsWork() throws Exception {
        StreamTestSupport.Client c = StreamTestSupport.Client.connect(http, api.port(), null);
        c.send("{\"op\":\"auth\",\"token\":\"" + StreamTestSupport.TOKEN + "\"}");
        c.send("{\"op\":\"subscribe\",\"channel\":\"positions\"}");
        assertThat(c.next("\"subscribed\"")).contains("\"channel\":\"positions\"", "\"id\":\"positions\"");
        String positions = c.next("\"type\":\"positions\"");
        assertThat(positions).contains("\"symbol\":\"BTCUSDT\"", "\"position\":\"0.00000\"", "\"totalPnl\":\"0.00\"");
    }

    @Test
    void eachBadFieldIsNamedAndTheConnectionStaysOpen() throws Exception {
        StreamTestSupport.Client c = client();
        String[][] cases = {
                {"{\"op\":\"subscribe\",\"channel\":\"candles\"}", "channel"},
                {"{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"nasdaq\",\"symbol\":\"BTCUSDT\"}", "venue"},
                {"{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"ETHUSDT\"}", "symbol"},
                {"{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"pair\":\"DOGE/USD\"}", "pair"},
                {"{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":0}", "nLevels"},
                {"{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":101}", "nLevels"},
                {"{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"sigFigs\":9}", "sigFigs"},
                {"{\"op\":\"subscribe\",\"channel\":\"l3Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\"}", "symbol"},
                {"{\"op\":\"publish\",\"channel\":\"quotes\"}", "op"},
                {"{\"op\":\"unsubscribe\",\"channel\":\"quotes\"}", "channel"},
        };
        for (String[] t : cases) {
            c.send(t[0]);
            assertThat(c.next("\"type\":\"error\"")).as(t[0]).contains("\"field\":\"" + t[1] + "\"");
        }
        c.send("{\"op\":\"subscribe\",\"channel\":\"quotes\"}");
        assertThat(c.next("\"subscribed\"")).contains("\"channel\":\"quotes\"");
        assertThat(c.next("\"type\":\"quotes\"")).contains("\"quotes\":[]", "\"fairValue\":null");
        c.send("{\"op\":\"subscribe\",\"channel\":\"quotes\"}");
        assertThat(c.next("\"type\":\"error\"")).contains("already subscribed");
    }

    @Test
    void aVenueBookIsASnapshotThenDeltasAndNothingAfterUnsubscribing() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":2}");
        assertThat(c.next("\"subscribed\"")).contains("\"id\":\"l2Book:binance:BTCUSDT:2\"");
        feed.level(BINANCE, Side.BUY, 6_400_001, 50_000).level(BINANCE, Side.BUY, 6_400_000, 10_000).level(BINANCE, Side.BUY, 6_399_000, 1)
                .level(BINANCE, Side.SELL, 6_400_100, 123).valid(BINANCE, true).publish();
        String book = c.next("\"type\":\"l2Book\"");
        assertThat(book).startsWith("{\"type\":\"l2Book\",\"id\":\"l2Book:binance:BTCUSDT:2\",\"seq\":1,\"snapshot\":true,\"sentUs\":")
                .contains("\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"pair\":\"BTC/USDT\",\"state\":\"VALID\"",
                        "\"bids\":[[\"64000.01\",\"0.50000\"],[\"64000.00\",\"0.10000\"]]", "\"asks\":[[\"64001.00\",\"0.00123\"]]");
        // the ask removed: a delta with only that level, size "0"
        feed.level(BINANCE, Side.SELL, 6_400_100, 0).publish();
        assertThat(c.next("\"type\":\"l2Book\"")).contains("\"seq\":2,\"snapshot\":false", "\"bids\":[]", "\"asks\":[[\"64001.00\",\"0\"]]");
        // a better bid pushes the second one out of the top 2: it comes in, the old second goes (size "0")
        feed.level(BINANCE, Side.BUY, 6_400_002, 7).publish();
        assertThat(c.next("\"type\":\"l2Book\"")).contains("\"seq\":3,\"snapshot\":false",
                "\"bids\":[[\"64000.02\",\"0.00007\"],[\"64000.00\",\"0\"]]");
        c.send("{\"op\":\"unsubscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":2}");
        assertThat(c.next("\"unsubscribed\"")).contains("\"id\":\"l2Book:binance:BTCUSDT:2\"");
        // a fence on the same connection: a deeper view of the same book, which sees every change
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":5}");
        java.util.List<String> after = new java.util.ArrayList<>(c.upTo("\"id\":\"l2Book:binance:BTCUSDT:5\""));
        feed.level(BINANCE, Side.SELL, 6_400_200, 5).publish();
        after.addAll(c.upTo("\"asks\":[[\"64002.00\",\"0.00005\"]]"));
        // and a second dispatcher pass: whatever the first handed this client was sent before this
        feed.level(BINANCE, Side.BUY, 6_400_003, 9).publish();
        after.addAll(c.upTo("\"64000.03\",\"0.00009\""));
        assertThat(after).filteredOn(m -> m.contains("\"type\":\"l2Book\""))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m).contains("\"id\":\"l2Book:binance:BTCUSDT:5\""));
    }

    @Test
    void aClientFollowingTheDeltasHoldsTheSameBookAsAFreshSnapshot() throws Exception {
        StreamTestSupport.Client early = client();
        early.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":5}");
        early.next("\"subscribed\"");
        StreamTestSupport.BookReplica replica = new StreamTestSupport.BookReplica();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 5; i++) {
                boolean bid = random.nextBoolean();
                feed.level(BINANCE, bid ? Side.BUY : Side.SELL, bid ? 6_400_000 - random.nextInt(10) : 6_400_001 + random.nextInt(10),
                        random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1_000));
            }
            // a change below the top 5 is no message: keep the top moving so that every round is one
            feed.level(BINANCE, Side.BUY, 6_400_000, 1_000 + round).publish();
            replica.apply(early.next("\"type\":\"l2Book\""));
        }
        assertThat(replica.snapshots).isEqualTo(1);
        assertThat(replica.seq).isEqualTo(20);
        StreamTestSupport.Client late = client();
        late.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":5}");
        late.next("\"subscribed\"");
        StreamTestSupport.BookReplica fresh = new StreamTestSupport.BookReplica().apply(late.next("\"type\":\"l2Book\""));
        assertThat(fresh.seq).isEqualTo(20);
        assertThat(fresh.bids()).isEqualTo(replica.bids()).hasSizeLessThanOrEqualTo(5).isNotEmpty();
        assertThat(fresh.asks()).isEqualTo(replica.asks()).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void theDocumentedGapRecoveryAResubscribeGivesASnapshotAtTheChannelsSeq() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":3}");
        c.next("\"subscribed\"");
        feed.level(BINANCE, Side.BUY, 6_400_000, 10).level(BINANCE, Side.SELL, 6_400_010, 20).publish();
        StreamTestSupport.BookReplica replica = new StreamTestSupport.BookReplica().apply(c.next("\"type\":\"l2Book\""));
        feed.level(BINANCE, Side.BUY, 6_399_999, 30).publish();
        replica.apply(c.next("\"type\":\"l2Book\""));
        // the client lost track (a gap): it unsubscribes by the id, then subscribes with the subscribe's fields
        c.send("{\"op\":\"unsubscribe\",\"id\":\"l2Book:binance:BTCUSDT:3\"}");
        assertThat(c.next("\"unsubscribed\"")).contains("\"id\":\"l2Book:binance:BTCUSDT:3\"");
        // the change goes out to nobody on this channel, which has no subscriber now; another client's
        // deeper view of the same book shows when the stream has taken it
        StreamTestSupport.Client watcher = client();
        watcher.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":5}");
        watcher.next("\"type\":\"l2Book\"");
        feed.level(BINANCE, Side.SELL, 6_400_009, 40).publish();
        watcher.next("\"64000.09\",\"0.00040\"");
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":3}");
        c.next("\"subscribed\"");
        String snapshot = c.next("\"type\":\"l2Book\"");
        assertThat(snapshot).contains("\"snapshot\":true");
        replica.apply(snapshot);
        assertThat(replica.seq).isEqualTo(3);
        assertThat(replica.asks()).containsExactly("64000.09 0.00040", "64000.10 0.00020");
        assertThat(replica.bids()).containsExactly("64000.00 0.00010", "63999.99 0.00030");
        feed.level(BINANCE, Side.BUY, 6_400_000, 0).publish();
        replica.apply(c.next("\"type\":\"l2Book\""));
        assertThat(replica.seq).isEqualTo(4);
        assertThat(replica.bids()).containsExactly("63999.99 0.00030");
    }

    @Test
    void theConsolidatedBookMergesTheValidVenuesByPriceInQuoteUnits() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"pair\":\"BTC/USD\",\"nLevels\":3}");
        c.next("\"subscribed\"");
        // coinbase ticks 0.01, lots 0.0001; kraken ticks 0.1, lots 0.0001
        feed.level(COINBASE, Side.BUY, 6_400_000, 10_000).level(COINBASE, Side.BUY, 6_399_990, 20_000)
                .level(COINBASE, Side.SELL, 6_400_050, 1_000)
                .level(KRAKEN, Side.BUY, 640_000, 5_000).level(KRAKEN, Side.BUY, 639_998, 7_000)
                .level(KRAKEN, Side.SELL, 640_005, 2_500).level(KRAKEN, Side.SELL, 640_010, 1)
                .valid(COINBASE, true).valid(KRAKEN, true).publish();
        // the merged book as a client builds it from the snapshot and the deltas
        StreamTestSupport.BookReplica book = new StreamTestSupport.BookReplica();
        while (!"VALID".equals(book.state)) {
            String m = c.next("\"type\":\"l2Book\"");
            assertThat(m).contains("\"venue\":null,\"symbol\":null,\"pair\":\"BTC/USD\"");
            book.apply(m);
        }
        assertThat(book.bids()).containsExactly("64000.00 1.5000", "63999.90 2.0000", "63999.80 0.7000");
        assertThat(book.asks()).containsExactly("64000.50 0.3500", "64001.00 0.0001");
        feed.valid(KRAKEN, false).publish();
        book.apply(c.next("\"type\":\"l2Book\""));
        assertThat(book.bids()).containsExactly("64000.00 1.0000", "63999.90 2.0000");
        assertThat(book.asks()).containsExactly("64000.50 0.1000");
    }

    @Test
    void sigFigsGroupsBidsDownAndAsksUp() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"sigFigs\":4}");
        c.next("\"subscribed\"");
        feed.level(BINANCE, Side.BUY, 6_400_123, 100).level(BINANCE, Side.BUY, 6_400_055, 200).level(BINANCE, Side.BUY, 6_399_999, 400)
                .level(BINANCE, Side.SELL, 6_400_201, 1).level(BINANCE, Side.SELL, 6_401_050, 2).publish();
        String book = c.next("\"type\":\"l2Book\"");
        assertThat(book).contains("\"bids\":[[\"64000\",\"0.00300\"],[\"63990\",\"0.00400\"]]",
                "\"asks\":[[\"64010\",\"0.00001\"],[\"64020\",\"0.00002\"]]", "\"state\":\"SYNCING\"");
    }

    @Test
    void theOrderLevelBookFollowsOrderEvents() throws Exception {
        feed.md(MarketDataKind.ORDER_ADDED, BINANCE, Side.BUY, 6_400_000, 1_000, 11)
                .md(MarketDataKind.ORDER_ADDED, BINANCE, Side.BUY, 6_400_000, 2_000, 12)
                .md(MarketDataKind.ORDER_ADDED, BINANCE, Side.BUY, 6_399_900, 3_000, 13)
                .md(MarketDataKind.ORDER_ADDED, BINANCE, Side.SELL, 6_400_100, 4_000, 14)
                .md(MarketDataKind.ORDER_REDUCED, BINANCE, Side.BUY, 6_400_000, 1_500, 12)
                .md(MarketDataKind.ORDER_EXECUTED, BINANCE, Side.BUY, 6_400_000, 400, 11)
                .md(MarketDataKind.ORDER_DELETED, BINANCE, Side.BUY, 6_399_900, 0, 13).publish();
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"l3Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":5}");
        c.next("\"subscribed\"");
        String book = c.next("\"type\":\"l3Book\"");
        assertThat(book).contains("\"seq\":1,\"snapshot\":true",
                "\"bids\":[{\"price\":\"64000.00\",\"orders\":[{\"id\":\"11\",\"size\":\"0.00400\"},{\"id\":\"12\",\"size\":\"0.01500\"}]}]",
                "\"asks\":[{\"price\":\"64001.00\",\"orders\":[{\"id\":\"14\",\"size\":\"0.04000\"}]}]");
        // ids beyond 2^53 (the paper venue's are near -9.22e18) go as exact strings
        feed.md(MarketDataKind.ORDER_EXECUTED, BINANCE, Side.BUY, 6_400_000, 0, 11)
                .md(MarketDataKind.ORDER_ADDED, BINANCE, Side.SELL, 6_400_100, 1, Long.MIN_VALUE + 5).publish();
        assertThat(c.next("\"type\":\"l3Book\"")).contains("\"seq\":2,\"snapshot\":true", "\"orders\":[{\"id\":\"12\",\"size\":\"0.01500\"}]",
                "{\"id\":\"-9223372036854775803\",\"size\":\"0.00001\"}");
    }

    @Test
    void tradesOfOneInstrumentAreSentOnceEachWithStringIds() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\"}");
        assertThat(c.next("\"subscribed\"")).contains("\"id\":\"trades:binance:BTCUSDT\"");
        feed.md(MarketDataKind.TRADE, BINANCE, Side.BUY, 6_400_000, 100, 0).md(MarketDataKind.TRADE, BINANCE, Side.SELL, 6_399_999, 7, 0)
                .md(MarketDataKind.TRADE, COINBASE, Side.SELL, 6_399_999, 7, 0).publish();
        String trades = c.next("\"type\":\"trades\"");
        assertThat(trades).contains("\"seq\":1,\"snapshot\":true", "\"venue\":\"binance\"",
                "{\"id\":\"0\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"price\":\"64000.00\",\"size\":\"0.00100\",\"side\":\"buy\"",
                "{\"id\":\"1\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"price\":\"63999.99\",\"size\":\"0.00007\",\"side\":\"sell\"")
                .doesNotContain("coinbase");
        feed.md(MarketDataKind.TRADE, BINANCE, Side.SELL, 6_400_500, 1, 0).publish();
        String more = c.next("\"type\":\"trades\"");
        assertThat(more).contains("\"seq\":2,\"snapshot\":false", "\"id\":\"2\"", "64005.00", "\"lost\":0").doesNotContain("64000.00");
    }

    @Test
    void tradesAcrossVenuesDeliverEveryVenuesTradesInEachMessage() throws Exception {
        // one trade of each venue published before anyone subscribes: the tap's next publication waits for feed.publish()
        feed.md(MarketDataKind.TRADE, BINANCE, Side.BUY, 6_400_000, 1, 0).md(MarketDataKind.TRADE, COINBASE, Side.SELL, 6_400_000, 1, 0)
                .md(MarketDataKind.TRADE, KRAKEN, Side.BUY, 640_000, 1, 0).publish();
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"trades\"}");
        assertThat(c.next("\"subscribed\"")).contains("\"id\":\"trades\"");
        // first the snapshot: the last trades (here one of each venue)
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode snapshot = json.readTree(c.next("\"type\":\"trades\""));
        assertThat(snapshot.get("snapshot").asBoolean()).isTrue();
        assertThat(snapshot.get("trades").findValuesAsText("venue")).containsExactlyInAnyOrder("binance", "coinbase", "kraken");
        long lastSeq = snapshot.get("seq").asLong();
        java.util.Map<String, Integer> perVenue = new java.util.TreeMap<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3; i++) {
                feed.md(MarketDataKind.TRADE, BINANCE, Side.BUY, 6_400_000 + i, 1, 0)
                        .md(MarketDataKind.TRADE, COINBASE, Side.SELL, 6_400_000 + i, 1, 0)
                        .md(MarketDataKind.TRADE, KRAKEN, Side.BUY, 640_000 + i, 1, 0);
            }
            feed.publish();
            int expected = 3 * (round + 1);
            while (perVenue.getOrDefault("kraken", 0) < expected) {
                com.fasterxml.jackson.databind.JsonNode m = json.readTree(c.next("\"type\":\"trades\""));
                assertThat(m.get("seq").asLong()).isEqualTo(lastSeq + 1);
                lastSeq = m.get("seq").asLong();
                java.util.Set<String> venues = new java.util.TreeSet<>();
                for (com.fasterxml.jackson.databind.JsonNode t : m.get("trades")) {
                    perVenue.merge(t.get("venue").asText(), 1, Integer::sum);
                    venues.add(t.get("venue").asText());
                    assertThat(t.get("id").isTextual()).isTrue();
                }
                assertThat(venues).as("message " + lastSeq).containsExactly("binance", "coinbase", "kraken");
            }
        }
        assertThat(perVenue).containsEntry("binance", 15).containsEntry("coinbase", 15).containsEntry("kraken", 15);
    }

    @Test
    void aWrappedTradesBufferIsCountedAndNamedInTheMessage() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"venue\":\"coinbase\"}");
        c.next("\"subscribed\"");
        feed.md(MarketDataKind.TRADE, COINBASE, Side.BUY, 6_400_000, 1, 0).publish();
        assertThat(c.next("\"type\":\"trades\"")).contains("\"lost\":0");
        // a trade 200 ms of event time later is published at once; the next ones wait for feed.publish()
        feed.md(MarketDataKind.TRADE, COINBASE, Side.BUY, 6_400_000, 1, 0);
        assertThat(c.next("\"type\":\"trades\"")).contains("\"id\":\"1\"", "\"lost\":0");
        // more trades between two reads than the tap keeps: the oldest are gone, and the message says how many
        for (int i = 0; i < StreamTap.TRADES_KEPT + 44; i++) {
            feed.md(MarketDataKind.TRADE, COINBASE, Side.SELL, 6_400_000 + i, 1, 0);
        }
        feed.publish();
        String wrapped = c.next("\"type\":\"trades\"");
        assertThat(wrapped).contains("\"lost\":44", "\"id\":\"46\"").doesNotContain("\"id\":\"45\"");
        assertThat(stream.stats().tradesLost()).isEqualTo(44);
    }

    @Test
    void aSubscriptionWithAnUnknownFieldIsRefusedNamingIt() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"depth\":5}");
        assertThat(c.next("\"type\":\"error\"")).isEqualTo("{\"type\":\"error\",\"message\":\"unknown field 'depth' for channel l2Book"
                + " (its fields: op, channel, nLevels, pair, sigFigs, symbol, venue)\",\"field\":\"depth\"}");
        c.send("{\"op\":\"subscribe\",\"channel\":\"quotes\",\"venue\":\"binance\"}");
        assertThat(c.next("\"type\":\"error\"")).contains("unknown field 'venue' for channel quotes", "\"field\":\"venue\"");
        c.send("{\"op\":\"unsubscribe\",\"id\":\"quotes\",\"channel\":\"quotes\"}");
        assertThat(c.next("\"type\":\"error\"")).contains("unknown field 'channel'");
        // the refused requests subscribed nothing
        c.send("{\"op\":\"subscribe\",\"channel\":\"quotes\"}");
        assertThat(c.next("\"subscribed\"")).contains("\"id\":\"quotes\"");
        assertThat(stream.stats().requestErrors()).isEqualTo(3);
    }

    @Test
    void anUpgradeFromAnOriginNotAllowedIsRefusedAndTheServersOwnAndAllowedOnesPass() throws Exception {
        int port = api.port();
        try (StreamTestSupport.RawClient evil = new StreamTestSupport.RawClient(port, 0, "Origin: http://evil.example",
                "Authorization: Bearer " + StreamTestSupport.TOKEN)) {
            assertThat(evil.response).startsWith("HTTP/1.1 403");
        }
        try (StreamTestSupport.RawClient own = new StreamTestSupport.RawClient(port, 0, "Origin: http://127.0.0.1:" + port,
                "Authorization: Bearer " + StreamTestSupport.TOKEN)) {
            assertThat(own.response).startsWith("HTTP/1.1 101");
        }
        try (StreamTestSupport.RawClient noBrowser = new StreamTestSupport.RawClient(port, 0, "Authorization: Bearer " + StreamTestSupport.TOKEN)) {
            assertThat(noBrowser.response).startsWith("HTTP/1.1 101");
        }
        assertThat(stream.stats().originsRefused()).isEqualTo(1);
        assertThat(stream.originAllowed("https://desk.example.com", "127.0.0.1:" + port)).isFalse();
        StreamServer allowing = new StreamServer(tap, access, StreamTestSupport.tokens(), null,
                StreamServer.Settings.defaults().withAllowedOrigins(java.util.List.of("https://desk.example.com")));
        assertThat(allowing.originAllowed("https://desk.example.com", "127.0.0.1:" + port)).isTrue();
        assertThat(allowing.originAllowed("https://desk.example.com:8443", "127.0.0.1:" + port)).isFalse();
        assertThat(allowing.originAllowed("null", "127.0.0.1:" + port)).isFalse();
    }

    @Test
    void tradingStatesComeOnSubscribingAndOnEachChange() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"tradingStates\"}");
        assertThat(c.next("\"subscribed\"")).contains("\"channel\":\"tradingStates\"");
        String first = c.next("\"type\":\"tradingStates\"");
        assertThat(first).startsWith("{\"type\":\"tradingStates\",\"id\":\"tradingStates\",\"seq\":1,\"snapshot\":true,\"sentUs\":")
                .contains(",\"global\":\"ACTIVE\",\"pipelineHalted\":false,\"haltReason\":null,"
                + "\"venues\":[{\"venue\":\"binance\",\"state\":\"ACTIVE\"},{\"venue\":\"coinbase\",\"state\":\"ACTIVE\"},"
                + "{\"venue\":\"kraken\",\"state\":\"ACTIVE\"}],\"instruments\":[{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",")
                .contains("{\"venue\":\"kraken\",\"symbol\":\"XBT/USD\",").doesNotContain("HALTED", "REDUCING");

        // a venue halted: its own state, and the effective state of its instrument
        access.tradingState(BINANCE, -1, TradingState.HALTED);
        String halted = c.next("\"type\":\"tradingStates\"");
        assertThat(halted).contains("{\"venue\":\"binance\",\"state\":\"HALTED\"}", "\"global\":\"ACTIVE\"")
                .containsPattern("\"symbol\":\"BTCUSDT\",\"pair\":\"[^\"]+\",\"state\":\"ACTIVE\",\"effective\":\"HALTED\"");

        // an instrument REDUCING, then global HALTED: one message per change, each instrument's effective state the strictest
        access.tradingState(KRAKEN, KRAKEN, TradingState.REDUCING);
        assertThat(c.next("\"type\":\"tradingStates\"")).containsPattern(
                "\"symbol\":\"XBT/USD\",\"pair\":\"[^\"]+\",\"state\":\"REDUCING\",\"effective\":\"REDUCING\"");
        access.tradingState(-1, -1, TradingState.HALTED);
        String global = c.next("\"type\":\"tradingStates\"");
        assertThat(global).contains("\"global\":\"HALTED\"").containsPattern(
                "\"symbol\":\"XBT/USD\",\"pair\":\"[^\"]+\",\"state\":\"REDUCING\",\"effective\":\"HALTED\"");

        // nothing changes: nothing more is sent, counted in the stream's own time: up to the second
        // status message after (each comes a status period, i.e. ten conflation intervals, apart)
        java.util.List<String> later = new java.util.ArrayList<>(c.upTo("\"type\":\"status\""));
        later.addAll(c.upTo("\"type\":\"status\""));
        assertThat(later).noneMatch(m -> m.contains("\"type\":\"tradingStates\""));
    }

    @Test
    void statusComesEverySecond() throws Exception {
        StreamTestSupport.Client c = client();
        String status = c.next("\"type\":\"status\"");
        assertThat(status).contains("\"feeds\":[{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"state\":\"SYNCING\"}", "\"tickToQuote\":null");
    }

    @Test
    void permessageDeflateIsNegotiatedWhenTheClientOffersIt() throws Exception {
        try (StreamTestSupport.RawClient raw = new StreamTestSupport.RawClient(api.port(), 0,
                "Authorization: Bearer " + StreamTestSupport.TOKEN, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
            assertThat(raw.response).startsWith("HTTP/1.1 101");
            assertThat(raw.response.toLowerCase(java.util.Locale.ROOT)).contains("sec-websocket-extensions: permessage-deflate")
                    .contains("server_no_context_takeover");
            // the message's shared compressed bytes: the status message arrives compressed (RSV1) and inflates whole
            byte[] frame = raw.nextFrame();
            assertThat(frame[0] & 0x40).as("RSV1: compressed").isNotZero();
            java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
            byte[] payload = java.util.Arrays.copyOfRange(frame, 1, frame.length);
            byte[] whole = java.util.Arrays.copyOf(payload, payload.length + 4);
            whole[whole.length - 2] = (byte) 0xff; // the 00 00 ff ff tail the sender took off (RFC 7692)
            whole[whole.length - 1] = (byte) 0xff;
            inflater.setInput(whole);
            byte[] out = new byte[65_536];
            int n = inflater.inflate(out);
            String status = new String(out, 0, n, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(status).startsWith("{\"type\":\"status\",\"id\":\"status\",\"seq\":").endsWith("}");
        }
        try (StreamTestSupport.RawClient raw = new StreamTestSupport.RawClient(api.port(), 0, "Authorization: Bearer " + StreamTestSupport.TOKEN)) {
            assertThat(raw.response.toLowerCase(java.util.Locale.ROOT)).startsWith("http/1.1 101").doesNotContain("sec-websocket-extensions");
        }
    }
}
