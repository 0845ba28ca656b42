package io.mme.connectors.hyperliquid;

import io.mme.core.instrument.InstrumentRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decode path allocates nothing per message: a warmed-up decoder reads the capture's books and
 * trades many times over while this thread's allocated bytes stay below a small fixed allowance.
 */
class HyperliquidDecoderAllocationTest {
    private static final long ALLOWANCE_BYTES = 1024;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void theDecoderAllocatesNothingWhileReplayingTheCapture() {
        List<String> messages = HyperliquidCapture.messages();
        InstrumentRegistry registry = HyperliquidCapture.registry();
        RecordingSink sink = new RecordingSink(registry.size());
        sink.keep = false;
        HyperliquidDecoder decoder = new HyperliquidDecoder(registry, sink);
        int rounds = 200;
        long before = 0;
        for (int round = 0; round < 2 * rounds; round++) {
            if (round == rounds) { // the first half warms up
                before = THREADS.getCurrentThreadAllocatedBytes();
            }
            decoder.reset(); // each round as a new connection: whole snapshot, then differences, history, trades
            for (int i = 0; i < messages.size(); i++) {
                decoder.onMessage(messages.get(i));
            }
            decoder.onMessage(HyperliquidFeedTest.PONG);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.trades()).isPositive();
        assertThat(allocated).as("bytes allocated decoding %d messages", rounds * (messages.size() + 1)).isLessThan(ALLOWANCE_BYTES);
    }
}
