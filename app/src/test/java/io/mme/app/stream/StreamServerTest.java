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
        assertThat(c.next("\"subscribed\"")).contains("\"channel\":\"positions\"", "\"id\":\"s");
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
    void aVenueBookIsSentWhenItChangesAndNoLongerAfterUnsubscribing() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":2}");
        String id = c.next("\"subscribed\"");
        feed.level(BINANCE, Side.BUY, 6_400_001, 50_000).level(BINANCE, Side.BUY, 6_400_000, 10_000).level(BINANCE, Side.BUY, 6_399_000, 1)
                .level(BINANCE, Side.SELL, 6_400_100, 123).valid(BINANCE, true).publish();
        String book = c.next("\"type\":\"l2Book\"");
        assertThat(book).contains("\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"pair\":\"BTC/USDT\",\"state\":\"VALID\"",
                "\"bids\":[[\"64000.01\",\"0.50000\"],[\"64000.00\",\"0.10000\"]]", "\"asks\":[[\"64001.00\",\"0.00123\"]]");
        feed.level(BINANCE, Side.SELL, 6_400_100, 0).publish();
        assertThat(c.next("\"type\":\"l2Book\"")).contains("\"asks\":[]");
        c.send("{\"op\":\"unsubscribe\",\"channel\":\"l2Book\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"nLevels\":2}");
        assertThat(c.next("\"unsubscribed\"")).contains(id.substring(id.indexOf("\"id\"")));
        feed.level(BINANCE, Side.SELL, 6_400_200, 5).publish();
        Thread.sleep(400);
        assertThat(c.messages).noneMatch(m -> m.contains("\"type\":\"l2Book\""));
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
        // the merged book the feed published (a book sent before it, still SYNCING and empty, is skipped)
        String merged = c.next("\"pair\":\"BTC/USD\",\"state\":\"VALID\"");
        assertThat(merged).contains("\"venue\":null,\"symbol\":null,\"pair\":\"BTC/USD\",\"state\":\"VALID\"",
                "\"bids\":[[\"64000.00\",\"1.5000\"],[\"63999.90\",\"2.0000\"],[\"63999.80\",\"0.7000\"]]",
                "\"asks\":[[\"64000.50\",\"0.3500\"],[\"64001.00\",\"0.0001\"]]");
        feed.valid(KRAKEN, false).publish();
        assertThat(c.next("\"asks\":[[\"64000.50\",\"0.1000\"]]")).contains("\"bids\":[[\"64000.00\",\"1.0000\"],[\"63999.90\",\"2.0000\"]]",
                "\"asks\":[[\"64000.50\",\"0.1000\"]]");
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
        assertThat(book).contains("\"bids\":[{\"price\":\"64000.00\",\"orders\":[{\"id\":11,\"size\":\"0.00400\"},{\"id\":12,\"size\":\"0.01500\"}]}]",
                "\"asks\":[{\"price\":\"64001.00\",\"orders\":[{\"id\":14,\"size\":\"0.04000\"}]}]");
        feed.md(MarketDataKind.ORDER_EXECUTED, BINANCE, Side.BUY, 6_400_000, 0, 11).publish();
        assertThat(c.next("\"type\":\"l3Book\"")).contains("\"orders\":[{\"id\":12,\"size\":\"0.01500\"}]");
    }

    @Test
    void tradesAreSentOnceEach() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\"}");
        c.next("\"subscribed\"");
        feed.md(MarketDataKind.TRADE, BINANCE, Side.BUY, 6_400_000, 100, 0).md(MarketDataKind.TRADE, BINANCE, Side.SELL, 6_399_999, 7, 0)
                .md(MarketDataKind.TRADE, COINBASE, Side.SELL, 6_399_999, 7, 0).publish();
        String trades = c.next("\"type\":\"trades\"");
        assertThat(trades).contains("\"venue\":\"binance\"", "{\"price\":\"64000.00\",\"size\":\"0.00100\",\"side\":\"buy\"",
                "{\"price\":\"63999.99\",\"size\":\"0.00007\",\"side\":\"sell\"").doesNotContain("coinbase");
        feed.md(MarketDataKind.TRADE, BINANCE, Side.SELL, 6_400_500, 1, 0).publish();
        String more = c.next("\"type\":\"trades\"");
        assertThat(more).contains("64005.00").doesNotContain("64000.00");
    }

    @Test
    void tradingStatesComeOnSubscribingAndOnEachChange() throws Exception {
        StreamTestSupport.Client c = client();
        c.send("{\"op\":\"subscribe\",\"channel\":\"tradingStates\"}");
        assertThat(c.next("\"subscribed\"")).contains("\"channel\":\"tradingStates\"");
        String first = c.next("\"type\":\"tradingStates\"");
        assertThat(first).startsWith("{\"type\":\"tradingStates\",\"global\":\"ACTIVE\",\"pipelineHalted\":false,\"haltReason\":null,"
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

        // nothing changes: nothing more is sent (absence needs a window: 15 conflation intervals)
        java.util.List<String> later = new java.util.ArrayList<>();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        while (System.nanoTime() < until) {
            String m = c.messages.poll(100, TimeUnit.MILLISECONDS);
            if (m != null) {
                later.add(m);
            }
        }
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
            assertThat(raw.response.toLowerCase(java.util.Locale.ROOT)).contains("sec-websocket-extensions: permessage-deflate");
        }
        try (StreamTestSupport.RawClient raw = new StreamTestSupport.RawClient(api.port(), 0, "Authorization: Bearer " + StreamTestSupport.TOKEN)) {
            assertThat(raw.response.toLowerCase(java.util.Locale.ROOT)).startsWith("http/1.1 101").doesNotContain("sec-websocket-extensions");
        }
    }
}
