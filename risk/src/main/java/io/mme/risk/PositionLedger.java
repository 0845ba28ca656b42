package io.mme.risk;

import io.mme.core.state.CheckedStateReader;
import io.mme.core.state.CheckedStateWriter;
import io.mme.core.instrument.FixedMath;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;

/**
 * Our positions and PnL per instrument from our own fills, by the average-cost method, in exact
 * integer arithmetic. Owned by the risk engine's thread; not thread-safe.
 *
 * <p>Per instrument it keeps the position in lots (signed, + long), the cost basis of that position
 * in 10^-9 quote units (signed like the position: what was paid for a long, minus what was received
 * for a short), realized PnL (fees already deducted), fees and the fill count. A fill that adds to
 * the position (or opens one) adds its notional to the cost; one that reduces it removes the
 * closed share of the cost ({@code cost × closed / |position|}, rounded toward zero) and realizes
 * the difference to the closing notional; a fill that crosses zero closes the old position and
 * opens the rest at the fill price. Notionals are {@link Instrument#notionalNanos} (rounded toward
 * zero), fees {@code notional × bps / 10000} (rounded toward zero) on the whole fill. Whatever the
 * rounding, {@code realized − cost} equals the fills' cash flow minus fees exactly.
 *
 * <p>Duplicates: a venue may deliver a fill twice (a reconnect replays recent ones). The ledger
 * remembers the last {@code tradeIdRing} (tradeId, clientOrderId) pairs per instrument and drops a
 * fill seen among them. The order id is part of the key because both sides of a self-trade carry
 * the same trade id. Trade id 0 (the venue gave none) is never treated as a duplicate. A redelivery
 * older than the ring would count twice; venues redeliver only the last few fills.
 */
public final class PositionLedger {
    private final Instrument[] instruments;
    private final long[] makerFeeBps;
    private final long[] takerFeeBps;
    private final long[] position;
    private final long[] cost;
    private final long[] realized;
    private final long[] fees;
    private final long[] fills;
    private final int ring;
    private final long[] recentTradeIds;
    private final long[] recentOrderIds;
    private final int[] ringNext;

    public PositionLedger(InstrumentRegistry registry, long[] makerFeeBps, long[] takerFeeBps, int tradeIdRing) {
        int n = registry.size();
        if (makerFeeBps.length != n || takerFeeBps.length != n) {
            throw new IllegalArgumentException("fees need one entry per instrument (" + n + ")");
        }
        instruments = registry.all().toArray(new Instrument[0]);
        this.makerFeeBps = makerFeeBps.clone();
        this.takerFeeBps = takerFeeBps.clone();
        position = new long[n];
        cost = new long[n];
        realized = new long[n];
        fees = new long[n];
        fills = new long[n];
        ring = tradeIdRing;
        recentTradeIds = new long[n * tradeIdRing];
        recentOrderIds = new long[n * tradeIdRing];
        ringNext = new int[n];
    }

    /**
     * Applies one of our fills.
     *
     * @return false when the fill was a duplicate and changed nothing
     */
    public boolean fill(int instrumentId, Side side, long priceTicks, long quantityLots, boolean maker,
                        long tradeId, long clientOrderId) {
        if (tradeId != 0) {
            int base = instrumentId * ring;
            for (int k = 0; k < ring; k++) {
                if (recentTradeIds[base + k] == tradeId && recentOrderIds[base + k] == clientOrderId) {
                    return false;
                }
            }
            int slot = base + ringNext[instrumentId];
            recentTradeIds[slot] = tradeId;
            recentOrderIds[slot] = clientOrderId;
            ringNext[instrumentId] = (ringNext[instrumentId] + 1) % ring;
        }
        Instrument instrument = instruments[instrumentId];
        long notional = instrument.notionalNanos(priceTicks, quantityLots);
        long fee = FixedMath.mulDiv(notional, maker ? makerFeeBps[instrumentId] : takerFeeBps[instrumentId], 10_000);
        long direction = side == Side.BUY ? 1 : -1;
        long pos = position[instrumentId];
        long remaining = quantityLots;
        if (pos != 0 && Long.signum(pos) != direction) {
            long open = Math.abs(pos);
            long closed = Math.min(remaining, open);
            long removedCost = FixedMath.mulDiv(cost[instrumentId], closed, open);
            long closedNotional = instrument.notionalNanos(priceTicks, closed);
            // long: sold for closedNotional what cost removedCost; short: bought back for closedNotional
            // what brought in -removedCost
            realized[instrumentId] += Long.signum(pos) * closedNotional - removedCost;
            cost[instrumentId] -= removedCost;
            position[instrumentId] = pos + direction * closed;
            remaining -= closed;
        }
        if (remaining > 0) {
            position[instrumentId] += direction * remaining;
            cost[instrumentId] += direction * instrument.notionalNanos(priceTicks, remaining);
        }
        realized[instrumentId] -= fee;
        fees[instrumentId] += fee;
        fills[instrumentId]++;
        return true;
    }

    public long positionLots(int instrumentId) {
        return position[instrumentId];
    }

    /** the cost basis of the open position, 10^-9 quote units, signed like the position */
    public long costNanos(int instrumentId) {
        return cost[instrumentId];
    }

    /**
     * The average entry price in 10^-9 quote units per base unit (the unit of fair values), rounded
     * toward zero; 0 when flat.
     */
    public long averageCostNanos(int instrumentId) {
        long pos = position[instrumentId];
        if (pos == 0) {
            return 0;
        }
        long quantityNanos = instruments[instrumentId].quantityNanos(Math.abs(pos));
        return FixedMath.mulDiv(Math.abs(cost[instrumentId]), Instrument.NANOS, quantityNanos);
    }

    /** realized PnL, fees deducted, 10^-9 quote units */
    public long realizedNanos(int instrumentId) {
        return realized[instrumentId];
    }

    /**
     * The open position marked at {@code fairValueNanos} (10^-9 quote units per base unit) minus its
     * cost; 0 when flat or without a mark (Long.MIN_VALUE).
     */
    public long unrealizedNanos(int instrumentId, long fairValueNanos) {
        long pos = position[instrumentId];
        if (pos == 0 || fairValueNanos == Long.MIN_VALUE) {
            return 0;
        }
        long value = FixedMath.mulDiv(fairValueNanos, instruments[instrumentId].quantityNanos(Math.abs(pos)), Instrument.NANOS);
        return Long.signum(pos) * value - cost[instrumentId];
    }

    public long feesNanos(int instrumentId) {
        return fees[instrumentId];
    }

    public long fillCount(int instrumentId) {
        return fills[instrumentId];
    }

    /** the remembered trade id at ring slot {@code k} of an instrument (for the digest) */
    long recentTradeId(int instrumentId, int k) {
        return recentTradeIds[instrumentId * ring + k];
    }

    long recentOrderId(int instrumentId, int k) {
        return recentOrderIds[instrumentId * ring + k];
    }

    int ringNext(int instrumentId) {
        return ringNext[instrumentId];
    }

    int ringSize() {
        return ring;
    }

    /** per instrument: position, cost, realized, fees, fills, then the duplicate ring and its cursor */
    void writeState(CheckedStateWriter out) {
        for (int i = 0; i < position.length; i++) {
            out.putLong(position[i]).putLong(cost[i]).putLong(realized[i]).putLong(fees[i]).putLong(fills[i]);
            for (int k = 0; k < ring; k++) {
                out.putLong(recentTradeIds[i * ring + k]).putLong(recentOrderIds[i * ring + k]);
            }
            out.putInt(ringNext[i]);
        }
    }

    /** replaces everything with what {@link #writeState} wrote (same instrument count and ring size) */
    void readState(CheckedStateReader in) {
        for (int i = 0; i < position.length; i++) {
            position[i] = in.getLong();
            cost[i] = in.getLong();
            realized[i] = in.getLong();
            fees[i] = in.getLong();
            fills[i] = in.getLong();
            for (int k = 0; k < ring; k++) {
                recentTradeIds[i * ring + k] = in.getLong();
                recentOrderIds[i * ring + k] = in.getLong();
            }
            ringNext[i] = in.index(ring, "trade id ring cursor of instrument " + i);
        }
    }
}
