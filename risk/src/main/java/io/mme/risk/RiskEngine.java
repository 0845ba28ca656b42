package io.mme.risk;

import io.mme.core.state.CheckedStateReader;
import io.mme.core.state.CheckedStateWriter;
import io.mme.core.digest.DigestibleState;
import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.FixedMath;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommand;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import io.mme.core.ring.TradingState;
import io.mme.core.runtime.Engine;
import io.mme.core.state.SnapshotState;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pre-trade risk, stage 3 of the inbound chain: marks every quote intent of a slot approved or
 * rejected ({@link RiskCheck} codes), and keeps what the checks need: our open orders (by client
 * order id), positions and PnL from our fills ({@link PositionLedger}), the pairs' fair values, the
 * limits ({@link RiskLimits}), the trading states (instrument, venue, global; the strictest
 * applies), per-venue order-rate buckets and the daily loss.
 *
 * <p>Per event, in this order: roll the UTC day (event time); take the slot's fair value; apply our
 * execution report or a control command; check the daily loss; then judge the intents, in slot
 * order, each seeing the orders approved before it. A faulted slot changes nothing. CANCEL is
 * always approved. An approved PLACE counts as an open order at once (id
 * {@link ClientOrderIds#of}); an approved REPLACE that asks for more than the order's leaves counts
 * the larger quantity until the venue answers (worst case, also when the replace is refused).
 *
 * <p>A change of trading state (an operator's, the kill switch's per scope, or the daily loss
 * limit's), and a cancel-all, also write the slot's cancel decision
 * ({@link InboundEvent#cancels()}, see {@code decideCancels}): which open orders execution must
 * cancel on the same event so that the scope holds only what its new state allows.
 *
 * <p>Threads: every field is owned by the risk engine's thread. Other threads may read
 * {@link #view()} (published on TIMER events), {@link #changeLog()} and {@link #outcome(long)}
 * (published on CONTROL events) while it runs; the other accessors and {@link #digestState} are for
 * the engine thread, tests, or after the engine thread ended.
 *
 * <p>Snapshot state ({@link SnapshotState}): {@link #writeState} on the engine thread at an event
 * boundary, {@link #readState} on a freshly built engine before it starts. The state is everything
 * a later verdict or the digest depends on; {@link #readState} also publishes the view and the
 * change log at once, so the console shows the restored numbers before the first TIMER.
 */
public final class RiskEngine implements Engine<InboundEvent>, DigestibleState, SnapshotState {
    /** start of the state's running checksum (CheckedStateWriter) */
    private static final long STATE_SEED = 0x52_49_53_4BL;

    /** the principal of changes the risk engine makes by itself (daily loss limit) */
    public static final String PRINCIPAL = "risk";
    /** the change log's {@code what} for trading-state changes */
    public static final String TRADING_STATE = "tradingState";
    /** the change log's {@code what} for a cancel-all (old: open orders in the scope, new: 0) */
    public static final String ORDERS = "openOrders";
    /** the change log's {@code command} for changes the risk engine makes by itself */
    public static final String AUTO = "auto";
    static final long DAY_NANOS = 86_400_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(RiskEngine.class);
    private static final TradingState[] STATES = TradingState.values();
    private static final int VENUES = Venue.values().length;

    private final Instrument[] instruments;
    private final long accountId;
    private final int[] pairOf;
    private final long[] fairValue;
    private final long[] lastMark;
    private final RiskLimits limits;
    private final PositionLedger ledger;
    private final OpenOrders orders;
    private final OrderThrottle throttle = new OrderThrottle();
    private final TakerWindow takerWindow;
    /**
     * per instrument: the touch of its venue book after the last complete venue message, in ticks,
     * Long.MIN_VALUE when the book is not VALID or the side empty; for the taker slippage check.
     * Derived from market data, so not in the state: after a restore it is empty until the book's
     * next message (taker orders are refused until then, TAKER_NO_TOUCH).
     */
    private final long[] touchBid;
    private final long[] touchAsk;
    private final long[] assetPositionNanos;
    private final TradingState[] instrumentState;
    private final TradingState[] venueState = new TradingState[VENUES];
    /** per venue: the event time (epoch ns) until which the venue told us to stop sending; 0 = none */
    private final long[] venueBackOffUntil = new long[VENUES];
    private TradingState globalState = TradingState.ACTIVE;
    private final RiskView view;

    private long day = Long.MIN_VALUE;
    private long dayStartPnl;
    /** the daily loss limit fired today (it fires at most once a day) */
    private boolean lossTriggered;
    /** the global REDUCING is the daily loss limit's, not an operator's: the day boundary lifts it */
    private boolean lossHoldsGlobal;
    /** per strategy ({@link RiskLimits#strategyOf}): its PnL when the day began */
    private final long[] strategyDayStartPnl;
    /** per strategy: its daily loss limit fired today; it may only reduce until the day ends */
    private final boolean[] strategyLossHit;
    /** per instrument: 10^-9 base units per lot (Instrument's own accessor is not for the hot path) */
    private final long[] nanosPerLot;
    /** pair id → its instruments, so that a fair value reprices only them */
    private final int[][] instrumentsOfPair;
    /**
     * Derived from the ledger and the marks, kept so that a fair value or a fill costs work for its
     * own instruments only, not for every instrument (a desk of many pairs): per instrument its
     * realized + unrealized PnL at the last mark, their total, and per strategy its instruments' sum.
     * Not part of the state: rebuilt from the ledger on restore.
     */
    private final long[] instrumentPnl;
    private long pnlTotal;
    private final long[] strategyPnl;
    private long approved;
    /** rejects per check ({@link RiskCheck} ordinal), for the metrics */
    private final long[] rejectedBy = new long[RiskCheck.values().length];
    private long rejected;

    private final int changeLogCapacity;
    private final ArrayDeque<ChangeRecord> changeLog = new ArrayDeque<>();
    private long changesRecorded;
    private volatile List<ChangeRecord> publishedLog = List.of();
    private final ConcurrentHashMap<Long, ChangeRecord> byRequestId = new ConcurrentHashMap<>();
    private final ArrayDeque<Long> requestOrder = new ArrayDeque<>();

    public RiskEngine(InstrumentRegistry registry, RiskConfig config) {
        int n = registry.size();
        if (config.pairOfInstrument().length != n) {
            throw new IllegalArgumentException("risk config covers " + config.pairOfInstrument().length
                    + " instruments, the registry has " + n);
        }
        instruments = registry.all().toArray(new Instrument[0]);
        accountId = config.accountId();
        pairOf = config.pairOfInstrument().clone();
        int pairs = 0;
        for (int p : pairOf) {
            if (p < 0) {
                throw new IllegalArgumentException("pair id " + p + " is negative");
            }
            pairs = Math.max(pairs, p + 1);
        }
        fairValue = new long[pairs];
        lastMark = new long[pairs];
        Arrays.fill(fairValue, Long.MIN_VALUE);
        Arrays.fill(lastMark, Long.MIN_VALUE);
        limits = config.limits().copy();
        if (limits.size(LimitKind.Scope.INSTRUMENT) != n) {
            throw new IllegalArgumentException("risk limits cover " + limits.size(LimitKind.Scope.INSTRUMENT)
                    + " instruments, the registry has " + n);
        }
        int[] assetOf = new int[n];
        for (int i = 0; i < n; i++) {
            assetOf[i] = limits.assetOf(i);
        }
        ledger = new PositionLedger(registry, config.makerFeeBps(), config.takerFeeBps(), config.tradeIdRing());
        orders = new OpenOrders(registry, assetOf, limits.assets(), config.maxTrackedOrders());
        assetPositionNanos = new long[limits.assets()];
        instrumentState = new TradingState[n];
        Arrays.fill(instrumentState, TradingState.ACTIVE);
        Arrays.fill(venueState, TradingState.ACTIVE);
        view = new RiskView(n, limits);
        strategyDayStartPnl = new long[limits.strategies()];
        strategyLossHit = new boolean[limits.strategies()];
        nanosPerLot = new long[n];
        for (int i = 0; i < n; i++) {
            nanosPerLot[i] = instruments[i].nanosPerLot();
        }
        instrumentPnl = new long[n];
        strategyPnl = new long[limits.strategies()];
        int[] members = new int[pairs];
        for (int p : pairOf) {
            members[p]++;
        }
        instrumentsOfPair = new int[pairs][];
        for (int p = 0; p < pairs; p++) {
            instrumentsOfPair[p] = new int[members[p]];
            members[p] = 0;
        }
        for (int i = 0; i < n; i++) {
            instrumentsOfPair[pairOf[i]][members[pairOf[i]]++] = i;
        }
        changeLogCapacity = config.changeLogCapacity();
        takerWindow = new TakerWindow(n);
        touchBid = new long[n];
        touchAsk = new long[n];
        Arrays.fill(touchBid, Long.MIN_VALUE);
        Arrays.fill(touchAsk, Long.MIN_VALUE);
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        if (event.isFaulted()) {
            return;
        }
        rollDay(event);
        takeTouch(event.book());
        boolean pnlMoved = takeFairValue(event.book());
        switch (event.type()) {
            case EXECUTION_REPORT -> pnlMoved |= onReport(event.executionReport());
            case CONTROL -> onControl(event);
            case MARKET_DATA, TIMER -> { }
        }
        if (pnlMoved || event.type() == InboundEventType.TIMER) {
            checkDailyLoss(event);
        }
        for (int k = 0; k < event.intentCount(); k++) {
            QuoteIntent intent = event.intent(k);
            int code = judge(event, k, intent);
            if (code == 0) {
                intent.approve();
                approved++;
            } else {
                intent.reject(code);
                rejected++;
                RiskCheck check = RiskCheck.ofCode(code);
                if (check != null) {
                    rejectedBy[check.ordinal()]++;
                }
            }
        }
        if (event.type() == InboundEventType.TIMER) {
            publish(event.timestampNanos());
        }
    }

    // ---------------------------------------------------------------- input

    /** the touched book's top (VALID) or its loss; every state change a message reported */
    private void takeTouch(BookView book) {
        int i = book.instrumentId();
        if (i >= 0 && i < touchBid.length) {
            boolean valid = book.state() == BookState.VALID;
            touchBid[i] = valid ? book.bidTicks() : Long.MIN_VALUE;
            touchAsk[i] = valid ? book.askTicks() : Long.MIN_VALUE;
        }
        for (int c = 0; c < book.changes(); c++) {
            int changed = book.changedInstrument(c);
            if (changed >= 0 && changed < touchBid.length && book.changedState(c) != BookState.VALID) {
                touchBid[changed] = Long.MIN_VALUE;
                touchAsk[changed] = Long.MIN_VALUE;
            }
        }
    }

    private boolean takeFairValue(BookView book) {
        int pair = book.pair();
        if (pair < 0 || pair >= fairValue.length) {
            return false;
        }
        long value = book.fairValue();
        fairValue[pair] = value;
        if (value == Long.MIN_VALUE) {
            return false;
        }
        lastMark[pair] = value;
        for (int i : instrumentsOfPair[pair]) {
            repricePnl(i);
        }
        return true;
    }

    /** applies one of our execution reports; true when a fill moved a position */
    private boolean onReport(ExecutionReport report) {
        if (report.ownerId() != accountId || report.execType() == null) {
            return false;
        }
        int slot = orders.slotOf(report.clientOrderId());
        boolean moved = false;
        switch (report.execType()) {
            case PARTIALLY_FILLED, FILLED -> {
                int i = report.instrumentId();
                if (i >= 0 && i < instruments.length && report.side() != null && report.lastQuantityLots() > 0) {
                    if (!ledger.fill(i, report.side(), report.lastPriceTicks(), report.lastQuantityLots(), report.maker(),
                            report.tradeId(), report.clientOrderId())) {
                        return false;
                    }
                    long direction = report.side() == Side.BUY ? 1 : -1;
                    assetPositionNanos[limits.assetOf(i)] += direction * instruments[i].quantityNanos(report.lastQuantityLots());
                    repricePnl(i);
                    moved = true;
                }
                if (slot >= 0) {
                    leavesOrClose(slot, report.execType() == ExecType.FILLED ? 0 : report.leavesQuantityLots());
                }
            }
            case ACCEPTED, CANCELLED, ORDER_STATUS -> {
                if (slot >= 0) {
                    leavesOrClose(slot, report.leavesQuantityLots());
                }
            }
            case REPLACED -> {
                if (slot >= 0) {
                    orders.price(slot, report.priceTicks());
                    leavesOrClose(slot, report.leavesQuantityLots());
                }
            }
            case REJECTED -> {
                if (slot >= 0) {
                    orders.close(slot);
                }
            }
            case CANCEL_REJECTED -> { }
        }
        return moved;
    }

    private void leavesOrClose(int slot, long leavesLots) {
        if (leavesLots <= 0) {
            orders.close(slot);
        } else {
            orders.leaves(slot, leavesLots);
        }
    }

    // ---------------------------------------------------------------- daily loss

    private void rollDay(InboundEvent event) {
        long today = Math.floorDiv(event.timestampNanos(), DAY_NANOS);
        if (day == Long.MIN_VALUE) {
            day = today;
            dayStartPnl = totalPnlNanos();
            startStrategyDays();
            return;
        }
        if (today <= day) {
            return;
        }
        day = today;
        dayStartPnl = totalPnlNanos();
        lossTriggered = false;
        startStrategyDays();
        if (lossHoldsGlobal) {
            lossHoldsGlobal = false;
            if (globalState == TradingState.REDUCING) {
                globalState = TradingState.ACTIVE;
                record(event, -1, PRINCIPAL, "daily loss limit reset at the UTC day boundary", AUTO, TRADING_STATE,
                        "global", TradingState.REDUCING.ordinal(), TradingState.ACTIVE.ordinal(), true, "");
                automaticStateChange(event, "daily loss limit reset at the UTC day boundary", TradingState.REDUCING, TradingState.ACTIVE);
            }
        }
    }

    private void startStrategyDays() {
        for (int st = 0; st < strategyDayStartPnl.length; st++) {
            strategyDayStartPnl[st] = strategyPnlNanos(st);
            strategyLossHit[st] = false;
        }
    }

    /** a strategy whose day loss reached its limit may only reduce its position until the day ends */
    private void checkStrategyLoss(InboundEvent event) {
        for (int st = 0; st < strategyLossHit.length; st++) {
            long limit = limits.get(LimitKind.STRATEGY_DAILY_LOSS, st);
            if (strategyLossHit[st] || limit == LimitKind.STRATEGY_DAILY_LOSS.maxValue()) {
                continue;
            }
            long daily = strategyPnlNanos(st) - strategyDayStartPnl[st];
            if (daily < 0 && daily <= -limit) {
                strategyLossHit[st] = true;
                String why = "strategy " + limits.strategyId(st) + " daily loss " + daily + " reached its limit " + limit
                        + " (1e-9 quote units): it may only reduce its position until the UTC day ends";
                record(event, -1, PRINCIPAL, why, AUTO, LimitKind.STRATEGY_DAILY_LOSS.key(), "strategy " + limits.strategyId(st),
                        0, 1, true, "");
                LOG.warn(why);
            }
        }
    }

    /** realized (fees included) + unrealized PnL of one strategy's instruments, 10^-9 quote units */
    public long strategyPnlNanos(int strategy) {
        return strategyPnl[strategy];
    }

    /** brings instrument {@code i}'s cached PnL (and the totals) up to its ledger and mark */
    private void repricePnl(int i) {
        long pnl = ledger.realizedNanos(i) + ledger.unrealizedNanos(i, lastMark[pairOf[i]]);
        long change = pnl - instrumentPnl[i];
        instrumentPnl[i] = pnl;
        pnlTotal += change;
        int strategy = limits.strategyOf(i);
        if (strategy >= 0) {
            strategyPnl[strategy] += change;
        }
    }

    /** rebuilds every cached PnL from the ledger and the marks (after a restore) */
    private void repriceAll() {
        java.util.Arrays.fill(instrumentPnl, 0);
        java.util.Arrays.fill(strategyPnl, 0);
        pnlTotal = 0;
        for (int i = 0; i < instruments.length; i++) {
            repricePnl(i);
        }
    }

    /** whether a strategy's daily loss limit fired today; engine thread */
    public boolean strategyLossHit(int strategy) {
        return strategyLossHit[strategy];
    }

    private void checkDailyLoss(InboundEvent event) {
        checkStrategyLoss(event);
        if (lossTriggered) {
            return;
        }
        long daily = totalPnlNanos() - dayStartPnl;
        long limit = limits.get(LimitKind.DAILY_LOSS, 0);
        if (daily < 0 && daily <= -limit) {
            lossTriggered = true;
            if (globalState == TradingState.ACTIVE) {
                globalState = TradingState.REDUCING;
                lossHoldsGlobal = true;
                String why = "daily loss " + daily + " reached the limit " + limit + " (1e-9 quote units)";
                decideCancels(event, -1, -1, false);
                record(event, -1, PRINCIPAL, why, AUTO, TRADING_STATE, "global", TradingState.ACTIVE.ordinal(),
                        TradingState.REDUCING.ordinal(), true, cancelNote(event));
                automaticStateChange(event, why, TradingState.ACTIVE, TradingState.REDUCING);
                publishStates();
            }
        }
    }

    /** the change in the slot, as the control command an operator would have sent, for the audit trail */
    private static void automaticStateChange(InboundEvent event, String why, TradingState from, TradingState to) {
        ControlCommand change = event.recordAutomaticChange();
        change.set(ControlCommands.SET_TRADING_STATE, 0, PRINCIPAL, why).target(-1, -1).argument(null, to.ordinal());
        change.answer(true, from.ordinal(), null);
    }

    private long totalPnlNanos() {
        return pnlTotal;
    }

    // ---------------------------------------------------------------- checks

    /** 0 to approve, else the {@link RiskCheck} code */
    private int judge(InboundEvent event, int index, QuoteIntent intent) {
        QuoteAction action = intent.action();
        if (action == QuoteAction.CANCEL) {
            return 0;
        }
        int i = intent.instrumentId();
        if (action == null || i < 0 || i >= instruments.length || intent.side() == null
                || intent.venueId() != instruments[i].venue().id()
                || intent.quantityLots() <= 0 || intent.priceTicks() <= 0) {
            return RiskCheck.INVALID_ORDER.code();
        }
        int venue = intent.venueId();
        if (event.timestampNanos() < venueBackOffUntil[venue]) {
            return RiskCheck.VENUE_BACKOFF.code();
        }
        if (action == QuoteAction.REPLACE) {
            long target = intent.targetClientOrderId();
            int slot = target > 0 ? orders.slotOf(target) : -1;
            if (slot < 0 || orders.instrumentOf(slot) != i || orders.sideOf(slot) != intent.side()) {
                return RiskCheck.UNKNOWN_ORDER.code();
            }
            long leaves = orders.leavesOf(slot);
            int code = checkOrder(i, intent.side(), intent.priceTicks(), intent.quantityLots(), leaves);
            if (code != 0) {
                return code;
            }
            if (!throttle.tryAcquire(venue, event.timestampNanos(), limits.get(LimitKind.ORDER_RATE, venue),
                    limits.get(LimitKind.ORDER_BURST, venue))) {
                return RiskCheck.ORDER_RATE.code();
            }
            if (intent.quantityLots() > leaves) {
                orders.leaves(slot, intent.quantityLots());
            }
            return 0;
        }
        int code = checkOrder(i, intent.side(), intent.priceTicks(), intent.quantityLots(), 0);
        if (code != 0) {
            return code;
        }
        if (orders.openOnInstrument(i) >= limits.get(LimitKind.MAX_OPEN_ORDERS_PER_INSTRUMENT, i)) {
            return RiskCheck.MAX_OPEN_ORDERS_PER_INSTRUMENT.code();
        }
        if (orders.openOnVenue(venue) >= limits.get(LimitKind.MAX_OPEN_ORDERS_PER_VENUE, venue)) {
            return RiskCheck.MAX_OPEN_ORDERS_PER_VENUE.code();
        }
        int strategy = limits.strategyOf(i);
        if (strategy >= 0 && strategyOpenOrders(strategy) >= limits.get(LimitKind.STRATEGY_MAX_OPEN_ORDERS, strategy)) {
            return RiskCheck.STRATEGY_MAX_OPEN_ORDERS.code();
        }
        if (intent.isTaker()) {
            code = checkTaker(i, venue, intent.side(), intent.priceTicks(), intent.quantityLots(), event.timestampNanos());
            if (code != 0) {
                return code;
            }
        }
        long id = ClientOrderIds.of(event.sequence(), index);
        if (orders.isFull() || orders.slotOf(id) >= 0) {
            return RiskCheck.ORDER_TRACKING_FULL.code();
        }
        if (!throttle.tryAcquire(venue, event.timestampNanos(), limits.get(LimitKind.ORDER_RATE, venue),
                limits.get(LimitKind.ORDER_BURST, venue))) {
            return RiskCheck.ORDER_RATE.code();
        }
        orders.open(id, i, intent.side(), intent.priceTicks(), intent.quantityLots());
        if (intent.isTaker()) {
            takerWindow.add(i, event.timestampNanos(), intent.quantityLots());
        }
        return 0;
    }

    /**
     * A taker order's own limits, after the checks every order passes: its limit price at most
     * {@link LimitKind#MAX_TAKER_SLIPPAGE} bps beyond the venue's touch of the side it takes, and
     * the instrument's taker quantity in the last minute, this order included, at most
     * {@link LimitKind#MAX_TAKER_QUANTITY_PER_MINUTE}.
     */
    private int checkTaker(int i, int venue, Side side, long limitTicks, long quantityLots, long nowNanos) {
        long touch = side == Side.BUY ? touchAsk[i] : touchBid[i];
        if (touch == Long.MIN_VALUE || touch <= 0) {
            return RiskCheck.TAKER_NO_TOUCH.code();
        }
        long beyond = side == Side.BUY ? limitTicks - touch : touch - limitTicks;
        if (beyond > 0) {
            // beyond / touch > bps / 10,000, without division; a product beyond a long is too far
            try {
                if (Math.multiplyExact(beyond, 10_000L) > Math.multiplyExact(touch, limits.get(LimitKind.MAX_TAKER_SLIPPAGE, venue))) {
                    return RiskCheck.MAX_TAKER_SLIPPAGE.code();
                }
            } catch (ArithmeticException beyondLong) {
                return RiskCheck.MAX_TAKER_SLIPPAGE.code();
            }
        }
        long taken = takerWindow.lastMinute(i, nowNanos);
        if (quantityLots > limits.get(LimitKind.MAX_TAKER_QUANTITY_PER_MINUTE, i) - taken) {
            return RiskCheck.MAX_TAKER_QUANTITY.code();
        }
        return 0;
    }

    /**
     * The checks a PLACE and a REPLACE share. {@code replacedLeaves} is what the replaced order has
     * open now (0 for a PLACE): the order's exposure is the new quantity instead of it.
     */
    private int checkOrder(int i, Side side, long priceTicks, long quantityLots, long replacedLeaves) {
        Instrument instrument = instruments[i];
        TradingState state = globalState.strictest(venueState[instrument.venue().id()]).strictest(instrumentState[i]);
        if (state == TradingState.HALTED) {
            return RiskCheck.TRADING_HALTED.code();
        }
        long direction = side == Side.BUY ? 1 : -1;
        long position = ledger.positionLots(i);
        // worst case on this side: every open order of the side fills, and this one too
        long without = position + direction * (orders.openLots(i, side) - replacedLeaves);
        long worst = without + direction * quantityLots;
        if (state == TradingState.REDUCING
                && !(Long.signum(position) == -direction && direction * worst <= 0)) {
            return RiskCheck.REDUCING_ONLY.code();
        }
        if (quantityLots > limits.get(LimitKind.MAX_ORDER_QUANTITY, i)) {
            return RiskCheck.MAX_ORDER_QUANTITY.code();
        }
        long priceNanos;
        long quantityNanos;
        try {
            if (instrument.notionalNanos(priceTicks, quantityLots) > limits.get(LimitKind.MAX_ORDER_NOTIONAL, i)) {
                return RiskCheck.MAX_ORDER_NOTIONAL.code();
            }
            priceNanos = instrument.priceNanos(priceTicks);
            quantityNanos = instrument.quantityNanos(quantityLots) - instrument.quantityNanos(replacedLeaves);
        } catch (ArithmeticException beyondLong) {
            return RiskCheck.MAX_ORDER_NOTIONAL.code();
        }
        long fair = fairValue[pairOf[i]];
        if (fair == Long.MIN_VALUE) {
            return RiskCheck.NO_FAIR_VALUE.code();
        }
        long band = FixedMath.mulDiv(fair, limits.get(LimitKind.PRICE_BAND, i), 10_000);
        if (Math.abs(priceNanos - fair) > band) {
            return RiskCheck.PRICE_BAND.code();
        }
        if (Math.abs(worst) > limits.get(LimitKind.MAX_POSITION, i) && Math.abs(worst) > Math.abs(without)) {
            return RiskCheck.MAX_POSITION.code();
        }
        int asset = limits.assetOf(i);
        long assetWithout = assetPositionNanos[asset] + direction * orders.openAssetNanos(asset, side);
        long assetWorst = assetWithout + direction * quantityNanos;
        if (Math.abs(assetWorst) > limits.get(LimitKind.MAX_ASSET_POSITION, asset)
                && Math.abs(assetWorst) > Math.abs(assetWithout)) {
            return RiskCheck.MAX_ASSET_POSITION.code();
        }
        int strategy = limits.strategyOf(i);
        return strategy < 0 ? 0 : checkStrategy(strategy, direction, quantityNanos);
    }

    /**
     * The strategy's own limits, beside the instrument's, venue's and global ones: its worst-case
     * position over its instruments (10^-9 base units, as the asset check) and, after its daily loss
     * fired, reducing only.
     */
    private int checkStrategy(int strategy, long direction, long quantityNanos) {
        long position = 0;
        long open = 0;
        try {
            for (int j : limits.strategyInstruments(strategy)) {
                position = Math.addExact(position, Math.multiplyExact(ledger.positionLots(j), nanosPerLot[j]));
                open = Math.addExact(open, Math.multiplyExact(orders.openLots(j, direction > 0 ? Side.BUY : Side.SELL), nanosPerLot[j]));
            }
        } catch (ArithmeticException beyondLong) {
            return RiskCheck.STRATEGY_MAX_POSITION.code();
        }
        long without = position + direction * open;
        long worst = without + direction * quantityNanos;
        if (strategyLossHit[strategy] && !(Long.signum(position) == -direction && direction * worst <= 0)) {
            return RiskCheck.STRATEGY_DAILY_LOSS.code();
        }
        if (Math.abs(worst) > limits.get(LimitKind.STRATEGY_MAX_POSITION, strategy) && Math.abs(worst) > Math.abs(without)) {
            return RiskCheck.STRATEGY_MAX_POSITION.code();
        }
        return 0;
    }

    /** open orders of one strategy over its instruments; engine thread */
    public int strategyOpenOrders(int strategy) {
        int open = 0;
        for (int j : limits.strategyInstruments(strategy)) {
            open += orders.openOnInstrument(j);
        }
        return open;
    }

    // ---------------------------------------------------------------- control

    private void onControl(InboundEvent event) {
        ControlCommand c = event.control();
        String command = c.command();
        if (ControlCommands.SET_LIMIT.equals(command)) {
            setLimit(event, c);
        } else if (ControlCommands.SET_TRADING_STATE.equals(command)) {
            setTradingState(event, c);
        } else if (ControlCommands.KILL_SWITCH.equals(command)) {
            killSwitch(event, c);
        } else if (ControlCommands.CANCEL_ALL.equals(command)) {
            cancelAll(event, c);
        } else if (ControlCommands.VENUE_BACKOFF.equals(command)) {
            venueBackOff(c);
        }
    }

    /** a gateway relays a venue's order to stop sending; a later back-off never shortens an earlier one */
    private void venueBackOff(ControlCommand c) {
        int v = c.venueId();
        if (v < 0 || v >= VENUES || c.value() <= 0) {
            c.answer(false, 0, "venue.backoff needs a venue (0.." + (VENUES - 1) + ") and a positive end time in epoch ms");
            return;
        }
        long old = venueBackOffUntil[v];
        long until = Math.multiplyExact(c.value(), 1_000_000L);
        if (until > old) {
            venueBackOffUntil[v] = until;
        }
        c.answer(true, old / 1_000_000L, "new orders on venue " + v + " refused until " + c.value() + " (epoch ms): " + c.reason());
    }

    private static String knownLimitKeys() {
        StringJoiner keys = new StringJoiner(", ");
        for (LimitKind k : LimitKind.values()) {
            keys.add(k.key());
        }
        return keys.toString();
    }

    private void setLimit(InboundEvent event, ControlCommand c) {
        StringBuilder problems = new StringBuilder();
        requireWho(c, problems);
        LimitKind kind = c.key() == null ? null : LimitKind.ofKey(c.key());
        if (kind == null) {
            problem(problems, "unknown limit key '" + c.key() + "' (known: "
                    + knownLimitKeys() + ")");
        }
        if (c.value() < 0) {
            problem(problems, "negative value " + c.value());
        } else if (kind != null && c.value() > kind.maxValue()) {
            problem(problems, "value " + c.value() + " above the largest " + kind.key() + " " + kind.maxValue() + " " + kind.unit());
        }
        int index = -1;
        String target = describeTarget(c.venueId(), c.instrumentId());
        if (kind != null) {
            index = limitTarget(kind.scope(), c.venueId(), c.instrumentId());
            if (index < 0) {
                problem(problems, "bad target " + target + ": " + kind.key() + " is set on " + expected(kind.scope()));
            } else if (kind.scope() == LimitKind.Scope.ASSET) {
                target = "asset " + limits.assetName(index);
            } else if (kind.scope() == LimitKind.Scope.STRATEGY) {
                target = "strategy " + limits.strategyId(index);
            }
        }
        String what = c.key();
        if (problems.length() > 0) {
            record(event, c.requestId(), c.principal(), c.reason(), c.command(), what, target, 0, c.value(), false, problems.toString());
            return;
        }
        long old = limits.get(kind, index);
        limits.set(kind, index, c.value());
        record(event, c.requestId(), c.principal(), c.reason(), c.command(), what, target, old, c.value(), true, "");
    }

    private void setTradingState(InboundEvent event, ControlCommand c) {
        StringBuilder problems = new StringBuilder();
        requireWho(c, problems);
        if (c.value() < 0 || c.value() >= STATES.length) {
            problem(problems, "trading state " + c.value() + " is not one of 0 ACTIVE, 1 REDUCING, 2 HALTED");
        }
        int venue = c.venueId();
        int instrument = c.instrumentId();
        String target = describeTarget(venue, instrument);
        boolean isInstrument = instrument >= 0 && instrument < instruments.length
                && (venue == -1 || venue == instruments[instrument].venue().id());
        boolean isVenue = instrument == -1 && venue >= 0 && venue < VENUES;
        boolean isGlobal = instrument == -1 && venue == -1;
        if (!isInstrument && !isVenue && !isGlobal) {
            problem(problems, "bad target " + target + ": a trading state is set on an instrument (0.."
                    + (instruments.length - 1) + "), a venue (0.." + (VENUES - 1) + ") or global (-1/-1)");
        }
        if (problems.length() > 0) {
            record(event, c.requestId(), c.principal(), c.reason(), c.command(), TRADING_STATE, target, 0, c.value(), false,
                    problems.toString());
            return;
        }
        TradingState next = STATES[(int) c.value()];
        TradingState old = setState(isInstrument ? instrument : -1, isVenue ? venue : -1, next);
        decideCancels(event, isInstrument ? -1 : venue, isInstrument ? instrument : -1, false);
        record(event, c.requestId(), c.principal(), c.reason(), c.command(), TRADING_STATE, target, old.ordinal(),
                next.ordinal(), true, cancelNote(event));
        publishStates();
    }

    /** sets the state of one scope (instrument, else venue, else global) and returns the one before */
    private TradingState setState(int instrument, int venue, TradingState next) {
        TradingState old;
        if (instrument >= 0) {
            old = instrumentState[instrument];
            instrumentState[instrument] = next;
        } else if (venue >= 0) {
            old = venueState[venue];
            venueState[venue] = next;
        } else {
            old = globalState;
            globalState = next;
            lossHoldsGlobal = false;
        }
        return old;
    }

    /**
     * Writes into the slot the (instrument, side) pairs whose open orders execution must cancel on
     * this event, for every instrument in the scope (an instrument; else a venue's; else all). With
     * {@code all}, both sides of each (kill switch, cancel-all); otherwise by the instrument's
     * effective state after the change: HALTED both sides; REDUCING the side that would take the
     * position further from zero (bids when long, asks when short, both when flat), which keeps the
     * reducing side; ACTIVE none.
     *
     * <p>Relied on: the decision depends only on risk's state at this event (states, positions),
     * so a replay of the journal decides the same cancels; execution, the next stage, acts on it
     * in the same slot before any later event can add an order to the scope, and risk refuses new
     * orders in a HALTED scope and the increasing side in a REDUCING one from this event on, so
     * the scope stays without orders (HALTED) or without increasing ones (REDUCING).
     */
    private void decideCancels(InboundEvent event, int venue, int instrument, boolean all) {
        for (int i = 0; i < instruments.length; i++) {
            if (instrument >= 0 ? i != instrument : venue >= 0 && instruments[i].venue().id() != venue) {
                continue;
            }
            TradingState state = all ? TradingState.HALTED : effectiveState(i);
            if (state == TradingState.HALTED) {
                event.cancels().cancelBoth(i);
            } else if (state == TradingState.REDUCING) {
                long position = ledger.positionLots(i);
                if (position >= 0) {
                    event.cancels().cancel(i, Side.BUY);
                }
                if (position <= 0) {
                    event.cancels().cancel(i, Side.SELL);
                }
            }
        }
    }

    /** what the cancels of this event cover, for the change log (risk's count of open orders in the set) */
    private String cancelNote(InboundEvent event) {
        if (event.cancels().isEmpty()) {
            return "";
        }
        int open = 0;
        for (int slot : orders.slotsById()) {
            if (event.cancels().covers(orders.instrumentOf(slot), orders.sideOf(slot))) {
                open++;
            }
        }
        return "cancels " + open + " open orders (" + event.cancels().pairs() + " instrument sides)";
    }

    /**
     * Never refused: halting must not depend on the form of the request; gaps are noted in the
     * message. Halts its target's scope (an instrument, a venue, or global; a target risk does not
     * know halts globally) and decides the cancels of every order in it.
     */
    private void killSwitch(InboundEvent event, ControlCommand c) {
        StringBuilder problems = new StringBuilder();
        requireWho(c, problems);
        int venue = c.venueId();
        int instrument = c.instrumentId();
        boolean isInstrument = instrument >= 0 && instrument < instruments.length
                && (venue == -1 || venue == instruments[instrument].venue().id());
        boolean isVenue = instrument == -1 && venue >= 0 && venue < VENUES;
        if (!isInstrument && !isVenue && !(instrument == -1 && venue == -1)) {
            problem(problems, "unknown target " + describeTarget(venue, instrument) + ", halted globally");
            venue = -1;
            instrument = -1;
        } else if (isInstrument) {
            venue = -1;
        }
        String target = describeTarget(venue, instrument);
        TradingState old = setState(instrument, venue, TradingState.HALTED);
        decideCancels(event, venue, instrument, true);
        String note = problems.length() == 0 ? cancelNote(event)
                : "applied although " + problems + (event.cancels().isEmpty() ? "" : "; " + cancelNote(event));
        record(event, c.requestId(), c.principal(), c.reason(), c.command(), TRADING_STATE, target, old.ordinal(),
                TradingState.HALTED.ordinal(), true, note);
        publishStates();
    }

    /**
     * Cancels every open order in the target's scope, trading states unchanged. Refused (nothing
     * cancelled) only for a target that is neither an instrument, a venue nor global; a missing
     * principal or reason is noted but does not stop it (cancels only take risk off). old/new in
     * the change log: risk's count of open orders in the scope before, and 0.
     */
    private void cancelAll(InboundEvent event, ControlCommand c) {
        StringBuilder problems = new StringBuilder();
        requireWho(c, problems);
        int venue = c.venueId();
        int instrument = c.instrumentId();
        String target = describeTarget(venue, instrument);
        boolean isInstrument = instrument >= 0 && instrument < instruments.length
                && (venue == -1 || venue == instruments[instrument].venue().id());
        boolean isVenue = instrument == -1 && venue >= 0 && venue < VENUES;
        if (!isInstrument && !isVenue && !(instrument == -1 && venue == -1)) {
            record(event, c.requestId(), c.principal(), c.reason(), c.command(), ORDERS, target, 0, 0, false,
                    "bad target " + target + ": cancel-all takes an instrument (0.." + (instruments.length - 1)
                            + "), a venue (0.." + (VENUES - 1) + ") or global (-1/-1)");
            return;
        }
        decideCancels(event, isInstrument ? -1 : venue, isInstrument ? instrument : -1, true);
        int open = 0;
        for (int slot : orders.slotsById()) {
            if (event.cancels().covers(orders.instrumentOf(slot), orders.sideOf(slot))) {
                open++;
            }
        }
        String note = problems.length() == 0 ? "" : "applied although " + problems;
        record(event, c.requestId(), c.principal(), c.reason(), c.command(), ORDERS, target, open, 0, true, note);
    }

    private static void requireWho(ControlCommand c, StringBuilder problems) {
        if (c.principal() == null || c.principal().isBlank()) {
            problem(problems, "principal is missing");
        }
        if (c.reason() == null || c.reason().isBlank()) {
            problem(problems, "reason is missing");
        }
    }

    private static void problem(StringBuilder problems, String text) {
        if (problems.length() > 0) {
            problems.append("; ");
        }
        problems.append(text);
    }

    /** the limit table index for a command's target, or -1 when the target does not fit the scope */
    private int limitTarget(LimitKind.Scope scope, int venue, int instrument) {
        return switch (scope) {
            case INSTRUMENT, ASSET -> {
                if (instrument < 0 || instrument >= instruments.length
                        || (venue != -1 && venue != instruments[instrument].venue().id())) {
                    yield -1;
                }
                yield scope == LimitKind.Scope.ASSET ? limits.assetOf(instrument) : instrument;
            }
            case VENUE -> instrument == -1 && venue >= 0 && venue < VENUES ? venue : -1;
            case GLOBAL -> instrument == -1 && venue == -1 ? 0 : -1;
            case STRATEGY -> instrument >= 0 && instrument < instruments.length
                    && (venue == -1 || venue == instruments[instrument].venue().id()) ? limits.strategyOf(instrument) : -1;
        };
    }

    private String expected(LimitKind.Scope scope) {
        return switch (scope) {
            case INSTRUMENT -> "an instrument (0.." + (instruments.length - 1) + ", venue -1 or its own)";
            case ASSET -> "an instrument standing for its base asset (0.." + (instruments.length - 1) + ")";
            case VENUE -> "a venue (0.." + (VENUES - 1) + ") with instrument -1";
            case GLOBAL -> "global (venue -1, instrument -1)";
            case STRATEGY -> "an instrument a strategy quotes, standing for that strategy (strategies: "
                    + limits.strategies() + ")";
        };
    }

    private String describeTarget(int venue, int instrument) {
        if (instrument >= 0 && instrument < instruments.length) {
            Instrument in = instruments[instrument];
            return "instrument " + instrument + " (" + in.venue() + " " + in.venueSymbol() + ")";
        }
        if (instrument == -1 && venue >= 0 && venue < VENUES) {
            return "venue " + Venue.ofId(venue);
        }
        if (instrument == -1 && venue == -1) {
            return "global";
        }
        return "venue " + venue + " / instrument " + instrument;
    }

    private void record(InboundEvent event, long requestId, String principal, String reason, String command,
                        String what, String target, long oldValue, long newValue, boolean applied, String message) {
        ChangeRecord change = new ChangeRecord(event.sequence(), event.timestampNanos(), requestId, principal, reason,
                command, what, target, oldValue, newValue, applied, message);
        changeLog.addLast(change);
        if (changeLog.size() > changeLogCapacity) {
            changeLog.removeFirst();
        }
        changesRecorded++;
        publishedLog = List.copyOf(changeLog);
        if (!AUTO.equals(command) && event.type() == io.mme.core.ring.InboundEventType.CONTROL) {
            // the answer in the slot, for the audit trail and the API's response
            event.control().answer(applied, oldValue, message == null || message.isEmpty() ? null : message);
        }
        if (!AUTO.equals(command)) {
            if (byRequestId.put(requestId, change) == null) {
                requestOrder.addLast(requestId);
                if (requestOrder.size() > changeLogCapacity) {
                    byRequestId.remove(requestOrder.removeFirst());
                }
            }
        }
        if (applied) {
            LOG.info("risk change: {}", change);
        } else {
            LOG.warn("risk control refused: {}", change);
        }
    }

    // ---------------------------------------------------------------- console

    /**
     * Publishes the trading states at once after a CONTROL event changed one, so that the view (the
     * metrics' halt gauge, the console) does not wait for the next TIMER. Writes only the states;
     * the publish time stays the TIMER's.
     */
    private void publishStates() {
        for (int i = 0; i < instruments.length; i++) {
            view.instrumentState(i, instrumentState[i]);
        }
        for (int v = 0; v < VENUES; v++) {
            view.venue(v, venueState[v]);
        }
        view.globalState(globalState);
    }

    private void publish(long timestampNanos) {
        for (int i = 0; i < instruments.length; i++) {
            view.instrument(i, ledger.positionLots(i), ledger.averageCostNanos(i), ledger.realizedNanos(i),
                    unrealizedNanos(i), ledger.feesNanos(i), ledger.fillCount(i), instrumentState[i]);
        }
        for (int v = 0; v < VENUES; v++) {
            view.venue(v, venueState[v]);
        }
        view.limits(limits);
        view.rejects(rejectedBy);
        view.global(globalState, dailyPnlNanos(), approved, rejected, orders.open(), timestampNanos);
    }

    // ---------------------------------------------------------------- queries

    /** the console view; any thread */
    public RiskView view() {
        return view;
    }

    /** the outcome of the control command with that request id while it is among the last kept; any thread */
    public Optional<ChangeRecord> outcome(long requestId) {
        return Optional.ofNullable(byRequestId.get(requestId));
    }

    /** the change log's kept entries, oldest first; any thread */
    public List<ChangeRecord> changeLog() {
        return publishedLog;
    }

    /** every outcome ever recorded, including those the bounded log dropped */
    public long changesRecorded() {
        return changesRecorded;
    }

    public long limit(LimitKind kind, int index) {
        return limits.get(kind, index);
    }

    /** the limits' targets: asset indices and names */
    public RiskLimits limits() {
        return limits.copy();
    }

    public TradingState globalState() {
        return globalState;
    }

    public TradingState venueState(int venueId) {
        return venueState[venueId];
    }

    public TradingState instrumentState(int instrumentId) {
        return instrumentState[instrumentId];
    }

    /** the state that applies to an instrument: the strictest of its own, its venue's and the global one */
    public TradingState effectiveState(int instrumentId) {
        return globalState.strictest(venueState[instruments[instrumentId].venue().id()]).strictest(instrumentState[instrumentId]);
    }

    /** positions, average cost, realized PnL, fees, fill counts */
    public PositionLedger positions() {
        return ledger;
    }

    /** the position marked at the pair's last fair value, 10^-9 quote units */
    public long unrealizedNanos(int instrumentId) {
        return ledger.unrealizedNanos(instrumentId, lastMark[pairOf[instrumentId]]);
    }

    /** net position in a base asset over every instrument with that base, 10^-9 base units */
    public long assetPositionNanos(int asset) {
        return assetPositionNanos[asset];
    }

    /** realized PnL over every instrument with that base asset, 10^-9 quote units */
    public long assetRealizedNanos(int asset) {
        long sum = 0;
        for (int i = 0; i < instruments.length; i++) {
            if (limits.assetOf(i) == asset) {
                sum += ledger.realizedNanos(i);
            }
        }
        return sum;
    }

    /** unrealized PnL over every instrument with that base asset, 10^-9 quote units */
    public long assetUnrealizedNanos(int asset) {
        long sum = 0;
        for (int i = 0; i < instruments.length; i++) {
            if (limits.assetOf(i) == asset) {
                sum += unrealizedNanos(i);
            }
        }
        return sum;
    }

    /** realized + unrealized since the current UTC day (of event time) began */
    public long dailyPnlNanos() {
        return totalPnlNanos() - dayStartPnl;
    }

    public int openOrders() {
        return orders.open();
    }

    public int openOrdersOnInstrument(int instrumentId) {
        return orders.openOnInstrument(instrumentId);
    }

    public int openOrdersOnVenue(int venueId) {
        return orders.openOnVenue(venueId);
    }

    /** what risk counts as open of that order, lots; -1 when it is not open */
    public long openLeaves(long clientOrderId) {
        int slot = orders.slotOf(clientOrderId);
        return slot < 0 ? -1 : orders.leavesOf(slot);
    }

    public long approvedIntents() {
        return approved;
    }

    public long rejectedIntents() {
        return rejected;
    }

    // ---------------------------------------------------------------- digest

    @Override
    public void digestState(StateDigest digest) {
        digest.putString("risk");
        for (int i = 0; i < instruments.length; i++) {
            digest.putLong(ledger.positionLots(i)).putLong(ledger.costNanos(i)).putLong(ledger.averageCostNanos(i))
                    .putLong(ledger.realizedNanos(i)).putLong(ledger.feesNanos(i)).putLong(ledger.fillCount(i))
                    .putInt(instrumentState[i].ordinal());
            for (int k = 0; k < ledger.ringSize(); k++) {
                digest.putLong(ledger.recentTradeId(i, k)).putLong(ledger.recentOrderId(i, k));
            }
            digest.putInt(ledger.ringNext(i));
        }
        for (int p = 0; p < fairValue.length; p++) {
            digest.putLong(fairValue[p]).putLong(lastMark[p]);
        }
        for (int a = 0; a < assetPositionNanos.length; a++) {
            digest.putString(limits.assetName(a)).putLong(assetPositionNanos[a]);
        }
        for (int v = 0; v < VENUES; v++) {
            digest.putInt(venueState[v].ordinal()).putLong(throttle.level(v)).putLong(throttle.lastNanos(v))
                    .putLong(venueBackOffUntil[v]);
        }
        digest.putInt(globalState.ordinal()).putLong(day).putLong(dayStartPnl)
                .putBoolean(lossTriggered).putBoolean(lossHoldsGlobal).putLong(approved).putLong(rejected);
        for (int st = 0; st < strategyLossHit.length; st++) {
            digest.putString(limits.strategyId(st)).putLong(strategyDayStartPnl[st]).putBoolean(strategyLossHit[st]);
        }
        for (LimitKind kind : LimitKind.values()) {
            digest.putString(kind.key());
            int size = limits.size(kind.scope());
            for (int t = 0; t < size; t++) {
                digest.putLong(limits.get(kind, t));
            }
        }
        takerWindow.digestState(digest);
        int[] open = orders.slotsById();
        digest.putInt(open.length);
        for (int slot : open) {
            digest.putLong(orders.idOf(slot)).putInt(orders.instrumentOf(slot)).putInt(orders.sideOf(slot).ordinal())
                    .putLong(orders.priceOf(slot)).putLong(orders.leavesOf(slot));
        }
        digest.putLong(changesRecorded);
        for (ChangeRecord change : changeLog) {
            digest.putLong(change.sequence()).putLong(change.timestampNanos()).putLong(change.requestId())
                    .putString(change.principal()).putString(change.reason()).putString(change.command())
                    .putString(change.what()).putString(change.target()).putLong(change.oldValue())
                    .putLong(change.newValue()).putBoolean(change.applied()).putString(change.message());
        }
    }

    // ---------------------------------------------------------------- snapshot state

    /** "RISK": a risk state starts with it */
    private static final int STATE_TAG = 0x5249534B;

    @Override
    public int stateVersion() {
        return 4;
    }

    /**
     * Writes the whole state, in this order: a tag; the shape it is for (account, instruments with
     * their venue, symbol and pair, pair count, assets, venues, trade id ring, order capacity, change
     * log capacity); positions, cost, realized PnL, fees, fill counts and duplicate-trade rings per
     * instrument; fair values and marks per pair; asset positions; trading states (instrument,
     * venue, global); the order-rate buckets (level, last refill); the venues' back-off ends; the daily-loss bookkeeping (day,
     * its start PnL, fired, holds global); approved and rejected counts; rejects per check; per strategy its
     * day-start PnL and whether its daily loss fired; every limit; the open orders
     * in slot order and the free slots; the change log (the kept records and the count of all); the
     * request-id lookup in its eviction order; the view's last publish time; a checksum of it all.
     * Arrays go in index order and orders in slot order: equal states give equal bytes.
     */
    @Override
    public void writeState(StateWriter writer) {
        io.mme.core.state.CheckedStateWriter out = new io.mme.core.state.CheckedStateWriter(writer, STATE_SEED);
        out.putInt(STATE_TAG);
        writeShape(out);
        ledger.writeState(out);
        out.putLongs(fairValue).putLongs(lastMark).putLongs(assetPositionNanos);
        for (TradingState state : instrumentState) {
            out.putEnum(state);
        }
        for (TradingState state : venueState) {
            out.putEnum(state);
        }
        out.putEnum(globalState);
        throttle.writeState(out);
        out.putLongs(venueBackOffUntil);
        out.putLong(day).putLong(dayStartPnl).putBoolean(lossTriggered).putBoolean(lossHoldsGlobal)
                .putLong(approved).putLong(rejected);
        out.putLongs(rejectedBy);
        out.putLongs(strategyDayStartPnl);
        for (boolean hit : strategyLossHit) {
            out.putBoolean(hit);
        }
        limits.writeState(out);
        takerWindow.writeState(out);
        orders.writeState(out);
        out.putLong(changesRecorded).putInt(changeLog.size());
        for (ChangeRecord change : changeLog) {
            writeChange(out, change);
        }
        // the lookup's key is always its record's request id
        out.putInt(requestOrder.size());
        for (long requestId : requestOrder) {
            writeChange(out, byRequestId.get(requestId));
        }
        out.putLong(view.publishedAtNanos());
        out.end();
    }

    /**
     * Replaces the whole state with one {@link #writeState} wrote, on an engine just built from the
     * same config (no EngineContext needed), then publishes the view (with the publish time the state
     * carries) and the change log. A state written for another shape (instrument list, pairs, assets,
     * capacities, account) is refused with what differs. On {@link StateFormatException} the engine
     * is half-restored: throw it away.
     */
    @Override
    public void readState(StateReader reader) {
        io.mme.core.state.CheckedStateReader in = new io.mme.core.state.CheckedStateReader(reader, STATE_SEED);
        int tag = in.getInt();
        if (tag != STATE_TAG) {
            throw new StateFormatException("not a risk state: it starts with 0x" + Integer.toHexString(tag));
        }
        checkShape(in);
        ledger.readState(in);
        in.getLongs(fairValue, "fair values");
        in.getLongs(lastMark, "marks");
        in.getLongs(assetPositionNanos, "asset positions");
        for (int i = 0; i < instrumentState.length; i++) {
            instrumentState[i] = in.getEnum(STATES, false, "trading state of instrument " + i);
        }
        for (int v = 0; v < VENUES; v++) {
            venueState[v] = in.getEnum(STATES, false, "trading state of venue " + v);
        }
        globalState = in.getEnum(STATES, false, "global trading state");
        throttle.readState(in);
        in.getLongs(venueBackOffUntil, "venue back-offs");
        day = in.getLong();
        dayStartPnl = in.getLong();
        lossTriggered = in.getBoolean("daily loss fired");
        lossHoldsGlobal = in.getBoolean("daily loss holds global");
        approved = in.getLong();
        rejected = in.getLong();
        int checks = in.getInt();
        if (checks != rejectedBy.length) {
            throw new io.mme.core.state.StateFormatException("risk state counts rejects for " + checks + " checks, this engine has "
                    + rejectedBy.length);
        }
        for (int i = 0; i < checks; i++) {
            rejectedBy[i] = in.getLong();
        }
        in.getLongs(strategyDayStartPnl, "strategy day-start PnL");
        for (int st = 0; st < strategyLossHit.length; st++) {
            strategyLossHit[st] = in.getBoolean("strategy daily loss fired");
        }
        limits.readState(in);
        takerWindow.readState(in);
        orders.readState(in);
        changesRecorded = in.getLong();
        int kept = in.count(changeLogCapacity, "change log");
        if (changesRecorded < kept) {
            throw new StateFormatException(changesRecorded + " changes recorded but " + kept + " kept");
        }
        changeLog.clear();
        for (int k = 0; k < kept; k++) {
            changeLog.addLast(readChange(in));
        }
        int requests = in.count(changeLogCapacity, "request ids");
        byRequestId.clear();
        requestOrder.clear();
        for (int k = 0; k < requests; k++) {
            ChangeRecord change = readChange(in);
            if (byRequestId.put(change.requestId(), change) != null) {
                throw new StateFormatException("request id " + change.requestId() + " twice in the lookup");
            }
            requestOrder.addLast(change.requestId());
        }
        long publishedAt = in.getLong();
        in.end("risk state");
        repriceAll();
        publishedLog = List.copyOf(changeLog);
        publish(publishedAt);
        LOG.info("risk state restored: {} open orders, global {}, {} changes recorded", orders.open(), globalState,
                changesRecorded);
    }

    private void writeShape(CheckedStateWriter out) {
        out.putLong(accountId).putInt(instruments.length);
        for (Instrument instrument : instruments) {
            out.putInt(instrument.venue().id()).putString(instrument.venueSymbol()).putInt(pairOf[instrument.id()]);
        }
        out.putInt(fairValue.length).putInt(limits.assets());
        for (int a = 0; a < limits.assets(); a++) {
            out.putString(limits.assetName(a));
        }
        out.putInt(VENUES).putInt(ledger.ringSize()).putInt(orders.capacity()).putInt(changeLogCapacity);
        out.putInt(limits.strategies());
        for (int st = 0; st < limits.strategies(); st++) {
            out.putString(limits.strategyId(st));
        }
    }

    private void checkShape(CheckedStateReader in) {
        sameShape("account id", in.getLong(), accountId);
        sameShape("instrument count", in.getInt(), instruments.length);
        for (Instrument instrument : instruments) {
            int venue = in.getInt();
            String symbol = in.getString();
            int pair = in.getInt();
            if (venue != instrument.venue().id() || !instrument.venueSymbol().equals(symbol) || pair != pairOf[instrument.id()]) {
                throw new StateFormatException("risk state was written for instrument " + instrument.id() + " = venue " + venue
                        + " " + symbol + " (pair " + pair + "), this engine's is " + instrument.venue() + " "
                        + instrument.venueSymbol() + " (pair " + pairOf[instrument.id()] + "): refused");
            }
        }
        sameShape("pair count", in.getInt(), fairValue.length);
        sameShape("asset count", in.getInt(), limits.assets());
        for (int a = 0; a < limits.assets(); a++) {
            String name = in.getString();
            if (!limits.assetName(a).equals(name)) {
                throw new StateFormatException("risk state was written for asset " + a + " = " + name + ", this engine's is "
                        + limits.assetName(a) + ": refused");
            }
        }
        sameShape("venue count", in.getInt(), VENUES);
        sameShape("trade id ring (tradeIdRing)", in.getInt(), ledger.ringSize());
        sameShape("order capacity (maxTrackedOrders)", in.getInt(), orders.capacity());
        sameShape("change log capacity", in.getInt(), changeLogCapacity);
        sameShape("strategy count", in.getInt(), limits.strategies());
        for (int st = 0; st < limits.strategies(); st++) {
            String id = in.getString();
            if (!limits.strategyId(st).equals(id)) {
                throw new StateFormatException("risk state was written for strategy " + st + " = " + id + ", this engine's is "
                        + limits.strategyId(st) + ": refused");
            }
        }
    }

    private static void sameShape(String what, long written, long own) {
        if (written != own) {
            throw new StateFormatException("risk state was written for " + what + " " + written + ", this engine's config has "
                    + own + ": refused (restore with the config it was written with, or start without the state)");
        }
    }

    private static void writeChange(CheckedStateWriter out, ChangeRecord c) {
        out.putLong(c.sequence()).putLong(c.timestampNanos()).putLong(c.requestId()).putString(c.principal())
                .putString(c.reason()).putString(c.command()).putString(c.what()).putString(c.target())
                .putLong(c.oldValue()).putLong(c.newValue()).putBoolean(c.applied()).putString(c.message());
    }

    private static ChangeRecord readChange(CheckedStateReader in) {
        return new ChangeRecord(in.getLong(), in.getLong(), in.getLong(), in.getString(), in.getString(), in.getString(),
                in.getString(), in.getString(), in.getLong(), in.getLong(), in.getBoolean("change applied"), in.getString());
    }
}
