package io.mme.strategy;

import io.mme.core.digest.StateDigest;
import io.mme.core.ring.Side;

import java.util.List;

/** A strategy that wants exactly one bid and one ask per venue at fixed distances (10^-9 units) from the fair value. */
final class ScriptedStrategy implements QuotingStrategy {
    double bidOffsetNanos;
    double askOffsetNanos;
    long sizeNanos;
    int fills;

    ScriptedStrategy(double bidOffsetNanos, double askOffsetNanos, long sizeNanos) {
        this.bidOffsetNanos = bidOffsetNanos;
        this.askOffsetNanos = askOffsetNanos;
        this.sizeNanos = sizeNanos;
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public void onFairValue(long timestampNanos, long fairValueNanos) {
    }

    @Override
    public void onFill(long timestampNanos, int instrumentIndex, Side side, long priceNanos, long quantityNanos, long inventoryNanos) {
        fills++;
    }

    @Override
    public void onTimer(long timestampNanos) {
    }

    @Override
    public void quote(QuoteContext context, QuoteTargets out) {
        for (int i = 0; i < context.instruments(); i++) {
            out.set(i, Side.BUY, 0, context.fairValueNanos() - bidOffsetNanos, sizeNanos);
            out.set(i, Side.SELL, 0, context.fairValueNanos() + askOffsetNanos, sizeNanos);
        }
    }

    @Override
    public List<String> parameterKeys() {
        return List.of();
    }

    @Override
    public String setParameter(String key, long value) {
        return "no parameters";
    }

    @Override
    public long parameter(String key) {
        throw new IllegalArgumentException(key);
    }

    @Override
    public void digestState(StateDigest digest) {
        digest.putDouble(bidOffsetNanos).putDouble(askOffsetNanos).putLong(sizeNanos);
    }
}
