package io.mme.audit;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalRoundTripTest {
    @TempDir
    Path dir;

    private static InboundEvent marketData(long seq) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.MARKET_DATA, 1_700_000_000_000_000_000L + seq);
        e.marketData().set(MarketDataKind.BEST_BID_OFFER, 2, 5, Side.BUY, 6_700_001, 12, 99 + seq, 111, 222, seq % 2 == 0)
                .otherSide(6_700_003, 7).orderId(-42).bookValid(false);
        return e;
    }

    private static InboundEvent execution(long seq) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.EXECUTION_REPORT, 1_700_000_000_000_000_000L + seq);
        e.executionReport().set(ExecType.PARTIALLY_FILLED, 1, 3, 4711, 99, Side.SELL, 500, 3, 333)
                .fill(77, 501, 2, true).reason(12).owner(1);
        return e;
    }

    private static InboundEvent control(long seq) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.CONTROL, 1_700_000_000_000_000_000L + seq);
        e.control().set("limit.set", 9, "risk-officer-ann", "lower size for the auction").target(-1, 4).argument("maxOrderLots", 1000);
        return e;
    }

    private static InboundEvent timer(long seq) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.TIMER, 1_700_000_000_000_000_000L + seq);
        e.markPublisherFaulted("edge");
        return e;
    }

    @Test
    void everyKindOfEventReadsBackFieldForField() {
        List<InboundEvent> written = List.of(marketData(0), execution(1), control(2), timer(3));
        JournalEngine journal = new JournalEngine(dir);
        journal.onStart(null);
        for (InboundEvent e : written) {
            journal.onEvent(e, e.sequence(), true);
        }
        journal.onShutdown();
        assertThat(journal.appended()).isEqualTo(4);

        List<String> read = new ArrayList<>();
        try (JournalReader reader = new JournalReader(dir)) {
            assertThat(reader.forEach(e -> read.add(describe(e)))).isEqualTo(4);
        }
        assertThat(read).containsExactlyElementsOf(written.stream().map(JournalRoundTripTest::describe).toList());
    }

    @Test
    void anEngineFaultIsNotJournaledButAPublisherFaultIs() {
        InboundEvent engineFault = marketData(0);
        engineFault.markFaulted("strategy");
        JournalEngine journal = new JournalEngine(dir);
        journal.onStart(null);
        journal.onEvent(engineFault, 0, true);
        journal.onEvent(timer(1), 1, true);
        journal.onShutdown();
        try (JournalReader reader = new JournalReader(dir)) {
            assertThat(reader.next().faultedBy()).isNull();
            assertThat(reader.next().faultedBy()).isEqualTo("publisher edge");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void theJournalRefusesAGapAndAReopenedJournalContinuesWithoutDuplicates() {
        JournalEngine journal = new JournalEngine(dir);
        journal.onStart(null);
        journal.onEvent(timer(0), 0, true);
        journal.onEvent(timer(1), 1, true);
        assertThatThrownBy(() -> journal.onEvent(timer(3), 3, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gap");
        journal.onShutdown();

        JournalEngine reopened = new JournalEngine(dir);
        assertThat(reopened.lastSequence()).isEqualTo(1);
        reopened.onStart(null);
        // a recovery feeds the tail in again: 0 and 1 are held already, 2 and 3 are new
        for (long s = 0; s < 4; s++) {
            reopened.onEvent(timer(s), s, true);
        }
        reopened.onShutdown();
        List<Long> read = new ArrayList<>();
        try (JournalReader reader = new JournalReader(dir)) {
            reader.forEach(e -> read.add(e.sequence()));
        }
        assertThat(read).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void aMissingDirectoryIsNamed() {
        assertThatThrownBy(() -> new JournalReader(dir.resolve("nope")))
                .isInstanceOf(JournalException.class).hasMessageContaining("nope");
    }

    private static String describe(InboundEvent e) {
        StringBuilder s = new StringBuilder().append(e.sequence()).append(' ').append(e.type()).append(' ')
                .append(e.timestampNanos()).append(' ').append(e.faultedBy());
        switch (e.type()) {
            case MARKET_DATA -> {
                var m = e.marketData();
                s.append(' ').append(m.kind()).append(m.venueId()).append(m.instrumentId()).append(m.side()).append(m.priceTicks())
                        .append('/').append(m.quantityLots()).append('/').append(m.otherPriceTicks()).append('/').append(m.otherQuantityLots())
                        .append('/').append(m.orderId()).append('/').append(m.venueSequence()).append('/').append(m.venueTimestampNanos())
                        .append('/').append(m.receiveTimestampNanos()).append('/').append(m.endOfMessage()).append('/').append(m.bookValid());
            }
            case EXECUTION_REPORT -> {
                var r = e.executionReport();
                s.append(' ').append(r.execType()).append(r.venueId()).append(r.instrumentId()).append('/').append(r.clientOrderId())
                        .append('/').append(r.venueOrderId()).append(r.side()).append(r.priceTicks()).append('/').append(r.leavesQuantityLots())
                        .append('/').append(r.venueTimestampNanos()).append('/').append(r.tradeId()).append('/').append(r.lastPriceTicks())
                        .append('/').append(r.lastQuantityLots()).append('/').append(r.maker()).append('/').append(r.reasonCode()).append('/').append(r.ownerId());
            }
            case CONTROL -> {
                var c = e.control();
                s.append(' ').append(c.command()).append('/').append(c.requestId()).append('/').append(c.principal()).append('/').append(c.reason())
                        .append('/').append(c.venueId()).append('/').append(c.instrumentId()).append('/').append(c.key()).append('/').append(c.value());
            }
            case TIMER -> { }
        }
        return s.toString();
    }
}
