package io.mme.venuegateway;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.venuegateway.VenueHarness.Session;
import org.junit.jupiter.api.Test;

import static io.mme.venuegateway.VenueHarness.INSTRUMENT;
import static org.assertj.core.api.Assertions.assertThat;

/** The venue's two threads allocate nothing per order once warm (orders, fills, cancels, UDP packets). */
class VenueAllocationTest {

    @Test
    void theVenueThreadsAllocateNoBytesPerOrderAfterWarmUp() {
        try (VenueHarness venue = new VenueHarness(c -> c.withThrottle(1_000_000, 1_000_000))) {
            Session a = venue.login(1);
            Session b = venue.login(2);
            trade(a, b, 1, 3_000); // warm-up: code paths compiled, maps at their size
            long before = venue.server.threadsAllocatedBytes();
            trade(a, b, 3_001, 20_000);
            long allocated = venue.server.threadsAllocatedBytes() - before;
            // 20,000 orders, as many fills and cancels: the old per-pass allocation was about 20 bytes an order
            assertThat(allocated).as("bytes the venue threads allocated for 20,000 orders").isLessThan(64 * 1024);
        }
    }

    /** a rests a sell, b takes half of it, a cancels the rest: answers awaited in batches of 500 */
    private static void trade(Session a, Session b, long firstId, int count) {
        for (long from = firstId; from < firstId + count; from += 500) {
            long id = from;
            long end = Math.min(firstId + count, from + 500);
            int aBefore = a.reports.size();
            int bBefore = b.reports.size();
            for (long i = id; i < end; i++) {
                a.client.newOrder(INSTRUMENT, i, Side.SELL, TimeInForce.GTC, false, 100 + i % 7, 2);
            }
            a.await(() -> a.reports.size() >= aBefore + (end - id), "sells accepted");
            for (long i = id; i < end; i++) {
                b.client.newOrder(INSTRUMENT, i, Side.BUY, TimeInForce.IOC, false, 110, 1);
                a.client.cancel(INSTRUMENT, i);
            }
            b.await(() -> b.reports.size() >= bBefore + 2 * (end - id), "buys filled");
            a.await(() -> a.reports.size() >= aBefore + 3 * (end - id), "maker fills and cancels");
        }
    }
}
