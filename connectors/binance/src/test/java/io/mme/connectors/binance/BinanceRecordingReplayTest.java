package io.mme.connectors.binance;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the recorded Binance combined stream and REST snapshots (../shared/data/venues) in time
 * order through the decoder and the snapshot + diff synchronisation, and checks the rebuilt books
 * against the venue's own book tickers.
 */
class BinanceRecordingReplayTest {
    static final Path DATA = Path.of(System.getProperty("mme.shared.dir", "../../shared")).resolve("data/venues");
    private static final Pattern SYMBOL = Pattern.compile("\"s\":\"([A-Z0-9]+)\"");
    private static final Pattern SNAPSHOT = Pattern.compile("^(\\S+) -> ([0-9.]+): (.*)$");
    private static final Pattern RECEIVED = Pattern.compile("^([0-9.]+): (.*)$");

    /** one recorded input: a WebSocket message or a REST snapshot, in time order */
    record Input(double time, String symbol, String text) {
    }

    /** applies the decoder's output to books and checks them against book tickers */
    static final class CheckingSink implements FeedSink {
        final L2Book[] books;
        final boolean[] valid;
        final long[] appliedUpTo;
        volatile long tickerMatches;
        final List<String> tickerMismatches = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> invalidations = new java.util.concurrent.CopyOnWriteArrayList<>();
        long trades;
        long crossed;
        /** per instrument: book tickers that arrived before the diff with their update id */
        final List<java.util.Map<Long, long[]>> pendingTickers = new ArrayList<>();

        CheckingSink(int instruments) {
            books = new L2Book[instruments];
            valid = new boolean[instruments];
            appliedUpTo = new long[instruments];
            for (int i = 0; i < instruments; i++) {
                books[i] = new L2Book(10_000);
                pendingTickers.add(new java.util.HashMap<>());
            }
        }

        @Override
        public void clear(int id, long seq) {
            books[id].clear();
            valid[id] = false;
        }

        @Override
        public void level(int id, Side side, long price, long qty, long seq) {
            books[id].set(side, price, qty);
        }

        @Override
        public void endOfMessage(int id, long seq) {
            valid[id] = true;
            appliedUpTo[id] = seq;
            if (books[id].crossed()) {
                crossed++;
            }
            long[] ticker = pendingTickers.get(id).remove(seq);
            if (ticker != null) {
                compare(id, ticker[0], ticker[1], ticker[2], ticker[3], seq);
            }
            pendingTickers.get(id).keySet().removeIf(u -> u < seq);
        }

        @Override
        public void invalid(int id, String reason) {
            valid[id] = false;
            invalidations.add(id + ": " + reason);
        }

        @Override
        public void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            // the ticker stream runs ahead of the 100 ms diffs: keep a ticker until its update is applied
            if (valid[id] && seq == appliedUpTo[id]) {
                compare(id, bid, bidQty, ask, askQty, seq);
            } else if (seq > appliedUpTo[id]) {
                pendingTickers.get(id).put(seq, new long[]{bid, bidQty, ask, askQty});
            }
        }

        private void compare(int id, long bid, long bidQty, long ask, long askQty, long seq) {
            L2Book book = books[id];
            if (book.bestPrice(Side.BUY) == bid && book.bestQuantity(Side.BUY) == bidQty
                    && book.bestPrice(Side.SELL) == ask && book.bestQuantity(Side.SELL) == askQty) {
                tickerMatches++;
            } else {
                tickerMismatches.add("instrument " + id + " at update " + seq + ": ticker " + bid + "x" + bidQty + " / " + ask + "x" + askQty
                        + ", book " + book.bestPrice(Side.BUY) + "x" + book.bestQuantity(Side.BUY) + " / "
                        + book.bestPrice(Side.SELL) + "x" + book.bestQuantity(Side.SELL));
            }
        }

        @Override
        public void trade(int id, Side aggressor, long price, long qty, long tradeId, long ts) {
            trades++;
        }
    }

    static List<Input> recording(Path ws, Path http) throws IOException {
        List<Input> inputs = new ArrayList<>();
        for (String line : Files.readAllLines(ws)) {
            Matcher m = RECEIVED.matcher(line);
            if (m.matches()) {
                inputs.add(new Input(Double.parseDouble(m.group(1)), null, m.group(2)));
            }
        }
        for (String line : Files.readAllLines(http)) {
            Matcher m = SNAPSHOT.matcher(line);
            if (m.matches()) {
                Matcher symbol = Pattern.compile("symbol=([A-Z0-9]+)").matcher(m.group(1));
                assertThat(symbol.find()).as("snapshot URL names a symbol: %s", m.group(1)).isTrue();
                inputs.add(new Input(Double.parseDouble(m.group(2)), symbol.group(1), m.group(3)));
            }
        }
        inputs.sort(Comparator.comparingDouble(Input::time));
        return inputs;
    }

    /** every symbol the recording mentions, each on a grid fine enough for Binance's 8 decimals */
    static InstrumentRegistry registryFor(List<Input> inputs) {
        TreeSet<String> symbols = new TreeSet<>();
        for (Input input : inputs) {
            if (input.symbol() != null) {
                symbols.add(input.symbol());
            }
            Matcher m = SYMBOL.matcher(input.text());
            while (m.find()) {
                symbols.add(m.group(1));
            }
        }
        InstrumentRegistry.Builder b = InstrumentRegistry.builder();
        for (String s : symbols) {
            b.add(new InstrumentSpec(Venue.BINANCE, s, s, "QUOTE", "0.00000001", "0.00000001", null, null, null, null));
        }
        return b.build();
    }

    @Test
    void theRecordedStreamSynchronisesWithoutGapsAndMatchesEveryBookTicker() throws IOException {
        assertThat(DATA).as("the shared recordings at %s", DATA.toAbsolutePath()).isDirectory();
        List<Input> inputs = recording(DATA.resolve("binance-spot.ws.rec"), DATA.resolve("binance-spot.http.rec"));
        InstrumentRegistry registry = registryFor(inputs);
        CheckingSink sink = new CheckingSink(registry.size());
        BinanceMarketDataDecoder decoder = new BinanceMarketDataDecoder(registry, sink);

        int snapshots = 0;
        for (Input input : inputs) {
            if (input.symbol() == null) {
                decoder.onMessage(input.text());
            } else {
                int id = registry.find(Venue.BINANCE, input.symbol()).id();
                assertThat(decoder.onSnapshot(id, input.text())).isEqualTo(BinanceDepthSync.SnapshotResult.APPLIED);
                snapshots++;
            }
        }

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(snapshots).isEqualTo(2);
        for (int id = 0; id < registry.size(); id++) {
            BinanceDepthSync sync = decoder.sync(id);
            assertThat(sync.gaps()).isZero();
        }
        assertThat(sink.invalidations).isEmpty();
        assertThat(sink.tickerMismatches).isEmpty();
        assertThat(sink.tickerMatches).isGreaterThan(10);
        assertThat(sink.crossed).isZero();
        assertThat(sink.trades).isPositive();
    }

    @Test
    void aDroppedDiffIsAGapThatInvalidatesTheBookUntilTheNextSnapshot() throws IOException {
        List<Input> inputs = recording(DATA.resolve("binance-spot.ws.rec"), DATA.resolve("binance-spot.http.rec"));
        InstrumentRegistry registry = registryFor(inputs);
        CheckingSink sink = new CheckingSink(registry.size());
        BinanceMarketDataDecoder decoder = new BinanceMarketDataDecoder(registry, sink);
        int nkn = registry.find(Venue.BINANCE, "NKNUSDT").id();
        int depthSeen = 0;
        boolean dropped = false;
        Input lastSnapshot = null;
        for (Input input : inputs) {
            if (input.symbol() != null) {
                decoder.onSnapshot(registry.find(Venue.BINANCE, input.symbol()).id(), input.text());
                if (input.symbol().equals("NKNUSDT")) {
                    lastSnapshot = input;
                }
                continue;
            }
            if (input.text().contains("nknusdt@depth") && decoder.sync(nkn).synced() && ++depthSeen == 20 && !dropped) {
                dropped = true;
                continue;
            }
            decoder.onMessage(input.text());
        }
        assertThat(dropped).isTrue();
        assertThat(decoder.sync(nkn).gaps()).isEqualTo(1);
        assertThat(decoder.sync(nkn).synced()).isFalse();
        assertThat(sink.valid[nkn]).isFalse();
        assertThat(sink.invalidations).singleElement().asString().contains("sequence gap");
        // no ticker is ever checked against an invalid book, and none mismatched before the gap
        assertThat(sink.tickerMismatches).isEmpty();
        // a fresh snapshot newer than the buffered events heals it (the old one is refused as too old)
        assertThat(decoder.onSnapshot(nkn, lastSnapshot.text())).isEqualTo(BinanceDepthSync.SnapshotResult.TOO_OLD);
    }

    @Test
    void malformedMessagesAreCountedAndNeverThrow() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null)).build();
        CheckingSink sink = new CheckingSink(1);
        BinanceMarketDataDecoder decoder = new BinanceMarketDataDecoder(registry, sink);
        String[] bad = {
                "", "{", "[1,2]", "{\"stream\":\"x\",\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":5,\"u\":4,\"b\":[],\"a\":[]}}",
                "{\"data\":{\"e\":\"trade\",\"s\":\"ETHUSDT\",\"p\":\"1\",\"q\":\"1\"}}",
                "{\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"p\":\"1.001\",\"q\":\"1\"}}",
                "{\"data\":{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"U\":1,\"u\":2,\"b\":[[\"1.00\"]],\"a\":[]}}",
                "{\"data\":{\"u\":1,\"s\":\"BTCUSDT\",\"b\":\"1.00\",\"B\":\"x\",\"a\":\"2.00\",\"A\":\"1\"}}",
                "{\"data\":{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"p\":\"1.00\",\"q\":\"1\",\"m\":tru}}"
        };
        for (String message : bad) {
            decoder.onMessage(message);
        }
        assertThat(decoder.messages()).isEqualTo(bad.length);
        assertThat(decoder.malformed()).isEqualTo(bad.length);
        assertThat(decoder.lastError()).contains("expected true");
        assertThat(sink.trades).isZero();
    }
}
