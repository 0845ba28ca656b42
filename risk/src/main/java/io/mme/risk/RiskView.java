package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.TradingState;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The console's read-only view of the risk engine: a few numbers per instrument and globally,
 * written by the risk engine's thread on TIMER events (the trading states also on the CONTROL event that changes one) (release stores into a preallocated
 * array, no allocation) and read by any thread (acquire loads). Numbers of one instrument are
 * written one after the other, so a reader may see a mix of two publishes; the console shows them
 * as indications, not as one consistent snapshot.
 */
public final class RiskView {
    private static final int POSITION = 0;
    private static final int AVERAGE_COST = 1;
    private static final int REALIZED = 2;
    private static final int UNREALIZED = 3;
    private static final int FEES = 4;
    private static final int FILLS = 5;
    private static final int STATE = 6;
    private static final int PER_INSTRUMENT = 7;

    private static final int GLOBAL_STATE = 0;
    private static final int DAILY_PNL = 1;
    private static final int APPROVED = 2;
    private static final int REJECTED = 3;
    private static final int OPEN_ORDERS = 4;
    private static final int PUBLISHED_AT = 5;
    private static final int VENUE_STATES = 6;

    private static final TradingState[] STATES = TradingState.values();

    private static final LimitKind[] KINDS = LimitKind.values();

    private final int instruments;
    private final int globalBase;
    private final AtomicLongArray values;
    /** every limit's current value: kind by kind, each over its scope's targets */
    private final AtomicLongArray limitValues;
    private final int[] limitOffset = new int[KINDS.length];
    private final int[] limitCount = new int[KINDS.length];

    RiskView(int instruments) {
        this(instruments, null);
    }

    RiskView(int instruments, RiskLimits limits) {
        this.instruments = instruments;
        this.globalBase = instruments * PER_INSTRUMENT;
        this.values = new AtomicLongArray(globalBase + VENUE_STATES + Venue.values().length);
        int total = 0;
        for (LimitKind kind : KINDS) {
            limitOffset[kind.ordinal()] = total;
            limitCount[kind.ordinal()] = limits == null ? 0 : limits.size(kind.scope());
            total += limitCount[kind.ordinal()];
        }
        this.limitValues = new AtomicLongArray(Math.max(1, total));
    }

    private final AtomicLongArray rejectsByCheck = new AtomicLongArray(RiskCheck.values().length);

    void rejects(long[] byCheck) {
        for (int i = 0; i < byCheck.length; i++) {
            rejectsByCheck.setRelease(i, byCheck[i]);
        }
    }

    /** intents rejected by one check since the start */
    public long rejectedBy(RiskCheck check) {
        return rejectsByCheck.getAcquire(check.ordinal());
    }

    void limits(RiskLimits limits) {
        for (LimitKind kind : KINDS) {
            int base = limitOffset[kind.ordinal()];
            for (int i = 0; i < limitCount[kind.ordinal()]; i++) {
                limitValues.setRelease(base + i, limits.get(kind, i));
            }
        }
    }

    /** targets of a limit kind (instruments, assets, venues, or 1 for global) */
    public int limitTargets(LimitKind kind) {
        return limitCount[kind.ordinal()];
    }

    /** a limit's value as of the last publish */
    public long limit(LimitKind kind, int index) {
        if (index < 0 || index >= limitCount[kind.ordinal()]) {
            throw new IndexOutOfBoundsException(kind.key() + " target " + index + " of " + limitCount[kind.ordinal()]);
        }
        return limitValues.getAcquire(limitOffset[kind.ordinal()] + index);
    }

    void instrument(int id, long positionLots, long averageCostNanos, long realizedNanos, long unrealizedNanos,
                    long feesNanos, long fills, TradingState state) {
        int base = id * PER_INSTRUMENT;
        values.setRelease(base + POSITION, positionLots);
        values.setRelease(base + AVERAGE_COST, averageCostNanos);
        values.setRelease(base + REALIZED, realizedNanos);
        values.setRelease(base + UNREALIZED, unrealizedNanos);
        values.setRelease(base + FEES, feesNanos);
        values.setRelease(base + FILLS, fills);
        values.setRelease(base + STATE, state.ordinal());
    }

    void global(TradingState state, long dailyPnlNanos, long approved, long rejected, long openOrders, long timestampNanos) {
        values.setRelease(globalBase + GLOBAL_STATE, state.ordinal());
        values.setRelease(globalBase + DAILY_PNL, dailyPnlNanos);
        values.setRelease(globalBase + APPROVED, approved);
        values.setRelease(globalBase + REJECTED, rejected);
        values.setRelease(globalBase + OPEN_ORDERS, openOrders);
        values.setRelease(globalBase + PUBLISHED_AT, timestampNanos);
    }

    /** the instrument's own state alone (a CONTROL event changed it) */
    void instrumentState(int id, TradingState state) {
        values.setRelease(id * PER_INSTRUMENT + STATE, state.ordinal());
    }

    /** the global state alone (a CONTROL event changed it) */
    void globalState(TradingState state) {
        values.setRelease(globalBase + GLOBAL_STATE, state.ordinal());
    }

    void venue(int venueId, TradingState state) {
        values.setRelease(globalBase + VENUE_STATES + venueId, state.ordinal());
    }

    public int instruments() {
        return instruments;
    }

    public long positionLots(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + POSITION);
    }

    /** average entry price, 10^-9 quote units per base unit; 0 when flat */
    public long averageCostNanos(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + AVERAGE_COST);
    }

    public long realizedNanos(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + REALIZED);
    }

    public long unrealizedNanos(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + UNREALIZED);
    }

    public long feesNanos(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + FEES);
    }

    public long fills(int instrumentId) {
        return values.getAcquire(instrumentId * PER_INSTRUMENT + FILLS);
    }

    public TradingState instrumentState(int instrumentId) {
        return STATES[(int) values.getAcquire(instrumentId * PER_INSTRUMENT + STATE)];
    }

    public TradingState venueState(int venueId) {
        return STATES[(int) values.getAcquire(globalBase + VENUE_STATES + venueId)];
    }

    public TradingState globalState() {
        return STATES[(int) values.getAcquire(globalBase + GLOBAL_STATE)];
    }

    /** realized + unrealized since the UTC day began, 10^-9 quote units */
    public long dailyPnlNanos() {
        return values.getAcquire(globalBase + DAILY_PNL);
    }

    public long approvedIntents() {
        return values.getAcquire(globalBase + APPROVED);
    }

    public long rejectedIntents() {
        return values.getAcquire(globalBase + REJECTED);
    }

    public long openOrders() {
        return values.getAcquire(globalBase + OPEN_ORDERS);
    }

    /** the event time of the last publish; 0 before the first TIMER event */
    public long publishedAtNanos() {
        return values.getAcquire(globalBase + PUBLISHED_AT);
    }
}
