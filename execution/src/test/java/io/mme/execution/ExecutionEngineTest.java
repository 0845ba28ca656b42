package io.mme.execution;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.RejectCodes;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.mme.execution.Harness.INSTRUMENT;
import static io.mme.execution.Harness.OWNER;
import static io.mme.execution.Harness.SECOND;
import static io.mme.execution.Harness.VENUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecutionEngineTest {
    private final Harness h = new Harness();

    // ------------------------------------------------------------------ routing

    @Test
    void approvedPlaceBecomesANewCommandWithEveryFieldAndAPendingNewOrder() {
        InboundEvent e = h.intents(ev -> {
            Harness.place(ev, Side.BUY, 100, 5).approve();
            Harness.place(ev, Side.SELL, 110, 3).approve();
        });

        assertThat(h.commands).hasSize(2);
        OrderCommand c = h.commands.get(1);
        assertThat(c.type()).isEqualTo(OrderCommandType.NEW);
        assertThat(c.timestampNanos()).isEqualTo(e.timestampNanos());
        assertThat(c.causeSequence()).isEqualTo(e.sequence());
        assertThat(c.causeReceivedNanos()).isEqualTo(e.receivedNanos());
        assertThat(c.venueId()).isEqualTo(VENUE);
        assertThat(c.instrumentId()).isEqualTo(INSTRUMENT);
        assertThat(c.ownerId()).isEqualTo(OWNER);
        assertThat(c.clientOrderId()).isEqualTo(ClientOrderIds.of(e.sequence(), 1));
        assertThat(c.targetClientOrderId()).isZero();
        assertThat(c.side()).isEqualTo(Side.SELL);
        assertThat(c.priceTicks()).isEqualTo(110);
        assertThat(c.quantityLots()).isEqualTo(3);
        assertThat(c.timeInForce()).isEqualTo(TimeInForce.GTC);
        assertThat(c.postOnly()).isTrue();
        assertThat(h.engine.stateOf(c.clientOrderId())).isEqualTo(OrderState.PENDING_NEW);
        assertThat(h.engine.openOrders()).isEqualTo(2);
        assertThat(h.count(ExecutionCounter.ORDERS_SENT)).isEqualTo(2);
        assertThat(h.count(ExecutionCounter.OPEN_ORDERS)).isEqualTo(2);
        assertThat(h.synthetic).isEmpty();
    }

    @Test
    void anApprovedTakerIntentIsSentAsAnIocThatIsNotPostOnlyAndItsUnfilledRestEndsItCancelled() {
        InboundEvent e = h.intents(ev -> {
            ev.addIntent().taker(VENUE, INSTRUMENT, Side.SELL, 95, 4).approve();
            Harness.place(ev, Side.BUY, 90, 1).approve();
        });
        OrderCommand ioc = h.commands.get(0);
        assertThat(ioc.type()).isEqualTo(OrderCommandType.NEW);
        assertThat(ioc.timeInForce()).isEqualTo(TimeInForce.IOC);
        assertThat(ioc.postOnly()).isFalse();
        assertThat(ioc.priceTicks()).isEqualTo(95);
        assertThat(ioc.quantityLots()).isEqualTo(4);
        // the quote beside it is still a post-only GTC
        assertThat(h.commands.get(1).timeInForce()).isEqualTo(TimeInForce.GTC);
        assertThat(h.commands.get(1).postOnly()).isTrue();
        long id = ClientOrderIds.of(e.sequence(), 0);
        h.report(ExecType.ACCEPTED, id, 95, 4);
        h.fill(ExecType.PARTIALLY_FILLED, id, 1, 3);
        h.report(ExecType.CANCELLED, id, 95, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
        assertThat(h.engine.openOrders()).isEqualTo(1);
    }

    @Test
    void riskRejectedPlaceIsAnsweredWithASyntheticRejectOfTheWouldBeIdAndNothingIsSent() {
        int code = RejectCodes.RISK_BASE + 3;
        InboundEvent e = h.intents(ev -> Harness.place(ev, Side.BUY, 100, 5).reject(code));

        assertThat(h.commands).isEmpty();
        ExecutionReport r = h.synthetic.getFirst();
        assertThat(r.execType()).isEqualTo(ExecType.REJECTED);
        assertThat(r.clientOrderId()).isEqualTo(ClientOrderIds.of(e.sequence(), 0));
        assertThat(r.ownerId()).isEqualTo(OWNER);
        assertThat(r.reasonCode()).isEqualTo(code);
        assertThat(h.engine.openOrders()).isZero();
        assertThat(h.count(ExecutionCounter.SYNTHETIC_REJECTS)).isEqualTo(1);
    }

    @Test
    void riskRejectedReplaceIsAnsweredWithCancelRejectedOnTheTargetAndTheOrderStands() {
        long id = h.placeAccepted(100, 5);
        h.replace(id, 101, 5, false, RejectCodes.RISK_BASE + 1);

        assertThat(h.commandTypes()).containsExactly(OrderCommandType.NEW);
        assertThat(h.synthetic.getFirst().execType()).isEqualTo(ExecType.CANCEL_REJECTED);
        assertThat(h.synthetic.getFirst().clientOrderId()).isEqualTo(id);
        assertThat(h.synthetic.getFirst().reasonCode()).isEqualTo(RejectCodes.RISK_BASE + 1);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);
    }

    @Test
    void aVenueWithoutAGatewayGetsASyntheticNoRouteReject() {
        Harness unrouted = new Harness(ExecutionConfig.defaults().withGateways(Map.of(1, ExecutionConfig.PAPER)));
        unrouted.placeApproved(Side.BUY, 100, 1);

        assertThat(unrouted.commands).isEmpty();
        assertThat(unrouted.synthetic.getFirst().execType()).isEqualTo(ExecType.REJECTED);
        assertThat(unrouted.synthetic.getFirst().reasonCode()).isEqualTo(ExecutionRejectCode.NO_ROUTE.code());
        assertThat(ExecutionRejectCode.ofCode(unrouted.synthetic.getFirst().reasonCode())).isEqualTo(ExecutionRejectCode.NO_ROUTE);
        assertThat(RejectCodes.isExecution(ExecutionRejectCode.NO_ROUTE.code())).isTrue();
    }

    @Test
    void aPlaceTheHaltedPublisherRefusesBecomesASyntheticRejectAndNoOrder() {
        h.halted = true;
        long id = h.placeApproved(Side.BUY, 100, 1);

        assertThat(h.commands).isEmpty();
        assertThat(h.engine.stateOf(id)).isNull();
        assertThat(h.synthetic.getFirst().execType()).isEqualTo(ExecType.REJECTED);
        assertThat(h.synthetic.getFirst().clientOrderId()).isEqualTo(id);
        assertThat(h.synthetic.getFirst().reasonCode()).isEqualTo(ExecutionRejectCode.TRADING_HALTED.code());
    }

    @Test
    void aReplaceTheHaltedPublisherRefusesIsCancelRejectedButCancelsStillGoOut() {
        long id = h.placeAccepted(100, 5);
        h.halted = true;
        h.replace(id, 101, 5, true, 0);
        assertThat(h.synthetic.getFirst().execType()).isEqualTo(ExecType.CANCEL_REJECTED);
        assertThat(h.synthetic.getFirst().reasonCode()).isEqualTo(ExecutionRejectCode.TRADING_HALTED.code());
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);

        h.cancel(id);
        assertThat(h.lastCommand().type()).isEqualTo(OrderCommandType.CANCEL);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_CANCEL);
    }

    @Test
    void aFullOrderTableRefusesThePlaceWithASyntheticReject() {
        Harness small = new Harness(ExecutionConfig.defaults().withCapacity(1, 4));
        small.placeApproved(Side.BUY, 100, 1);
        small.placeApproved(Side.BUY, 100, 1);
        assertThat(small.commands).hasSize(1);
        assertThat(small.synthetic.getFirst().reasonCode()).isEqualTo(ExecutionRejectCode.ORDER_TABLE_FULL.code());
    }

    @Test
    void replaceAndCancelOfAnOrderThatIsNotOpenAreRefusedByExecution() {
        h.replace(999_999, 100, 1, true, 0);
        h.cancel(999_999);
        assertThat(h.commands).isEmpty();
        assertThat(h.synthetic).extracting(ExecutionReport::reasonCode)
                .containsExactly(ExecutionRejectCode.ORDER_NOT_OPEN.code(), ExecutionRejectCode.ORDER_NOT_OPEN.code());
    }

    @Test
    void aReplaceOfAnOrderStillPendingIsRefusedAndASecondCancelIsNotSent() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.replace(id, 101, 5, true, 0);
        h.cancel(id);
        h.cancel(id);
        assertThat(h.commandTypes()).containsExactly(OrderCommandType.NEW, OrderCommandType.CANCEL);
        assertThat(h.synthetic).extracting(ExecutionReport::reasonCode)
                .containsExactly(ExecutionRejectCode.ORDER_BUSY.code(), ExecutionRejectCode.CANCEL_PENDING.code());
    }

    @Test
    void anIntentWithoutARiskVerdictIsNotSent() {
        h.intents(ev -> Harness.place(ev, Side.BUY, 100, 5));
        assertThat(h.commands).isEmpty();
        assertThat(h.synthetic.getFirst().reasonCode()).isEqualTo(ExecutionRejectCode.NOT_APPROVED.code());
    }

    @Test
    void aFaultedSlotSendsNothingAndAnswersNothing() {
        InboundEvent e = h.event(InboundEventType.MARKET_DATA);
        Harness.place(e, Side.BUY, 100, 5).approve();
        e.addIntent().set(QuoteAction.PLACE, VENUE, INSTRUMENT, Side.SELL, 0, 100, 5, 0).reject(RejectCodes.RISK_BASE);
        e.markFaulted("risk");
        h.feed(e);
        assertThat(h.commands).isEmpty();
        assertThat(h.synthetic).isEmpty();
        assertThat(h.engine.openOrders()).isZero();
    }

    @Test
    void aClientOrderIdThatIsNotNewIsAFault() {
        h.placeApproved(Side.BUY, 100, 5);
        h.sequence -= 2;
        assertThatThrownBy(() -> h.placeApproved(Side.BUY, 100, 5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client order id");
    }

    // ------------------------------------------------------------------ the state machine

    @Test
    void acceptedThenPartialThenFullFillEndsTheOrderFilled() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.report(ExecType.ACCEPTED, id, 100, 5);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(h.engine.orderFigures(id)).containsExactly(100, 5, 2);
        h.fill(ExecType.FILLED, id, 3, 0);

        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.FILLED);
        assertThat(h.engine.openOrders()).isZero();
        assertThat(h.count(ExecutionCounter.ACKS)).isEqualTo(1);
        assertThat(h.count(ExecutionCounter.FILLS)).isEqualTo(2);
        assertThat(h.count(ExecutionCounter.FILLED_LOTS)).isEqualTo(5);
        assertThat(h.count(ExecutionCounter.OPEN_ORDERS)).isZero();
    }

    @Test
    void aFillBeforeTheAckMovesAPendingNewOrderToPartiallyFilled() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 1, 4);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PARTIALLY_FILLED);
    }

    @Test
    void aVenueRejectEndsThePendingOrderRejected() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.report(ExecType.REJECTED, id, 100, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.REJECTED);
        assertThat(h.engine.openOrders()).isZero();
        assertThat(h.count(ExecutionCounter.REJECTS)).isEqualTo(1);
    }

    @Test
    void anAcceptedReplaceTakesTheVenuesPriceAndRemainingQuantity() {
        long id = h.placeAccepted(100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3);
        h.replace(id, 101, 4, true, 0);

        OrderCommand c = h.lastCommand();
        assertThat(c.type()).isEqualTo(OrderCommandType.REPLACE);
        assertThat(c.targetClientOrderId()).isEqualTo(id);
        assertThat(c.clientOrderId()).isEqualTo(id);
        assertThat(c.priceTicks()).isEqualTo(101);
        assertThat(c.quantityLots()).isEqualTo(4);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_REPLACE);

        h.report(ExecType.REPLACED, id, 101, 4);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(h.engine.orderFigures(id)).containsExactly(101, 6, 2);
        assertThat(h.count(ExecutionCounter.REPLACES)).isEqualTo(1);
    }

    @Test
    void aRejectedReplaceLeavesTheOrderAsItWas() {
        long id = h.placeAccepted(100, 5);
        h.replace(id, 101, 4, true, 0);
        h.report(ExecType.CANCEL_REJECTED, id, 101, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);
        assertThat(h.engine.orderFigures(id)).containsExactly(100, 5, 0);
        assertThat(h.count(ExecutionCounter.CANCEL_REJECTS)).isEqualTo(1);
    }

    @Test
    void anAcceptedCancelEndsTheOrderCancelled() {
        long id = h.placeAccepted(100, 5);
        h.cancel(id);
        OrderCommand c = h.lastCommand();
        assertThat(c.type()).isEqualTo(OrderCommandType.CANCEL);
        assertThat(c.targetClientOrderId()).isEqualTo(id);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_CANCEL);

        h.cancelled(id, 5);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
        assertThat(h.count(ExecutionCounter.CANCELS)).isEqualTo(1);
        assertThat(h.engine.openOrders()).isZero();
    }

    @Test
    void aRejectedCancelReturnsTheOrderToItsLiveState() {
        long id = h.placeAccepted(100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 1, 4);
        h.cancel(id);
        h.report(ExecType.CANCEL_REJECTED, id, 100, 4);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PARTIALLY_FILLED);
    }

    @Test
    void aCancelAfterAnUnansweredReplaceAttributesTheFirstRejectToTheReplace() {
        long id = h.placeAccepted(100, 5);
        h.replace(id, 101, 5, true, 0);
        h.cancel(id);
        h.report(ExecType.CANCEL_REJECTED, id, 101, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_CANCEL);
        h.cancelled(id, 5);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
    }

    @Test
    void aFillWhileTheCancelIsPendingIsALateFillAndTheCancelStillEndsTheOrder() {
        long id = h.placeAccepted(100, 5);
        h.cancel(id);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_CANCEL);
        assertThat(h.engine.orderFigures(id)).containsExactly(100, 5, 2);
        assertThat(h.count(ExecutionCounter.LATE_FILLS)).isEqualTo(1);
        h.cancelled(id, 3);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
    }

    @Test
    void aFillThatCompletesAnOrderWhileItsCancelIsPendingEndsItFilledAndTheCancelRejectIsADuplicate() {
        long id = h.placeAccepted(100, 5);
        h.cancel(id);
        h.fill(ExecType.FILLED, id, 5, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.FILLED);
        h.report(ExecType.CANCEL_REJECTED, id, 100, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.FILLED);
        assertThat(h.count(ExecutionCounter.DUPLICATE_REPORTS)).isEqualTo(1);
    }

    @Test
    void aFillAfterTheOrderWasCancelledCountsInTheTotalsWithoutReopeningIt() {
        long id = h.placeAccepted(100, 5);
        h.cancel(id);
        h.cancelled(id, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 0);

        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
        assertThat(h.engine.openOrders()).isZero();
        assertThat(h.count(ExecutionCounter.LATE_FILLS)).isEqualTo(1);
        assertThat(h.count(ExecutionCounter.FILLS)).isEqualTo(1);
        assertThat(h.count(ExecutionCounter.FILLED_LOTS)).isEqualTo(2);
        assertThat(h.count(ExecutionCounter.OPEN_ORDERS)).isZero();
    }

    @Test
    void fillsBeyondTheOrderQuantityAreCountedAsAnAnomalyAndTheOrderIsCappedAtItsQuantity() {
        long id = h.placeAccepted(100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 7, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.FILLED);
        assertThat(h.count(ExecutionCounter.OVERFILLED_LOTS)).isEqualTo(2);
        assertThat(h.count(ExecutionCounter.FILLED_LOTS)).isEqualTo(7);
        h.fill(ExecType.FILLED, id, 1, 0);
        assertThat(h.count(ExecutionCounter.OVERFILLED_LOTS)).isEqualTo(3);
        assertThat(h.count(ExecutionCounter.LATE_FILLS)).isEqualTo(1);
    }

    @Test
    void duplicateReportsAreCountedAndChangeNothing() {
        long id = h.placeAccepted(100, 5);
        h.report(ExecType.ACCEPTED, id, 100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3, 77);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3, 77);
        assertThat(h.engine.orderFigures(id)).containsExactly(100, 5, 2);
        h.cancelled(id, 3);
        h.cancelled(id, 3);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
        assertThat(h.count(ExecutionCounter.DUPLICATE_REPORTS)).isEqualTo(3);
        assertThat(h.count(ExecutionCounter.FILLED_LOTS)).isEqualTo(2);
        assertThat(h.count(ExecutionCounter.ACKS)).isEqualTo(1);
    }

    @Test
    void reportsForUnknownIdsAreCountedAndReportsForOtherOwnersIgnored() {
        h.report(ExecType.ACCEPTED, 123_456, 100, 5);
        h.fill(ExecType.FILLED, 123_457, 1, 0);
        assertThat(h.count(ExecutionCounter.UNKNOWN_REPORTS)).isEqualTo(2);
        assertThat(h.count(ExecutionCounter.FILLED_LOTS)).isZero();

        long id = h.placeApproved(Side.BUY, 100, 5);
        InboundEvent other = h.event(InboundEventType.EXECUTION_REPORT);
        other.executionReport().set(ExecType.ACCEPTED, VENUE, INSTRUMENT, id, id, Side.BUY, 100, 5, h.now).owner(OWNER + 1);
        h.feed(other);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_NEW);
        assertThat(h.count(ExecutionCounter.UNKNOWN_REPORTS)).isEqualTo(2);
    }

    @Test
    void ourSyntheticReportsComingBackRoundTheRingChangeNothing() {
        long id = h.placeAccepted(100, 5);
        h.cancel(id);
        h.cancel(id);
        ExecutionReport echo = h.synthetic.getFirst();
        InboundEvent e = h.event(InboundEventType.EXECUTION_REPORT);
        e.executionReport().copyFrom(echo);
        h.feed(e);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_CANCEL);
        assertThat(h.count(ExecutionCounter.DUPLICATE_REPORTS)).isZero();
        assertThat(h.count(ExecutionCounter.UNKNOWN_REPORTS)).isZero();
    }

    // ------------------------------------------------------------------ timeouts

    @Test
    void anAckTimeoutSendsAStatusQueryNeverTheOrderAgainAndTheAnswerWithLeavesResolvesIt() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.timer(SECOND);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PENDING_NEW);
        h.timer(SECOND);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.UNKNOWN);
        OrderCommand status = h.lastCommand();
        assertThat(status.type()).isEqualTo(OrderCommandType.STATUS);
        assertThat(status.targetClientOrderId()).isEqualTo(id);
        assertThat(status.ownerId()).isEqualTo(OWNER);
        assertThat(h.count(ExecutionCounter.TIMEOUTS)).isEqualTo(1);

        h.report(ExecType.ORDER_STATUS, id, 100, 5);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);
        for (int i = 0; i < 5; i++) {
            h.timer(SECOND);
        }
        assertThat(h.commandTypes()).containsExactly(OrderCommandType.NEW, OrderCommandType.STATUS);
    }

    @Test
    void aStatusAnswerWithLeavesAfterAPartialFillResolvesToPartiallyFilled() {
        long id = h.placeAccepted(100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 1, 4);
        h.cancel(id);
        h.timer(3 * SECOND);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.UNKNOWN);
        h.report(ExecType.ORDER_STATUS, id, 100, 4);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.PARTIALLY_FILLED);
        assertThat(h.engine.orderFigures(id)).containsExactly(100, 5, 1);
    }

    @Test
    void aStatusAnswerWithoutLeavesEndsTheOrderCancelled() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.timer(3 * SECOND);
        h.report(ExecType.ORDER_STATUS, id, 100, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
        assertThat(h.engine.openOrders()).isZero();
    }

    @Test
    void aReplaceTimeoutIsResolvedByTheStatusAnswerWithTheVenuesQuantity() {
        long id = h.placeAccepted(100, 5);
        h.replace(id, 101, 3, true, 0);
        h.timer(3 * SECOND);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.UNKNOWN);
        h.report(ExecType.ORDER_STATUS, id, 101, 3);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);
        assertThat(h.engine.orderFigures(id)[0]).as("the venue's price").isEqualTo(101);
        assertThat(h.engine.orderFigures(id)[1]).isEqualTo(3);
        assertThat(h.commandTypes()).containsExactly(OrderCommandType.NEW, OrderCommandType.REPLACE, OrderCommandType.STATUS);
    }

    @Test
    void anUnansweredStatusIsAskedAgainUpToTheLimitThenTheOrderStaysUnknownAndIsReported() {
        Harness twice = new Harness(ExecutionConfig.defaults().withAckTimeout(2 * SECOND, 2));
        long id = twice.placeApproved(Side.BUY, 100, 5);
        for (int i = 0; i < 12; i++) {
            twice.timer(SECOND);
        }
        assertThat(twice.commandTypes()).containsExactly(OrderCommandType.NEW, OrderCommandType.STATUS, OrderCommandType.STATUS);
        assertThat(twice.engine.stateOf(id)).isEqualTo(OrderState.UNKNOWN);
        assertThat(twice.count(ExecutionCounter.TIMEOUTS)).isEqualTo(1);
        assertThat(twice.count(ExecutionCounter.STATUS_QUERIES)).isEqualTo(2);
        assertThat(twice.count(ExecutionCounter.UNRESOLVED)).isEqualTo(1);
        assertThat(twice.engine.openOrders()).isEqualTo(1);

        // a report that comes at last still settles it
        twice.report(ExecType.ACCEPTED, id, 100, 5);
        assertThat(twice.engine.stateOf(id)).isEqualTo(OrderState.NEW);
    }

    @Test
    void aLateAckResolvesAnOrderInDoubtAndTheStaleStatusAnswerChangesNothing() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.timer(3 * SECOND);
        h.report(ExecType.ACCEPTED, id, 100, 5);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);
        h.report(ExecType.ORDER_STATUS, id, 100, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.NEW);
    }

    @Test
    void aCancelOfAnOrderInDoubtIsSentAndItsRejectDoesNotSettleTheOrder() {
        long id = h.placeApproved(Side.BUY, 100, 5);
        h.timer(3 * SECOND);
        h.cancel(id);
        assertThat(h.lastCommand().type()).isEqualTo(OrderCommandType.CANCEL);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.UNKNOWN);
        h.report(ExecType.CANCEL_REJECTED, id, 100, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.UNKNOWN);
        h.report(ExecType.ORDER_STATUS, id, 100, 0);
        assertThat(h.engine.stateOf(id)).isEqualTo(OrderState.CANCELLED);
    }

    // ------------------------------------------------------------------ kill switch, view, digest

    @Test
    void theKillSwitchCancelsEveryOpenOrder() {
        long a = h.placeAccepted(100, 5);
        long b = h.placeApproved(Side.SELL, 110, 5);
        long c = h.placeAccepted(99, 5);
        h.cancel(c);
        long filled = h.placeAccepted(98, 1);
        h.fill(ExecType.FILLED, filled, 1, 0);
        int before = h.commands.size();

        h.killSwitch();

        assertThat(h.commands.subList(before, h.commands.size()))
                .allSatisfy(cmd -> assertThat(cmd.type()).isEqualTo(OrderCommandType.CANCEL))
                .extracting(OrderCommand::targetClientOrderId).containsExactly(a, b);
        assertThat(h.engine.stateOf(a)).isEqualTo(OrderState.PENDING_CANCEL);
        assertThat(h.engine.stateOf(b)).isEqualTo(OrderState.PENDING_CANCEL);
    }

    @Test
    void afterARestartEveryOpenOrderIsQueriedNeverSentAgainAndTheAnswersSettleThem() {
        long live = h.placeAccepted(100, 5);
        long unacked = h.placeApproved(Side.SELL, 110, 5);
        long done = h.placeAccepted(98, 1);
        h.fill(ExecType.FILLED, done, 1, 0);
        int before = h.commands.size();

        h.reconcile();

        assertThat(h.commands.subList(before, h.commands.size()))
                .allSatisfy(cmd -> assertThat(cmd.type()).isEqualTo(OrderCommandType.STATUS))
                .extracting(OrderCommand::targetClientOrderId).containsExactly(live, unacked);
        assertThat(h.engine.stateOf(live)).isEqualTo(OrderState.UNKNOWN);
        assertThat(h.engine.stateOf(unacked)).isEqualTo(OrderState.UNKNOWN);
        // the venue still has the first (4 left after a fill while we were down); the second never arrived
        h.report(ExecType.ORDER_STATUS, live, 100, 4);
        h.report(ExecType.ORDER_STATUS, unacked, 110, 0);
        assertThat(h.engine.stateOf(live)).isEqualTo(OrderState.NEW);
        assertThat(h.engine.stateOf(unacked)).isEqualTo(OrderState.CANCELLED);
        assertThat(h.commandTypes().subList(before, h.commands.size())).doesNotContain(OrderCommandType.NEW);
    }

    @Test
    void theKillSwitchCancelsEvenWhileTradingIsHalted() {
        long a = h.placeAccepted(100, 5);
        h.halted = true;
        h.killSwitch();
        assertThat(h.lastCommand().type()).isEqualTo(OrderCommandType.CANCEL);
        assertThat(h.lastCommand().targetClientOrderId()).isEqualTo(a);
    }

    @Test
    void countersReachTheViewOnTimerEventsOnly() {
        long id = h.placeAccepted(100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3);
        ExecutionView view = h.engine.view();
        assertThat(view.get(VENUE, ExecutionCounter.FILLED_LOTS)).isZero();
        h.timer(1);
        assertThat(view.get(VENUE, ExecutionCounter.ORDERS_SENT)).isEqualTo(1);
        assertThat(view.get(VENUE, ExecutionCounter.ACKS)).isEqualTo(1);
        assertThat(view.get(VENUE, ExecutionCounter.FILLED_LOTS)).isEqualTo(2);
        assertThat(view.get(VENUE, ExecutionCounter.OPEN_ORDERS)).isEqualTo(1);
        assertThat(view.total(ExecutionCounter.FILLS)).isEqualTo(1);
    }

    @Test
    void theDigestIsEqualForEqualInputAndDiffersWhenACommandDiffers() {
        assertThat(digestOfRun(100)).isEqualTo(digestOfRun(100));
        assertThat(digestOfRun(100)).isNotEqualTo(digestOfRun(101));
    }

    private static String digestOfRun(long price) {
        Harness run = new Harness();
        long id = run.placeAccepted(price, 5);
        run.placeApproved(Side.SELL, 120, 2);
        run.fill(ExecType.PARTIALLY_FILLED, id, 1, 4);
        run.timer(3 * SECOND);
        StateDigest digest = new StateDigest();
        run.engine.digestState(digest);
        return digest.hex();
    }
}
