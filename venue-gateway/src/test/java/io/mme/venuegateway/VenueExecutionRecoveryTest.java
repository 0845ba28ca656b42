package io.mme.venuegateway;

import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.venuegateway.VenueHarness.Session;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mme.venuegateway.VenueHarness.INSTRUMENT;
import static org.assertj.core.api.Assertions.assertThat;

/** The execution report stream's gap recovery: dropped datagrams, replayed over TCP (REPLAY_REQUEST). */
class VenueExecutionRecoveryTest {

    /** what the subscriber handed over: sequence, client order id, exec type, session */
    private record Seen(long sequence, long clientOrderId, byte execType, long sessionId) {
    }

    @Test
    void aDroppedExecutionDatagramIsDetectedAsAGapAndItsReportsAreReplayedInOrder() {
        AtomicInteger dropped = new AtomicInteger();
        // the second execution packet is never sent
        try (VenueHarness venue = new VenueHarness(c -> c, seq -> false, first -> first > 1 && dropped.getAndIncrement() == 0)) {
            Session trader = venue.login(1);
            Session recovery = venue.login(2);
            List<Seen> seen = new ArrayList<>();
            ExecutionReportSubscriber sub = venue.executionSubscriber(recovery,
                    (seq, r) -> seen.add(new Seen(seq, r.clientOrderId(), r.execType(), r.sessionId())));
            // one packet per command (each answer flushed on its own): ACCEPTED of 1, of 2 (dropped), of 3 (the gap)
            for (int i = 1; i <= 3; i++) {
                trader.client.newOrder(INSTRUMENT, i, Side.BUY, TimeInForce.GTC, false, 100 + i, 1);
                int n = i;
                VenueHarness.await(() -> trader.reports.size() >= n, () -> {
                    trader.pump();
                    sub.poll();
                }, "order " + n + " accepted");
            }
            VenueHarness.await(() -> sub.expectedSequence() == 4 && !sub.recovering(), sub::poll, "the gap replayed");
            assertThat(dropped.get()).as("a packet was dropped").isPositive();
            assertThat(sub.gaps()).isEqualTo(1);
            assertThat(sub.lostMessages()).isPositive();
            assertThat(sub.replayed()).isEqualTo(sub.lostMessages());
            assertThat(sub.unrecoverable()).isZero();
            assertThat(sub.recoveries()).isEqualTo(1);
            assertThat(seen).extracting(Seen::sequence).containsExactly(1L, 2L, 3L);
            assertThat(seen).extracting(Seen::clientOrderId).containsExactly(1L, 2L, 3L);
            assertThat(seen).extracting(Seen::execType).containsOnly(VenueProtocol.EXEC_ACCEPTED);
            assertThat(seen).extracting(Seen::sessionId).containsOnly(1L);
            assertThat(venue.server.counters().replayedReports()).isEqualTo(sub.replayed());
        }
    }

    @Test
    void aGapLongerThanOneReplayAnswerIsRecoveredInSeveralAnswers() {
        int orders = 700;
        // every packet that starts at or below sequence 600 is lost: 600 reports, more than one answer carries
        try (VenueHarness venue = new VenueHarness(c -> c, seq -> false, first -> first <= 600)) {
            Session trader = venue.login(1);
            Session recovery = venue.login(2);
            long[] next = {1};
            long[] outOfOrder = {0};
            ExecutionReportSubscriber sub = venue.executionSubscriber(recovery, (seq, r) -> {
                if (seq != next[0] || r.clientOrderId() != seq) {
                    outOfOrder[0]++;
                }
                next[0] = seq + 1;
            });
            for (int i = 1; i <= orders; i++) {
                trader.client.newOrder(INSTRUMENT, i, Side.BUY, TimeInForce.GTC, false, 100 + i % 50, 1);
            }
            trader.await(() -> trader.reports.size() >= orders, "all accepted");
            VenueHarness.await(() -> sub.expectedSequence() == orders + 1 && !sub.recovering(), sub::poll, "every report handed over");
            assertThat(outOfOrder[0]).as("reports handed over out of sequence or with the wrong order").isZero();
            assertThat(sub.reports()).isEqualTo(orders);
            assertThat(sub.replayed()).isGreaterThanOrEqualTo(600).isGreaterThan(VenueProtocol.REPLAY_MAX_REPORTS);
            assertThat(sub.unrecoverable()).isZero();
        }
    }

    @Test
    void aReplayRangeThatIsNotOneIsRejectedAndTheSessionGoesOn() {
        try (VenueHarness venue = new VenueHarness(c -> c)) {
            Session a = venue.login(1);
            a.client.requestReplay(5, 4);
            assertThat(a.report(1).reason()).isEqualTo(GatewayReason.BAD_REPLAY_RANGE.code());
            assertThat(a.report(1).execType()).isEqualTo(VenueProtocol.EXEC_REJECTED);
            assertThat(venue.server.counters().count(GatewayReason.BAD_REPLAY_RANGE)).isEqualTo(1);
            a.client.newOrder(INSTRUMENT, 1, Side.SELL, TimeInForce.GTC, false, 200, 1);
            assertThat(a.report(2).execType()).isEqualTo(VenueProtocol.EXEC_ACCEPTED);
        }
    }
}
