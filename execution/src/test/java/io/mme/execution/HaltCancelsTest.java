package io.mme.execution;

import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Execution carries out risk's cancel decision ({@code InboundEvent#cancels()}): on the event that
 * carries it, every open order whose (instrument, side) it covers gets one CANCEL, in client order
 * id order, before the slot's intents; nothing else is touched, and an order already being
 * cancelled is not cancelled twice.
 */
class HaltCancelsTest {
    private static final int OTHER = Harness.INSTRUMENT + 1;

    private final Harness h = new Harness();

    /** places one approved order on {@code instrument} and has the venue accept it */
    private long accepted(int instrument, Side side, long price) {
        InboundEvent e = h.intents(ev -> ev.addIntent().set(QuoteAction.PLACE, Harness.VENUE, instrument, side, 0, price, 5, 0)
                .approve());
        long id = ClientOrderIds.of(e.sequence(), 0);
        InboundEvent r = h.event(InboundEventType.EXECUTION_REPORT);
        r.executionReport().set(ExecType.ACCEPTED, Harness.VENUE, instrument, id, id, side, price, 5, h.now).owner(Harness.OWNER);
        h.feed(r);
        return id;
    }

    private List<Long> cancelsAfter(int before) {
        List<OrderCommand> sent = h.commands.subList(before, h.commands.size());
        assertThat(sent).allSatisfy(c -> assertThat(c.type()).isEqualTo(OrderCommandType.CANCEL));
        return sent.stream().map(OrderCommand::targetClientOrderId).toList();
    }

    private void control(String command, Consumer<InboundEvent> decide) {
        InboundEvent e = h.event(InboundEventType.CONTROL);
        e.control().set(command, 7, "officer", "test");
        decide.accept(e);
        h.feed(e);
    }

    @Test
    void onlyTheOrdersTheDecisionCoversAreCancelled() {
        long bid = accepted(Harness.INSTRUMENT, Side.BUY, 99);
        long ask = accepted(Harness.INSTRUMENT, Side.SELL, 101);
        long otherBid = accepted(OTHER, Side.BUY, 99);
        long otherAsk = accepted(OTHER, Side.SELL, 101);
        int before = h.commands.size();

        // REDUCING while long on INSTRUMENT: its bids go, the reducing ask stays; OTHER halted: both
        control(ControlCommands.SET_TRADING_STATE, e -> e.cancels().cancel(Harness.INSTRUMENT, Side.BUY).cancelBoth(OTHER));

        assertThat(cancelsAfter(before)).containsExactly(bid, otherBid, otherAsk);
        assertThat(h.engine.stateOf(ask)).isEqualTo(OrderState.NEW);
        assertThat(h.engine.stateOf(bid)).isEqualTo(OrderState.PENDING_CANCEL);
    }

    @Test
    void anOrderNotYetAcknowledgedIsCancelledTooAndOnePendingCancelIsNotCancelledAgain() {
        long live = accepted(Harness.INSTRUMENT, Side.BUY, 99);
        long unacked = h.placeApproved(Side.BUY, 98, 5);
        h.cancel(live);
        int before = h.commands.size();

        control(ControlCommands.CANCEL_ALL, e -> e.cancels().cancelBoth(Harness.INSTRUMENT));

        assertThat(cancelsAfter(before)).containsExactly(unacked);
    }

    @Test
    void aDecisionOnAnEventOtherThanAControlIsCarriedOutToo() {
        // the daily loss limit puts trading into REDUCING on the fill or timer event that reaches it
        long bid = accepted(Harness.INSTRUMENT, Side.BUY, 99);
        int before = h.commands.size();
        InboundEvent timer = h.event(InboundEventType.TIMER);
        timer.cancels().cancel(Harness.INSTRUMENT, Side.BUY);
        h.feed(timer);
        assertThat(cancelsAfter(before)).containsExactly(bid);
    }

    @Test
    void anEmptyDecisionCancelsNothing() {
        accepted(Harness.INSTRUMENT, Side.BUY, 99);
        int before = h.commands.size();
        control(ControlCommands.SET_TRADING_STATE, e -> { });
        control(ControlCommands.CANCEL_ALL, e -> { });
        assertThat(h.commands).hasSize(before);
    }

    @Test
    void aKillSwitchAndItsDecisionSendOneCancelPerOrder() {
        long a = accepted(Harness.INSTRUMENT, Side.BUY, 99);
        long b = accepted(OTHER, Side.SELL, 101);
        int before = h.commands.size();
        control(ControlCommands.KILL_SWITCH, e -> e.cancels().cancelBoth(Harness.INSTRUMENT).cancelBoth(OTHER));
        assertThat(cancelsAfter(before)).containsExactly(a, b);
    }

    @Test
    void aScopedKillSwitchCancelsOnlyItsTargetEvenWithoutRisksDecision() {
        long a = accepted(Harness.INSTRUMENT, Side.BUY, 99);
        accepted(OTHER, Side.SELL, 101);
        int before = h.commands.size();
        InboundEvent e = h.event(InboundEventType.CONTROL);
        e.control().set(ControlCommands.KILL_SWITCH, 8, "officer", "one instrument").target(-1, Harness.INSTRUMENT);
        e.markFaulted("risk");
        h.feed(e);
        assertThat(cancelsAfter(before)).containsExactly(a);
    }

    @Test
    void anOrderInDoubtGetsOneCancelFromAKillSwitchAndItsDecision() {
        long unknown = h.placeApproved(Side.BUY, 99, 5);
        h.timer(ExecutionConfig.defaults().ackTimeoutNanos() + 1);
        assertThat(h.engine.stateOf(unknown)).isEqualTo(OrderState.UNKNOWN);
        int before = h.commands.size();
        control(ControlCommands.KILL_SWITCH, e -> e.cancels().cancelBoth(Harness.INSTRUMENT));
        assertThat(cancelsAfter(before)).containsExactly(unknown);
    }
}
