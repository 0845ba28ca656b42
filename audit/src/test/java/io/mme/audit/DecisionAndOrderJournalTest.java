package io.mme.audit;

import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionAndOrderJournalTest {
    @TempDir
    Path dir;

    private static InboundEvent quoted(long seq) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.MARKET_DATA, 1_000 + seq);
        e.addIntent().set(QuoteAction.PLACE, 1, 2, Side.BUY, 0, 640_000, 100, 0).approve();
        e.addIntent().set(QuoteAction.REPLACE, 1, 2, Side.SELL, 1, 640_100, 50, 77).reject(1004);
        return e;
    }

    private static InboundEvent control(long seq, boolean applied) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.CONTROL, 1_000 + seq);
        e.control().set(ControlCommands.SET_LIMIT, 42, "ann", "tighter for the auction").target(-1, 2).argument("maxPosition", 500);
        e.control().answer(applied, 900, applied ? null : "unknown limit");
        return e;
    }

    private static List<DecisionRecord> decisions(Path d) {
        List<DecisionRecord> out = new ArrayList<>();
        try (RecordCursor<DecisionRecord> cursor = RecordCursor.decisions(d)) {
            DecisionRecord r;
            while ((r = cursor.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void intentsWithVerdictsAndAnsweredControlsAreJournaledAndEventsWithNeitherAreNot() {
        DecisionJournalEngine journal = new DecisionJournalEngine(dir);
        journal.onStart(null);
        journal.onEvent(quoted(0), 0, true);
        InboundEvent quiet = new InboundEvent();
        quiet.begin(1, InboundEventType.TIMER, 5);
        journal.onEvent(quiet, 1, true);
        journal.onEvent(control(2, true), 2, true);
        journal.onShutdown();

        List<DecisionRecord> read = decisions(dir);
        assertThat(read).extracting(DecisionRecord::sequence).containsExactly(0L, 2L);
        DecisionRecord quote = read.get(0);
        assertThat(quote.intents()).hasSize(2);
        assertThat(quote.intents().get(0).verdict()).isEqualTo(RiskVerdict.APPROVED);
        assertThat(quote.intents().get(1)).isEqualTo(new DecisionRecord.Intent(1, QuoteAction.REPLACE, 1, 2, Side.SELL, 1, 640_100,
                50, 77, RiskVerdict.REJECTED, 1004));
        DecisionRecord.Control c = read.get(1).control();
        assertThat(c).isEqualTo(new DecisionRecord.Control(ControlCommands.SET_LIMIT, 42, "ann", "tighter for the auction", -1, 2,
                "maxPosition", 500, true, true, 900, null));

        // a change risk made on its own while handling a market data event is journaled as a command of "risk"
        DecisionJournalEngine more = new DecisionJournalEngine(dir.resolve("auto"));
        more.onStart(null);
        InboundEvent fill = new InboundEvent();
        fill.begin(7, InboundEventType.MARKET_DATA, 70);
        fill.recordAutomaticChange().set(ControlCommands.SET_TRADING_STATE, 0, "risk", "daily loss").target(-1, -1).argument(null, 1);
        fill.automaticChange().answer(true, 0, null);
        more.onEvent(fill, 7, true);
        more.onShutdown();
        DecisionRecord.Control auto = decisions(dir.resolve("auto")).get(0).control();
        assertThat(auto.command()).isEqualTo(ControlCommands.SET_TRADING_STATE);
        assertThat(auto.principal()).isEqualTo("risk");
        assertThat(auto.value()).isEqualTo(1);
        assertThat(auto.applied()).isTrue();

        // reopened after a crash: what it holds is skipped, the rest appended
        DecisionJournalEngine reopened = new DecisionJournalEngine(dir);
        reopened.onStart(null);
        reopened.onEvent(control(2, true), 2, true);
        reopened.onEvent(quoted(3), 3, true);
        reopened.onShutdown();
        assertThat(decisions(dir)).extracting(DecisionRecord::sequence).containsExactly(0L, 2L, 3L);
    }

    private static OrderCommand command(long cause, long id, boolean recovered) {
        OrderCommand c = new OrderCommand();
        c.begin(0, OrderCommandType.NEW);
        c.set(5, cause, 1, 2, 1, id, 0, Side.BUY, 640_000, 100, TimeInForce.GTC, true);
        c.recovered(recovered);
        return c;
    }

    @Test
    void ordersAreKeyedByCauseAndOrdinalAndARecoveryAppendsOnlyWhatWasNotHeld() {
        OrderJournalEngine journal = new OrderJournalEngine(dir);
        journal.onStart(null);
        journal.onEvent(command(10, 161, false), 0, true);
        journal.onEvent(command(10, 162, false), 1, true);
        journal.onEvent(command(11, 176, false), 2, true);
        journal.onShutdown();

        // restart: the tail re-decides the commands of events 10 and 11 (held) and 12 (not held)
        OrderJournalEngine reopened = new OrderJournalEngine(dir);
        reopened.onStart(null);
        reopened.onEvent(command(10, 161, true), 0, true);
        reopened.onEvent(command(10, 162, true), 1, true);
        reopened.onEvent(command(11, 176, true), 2, true);
        reopened.onEvent(command(12, 192, true), 3, true);
        reopened.onEvent(command(13, 208, false), 4, true);
        reopened.onShutdown();

        List<OrderRecord> read = new ArrayList<>();
        try (RecordCursor<OrderRecord> cursor = RecordCursor.orders(dir)) {
            OrderRecord r;
            while ((r = cursor.next()) != null) {
                read.add(r);
            }
        }
        assertThat(read).extracting(OrderRecord::clientOrderId).containsExactly(161L, 162L, 176L, 192L, 208L);
        assertThat(read).extracting(OrderRecord::ordinal).containsExactly(0, 1, 0, 0, 0);
        assertThat(read).extracting(OrderRecord::recovered).containsExactly(false, false, false, true, false);
        assertThat(read.get(0).side()).isEqualTo(Side.BUY);
        assertThat(read.get(0).timeInForce()).isEqualTo(TimeInForce.GTC);
    }
}
