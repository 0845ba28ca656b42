package io.mme.connectors.coinbase;

import io.mme.core.instrument.InstrumentRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decode path allocates nothing per message: the bytes this thread allocates while a warmed-up
 * decoder reads a whole recording (books, trades, tickers, heartbeats) stay below a small fixed
 * allowance (for the measurement itself), far below one byte per message. The decoder is warmed up
 * by a first reading on the same decoder (a new connection between the two): the code is compiled
 * and its scanner's character buffer has grown, once, to the longest message (the snapshots).
 */
class CoinbaseDecoderAllocationTest {
    private static final long ALLOWANCE_BYTES = 1024;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void theAdvancedTradeDecoderAllocatesNothingWhileReplayingTheRecording() {
        List<String> messages = CoinbaseRecordings.advancedTradeConnections().getFirst();
        InstrumentRegistry registry = CoinbaseRecordings.registry(messages);
        RecordingSink sink = new RecordingSink(registry.size());
        sink.keep = false;
        CoinbaseAdvancedTradeDecoder decoder = new CoinbaseAdvancedTradeDecoder(registry, sink);
        for (int round = 0; round < 2; round++) { // the first round warms up: class initialisation, compilation, buffers
            decoder.newConnection();
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < messages.size(); i++) {
                decoder.onMessage(messages.get(i));
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

            assertThat(decoder.malformed() + decoder.gaps()).as(decoder.lastError()).isZero();
            assertThat(decoder.snapshots()).isPositive();
            assertThat(decoder.trades()).isPositive();
            assertThat(decoder.tickers()).isPositive();
            if (round == 1) {
                assertThat(allocated).as("bytes allocated decoding %d messages", messages.size()).isLessThan(ALLOWANCE_BYTES);
            }
        }
    }

    @Test
    void theExchangeDecoderAllocatesNothingWhileReplayingTheRecording() {
        List<String> messages = CoinbaseRecordings.exchangeConnections().getFirst();
        InstrumentRegistry registry = CoinbaseRecordings.registry(messages);
        RecordingSink sink = new RecordingSink(registry.size());
        sink.keep = false;
        CoinbaseExchangeDecoder decoder = new CoinbaseExchangeDecoder(registry, sink);
        for (int round = 0; round < 2; round++) {
            decoder.newConnection();
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < messages.size(); i++) {
                decoder.onMessage(messages.get(i));
            }
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

            assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
            assertThat(decoder.updates()).isPositive();
            assertThat(decoder.trades()).isPositive();
            assertThat(decoder.tickers()).isPositive();
            if (round == 1) {
                assertThat(allocated).as("bytes allocated decoding %d messages", messages.size()).isLessThan(ALLOWANCE_BYTES);
            }
        }
    }
}
