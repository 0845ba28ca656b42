package io.mme.connectors.kraken;

import io.mme.core.instrument.InstrumentRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decode path allocates nothing per message: the bytes this thread allocates while a warmed-up
 * decoder reads thousands of messages stay below a small fixed allowance (for the measurement
 * itself), far below one byte per message. Warmed up means it has read the stream once: the code
 * is compiled and its scanner's character buffer has grown, once, to the longest message.
 */
class KrakenDecoderAllocationTest {
    private static final long ALLOWANCE_BYTES = 1024;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void theV1DecoderAllocatesNothingWhileReplayingTheRecording() {
        List<String> messages = KrakenRecordings.messages();
        InstrumentRegistry registry = KrakenRecordings.registry(messages);
        RecordingSink sink = new RecordingSink(registry.size());
        sink.keep = false;
        KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(registry, sink);
        for (int i = 0; i < messages.size(); i++) {
            decoder.onMessage(messages.get(i)); // warm-up; the recording starts with snapshots, so a second reading rebuilds every book
        }
        long passedBefore = decoder.checksumsPassed();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < messages.size(); i++) {
            decoder.onMessage(messages.get(i));
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(decoder.checksumsPassed()).isGreaterThan(passedBefore);
        assertThat(decoder.checksumsFailed() + decoder.malformed()).isZero();
        assertThat(allocated).as("bytes allocated decoding %d messages", messages.size()).isLessThan(ALLOWANCE_BYTES);
    }

    @Test
    void theV2DecoderAllocatesNothingForBooksAndTrades() {
        InstrumentRegistry registry = KrakenV2Examples.registry(8);
        String trade = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"sell\",\"price\":45283.5,"
                + "\"qty\":0.05,\"ord_type\":\"limit\",\"trade_id\":83112346,\"timestamp\":\"2026-07-25T09:40:01.130002Z\"}]}";
        String[] messages = {KrakenV2Examples.GUIDE_SNAPSHOT, KrakenV2Examples.BOOK_PAGE_SNAPSHOT, KrakenV2Examples.BOOK_PAGE_UPDATE,
                KrakenV2Examples.VENUES_SNAPSHOT, KrakenV2Examples.VENUES_UPDATE, trade, "{\"channel\":\"heartbeat\"}"};
        RecordingSink sink = new RecordingSink(registry.size());
        sink.keep = false;
        KrakenV2BookDecoder decoder = new KrakenV2BookDecoder(registry, sink);
        int rounds = 2_000;
        long before = 0;
        for (int round = 0; round < 2 * rounds; round++) {
            if (round == rounds) { // the first half warms up
                before = THREADS.getCurrentThreadAllocatedBytes();
            }
            for (String message : messages) {
                decoder.onMessage(message);
            }
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(decoder.checksumsFailed() + decoder.malformed()).as(decoder.lastError()).isZero();
        assertThat(decoder.checksumsPassed()).isEqualTo(2L * rounds * 5);
        assertThat(allocated).as("bytes allocated decoding %d messages", rounds * messages.length).isLessThan(ALLOWANCE_BYTES);
    }
}
