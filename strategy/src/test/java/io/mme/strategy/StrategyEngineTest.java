package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.BookState;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.mme.strategy.Fixture.COINBASE;
import static io.mme.strategy.Fixture.KRAKEN;
import static io.mme.strategy.Fixture.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategyEngineTest {
    /** 50,000.005 USD */
    static final long FV = 50_000_005_000_000L;
    /** 0.001 BTC = 10 lots on both venues */
    static final long SIZE = 1_000_000;
    static final long CB_BID = 4_999_998;
    static final long CB_ASK = 5_000_003;
    static final long KR_BID = 499_998;
    static final long KR_ASK = 500_003;

    /** both venues quoted and acknowledged: 4 LIVE slots */
    static Fixture quoting(StrategyEngineConfig config) {
        Fixture f = new Fixture(config, Fixture.skew(4, SIZE, 1));
        f.acceptAll(f.book(KRAKEN, 499_000, 501_000, FV));
        f.acceptAll(f.book(COINBASE, 4_990_000, 5_010_000, FV));
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        assertThat(f.engine.slotState(1, Side.SELL, 0)).isEqualTo(SlotState.LIVE);
        return f;
    }

    static void assertIntent(QuoteIntent q, QuoteAction action, int instrument, Side side, long price, long lots, long target) {
        assertThat(q.action()).isEqualTo(action);
        assertThat(q.instrumentId()).isEqualTo(instrument);
        assertThat(q.side()).isEqualTo(side);
        assertThat(q.priceTicks()).isEqualTo(price);
        assertThat(q.quantityLots()).isEqualTo(lots);
        assertThat(q.targetClientOrderId()).isEqualTo(target);
    }

    @Test
    void placesBothSidesOnEachValidVenueRoundedAwayFromTheFairValueWithIdsFromTheSlot() {
        Fixture f = new Fixture(Fixture.config(), Fixture.skew(4, SIZE, 1));
        List<QuoteIntent> kraken = f.book(KRAKEN, 499_000, 501_000, FV);
        assertThat(kraken).hasSize(2);
        assertIntent(kraken.get(0), QuoteAction.PLACE, KRAKEN, Side.BUY, KR_BID, 10, 0);
        assertIntent(kraken.get(1), QuoteAction.PLACE, KRAKEN, Side.SELL, KR_ASK, 10, 0);
        assertThat(kraken.get(0).venueId()).isEqualTo(2);
        assertThat(f.engine.slotOrderId(1, Side.SELL, 0)).isEqualTo(ClientOrderIds.of(0, 1));

        List<QuoteIntent> coinbase = f.book(COINBASE, 4_990_000, 5_010_000, FV);
        assertThat(coinbase).hasSize(2);
        assertIntent(coinbase.get(0), QuoteAction.PLACE, COINBASE, Side.BUY, CB_BID, 10, 0);
        assertIntent(coinbase.get(1), QuoteAction.PLACE, COINBASE, Side.SELL, CB_ASK, 10, 0);
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.PENDING_NEW);
        assertThat(f.engine.slotOrderId(0, Side.BUY, 0)).isEqualTo(ClientOrderIds.of(1, 0));
    }

    @Test
    void intentIndexesContinueAfterIntentsAnEarlierStrategyWroteIntoTheSlot() {
        Fixture f = new Fixture(Fixture.config(), Fixture.skew(4, SIZE, 1));
        InboundEvent e = f.event;
        e.begin(5, InboundEventType.MARKET_DATA, Fixture.T0);
        e.book().reset();
        e.book().top(KRAKEN, BookState.VALID, 499_000, 1, 501_000, 1);
        e.book().fairValue(Fixture.PAIR, FV);
        e.addIntent().set(QuoteAction.CANCEL, 0, 2, Side.BUY, 0, 1, 1, 77);
        f.engine.onEvent(e, 5, true);
        assertThat(e.intentCount()).isEqualTo(3);
        assertThat(f.engine.slotOrderId(1, Side.BUY, 0)).isEqualTo(ClientOrderIds.of(5, 1));
    }

    @Test
    void noQuotesWithoutAFairValueOrWithoutAValidBook() {
        Fixture f = new Fixture(Fixture.config(), Fixture.skew(4, SIZE, 1));
        assertThat(f.book(KRAKEN, 499_000, 501_000, Long.MIN_VALUE)).isEmpty();
        assertThat(f.fairValue(FV)).hasSize(2).allMatch(q -> q.instrumentId() == KRAKEN);
    }

    @Test
    void aPendingSlotWaitsForItsAcknowledgement() {
        Fixture f = new Fixture(Fixture.config(), Fixture.skew(4, SIZE, 1));
        f.book(KRAKEN, 499_000, 501_000, FV);
        f.now += 10 * MS;
        assertThat(f.fairValue(FV + 5_000_000_000L)).isEmpty();
        long id = ClientOrderIds.of(0, 0);
        List<QuoteIntent> onAck = f.report(ExecType.ACCEPTED, KRAKEN, id, Side.BUY, KR_BID, 10);
        // live now, so the move it waited out is acted on at once
        assertThat(onAck).hasSize(1);
        assertIntent(onAck.get(0), QuoteAction.REPLACE, KRAKEN, Side.BUY, KR_BID + 50, 10, id);
        assertThat(f.engine.slotState(1, Side.BUY, 0)).isEqualTo(SlotState.PENDING_REPLACE);
        assertThat(f.engine.slotPriceTicks(1, Side.BUY, 0)).isEqualTo(KR_BID);
        assertThat(f.engine.slotQuantityLots(1, Side.BUY, 0)).isEqualTo(10);
    }

    @Test
    void aRejectedPlaceBacksOffForTheConfiguredEventTimeBeforeTryingAgain() {
        Fixture f = new Fixture(Fixture.config().withRejectBackoffMillis(500), Fixture.skew(4, SIZE, 1));
        f.book(KRAKEN, 499_000, 501_000, FV);
        long rejected = ClientOrderIds.of(0, 0);
        List<QuoteIntent> atReject = f.report(ExecType.REJECTED, KRAKEN, rejected, Side.BUY, KR_BID, 0);
        assertThat(atReject).isEmpty();
        assertThat(f.engine.slotState(1, Side.BUY, 0)).isEqualTo(SlotState.EMPTY);
        f.now += 499 * MS;
        assertThat(f.timer()).isEmpty();
        f.now += MS;
        List<QuoteIntent> retry = f.timer();
        assertThat(retry).hasSize(1);
        assertIntent(retry.get(0), QuoteAction.PLACE, KRAKEN, Side.BUY, KR_BID, 10, 0);
    }

    @Test
    void aReplaceNeedsAPriceMoveBeyondTheTickTolerance() {
        Fixture f = quoting(Fixture.config().withAntiChurn(2, 100, 0, 0));
        assertThat(f.fairValue(FV + 20_000_000)).isEmpty();
        List<QuoteIntent> moved = f.fairValue(FV + 30_000_000);
        assertThat(moved).hasSize(2);
        assertIntent(moved.get(0), QuoteAction.REPLACE, COINBASE, Side.BUY, CB_BID + 3, 10, f.engine.slotOrderId(0, Side.BUY, 0));
        assertIntent(moved.get(1), QuoteAction.REPLACE, COINBASE, Side.SELL, CB_ASK + 3, 10, f.engine.slotOrderId(0, Side.SELL, 0));
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.PENDING_REPLACE);
        f.acceptAll(moved);
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        assertThat(f.engine.slotPriceTicks(0, Side.BUY, 0)).isEqualTo(CB_BID + 3);
    }

    @Test
    void aReplaceNeedsASizeChangeBeyondThePercentTolerance() {
        Fixture tolerant = quoting(Fixture.config().withAntiChurn(0, 25, 0, 0));
        long id = tolerant.engine.slotOrderId(0, Side.BUY, 0);
        assertThat(tolerant.fill(ExecType.PARTIALLY_FILLED, COINBASE, id, Side.BUY, CB_BID, 2, 8))
                .noneMatch(q -> q.targetClientOrderId() == id);
        assertThat(tolerant.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        assertThat(tolerant.engine.slotQuantityLots(0, Side.BUY, 0)).isEqualTo(8);

        Fixture strict = quoting(Fixture.config().withAntiChurn(0, 10, 0, 0));
        long strictId = strict.engine.slotOrderId(0, Side.BUY, 0);
        List<QuoteIntent> topUp = strict.fill(ExecType.PARTIALLY_FILLED, COINBASE, strictId, Side.BUY, CB_BID, 2, 8);
        assertThat(topUp).hasSize(1);
        assertIntent(topUp.get(0), QuoteAction.REPLACE, COINBASE, Side.BUY, CB_BID, 10, strictId);
    }

    @Test
    void aQuoteIsNotReplacedBeforeItsMinimumLife() {
        Fixture f = quoting(Fixture.config().withAntiChurn(0, 0, 1_000, 0));
        f.now += 999 * MS;
        assertThat(f.fairValue(FV + 50_000_000)).isEmpty();
        f.now += MS;
        assertThat(f.timer()).extracting(QuoteIntent::action).contains(QuoteAction.REPLACE);
    }

    @Test
    void aQuoteOlderThanTheMaximumAgeIsRepricedEvenInsideTheTolerance() {
        Fixture f = quoting(Fixture.config().withAntiChurn(5, 100, 0, 2_000));
        f.now += MS;
        assertThat(f.fairValue(FV + 10_000_000)).isEmpty();
        f.now += 1_000 * MS;
        assertThat(f.timer()).isEmpty();
        f.now += 1_000 * MS;
        List<QuoteIntent> aged = f.timer();
        assertThat(aged).hasSize(2).allMatch(q -> q.action() == QuoteAction.REPLACE && q.instrumentId() == COINBASE);
        assertThat(aged.get(0).priceTicks()).isEqualTo(CB_BID + 1);
    }

    @Test
    void aQuoteEqualToTheWantedOneIsLeftAloneHoweverOld() {
        Fixture f = quoting(Fixture.config().withAntiChurn(5, 100, 0, 2_000));
        f.now += 60_000 * MS;
        assertThat(f.timer()).isEmpty();
    }

    @Test
    void aRefusedReplaceLeavesTheOrderLiveAtItsOldPriceAndBacksOff() {
        Fixture f = quoting(Fixture.config().withRejectBackoffMillis(300));
        long id = f.engine.slotOrderId(0, Side.BUY, 0);
        List<QuoteIntent> replace = f.fairValue(FV + 50_000_000);
        assertThat(replace).anyMatch(q -> q.targetClientOrderId() == id && q.action() == QuoteAction.REPLACE);
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.PENDING_REPLACE);

        assertThat(f.report(ExecType.CANCEL_REJECTED, COINBASE, id, Side.BUY, 0, 0)).isEmpty();
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        assertThat(f.engine.slotPriceTicks(0, Side.BUY, 0)).isEqualTo(CB_BID);
        assertThat(f.engine.slotOrderId(0, Side.BUY, 0)).isEqualTo(id);
        f.now += 299 * MS;
        assertThat(f.timer()).noneMatch(q -> q.targetClientOrderId() == id);
        f.now += MS;
        assertThat(f.timer()).anyMatch(q -> q.targetClientOrderId() == id && q.action() == QuoteAction.REPLACE);
    }

    @Test
    void aFillEmptiesTheSlotCountsInventoryAndTheSlotIsQuotedAgain() {
        Fixture f = quoting(Fixture.config());
        long id = f.engine.slotOrderId(1, Side.SELL, 0);
        List<QuoteIntent> after = f.fill(ExecType.FILLED, KRAKEN, id, Side.SELL, KR_ASK, 10, 0);
        assertThat(f.engine.inventoryNanos()).isEqualTo(-1_000_000);
        assertThat(after).hasSize(1);
        assertIntent(after.get(0), QuoteAction.PLACE, KRAKEN, Side.SELL, KR_ASK, 10, 0);
        assertThat(f.engine.slotOrderId(1, Side.SELL, 0)).isNotEqualTo(id);
    }

    @Test
    void fillsAndCancelsRacingAStopEmptyTheSlotsAndNothingIsPlaced() {
        Fixture f = quoting(Fixture.config());
        long bid = f.engine.slotOrderId(0, Side.BUY, 0);
        long ask = f.engine.slotOrderId(0, Side.SELL, 0);
        long krBid = f.engine.slotOrderId(1, Side.BUY, 0);
        List<QuoteIntent> cancels = f.control(ControlCommands.STOP_STRATEGY, null, 0);
        assertThat(cancels).hasSize(4).allMatch(q -> q.action() == QuoteAction.CANCEL);
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.PENDING_CANCEL);

        assertThat(f.fill(ExecType.PARTIALLY_FILLED, COINBASE, bid, Side.BUY, CB_BID, 4, 6)).isEmpty();
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.PENDING_CANCEL);
        assertThat(f.engine.slotQuantityLots(0, Side.BUY, 0)).isEqualTo(6);
        assertThat(f.fill(ExecType.FILLED, COINBASE, bid, Side.BUY, CB_BID, 6, 0)).isEmpty();
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.EMPTY);
        assertThat(f.engine.inventoryNanos()).isEqualTo(1_000_000);

        assertThat(f.report(ExecType.CANCELLED, COINBASE, ask, Side.SELL, CB_ASK, 0)).isEmpty();
        assertThat(f.engine.slotState(0, Side.SELL, 0)).isEqualTo(SlotState.EMPTY);
        assertThat(f.report(ExecType.ORDER_STATUS, KRAKEN, krBid, Side.BUY, KR_BID, 0)).isEmpty();
        assertThat(f.engine.slotState(1, Side.BUY, 0)).isEqualTo(SlotState.EMPTY);
    }

    @Test
    void aStatusReportWithLeavesMakesThePendingSlotLive() {
        Fixture f = new Fixture(Fixture.config().withAntiChurn(0, 50, 0, 0), Fixture.skew(4, SIZE, 1));
        f.book(KRAKEN, 499_000, 501_000, FV);
        long id = ClientOrderIds.of(0, 0);
        assertThat(f.report(ExecType.ORDER_STATUS, KRAKEN, id, Side.BUY, KR_BID, 7)).isEmpty();
        assertThat(f.engine.slotState(1, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        assertThat(f.engine.slotQuantityLots(1, Side.BUY, 0)).isEqualTo(7);
        assertThat(f.engine.slotPriceTicks(1, Side.BUY, 0)).isEqualTo(KR_BID);
    }

    @Test
    void aPartialFillOfAPendingNewOrderMakesItLiveWithItsLeaves() {
        Fixture f = new Fixture(Fixture.config().withAntiChurn(0, 50, 0, 0), Fixture.skew(4, SIZE, 1));
        f.book(KRAKEN, 499_000, 501_000, FV);
        f.fill(ExecType.PARTIALLY_FILLED, KRAKEN, ClientOrderIds.of(0, 0), Side.BUY, KR_BID, 3, 7);
        assertThat(f.engine.slotState(1, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        assertThat(f.engine.slotQuantityLots(1, Side.BUY, 0)).isEqualTo(7);
        assertThat(f.engine.inventoryNanos()).isEqualTo(300_000);
    }

    @Test
    void reportsForAnotherOwnerAreIgnored() {
        Fixture f = quoting(Fixture.config());
        long id = f.engine.slotOrderId(0, Side.BUY, 0);
        f.report(ExecType.FILLED, COINBASE, id, Side.BUY, CB_BID, 0, 10, 2);
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        assertThat(f.engine.inventoryNanos()).isZero();
    }

    @Test
    void aVenueWhoseBookLeavesValidHasItsQuotesCancelledAndTheOthersStay() {
        Fixture f = quoting(Fixture.config());
        long bid = f.engine.slotOrderId(1, Side.BUY, 0);
        long ask = f.engine.slotOrderId(1, Side.SELL, 0);
        List<QuoteIntent> cancels = f.stateChange(KRAKEN, BookState.INVALID);
        assertThat(cancels).hasSize(2);
        assertIntent(cancels.get(0), QuoteAction.CANCEL, KRAKEN, Side.BUY, KR_BID, 10, bid);
        assertIntent(cancels.get(1), QuoteAction.CANCEL, KRAKEN, Side.SELL, KR_ASK, 10, ask);
        f.acceptAll(cancels);
        assertThat(f.fairValue(FV)).isEmpty();
        assertThat(f.engine.slotState(0, Side.BUY, 0)).isEqualTo(SlotState.LIVE);
        // back to VALID with a top: quoted again
        assertThat(f.book(KRAKEN, 499_000, 501_000, FV)).hasSize(2).allMatch(q -> q.action() == QuoteAction.PLACE);
    }

    @Test
    void aStaleBookReportedOnlyAsAStateChangeAlsoCancels() {
        Fixture f = quoting(Fixture.config());
        InboundEvent e = f.event;
        e.begin(f.sequence++, InboundEventType.TIMER, f.now);
        e.book().reset();
        e.book().changed(COINBASE, BookState.INVALID);
        assertThat(f.deliver(e)).hasSize(2).allMatch(q -> q.action() == QuoteAction.CANCEL && q.instrumentId() == COINBASE);
    }

    @Test
    void losingTheFairValueCancelsEverything() {
        Fixture f = quoting(Fixture.config());
        assertThat(f.fairValue(Long.MIN_VALUE)).hasSize(4).allMatch(q -> q.action() == QuoteAction.CANCEL);
    }

    @Test
    void noBidAtOrAboveTheVenueBestAskAndNoAskAtOrBelowItsBestBid() {
        Fixture f = new Fixture(Fixture.config(), Fixture.skew(4, SIZE, 1));
        List<QuoteIntent> lowAsk = f.book(COINBASE, 4_990_000, CB_BID, FV);
        assertIntent(lowAsk.get(0), QuoteAction.PLACE, COINBASE, Side.BUY, CB_BID - 1, 10, 0);
        assertIntent(lowAsk.get(1), QuoteAction.PLACE, COINBASE, Side.SELL, CB_ASK, 10, 0);

        Fixture g = new Fixture(Fixture.config(), Fixture.skew(4, SIZE, 1));
        List<QuoteIntent> highBid = g.book(COINBASE, CB_ASK + 2, CB_ASK + 10, FV);
        assertIntent(highBid.get(0), QuoteAction.PLACE, COINBASE, Side.BUY, CB_BID, 10, 0);
        assertIntent(highBid.get(1), QuoteAction.PLACE, COINBASE, Side.SELL, CB_ASK + 3, 10, 0);
    }

    @Test
    void aVenueWhereTheSizeRoundsBelowTheMinimumQuantityIsNotQuoted() {
        Fixture f = new Fixture(Fixture.config(), Fixture.skew(4, 950_000, 1));
        assertThat(f.book(KRAKEN, 499_000, 501_000, FV)).isEmpty();
        List<QuoteIntent> coinbase = f.book(COINBASE, 4_990_000, 5_010_000, FV);
        assertThat(coinbase).hasSize(2).allMatch(q -> q.quantityLots() == 9);
    }

    @Test
    void intentsBeyondSixteenGoOutOnTheNextEvent() {
        Fixture f = new Fixture(Fixture.config().withMaxLevels(5), Fixture.skew(4, SIZE, 5));
        f.book(KRAKEN, 400_000, 600_000, Long.MIN_VALUE);
        f.book(COINBASE, 4_000_000, 6_000_000, Long.MIN_VALUE);
        long first = f.nextSequence();
        List<QuoteIntent> full = f.fairValue(FV);
        assertThat(full).hasSize(InboundEvent.MAX_INTENTS);
        long second = f.nextSequence();
        List<QuoteIntent> rest = f.timer();
        assertThat(rest).hasSize(4);
        Set<String> slots = new HashSet<>();
        for (QuoteIntent q : full) {
            slots.add(q.instrumentId() + "/" + q.side() + "/" + q.level());
        }
        for (QuoteIntent q : rest) {
            slots.add(q.instrumentId() + "/" + q.side() + "/" + q.level());
        }
        assertThat(slots).hasSize(20);
        assertThat(f.engine.slotOrderId(1, Side.SELL, 4)).isEqualTo(ClientOrderIds.of(second, 3));
        assertThat(f.engine.slotOrderId(0, Side.BUY, 0)).isEqualTo(ClientOrderIds.of(first, 0));
        assertThat(f.timer()).isEmpty();
    }

    @Test
    void parameterChangesApplyAndBadOnesAreRefusedKeepingTheOldValue() {
        Fixture f = quoting(Fixture.config());
        f.setParameter(StrategyEngine.REPLACE_TICKS, 3);
        assertThat(f.engine.parameter(StrategyEngine.REPLACE_TICKS)).isEqualTo(3);
        assertThat(f.engine.lastRefusal()).isNull();

        assertThat(f.lastControl.answered()).isTrue();
        assertThat(f.lastControl.applied()).isTrue();
        f.setParameter(StrategyEngine.REPLACE_SIZE_PERCENT, 101);
        assertThat(f.engine.parameter(StrategyEngine.REPLACE_SIZE_PERCENT)).isZero();
        assertThat(f.lastControl.applied()).isFalse();
        assertThat(f.lastControl.message()).contains("replace.size.percent=101");
        assertThat(f.engine.lastRefusal()).contains("replace.size.percent=101", "between 0 and 100", "keeping 0", "alice");

        f.setParameter("spread.tiks", 6);
        assertThat(f.engine.lastRefusal()).contains("'spread.tiks'", "unknown key", InventorySkewStrategy.SPREAD_TICKS);

        f.setParameter(InventorySkewStrategy.LEVELS, 0);
        assertThat(f.engine.parameter(InventorySkewStrategy.LEVELS)).isEqualTo(1);
        assertThat(f.engine.lastRefusal()).contains("levels=0");

        List<QuoteIntent> wider = f.setParameter(InventorySkewStrategy.SPREAD_TICKS, 20);
        assertThat(f.engine.parameter(InventorySkewStrategy.SPREAD_TICKS)).isEqualTo(20);
        assertThat(wider).filteredOn(q -> q.instrumentId() == COINBASE && q.side() == Side.BUY)
                .singleElement().extracting(QuoteIntent::priceTicks).isEqualTo(CB_BID - 8);
    }

    @Test
    void stopCancelsEveryQuoteAndStartQuotesAgain() {
        Fixture f = quoting(Fixture.config());
        List<QuoteIntent> cancels = f.control(ControlCommands.STOP_STRATEGY, null, 0);
        assertThat(cancels).hasSize(4).allMatch(q -> q.action() == QuoteAction.CANCEL);
        f.acceptAll(cancels);
        assertThat(f.fairValue(FV + 100_000_000)).isEmpty();
        assertThat(f.engine.quoting()).isFalse();
        assertThat(f.control(ControlCommands.START_STRATEGY, null, 0)).hasSize(4).allMatch(q -> q.action() == QuoteAction.PLACE);
    }

    @Test
    void startAndStopAnswerWhetherItWasQuotingBefore() {
        Fixture f = quoting(Fixture.config());
        f.control(ControlCommands.START_STRATEGY, null, 0);
        assertThat(f.lastControl.oldValue()).as("a start while quoting: it was quoting").isEqualTo(1);
        f.control(ControlCommands.STOP_STRATEGY, null, 0);
        assertThat(f.lastControl.oldValue()).as("a stop while quoting").isEqualTo(1);
        f.control(ControlCommands.STOP_STRATEGY, null, 0);
        assertThat(f.lastControl.oldValue()).as("a stop while stopped").isZero();
        f.control(ControlCommands.START_STRATEGY, null, 0);
        assertThat(f.lastControl.oldValue()).as("a start while stopped").isZero();
        assertThat(f.lastControl.applied()).isTrue();
    }

    @Test
    void aCommandForAnotherInstrumentIsNotOurs() {
        Fixture f = quoting(Fixture.config());
        InboundEvent e = f.event;
        e.begin(f.sequence++, InboundEventType.CONTROL, f.now);
        e.book().reset();
        e.control().set(ControlCommands.STOP_STRATEGY, 1, "bob", "other pair").target(-1, Fixture.OTHER);
        assertThat(f.deliver(e)).isEmpty();
        assertThat(f.engine.quoting()).isTrue();
    }

    @Test
    void theKillSwitchSilencesTheStrategyUntilStart() {
        Fixture f = quoting(Fixture.config());
        long[] ids = {f.engine.slotOrderId(0, Side.BUY, 0), f.engine.slotOrderId(0, Side.SELL, 0),
                f.engine.slotOrderId(1, Side.BUY, 0), f.engine.slotOrderId(1, Side.SELL, 0)};
        assertThat(f.control(ControlCommands.KILL_SWITCH, null, 0)).isEmpty();
        assertThat(f.fairValue(FV + 500_000_000)).isEmpty();
        // execution's cancels come back as reports
        f.report(ExecType.CANCELLED, COINBASE, ids[0], Side.BUY, CB_BID, 0);
        f.report(ExecType.CANCELLED, COINBASE, ids[1], Side.SELL, CB_ASK, 0);
        f.report(ExecType.CANCELLED, KRAKEN, ids[2], Side.BUY, KR_BID, 0);
        assertThat(f.report(ExecType.CANCELLED, KRAKEN, ids[3], Side.SELL, KR_ASK, 0)).isEmpty();
        assertThat(f.control(ControlCommands.START_STRATEGY, null, 0)).hasSize(4).allMatch(q -> q.action() == QuoteAction.PLACE);
    }

    @Test
    void aFaultedSlotCarriesNoDecisions() {
        Fixture f = new Fixture(Fixture.config(), Fixture.skew(4, SIZE, 1));
        InboundEvent e = f.event;
        e.begin(f.sequence++, InboundEventType.MARKET_DATA, f.now);
        e.book().reset();
        e.book().top(KRAKEN, BookState.VALID, 499_000, 1, 501_000, 1);
        e.book().fairValue(Fixture.PAIR, FV);
        e.markFaulted("marketdata");
        assertThat(f.deliver(e)).isEmpty();
        assertThat(f.engine.slotState(1, Side.BUY, 0)).isEqualTo(SlotState.EMPTY);
    }

    @Test
    void theConsoleViewShowsLiveQuotesAndInventoryOnlyAfterATimer() {
        Fixture f = quoting(Fixture.config());
        StrategyView view = f.engine.view();
        assertThat(view.bidTicks(0)).isEqualTo(StrategyView.NONE);
        f.fill(ExecType.PARTIALLY_FILLED, KRAKEN, f.engine.slotOrderId(1, Side.BUY, 0), Side.BUY, KR_BID, 1, 9);
        f.timer();
        assertThat(view.instrumentId(1)).isEqualTo(KRAKEN);
        assertThat(view.bidTicks(0)).isEqualTo(CB_BID);
        assertThat(view.askTicks(0)).isEqualTo(CB_ASK);
        assertThat(view.askLots(0)).isEqualTo(10);
        assertThat(view.inventoryNanos()).isEqualTo(100_000);
        assertThat(view.fairValueNanos()).isEqualTo(FV);
        assertThat(view.quoting()).isTrue();
        assertThat(view.publishedAtNanos()).isEqualTo(f.now);
    }

    @Test
    void equalInputGivesAnEqualDigestAndADifferentFillADifferentOne() {
        assertThat(digest(quoting(Fixture.config()))).isEqualTo(digest(quoting(Fixture.config())));
        Fixture filled = quoting(Fixture.config());
        filled.fill(ExecType.PARTIALLY_FILLED, KRAKEN, filled.engine.slotOrderId(1, Side.BUY, 0), Side.BUY, KR_BID, 1, 9);
        assertThat(digest(filled)).isNotEqualTo(digest(quoting(Fixture.config())));
        Fixture reparametered = quoting(Fixture.config());
        reparametered.setParameter(StrategyEngine.REPLACE_TICKS, 7);
        assertThat(digest(reparametered)).isNotEqualTo(digest(quoting(Fixture.config())));
    }

    @Test
    void instrumentsOfDifferentPairsOrTwoOnOneVenueAreRefusedAtStartUp() {
        assertThatThrownBy(() -> new StrategyEngine(StrategyEngineConfig.of(0, List.of(COINBASE, Fixture.OTHER)),
                Fixture.registry(), Fixture.skew(4, SIZE, 1))).hasMessageContaining("one pair");
        assertThatThrownBy(() -> new StrategyEngine(StrategyEngineConfig.of(0, List.of(COINBASE, COINBASE)),
                Fixture.registry(), Fixture.skew(4, SIZE, 1))).hasMessageContaining("one instrument per venue");
    }

    private static String digest(Fixture f) {
        StateDigest d = new StateDigest();
        f.engine.digestState(d);
        return d.hex();
    }
}
