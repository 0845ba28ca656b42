package io.mme.connectors.hyperliquid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;
import io.mme.marketdata.L2Book;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder on the real lines of the shared capture: each l2Book message replaces the book whole
 * (the sink's book equals the message's levels after every one of them, checked against Jackson's
 * reading of the same text), trades carry the aggressor of B/A, the history sent on subscribing is
 * not passed on, and a snapshot that is crossed or older than the last one is refused.
 */
class HyperliquidDecoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> capture = HyperliquidCapture.messages();
    private InstrumentRegistry registry;
    private Instrument btc;
    private RecordingSink sink;
    private HyperliquidDecoder decoder;

    @BeforeEach
    void setUp() {
        registry = HyperliquidCapture.registry();
        btc = registry.get(0);
        sink = new RecordingSink(registry.size());
        decoder = new HyperliquidDecoder(registry, sink);
    }

    @Test
    void everySnapshotOfTheCaptureReplacesTheBookWhole() throws Exception {
        int books = 0;
        for (String message : capture) {
            decoder.onMessage(message);
            JsonNode node = JSON.readTree(message);
            if (!node.path("channel").asText().equals("l2Book")) {
                continue;
            }
            books++;
            JsonNode levels = node.path("data").path("levels");
            for (int side = 0; side < 2; side++) {
                Side s = side == 0 ? Side.BUY : Side.SELL;
                JsonNode expected = levels.get(side);
                assertThat(sink.books[0].levels(s)).as("levels of %s after book %d", s, books).isEqualTo(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(sink.books[0].price(s, i)).isEqualTo(btc.priceTicks(expected.get(i).path("px").asText()));
                    assertThat(sink.books[0].quantity(s, i)).isEqualTo(btc.quantityLots(expected.get(i).path("sz").asText()));
                }
            }
            assertThat(sink.valid[0]).isTrue();
            assertThat(decoder.lastTime(0)).isEqualTo(node.path("data").path("time").asLong());
        }
        assertThat(books).isEqualTo(46);
        assertThat(decoder.snapshots()).isEqualTo(46);
        assertThat(decoder.malformed() + decoder.refusedCrossed() + decoder.refusedOlder()).as(decoder.lastError()).isZero();
        // the whole book once, then only differences: one clear on the whole capture, and the
        // repeated first snapshot (same time, same levels) changed nothing
        assertThat(sink.clears).isEqualTo(1);
        assertThat(sink.crossedAtEnd).isZero();
        assertThat(sink.ends).isEqualTo(46);
    }

    @Test
    void theFirstSnapshotIsTheCapturedTouch() {
        decoder.onMessage(capture.get(0));
        L2Book book = sink.books[0];
        assertThat(btc.tick().format(book.bestPrice(Side.BUY))).isEqualTo("105055.0");
        assertThat(btc.lot().format(book.bestQuantity(Side.BUY))).isEqualTo("3.03622");
        assertThat(btc.tick().format(book.bestPrice(Side.SELL))).isEqualTo("105056.0");
        assertThat(btc.lot().format(book.bestQuantity(Side.SELL))).isEqualTo("6.34472");
        assertThat(book.levels(Side.BUY)).isEqualTo(20);
        assertThat(book.levels(Side.SELL)).isEqualTo(20);
    }

    @Test
    void tradesCarryTheAggressorAndTheHistoryOnSubscribingIsNotPassedOn() throws Exception {
        List<JsonNode> live = new ArrayList<>();
        boolean first = true;
        int history = 0;
        for (String message : capture) {
            decoder.onMessage(message);
            JsonNode node = JSON.readTree(message);
            if (node.path("channel").asText().equals("trades")) {
                if (first) {
                    history = node.path("data").size();
                    first = false;
                } else {
                    node.path("data").forEach(live::add);
                }
            }
        }
        assertThat(history).isGreaterThan(1);
        assertThat(decoder.ignoredTrades()).isEqualTo(history);
        assertThat(decoder.trades()).isEqualTo(live.size()).isPositive();
        assertThat(sink.trades).hasSize(live.size());
        for (int i = 0; i < live.size(); i++) {
            JsonNode t = live.get(i);
            RecordingSink.Trade got = sink.trades.get(i);
            assertThat(got.aggressor()).isEqualTo(t.path("side").asText().equals("B") ? Side.BUY : Side.SELL);
            assertThat(got.priceTicks()).isEqualTo(btc.priceTicks(t.path("px").asText()));
            assertThat(got.quantityLots()).isEqualTo(btc.quantityLots(t.path("sz").asText()));
            assertThat(got.tradeId()).isEqualTo(t.path("tid").asLong());
            assertThat(got.timestampNanos()).isEqualTo(t.path("time").asLong() * 1_000_000L);
        }
        assertThat(sink.trades).extracting(RecordingSink.Trade::aggressor).contains(Side.BUY, Side.SELL);
    }

    @Test
    void aSnapshotOlderThanTheLastOneIsRefused() {
        String newer = capture.get(capture.size() - 1);
        decoder.onMessage(newer);
        long time = decoder.lastTime(0);
        L2Book before = copy(sink.books[0]);
        long ends = sink.ends;

        // an earlier snapshot of the capture, arriving late
        decoder.onMessage(capture.get(0));

        assertThat(decoder.refusedOlder()).isEqualTo(1);
        assertThat(decoder.lastTime(0)).isEqualTo(time);
        assertThat(sink.ends).isEqualTo(ends);
        assertThat(sink.sameBook(0, before)).isTrue();
        assertThat(sink.valid[0]).isTrue();
        assertThat(sink.invalidations).isEmpty();
    }

    @Test
    void aSnapshotWithTheSameTimeIsAccepted() {
        decoder.onMessage(capture.get(0));
        decoder.onMessage(capture.get(1)); // the capture repeats its first snapshot, time unchanged
        assertThat(decoder.snapshots()).isEqualTo(2);
        assertThat(decoder.refusedOlder()).isZero();
    }

    @Test
    void aCrossedSnapshotIsRefusedAndTheNextGoodOneApplies() {
        decoder.onMessage(capture.get(0));
        L2Book before = copy(sink.books[0]);
        // a later snapshot whose best bid is raised above the best ask
        String crossed = capture.get(3).replace("\"time\":", "\"time\":1").replaceFirst("\"px\":\"[0-9.]+\"", "\"px\":\"105100.0\"");
        decoder.onMessage(crossed);

        assertThat(decoder.refusedCrossed()).isEqualTo(1);
        assertThat(sink.sameBook(0, before)).isTrue();
        assertThat(sink.crossedAtEnd).isZero();

        decoder.onMessage(capture.get(3));
        assertThat(decoder.snapshots()).isEqualTo(2);
        assertThat(sink.books[0].crossed()).isFalse();
    }

    @Test
    void aMalformedSnapshotInvalidatesTheBookUntilTheNextOne() {
        decoder.onMessage(capture.get(0));
        decoder.onMessage(capture.get(3).replaceFirst("\"sz\":\"[0-9.]+\"", "\"sz\":\"-1.0\""));
        assertThat(decoder.malformed()).isEqualTo(1);
        assertThat(decoder.booksLostToMalformed()).isEqualTo(1);
        assertThat(sink.valid[0]).isFalse();
        assertThat(sink.invalidations).singleElement().asString().contains("malformed l2Book");

        decoder.onMessage(capture.get(4));
        assertThat(sink.valid[0]).isTrue();
        assertThat(sink.clears).isEqualTo(2);

        // an off-grid price (finer than the 0.1 tick of szDecimals 5) is malformed too
        decoder.onMessage(capture.get(5).replaceFirst("\"px\":\"([0-9]+)\\.0\"", "\"px\":\"$1.05\""));
        assertThat(decoder.malformed()).isEqualTo(2);
        assertThat(sink.valid[0]).isFalse();
    }

    @Test
    void pongsErrorsAndAcknowledgementsAreCountedNotPassedOn() {
        decoder.onMessage("{\"channel\":\"pong\"}");
        decoder.onMessage("{\"channel\":\"subscriptionResponse\",\"data\":{\"method\":\"subscribe\",\"subscription\":{\"type\":\"l2Book\",\"coin\":\"BTC\"}}}");
        decoder.onMessage("{\"channel\":\"error\",\"data\":\"Invalid subscription\"}");
        assertThat(decoder.pongs()).isEqualTo(1);
        assertThat(decoder.events()).isEqualTo(1);
        assertThat(decoder.errors()).isEqualTo(1);
        assertThat(decoder.lastError()).contains("Invalid subscription");
        assertThat(decoder.malformed()).isZero();
        assertThat(sink.ends + sink.clears + sink.tradeCalls).isZero();
    }

    @Test
    void garbageIsCountedAndNeverThrown() {
        decoder.onMessage("not json");
        decoder.onMessage(capture.get(0).substring(0, 300));
        decoder.onMessage("{\"channel\":\"l2Book\",\"data\":{\"coin\":\"DOGE\",\"levels\":[[],[]],\"time\":1}}");
        assertThat(decoder.malformed()).isEqualTo(3);
        assertThat(sink.ends).isZero();
    }

    @Test
    void aNewConnectionStartsTheBookAndTheTimeCheckAfresh() {
        decoder.onMessage(capture.get(capture.size() - 1));
        decoder.reset();
        decoder.onMessage(capture.get(0)); // older, but the first on the new connection
        assertThat(decoder.refusedOlder()).isZero();
        assertThat(sink.clears).isEqualTo(2);
    }

    private static L2Book copy(L2Book book) {
        L2Book copy = new L2Book(1000);
        for (Side side : Side.values()) {
            for (int i = 0; i < book.levels(side); i++) {
                copy.set(side, book.price(side, i), book.quantity(side, i));
            }
        }
        return copy;
    }
}
