package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.BookView;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommand;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import io.mme.strategy.api.OrderUpdate;
import io.mme.strategy.api.ParameterChecks;
import io.mme.strategy.api.Strategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One strategy of the desk inside the {@link StrategyEngine}: a {@link Strategy} with its
 * id, quoting one canonical pair on one instrument per venue, and writing its PLACE / REPLACE /
 * CANCEL intents into the slot of the event that caused them. The engine dispatches to it only the
 * events that concern it (its instruments, its pair, its reports, control commands and timers).
 *
 * <p>It owns, per quote slot (instrument, side, level; a dense index into primitive arrays), the
 * order state it learnt from our execution reports ({@link SlotState}), our inventory (net base
 * position from our fills on every quoted venue), the last VALID top of book per instrument, the
 * last fair value and the anti-churn parameters. On every execution report, control command and
 * timer, and on every market data event whose slot carries the outcome of a complete venue message
 * for one of its instruments or its pair (never on the items inside a message: the market data
 * engine publishes nothing for them), unless the event is faulted, it asks the strategy for the
 * wanted quotes, rounds them to the venue (bid down to a tick, ask up, size down
 * to a lot, nothing under the minimum quantity or notional, bid below the venue's best ask and ask
 * above its best bid), and diffs them against the slots:
 * <ul>
 *   <li>a pending slot waits for its acknowledgement;</li>
 *   <li>a live quote that is no longer wanted is cancelled at once (cancels first in the slot),
 *       unless the venue just refused a cancel or replace of it: then it waits out the backoff;</li>
 *   <li>an empty slot is placed unless it is backing off after a reject;</li>
 *   <li>a live quote is replaced only after {@value #MIN_QUOTE_LIFE_MILLIS}, and only when its price
 *       is more than {@value #REPLACE_TICKS} ticks off, its size more than
 *       {@value #REPLACE_SIZE_PERCENT} percent off, or it is older than
 *       {@value #MAX_QUOTE_AGE_MILLIS} and differs at all. The tolerance is symmetric: a live
 *       quote may sit up to that many ticks inside the wanted price.</li>
 * </ul>
 * At most {@link InboundEvent#MAX_INTENTS} intents fit one slot; what does not fit is still wanted
 * on the next event the engine acts on and goes out then. There is no quoting without a fair
 * value, on a venue whose book is not VALID, after STOP_STRATEGY (which cancels our quotes) or
 * after the strategy's own code threw (it is halted: {@link #haltReason()}), or
 * after a global KILL_SWITCH (execution
 * cancels the orders; this engine just stays silent) until START_STRATEGY.
 *
 * <p>The strategy reads the market and its orders from its {@link StrategyMarket} (a
 * {@link io.mme.strategy.api.MarketView}), which this unit updates before each callback: the top
 * and state of each venue book and {@link Strategy#onBook} after a complete venue message, the
 * fair value and {@link Strategy#onFairValue}, each public trade and {@link Strategy#onTrade} (a
 * trade alone does not make the strategy decide: the next complete message or report does), our
 * fills and {@link Strategy#onFill}, and the slot changes our reports make and
 * {@link Strategy#onOrderUpdate}.
 *
 * <p>Engine parameter keys, beside the strategy's own ({@link Strategy#parameterKeys()}):
 * {@value #REPLACE_TICKS} (ticks, 0..1,000,000), {@value #REPLACE_SIZE_PERCENT} (percent,
 * 0..100), {@value #MIN_QUOTE_LIFE_MILLIS} (ms, 0..86,400,000), {@value #MAX_QUOTE_AGE_MILLIS} (ms,
 * 0 = never, ..86,400,000), {@value #REJECT_BACKOFF_MILLIS} (ms, 0..86,400,000). A refused change
 * is logged as a warning, the old value stays, and {@link #lastRefusal()} gives the message.
 *
 * <p>Snapshots (written by the engine, unit by unit): the state holds the configuration it was written under
 * (pair, account, levels, instruments, strategy name and parameter keys; another one is refused),
 * every parameter, quoting and kill-switch flags, fair value, inventory, the last refusal, the last
 * valid top per instrument, every slot (state, order id, live and pending price and size, quoted
 * since, backoff until), the halt flag and reason, and the strategy's model state, then the SHA-256
 * digest of the unit that wrote it, which the reader checks after restoring.
 *
 * <p>Thread: the strategy engine's thread for everything, except {@link #view()},
 * {@link #lastRefusal()} and {@link #haltReason()}, which any thread may read.
 * The hot path (market data, reports, timers) allocates nothing.
 */
public final class StrategyUnit {
    public static final String REPLACE_TICKS = "replace.ticks";
    public static final String REPLACE_SIZE_PERCENT = "replace.size.percent";
    public static final String MIN_QUOTE_LIFE_MILLIS = "min.quote.life.millis";
    public static final String MAX_QUOTE_AGE_MILLIS = "max.quote.age.millis";
    public static final String REJECT_BACKOFF_MILLIS = "reject.backoff.millis";
    static final List<String> ENGINE_KEYS = List.of(REPLACE_TICKS, REPLACE_SIZE_PERCENT,
            MIN_QUOTE_LIFE_MILLIS, MAX_QUOTE_AGE_MILLIS, REJECT_BACKOFF_MILLIS);
    private static final long MAX_MILLIS = 86_400_000L;
    private static final long MILLIS = 1_000_000L;
    static final long NONE = Long.MIN_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(StrategyUnit.class);
    /** the API's sides by the ring's ordinals (both BUY, SELL) */
    private static final io.mme.strategy.api.Side[] SIDES = io.mme.strategy.api.Side.values();

    private final String id;
    private final Strategy strategy;
    private final int pairId;
    private final long accountId;
    private final int levels;
    private final Instrument[] instruments;
    private final int[] instrumentIds;
    private final int[] venueIds;
    private final long[] nanosPerLot;
    /**
     * Cached: Instrument.nanosPerTick() and everything built on it (ticksAtOrBelow/Above,
     * priceNanos, quantityNanos) build a String per call, so the hot path does the same exact
     * arithmetic with these.
     */
    private final long[] nanosPerTick;
    /** registry id → index in {@link #instruments}, -1 when not quoted */
    private final int[] indexOf;
    private final List<String> allKeys;
    private final List<String> reportKeys;

    private final boolean[] topValid;
    private final long[] bestBid;
    private final long[] bestAsk;

    private final int slots;
    private final int[] slotInstrument;
    private final Side[] slotSide;
    private final int[] slotLevel;
    private final SlotState[] state;
    private final long[] orderId;
    private final long[] priceTicks;
    private final long[] quantityLots;
    private final long[] pendingPriceTicks;
    private final long[] pendingQuantityLots;
    /** event time the live price and size were confirmed (ACCEPTED, REPLACED) */
    private final long[] quotedSince;
    private final long[] backoffUntil;
    private final long[] wantedPrice;
    private final long[] wantedLots;

    private final StrategyMarket market;
    private final QuoteTargets targets;
    private final TakerSlots takers;
    private final StateOutputs stateOut = new StateOutputs();
    private final StrategyView view;

    private long fairValue = NONE;
    private long inventoryNanos;
    private boolean quoting;
    private boolean killed;
    private long replaceTicks;
    private long replaceSizePercent;
    private long minQuoteLifeMillis;
    private long maxQuoteAgeMillis;
    private long rejectBackoffMillis;
    private volatile String lastRefusal;
    /** set when the strategy's code threw: quoting stops and stays off until START_STRATEGY */
    private boolean halted;
    private volatile String haltReason;

    StrategyUnit(String id, StrategyEngineConfig config, InstrumentRegistry registry, Strategy strategy,
                 long[] makerFeeBpsByInstrument, long[] takerFeeBpsByInstrument) {
        this.id = id;
        this.strategy = strategy;
        this.pairId = config.pairId();
        this.accountId = config.accountId();
        this.levels = config.maxLevels();
        int n = config.instrumentIds().size();
        this.instruments = new Instrument[n];
        this.instrumentIds = new int[n];
        this.venueIds = new int[n];
        this.nanosPerLot = new long[n];
        this.nanosPerTick = new long[n];
        this.indexOf = new int[registry.size()];
        Arrays.fill(indexOf, -1);
        for (int i = 0; i < n; i++) {
            Instrument instrument = registry.get(config.instrumentIds().get(i));
            for (int j = 0; j < i; j++) {
                if (instruments[j].venue() == instrument.venue()) {
                    throw new IllegalArgumentException("quote one instrument per venue: " + instruments[j] + " and " + instrument);
                }
            }
            if (i > 0 && !instrument.pair().equals(instruments[0].pair())) {
                throw new IllegalArgumentException("every quoted instrument must be of one pair: " + instruments[0] + " is "
                        + instruments[0].pair() + ", " + instrument + " is " + instrument.pair());
            }
            instruments[i] = instrument;
            instrumentIds[i] = instrument.id();
            venueIds[i] = instrument.venue().id();
            nanosPerLot[i] = instrument.nanosPerLot();
            nanosPerTick[i] = instrument.nanosPerTick();
            indexOf[instrument.id()] = i;
        }
        this.topValid = new boolean[n];
        this.bestBid = new long[n];
        this.bestAsk = new long[n];
        Arrays.fill(bestBid, NONE);
        Arrays.fill(bestAsk, NONE);

        this.slots = n * 2 * levels;
        this.slotInstrument = new int[slots];
        this.slotSide = new Side[slots];
        this.slotLevel = new int[slots];
        for (int i = 0; i < n; i++) {
            for (Side side : Side.values()) {
                for (int level = 0; level < levels; level++) {
                    int slot = QuoteTargets.index(i, side, level, levels);
                    slotInstrument[slot] = i;
                    slotSide[slot] = side;
                    slotLevel[slot] = level;
                }
            }
        }
        this.state = new SlotState[slots];
        Arrays.fill(state, SlotState.EMPTY);
        this.orderId = new long[slots];
        this.priceTicks = new long[slots];
        this.quantityLots = new long[slots];
        this.pendingPriceTicks = new long[slots];
        this.pendingQuantityLots = new long[slots];
        this.quotedSince = new long[slots];
        this.backoffUntil = new long[slots];
        this.wantedPrice = new long[slots];
        this.wantedLots = new long[slots];

        long[] makerFees = new long[n];
        long[] takerFees = new long[n];
        for (int i = 0; i < n; i++) {
            makerFees[i] = instrumentIds[i] < makerFeeBpsByInstrument.length ? makerFeeBpsByInstrument[instrumentIds[i]] : 0;
            takerFees[i] = instrumentIds[i] < takerFeeBpsByInstrument.length ? takerFeeBpsByInstrument[instrumentIds[i]] : 0;
        }
        this.market = new StrategyMarket(id, instruments, makerFees, takerFees, levels, state, priceTicks, quantityLots,
                config.bookDepth());
        this.targets = new QuoteTargets(n, levels);
        this.takers = new TakerSlots(instruments, instrumentIds, venueIds, nanosPerTick, nanosPerLot, topValid);
        this.quoting = config.startQuoting();

        List<String> keys = new ArrayList<>(ENGINE_KEYS);
        keys.addAll(strategy.parameterKeys());
        this.allKeys = List.copyOf(keys);
        this.reportKeys = List.copyOf(strategy.reportKeys());
        this.view = new StrategyView(instrumentIds, allKeys, reportKeys);
        long[] start = {config.replaceTicks(), config.replaceSizePercent(), config.minQuoteLifeMillis(),
                config.maxQuoteAgeMillis(), config.rejectBackoffMillis()};
        for (int k = 0; k < ENGINE_KEYS.size(); k++) {
            String refusal = setEngineParameter(ENGINE_KEYS.get(k), start[k]);
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
        }
        strategy.start(market);
    }

    /** the venue's book of quoted instrument {@code index} after a complete venue message: its top and levels */
    void top(long now, int index, BookView book) {
        if (book.state() == BookState.VALID) {
            topValid[index] = true;
            bestBid[index] = book.bidTicks();
            bestAsk[index] = book.askTicks();
        } else {
            invalidateTop(index);
        }
        market.time(now);
        market.book(index, book);
        if (!halted) {
            try {
                strategy.onBook(index);
            } catch (RuntimeException e) {
                halt(now, "onBook", e);
            }
        }
    }

    /** a public trade on quoted instrument {@code index} */
    void trade(long now, int index, long priceTicks, long quantityLots, Side aggressor) {
        io.mme.strategy.api.Side side = aggressor == null ? null : SIDES[aggressor.ordinal()];
        market.time(now);
        market.trade(index, priceTicks, quantityLots, side, now);
        if (!halted) {
            try {
                strategy.onTrade(index, priceTicks, quantityLots, side, now);
            } catch (RuntimeException e) {
                halt(now, "onTrade", e);
            }
        }
    }

    /** the pair's fair value after a complete venue message ({@link #NONE}: none) */
    void fairValue(long now, long value) {
        fairValue = value;
        market.time(now);
        market.fairValue(value);
        if (value != NONE && !halted) {
            try {
                strategy.onFairValue(now, value);
            } catch (RuntimeException e) {
                halt(now, "onFairValue", e);
            }
        }
    }

    void onTimer(long now) {
        market.time(now);
        if (halted) {
            return;
        }
        try {
            strategy.onTimer(now);
        } catch (RuntimeException e) {
            halt(now, "onTimer", e);
        }
    }

    /**
     * After an event that concerned this strategy: ask for the wanted quotes and write the intents
     * into the event's slot (nothing after a global kill switch: execution cancels).
     */
    void decide(InboundEvent event, long now) {
        if (!killed) {
            take(event, now);
            computeWanted(now);
            writeIntents(event, now);
        }
    }

    /**
     * The strategy's taker orders, first in the slot (before its quote intents, so that a hedge is
     * never crowded out by quotes); also while quoting is stopped, never after a halt or a kill.
     */
    private void take(InboundEvent event, long now) {
        if (halted) {
            return;
        }
        market.time(now);
        takers.open(event);
        try {
            strategy.take(takers);
        } catch (RuntimeException e) {
            halt(now, "take", e);
        } finally {
            takers.close();
        }
    }

    /**
     * The strategy's code threw: it is halted alone. Quoting stops, so the next decision cancels
     * its live quotes (in this very slot when the event concerned it); the others quote on.
     * Deterministic code throws again at the same event on replay, so the journal stays exact.
     */
    private void halt(long now, String where, RuntimeException e) {
        halted = true;
        quoting = false;
        haltReason = "halted at " + now + " in " + where + ": " + e;
        LOG.error("strategy {} ({}): {}; its quotes are cancelled, the other strategies quote on", id, strategy.name(),
                haltReason, e);
    }

    void invalidateTop(int index) {
        topValid[index] = false;
        bestBid[index] = NONE;
        bestAsk[index] = NONE;
        market.book(index, BookState.INVALID, NONE, 0, NONE, 0);
    }

    /** the strategy's market view (the engine's thread only, as for the strategy itself) */
    io.mme.strategy.api.MarketView market() {
        return market;
    }

    int quotedIndex(int instrumentId) {
        return instrumentId >= 0 && instrumentId < indexOf.length ? indexOf[instrumentId] : -1;
    }

    void onReport(ExecutionReport report, long now) {
        if (report.ownerId() != accountId) {
            return;
        }
        int index = quotedIndex(report.instrumentId());
        if (index < 0) {
            return;
        }
        ExecType type = report.execType();
        market.time(now);
        int taker = takers.indexOf(report.clientOrderId());
        if ((type == ExecType.PARTIALLY_FILLED || type == ExecType.FILLED) && report.lastQuantityLots() > 0) {
            long quantity = Math.multiplyExact(report.lastQuantityLots(), nanosPerLot[index]);
            inventoryNanos += report.side() == Side.BUY ? quantity : -quantity;
            io.mme.strategy.api.Side side = SIDES[report.side().ordinal()];
            market.fill(index, side, report.lastPriceTicks(), report.lastQuantityLots());
            if (taker >= 0) {
                takers.fill(taker, report.lastQuantityLots());
            }
            if (!halted) {
                try {
                    strategy.onFill(index, side, report.lastPriceTicks(), report.lastQuantityLots(), taker >= 0, now);
                } catch (RuntimeException e) {
                    halt(now, "onFill", e);
                }
            }
        }
        if (taker >= 0) {
            onTakerReport(report, taker, type, now);
            return;
        }
        int slot = slotOf(report.clientOrderId());
        if (slot < 0) {
            return;
        }
        SlotState before = state[slot];
        onSlotReport(report, slot, type, now);
        OrderUpdate update = orderUpdate(type, before, state[slot]);
        if (update != null && !halted) {
            int reason = update == OrderUpdate.REJECTED || update == OrderUpdate.CANCEL_REJECTED || update == OrderUpdate.EXPIRED
                    ? report.reasonCode() : 0;
            try {
                strategy.onOrderUpdate(slotInstrument[slot], SIDES[slotSide[slot].ordinal()], slotLevel[slot], update, reason, now);
            } catch (RuntimeException e) {
                halt(now, "onOrderUpdate", e);
            }
        }
    }

    /**
     * What a report did to a taker order: ACCEPTED → ACKNOWLEDGED; REJECTED → REJECTED (done);
     * CANCELLED (the IOC's unfilled rest) → EXPIRED (done); FILLED → done, the fill said it all; a
     * status answer without leaves → EXPIRED when part never filled, else done.
     */
    private void onTakerReport(ExecutionReport report, int t, ExecType type, long now) {
        OrderUpdate update = switch (type) {
            case ACCEPTED -> OrderUpdate.ACKNOWLEDGED;
            case REJECTED -> OrderUpdate.REJECTED;
            case CANCELLED -> OrderUpdate.EXPIRED;
            case ORDER_STATUS -> report.leavesQuantityLots() <= 0 && takers.unfilled(t) > 0 ? OrderUpdate.EXPIRED : null;
            default -> null;
        };
        boolean done = type == ExecType.REJECTED || type == ExecType.CANCELLED || type == ExecType.FILLED
                || (type == ExecType.ORDER_STATUS && report.leavesQuantityLots() <= 0);
        long id = takers.id(t);
        int i = takers.instrument(t);
        io.mme.strategy.api.Side side = SIDES[takers.side(t).ordinal()];
        long filled = takers.filled(t);
        long unfilled = done ? takers.unfilled(t) : 0;
        if (done) {
            takers.done(t);
        }
        if (update != null && !halted) {
            int reason = update == OrderUpdate.ACKNOWLEDGED ? 0 : report.reasonCode();
            try {
                strategy.onTakerUpdate(id, i, side, update, filled, unfilled, reason, now);
            } catch (RuntimeException e) {
                halt(now, "onTakerUpdate", e);
            }
        }
    }

    /** what a report did to a slot, as the strategy hears it; null when nothing it hears of (a fill, a status) */
    private static OrderUpdate orderUpdate(ExecType type, SlotState before, SlotState after) {
        return switch (type) {
            case ACCEPTED -> before == SlotState.PENDING_NEW ? OrderUpdate.ACKNOWLEDGED : null;
            case REJECTED -> before == SlotState.PENDING_NEW ? OrderUpdate.REJECTED : null;
            case REPLACED -> OrderUpdate.REPLACED;
            case CANCEL_REJECTED -> before == SlotState.PENDING_REPLACE || before == SlotState.PENDING_CANCEL
                    ? OrderUpdate.CANCEL_REJECTED : null;
            case CANCELLED -> after != SlotState.EMPTY ? null
                    : before == SlotState.PENDING_CANCEL ? OrderUpdate.CANCELLED : OrderUpdate.EXPIRED;
            default -> null;
        };
    }

    private void onSlotReport(ExecutionReport report, int slot, ExecType type, long now) {
        long leaves = report.leavesQuantityLots();
        switch (type) {
            case ACCEPTED -> {
                if (state[slot] == SlotState.PENDING_NEW) {
                    live(slot, report.priceTicks(), leaves > 0 ? leaves : pendingQuantityLots[slot], now);
                }
            }
            case REJECTED -> {
                if (state[slot] == SlotState.PENDING_NEW) {
                    empty(slot);
                    backoffUntil[slot] = now + rejectBackoffMillis * MILLIS;
                }
            }
            case REPLACED -> live(slot, report.priceTicks(), leaves, now);
            case CANCEL_REJECTED -> {
                // the order stands as it was: the old price and size remain live
                if (state[slot] == SlotState.PENDING_REPLACE || state[slot] == SlotState.PENDING_CANCEL) {
                    state[slot] = SlotState.LIVE;
                    backoffUntil[slot] = now + rejectBackoffMillis * MILLIS;
                }
            }
            case PARTIALLY_FILLED, CANCELLED -> {
                if (leaves <= 0) {
                    empty(slot);
                } else if (state[slot] == SlotState.PENDING_NEW) {
                    live(slot, report.priceTicks(), leaves, now);
                } else {
                    // a replace or cancel in flight stays pending; the live size shrinks
                    quantityLots[slot] = leaves;
                    if (type == ExecType.CANCELLED && state[slot] == SlotState.PENDING_CANCEL) {
                        state[slot] = SlotState.LIVE;
                    }
                }
            }
            case FILLED -> empty(slot);
            case ORDER_STATUS -> {
                if (leaves > 0) {
                    state[slot] = SlotState.LIVE;
                    priceTicks[slot] = report.priceTicks();
                    quantityLots[slot] = leaves;
                } else {
                    empty(slot);
                }
            }
        }
    }

    private void live(int slot, long price, long lots, long now) {
        state[slot] = SlotState.LIVE;
        priceTicks[slot] = price;
        quantityLots[slot] = lots;
        quotedSince[slot] = now;
    }

    private void empty(int slot) {
        state[slot] = SlotState.EMPTY;
        orderId[slot] = 0;
        priceTicks[slot] = 0;
        quantityLots[slot] = 0;
    }

    private int slotOf(long clientOrderId) {
        for (int s = 0; s < slots; s++) {
            if (state[s] != SlotState.EMPTY && orderId[s] == clientOrderId) {
                return s;
            }
        }
        return -1;
    }

    private void computeWanted(long now) {
        Arrays.fill(wantedLots, 0);
        if (!quoting || fairValue == NONE) {
            return;
        }
        market.time(now);
        targets.clear();
        try {
            strategy.quote(targets);
        } catch (RuntimeException e) {
            halt(now, "quote", e);
            return;
        }
        for (int slot = 0; slot < slots; slot++) {
            int i = slotInstrument[slot];
            if (!topValid[i]) {
                continue;
            }
            double price = targets.priceAt(slot);
            long size = targets.sizeAt(slot);
            if (!(price > 0) || price == Double.POSITIVE_INFINITY || size <= 0) {
                continue;
            }
            Instrument instrument = instruments[i];
            long lots = size / nanosPerLot[i];
            if (lots < instrument.minQuantityLots()) {
                continue;
            }
            long ticks;
            if (slotSide[slot] == Side.BUY) {
                ticks = ticksAtOrBelow((long) Math.floor(price), nanosPerTick[i]);
                if (bestAsk[i] != NONE && ticks >= bestAsk[i]) {
                    ticks = bestAsk[i] - 1;
                }
            } else {
                ticks = ticksAtOrAbove((long) Math.ceil(price), nanosPerTick[i]);
                if (bestBid[i] != NONE && ticks <= bestBid[i]) {
                    ticks = bestBid[i] + 1;
                }
            }
            if (ticks <= 0 || !instrument.meetsMinNotional(ticks, lots)) {
                continue;
            }
            wantedPrice[slot] = ticks;
            wantedLots[slot] = lots;
        }
    }

    /** as {@link Instrument#ticksAtOrBelow}: the highest tick at or below the price (a bid never rounds up) */
    static long ticksAtOrBelow(long priceNanos, long nanosPerTick) {
        return Math.floorDiv(priceNanos, nanosPerTick);
    }

    /** as {@link Instrument#ticksAtOrAbove}: the lowest tick at or above the price (an ask never rounds down) */
    static long ticksAtOrAbove(long priceNanos, long nanosPerTick) {
        return -Math.floorDiv(-priceNanos, nanosPerTick);
    }

    private void writeIntents(InboundEvent event, long now) {
        for (int slot = 0; slot < slots && event.intentCount() < InboundEvent.MAX_INTENTS; slot++) {
            if (state[slot] == SlotState.LIVE && wantedLots[slot] == 0 && now >= backoffUntil[slot]) {
                emit(event, slot, QuoteAction.CANCEL, priceTicks[slot], quantityLots[slot]);
            }
        }
        for (int slot = 0; slot < slots && event.intentCount() < InboundEvent.MAX_INTENTS; slot++) {
            if (wantedLots[slot] == 0 || now < backoffUntil[slot]) {
                continue;
            }
            if (state[slot] == SlotState.EMPTY) {
                emit(event, slot, QuoteAction.PLACE, wantedPrice[slot], wantedLots[slot]);
            } else if (state[slot] == SlotState.LIVE && worthReplacing(slot, now)) {
                emit(event, slot, QuoteAction.REPLACE, wantedPrice[slot], wantedLots[slot]);
            }
        }
    }

    private boolean worthReplacing(int slot, long now) {
        long age = now - quotedSince[slot];
        if (age < minQuoteLifeMillis * MILLIS) {
            return false;
        }
        long priceMove = Math.abs(wantedPrice[slot] - priceTicks[slot]);
        long sizeMove = Math.abs(wantedLots[slot] - quantityLots[slot]);
        if (priceMove == 0 && sizeMove == 0) {
            return false;
        }
        if (priceMove > replaceTicks) {
            return true;
        }
        // sizeMove / lots > percent / 100, without division (lots > 0 for a live quote)
        if (Math.multiplyHigh(sizeMove, 100) != 0 || sizeMove * 100 > replaceSizePercent * quantityLots[slot]) {
            return true;
        }
        return maxQuoteAgeMillis > 0 && age >= maxQuoteAgeMillis * MILLIS;
    }

    private void emit(InboundEvent event, int slot, QuoteAction action, long price, long lots) {
        int i = slotInstrument[slot];
        long target = action == QuoteAction.PLACE ? 0 : orderId[slot];
        if (action == QuoteAction.PLACE) {
            orderId[slot] = ClientOrderIds.of(event.sequence(), event.intentCount());
            state[slot] = SlotState.PENDING_NEW;
        } else {
            state[slot] = action == QuoteAction.REPLACE ? SlotState.PENDING_REPLACE : SlotState.PENDING_CANCEL;
        }
        pendingPriceTicks[slot] = price;
        pendingQuantityLots[slot] = lots;
        event.addIntent().set(action, venueIds[i], instrumentIds[i], slotSide[slot], slotLevel[slot], price, lots, target);
    }

    void onControl(ControlCommand command) {
        String name = command.command();
        if (ControlCommands.KILL_SWITCH.equals(name)) {
            if (command.venueId() != -1 || command.instrumentId() != -1) {
                // a kill switch of one venue or instrument: risk halts that scope and execution
                // cancels there; the strategy quotes on elsewhere and risk refuses what it halted
                return;
            }
            killed = true;
            quoting = false;
            LOG.warn("strategy {}: kill switch (request {} by {}): quoting stops; execution cancels the orders",
                    id, command.requestId(), command.principal());
            return;
        }
        if (!addressed(command)) {
            return;
        }
        if (ControlCommands.START_STRATEGY.equals(name)) {
            // old value: whether it was quoting (1) or not (0) before this command
            long wasQuoting = quoting ? 1 : 0;
            String note = halted ? "strategy " + id + " was " + haltReason + "; restarted" : null;
            quoting = true;
            killed = false;
            halted = false;
            haltReason = null;
            command.answer(true, wasQuoting, note);
            LOG.info("strategy {}: started (request {} by {})", id, command.requestId(), command.principal());
        } else if (ControlCommands.STOP_STRATEGY.equals(name)) {
            long wasQuoting = quoting ? 1 : 0;
            quoting = false;
            command.answer(true, wasQuoting, null);
            LOG.info("strategy {}: stopped, cancelling its quotes (request {} by {})", id,
                    command.requestId(), command.principal());
        } else if (ControlCommands.SET_STRATEGY_PARAMETER.equals(name)) {
            String key = command.key();
            long old = key != null && (ENGINE_KEYS.contains(key) || strategy.parameterKeys().contains(key)) ? parameter(key) : 0;
            String refusal;
            if (key == null) {
                refusal = "strategy parameter refused: no key; known keys: " + String.join(", ", allKeys);
            } else if (ENGINE_KEYS.contains(key)) {
                refusal = setEngineParameter(key, command.value());
            } else if (strategy.parameterKeys().contains(key)) {
                refusal = strategy.setParameter(key, command.value());
            } else {
                refusal = ParameterChecks.unknown(key, allKeys);
            }
            // the answer in the slot, for the audit trail and the API's response
            command.answer(refusal == null, old, refusal);
            if (refusal != null) {
                lastRefusal = "request " + command.requestId() + " by " + command.principal() + ": " + refusal;
                LOG.warn("strategy {}: {}", id, lastRefusal);
            } else {
                LOG.info("strategy {}: {} = {} (request {} by {}, reason: {})", id, key, command.value(),
                        command.requestId(), command.principal(), command.reason());
            }
        }
    }

    /** a command for one venue or instrument addresses this engine only if it quotes there */
    boolean addressed(ControlCommand command) {
        if (command.instrumentId() >= 0 && quotedIndex(command.instrumentId()) < 0) {
            return false;
        }
        if (command.venueId() >= 0) {
            for (int venue : venueIds) {
                if (venue == command.venueId()) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private String setEngineParameter(String key, long value) {
        String refusal = switch (key) {
            case REPLACE_TICKS -> ParameterChecks.range(key, value, 0, 1_000_000, "ticks", replaceTicks);
            case REPLACE_SIZE_PERCENT -> ParameterChecks.range(key, value, 0, 100, "percent", replaceSizePercent);
            case MIN_QUOTE_LIFE_MILLIS -> ParameterChecks.range(key, value, 0, MAX_MILLIS, "ms", minQuoteLifeMillis);
            case MAX_QUOTE_AGE_MILLIS -> ParameterChecks.range(key, value, 0, MAX_MILLIS, "ms, 0 = never", maxQuoteAgeMillis);
            case REJECT_BACKOFF_MILLIS -> ParameterChecks.range(key, value, 0, MAX_MILLIS, "ms", rejectBackoffMillis);
            default -> ParameterChecks.unknown(key, allKeys);
        };
        if (refusal != null) {
            return refusal;
        }
        switch (key) {
            case REPLACE_TICKS -> replaceTicks = value;
            case REPLACE_SIZE_PERCENT -> replaceSizePercent = value;
            case MIN_QUOTE_LIFE_MILLIS -> minQuoteLifeMillis = value;
            case MAX_QUOTE_AGE_MILLIS -> maxQuoteAgeMillis = value;
            default -> rejectBackoffMillis = value;
        }
        return null;
    }

    void publishView(long now) {
        for (int i = 0; i < instruments.length; i++) {
            long bid = StrategyView.NONE;
            long bidLots = 0;
            long ask = StrategyView.NONE;
            long askLots = 0;
            for (int level = 0; level < levels; level++) {
                int b = QuoteTargets.index(i, Side.BUY, level, levels);
                if (resting(b) && (bid == StrategyView.NONE || priceTicks[b] > bid)) {
                    bid = priceTicks[b];
                    bidLots = quantityLots[b];
                }
                int a = QuoteTargets.index(i, Side.SELL, level, levels);
                if (resting(a) && (ask == StrategyView.NONE || priceTicks[a] < ask)) {
                    ask = priceTicks[a];
                    askLots = quantityLots[a];
                }
            }
            view.publishQuote(i, bid, bidLots, ask, askLots);
        }
        view.publishTotals(inventoryNanos, fairValue, quoting, halted, now);
        int open = 0;
        for (int slot = 0; slot < slots; slot++) {
            if (state[slot] != SlotState.EMPTY) {
                open++;
            }
        }
        view.publishOpenOrders(open);
        try {
            for (int k = 0; k < allKeys.size(); k++) {
                view.publishParameter(k, parameter(allKeys.get(k)));
            }
            for (int k = 0; k < reportKeys.size(); k++) {
                view.publishReport(k, strategy.report(reportKeys.get(k)));
            }
        } catch (RuntimeException e) {
            halt(now, "parameter", e);
        }
    }

    private boolean resting(int slot) {
        SlotState s = state[slot];
        return s == SlotState.LIVE || s == SlotState.PENDING_REPLACE || s == SlotState.PENDING_CANCEL;
    }

    /** the strategy's id from the configuration ({@code [a-z0-9-]{1,32}}) */
    public String id() {
        return id;
    }

    /** the canonical pair id (as the consolidated view numbers pairs) */
    public int pairId() {
        return pairId;
    }

    /** the registry ids of the quoted instruments, one per venue */
    public int[] instrumentIds() {
        return instrumentIds.clone();
    }

    int instrumentId(int index) {
        return instrumentIds[index];
    }

    int instrumentCount() {
        return instrumentIds.length;
    }

    /** why the strategy's code was halted, or null while it is not; any thread */
    public String haltReason() {
        return haltReason;
    }

    /** whether the strategy's code threw and it was halted; engine thread (the view has it for others) */
    public boolean halted() {
        return halted;
    }

    /** the console's view; any thread */
    public StrategyView view() {
        return view;
    }

    /** the message of the last refused parameter change, or null; any thread */
    public String lastRefusal() {
        return lastRefusal;
    }

    /** every parameter key this engine accepts: its own, then the strategy's */
    public List<String> parameterKeys() {
        return allKeys;
    }

    public Strategy strategy() {
        return strategy;
    }

    // engine-thread accessors, for tests and the digest

    /** the current value of a parameter; engine thread only */
    public long parameter(String key) {
        return switch (key) {
            case REPLACE_TICKS -> replaceTicks;
            case REPLACE_SIZE_PERCENT -> replaceSizePercent;
            case MIN_QUOTE_LIFE_MILLIS -> minQuoteLifeMillis;
            case MAX_QUOTE_AGE_MILLIS -> maxQuoteAgeMillis;
            case REJECT_BACKOFF_MILLIS -> rejectBackoffMillis;
            default -> strategy.parameter(key);
        };
    }

    public long inventoryNanos() {
        return inventoryNanos;
    }

    public boolean quoting() {
        return quoting;
    }

    public SlotState slotState(int instrumentIndex, Side side, int level) {
        return state[QuoteTargets.index(instrumentIndex, side, level, levels)];
    }

    public long slotOrderId(int instrumentIndex, Side side, int level) {
        return orderId[QuoteTargets.index(instrumentIndex, side, level, levels)];
    }

    public long slotPriceTicks(int instrumentIndex, Side side, int level) {
        return priceTicks[QuoteTargets.index(instrumentIndex, side, level, levels)];
    }

    public long slotQuantityLots(int instrumentIndex, Side side, int level) {
        return quantityLots[QuoteTargets.index(instrumentIndex, side, level, levels)];
    }

    /** this unit's part of the engine's snapshot (see {@link StrategyEngine}) */
    void writeState(StateWriter out) {
        out.putInt(pairId).putLong(accountId).putInt(levels).putInt(instruments.length);
        for (int id : instrumentIds) {
            out.putInt(id);
        }
        out.putString(strategy.name());
        for (String key : ENGINE_KEYS) {
            out.putLong(parameter(key));
        }
        List<String> strategyKeys = strategy.parameterKeys();
        out.putInt(strategyKeys.size());
        for (String key : strategyKeys) {
            out.putString(key).putLong(strategy.parameter(key));
        }
        out.putBoolean(quoting).putBoolean(killed).putLong(fairValue).putLong(inventoryNanos).putString(lastRefusal);
        out.putBoolean(halted).putString(haltReason);
        for (int i = 0; i < instruments.length; i++) {
            out.putBoolean(topValid[i]).putLong(bestBid[i]).putLong(bestAsk[i]);
        }
        for (int slot = 0; slot < slots; slot++) {
            out.putEnum(state[slot]).putLong(orderId[slot]).putLong(priceTicks[slot]).putLong(quantityLots[slot])
                    .putLong(pendingPriceTicks[slot]).putLong(pendingQuantityLots[slot])
                    .putLong(quotedSince[slot]).putLong(backoffUntil[slot]);
        }
        market.writeState(out);
        takers.writeState(out);
        strategy.writeState(stateOut.writer(out));
        out.putString(stateCheck());
    }

    /** reads what {@link #writeState} wrote; on a {@link StateFormatException} the unit is half restored */
    void readState(StateReader in) {
        int pair = in.getInt();
        long account = in.getLong();
        int stateLevels = in.getInt();
        int count = in.getInt();
        if (count != instruments.length) {
            throw new StateFormatException("strategy " + id + ": state of another configuration: it quotes " + count
                    + " instruments, this engine " + instruments.length + " (" + Arrays.toString(instrumentIds) + ")");
        }
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.getInt();
        }
        if (pair != pairId || account != accountId || stateLevels != levels || !Arrays.equals(ids, instrumentIds)) {
            throw new StateFormatException("strategy " + id + ": state of another configuration: pair " + pair + ", account " + account
                    + ", " + stateLevels + " levels, instruments " + Arrays.toString(ids) + "; this engine: pair " + pairId
                    + ", account " + accountId + ", " + levels + " levels, instruments " + Arrays.toString(instrumentIds));
        }
        String name = in.getString();
        if (!strategy.name().equals(name)) {
            throw new StateFormatException("strategy state of strategy '" + name + "', this engine runs '" + strategy.name() + "'");
        }
        for (String key : ENGINE_KEYS) {
            refuseIfSet(key, setEngineParameter(key, in.getLong()));
        }
        List<String> strategyKeys = strategy.parameterKeys();
        int keys = in.getInt();
        if (keys != strategyKeys.size()) {
            throw new StateFormatException("strategy state has " + keys + " parameters for '" + name + "', the strategy has "
                    + strategyKeys.size() + ": " + strategyKeys);
        }
        for (String expected : strategyKeys) {
            String key = in.getString();
            if (!expected.equals(key)) {
                throw new StateFormatException("strategy state has parameter '" + key + "' where '" + name + "' has '" + expected + "'");
            }
            refuseIfSet(key, strategy.setParameter(key, in.getLong()));
        }
        quoting = in.getBoolean();
        killed = in.getBoolean();
        fairValue = in.getLong();
        inventoryNanos = in.getLong();
        lastRefusal = in.getString();
        halted = in.getBoolean();
        haltReason = in.getString();
        for (int i = 0; i < instruments.length; i++) {
            topValid[i] = in.getBoolean();
            bestBid[i] = in.getLong();
            bestAsk[i] = in.getLong();
        }
        SlotState[] slotStates = SlotState.values();
        for (int slot = 0; slot < slots; slot++) {
            SlotState s = in.getEnum(slotStates);
            if (s == null) {
                throw new StateFormatException("strategy state: slot " + slot + " has no state");
            }
            state[slot] = s;
            orderId[slot] = in.getLong();
            priceTicks[slot] = in.getLong();
            quantityLots[slot] = in.getLong();
            pendingPriceTicks[slot] = in.getLong();
            pendingQuantityLots[slot] = in.getLong();
            quotedSince[slot] = in.getLong();
            backoffUntil[slot] = in.getLong();
        }
        market.readState(in, fairValue);
        takers.readState(in);
        try {
            strategy.readState(stateOut.reader(in));
        } catch (StateFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateFormatException("strategy " + id + " (" + strategy.name() + ") could not read its model state: " + e);
        }
        String written = in.getString();
        String restored = stateCheck();
        if (!restored.equals(written)) {
            throw new StateFormatException("strategy state is corrupted: the restored engine's digest " + restored
                    + " is not the writer's " + written);
        }
    }

    private static void refuseIfSet(String key, String refusal) {
        if (refusal != null) {
            throw new StateFormatException("strategy state has a parameter this engine refuses (" + key + "): " + refusal);
        }
    }

    /** the digest plus what the digest leaves out: a writer's and a faithful reader's agree */
    private String stateCheck() {
        StateDigest digest = new StateDigest();
        digestState(digest);
        return digest.putString(lastRefusal).putString(haltReason).hex();
    }

    void digestState(StateDigest digest) {
        digest.putString(id).putString(strategy.name()).putInt(pairId).putLong(accountId);
        digest.putBoolean(quoting).putBoolean(killed).putBoolean(halted).putLong(fairValue).putLong(inventoryNanos);
        for (String key : ENGINE_KEYS) {
            digest.putLong(parameter(key));
        }
        digest.putString(strategy.name());
        for (String key : strategy.parameterKeys()) {
            digest.putLong(strategy.parameter(key));
        }
        strategy.writeState(stateOut.digest(digest));
        market.digestState(digest);
        takers.digestState(digest);
        for (int i = 0; i < instruments.length; i++) {
            digest.putInt(instrumentIds[i]).putBoolean(topValid[i]).putLong(bestBid[i]).putLong(bestAsk[i]);
        }
        for (int slot = 0; slot < slots; slot++) {
            digest.putInt(state[slot].ordinal()).putLong(orderId[slot]).putLong(priceTicks[slot])
                    .putLong(quantityLots[slot]).putLong(pendingPriceTicks[slot]).putLong(pendingQuantityLots[slot])
                    .putLong(quotedSince[slot]).putLong(backoffUntil[slot]);
        }
    }
}
