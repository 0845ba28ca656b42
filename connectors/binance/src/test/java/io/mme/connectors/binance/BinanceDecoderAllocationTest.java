package io.mme.connectors.binance;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decode path allocates nothing per message: the bytes this thread allocates while a warmed-up
 * decoder reads thousands of combined-stream messages (depth diffs through the book's
 * synchronisation, trades, aggregate trades, book tickers) stay below a small fixed allowance (for
 * the measurement itself), far below one byte per message. The messages are built before the
 * measurement; the first window of them warms up (compilation, the scanners' buffers).
 *
 * <p>The JIT's tier changes cost this thread a one-off kilobyte or two at a moment that depends on
 * when the compiler gets to the decoder's methods (measured with and without the decoder's fast
 * path: one window of 20,000 messages shows 1-3 KB once, every later one the measurement's 32
 * bytes; under the interpreter alone nothing after the first messages); with the fast path it
 * fell after the warm-up in two runs of five on a loaded machine. So the test measures up to
 * three windows after the warm-up and passes on the first below the allowance: an allocation per
 * message, even one object (16 bytes at least) in three hundred messages, exceeds it in every window.
 */
class BinanceDecoderAllocationTest {
    private static final long ALLOWANCE_BYTES = 1024;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void theDecoderAllocatesNothingForDiffsTradesAndTickersOfASyncedBook() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null)).build();
        CountingSink sink = new CountingSink();
        BinanceMarketDataDecoder decoder = new BinanceMarketDataDecoder(registry, sink);
        decoder.onMessage(diff(100));
        assertThat(decoder.onSnapshot(0, "{\"lastUpdateId\":100,\"bids\":[[\"64000.00\",\"1.00000\"],[\"63999.99\",\"2.00000\"]],"
                + "\"asks\":[[\"64000.01\",\"1.50000\"],[\"64000.02\",\"0.50000\"]]}"))
                .isEqualTo(BinanceDepthSync.SnapshotResult.APPLIED);

        int rounds = 5_000;
        int windows = 4; // one to warm up, up to three measured
        List<String> messages = new ArrayList<>(4 * windows * rounds);
        for (int i = 0; i < windows * rounds; i++) {
            messages.add(diff(101 + i));
            messages.add("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1700000000000,\"s\":\"BTCUSDT\",\"t\":" + (1_000 + i)
                    + ",\"p\":\"64000.01\",\"q\":\"0.00100\",\"T\":1700000000000,\"m\":false,\"M\":true}}");
            messages.add("{\"stream\":\"btcusdt@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1700000000000,\"s\":\"BTCUSDT\",\"a\":" + (5_000 + i)
                    + ",\"p\":\"64000.00\",\"q\":\"0.00200\",\"f\":1,\"l\":2,\"T\":1700000000000,\"m\":true,\"M\":true}}");
            messages.add("{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"u\":" + (101 + i)
                    + ",\"s\":\"BTCUSDT\",\"b\":\"64000.00\",\"B\":\"1.00000\",\"a\":\"64000.01\",\"A\":\"1.50000\"}}");
        }
        int window = messages.size() / windows;
        for (int i = 0; i < window; i++) {
            decoder.onMessage(messages.get(i));
        }
        List<Long> allocatedPerWindow = new ArrayList<>();
        for (int w = 1; w < windows; w++) {
            long levels = sink.levels;
            long trades = sink.trades;
            long tickers = sink.tickers;
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = w * window; i < (w + 1) * window; i++) {
                decoder.onMessage(messages.get(i));
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

            assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
            assertThat(decoder.sync(0).synced()).isTrue();
            assertThat(sink.invalid).isZero();
            assertThat(sink.levels - levels).as("two levels a diff").isEqualTo(2L * rounds);
            assertThat(sink.trades - trades).as("a trade and an aggregate trade a round").isEqualTo(2L * rounds);
            assertThat(sink.tickers - tickers).isEqualTo(rounds);
            allocatedPerWindow.add(allocated);
            if (allocated < ALLOWANCE_BYTES) {
                break;
            }
        }
        assertThat(allocatedPerWindow.getLast()).as("bytes allocated decoding %d messages, in each window measured: %s", window,
                allocatedPerWindow).isLessThan(ALLOWANCE_BYTES);
    }

    /** a diff that moves the best bid's size and the best ask's, continuing the update ids */
    private static String diff(long updateId) {
        return "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1700000000000,\"s\":\"BTCUSDT\",\"U\":" + updateId
                + ",\"u\":" + updateId + ",\"b\":[[\"64000.00\",\"" + (1 + updateId % 7) + ".00000\"]],\"a\":[[\"64000.01\",\""
                + (1 + updateId % 5) + ".50000\"]]}}";
    }

    /** counts what reaches it, keeps nothing */
    private static final class CountingSink implements FeedSink {
        long levels;
        long trades;
        long tickers;
        long invalid;

        @Override
        public void clear(int instrumentId, long venueSequence) {
        }

        @Override
        public void level(int instrumentId, Side side, long priceTicks, long quantityLots, long venueSequence) {
            levels++;
        }

        @Override
        public void endOfMessage(int instrumentId, long venueSequence) {
        }

        @Override
        public void invalid(int instrumentId, String reason) {
            invalid++;
        }

        @Override
        public void bestBidOffer(int instrumentId, long bidTicks, long bidLots, long askTicks, long askLots, long venueSequence) {
            tickers++;
        }

        @Override
        public void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots, long tradeId, long venueTimestampNanos) {
            trades++;
        }
    }
}
