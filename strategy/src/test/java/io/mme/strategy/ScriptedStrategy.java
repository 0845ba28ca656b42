package io.mme.strategy;

import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Side;
import io.mme.strategy.api.StateOut;
import io.mme.strategy.api.Strategy;

import java.util.List;

/** A strategy that wants exactly one bid and one ask per venue at fixed distances (10^-9 units) from the fair value. */
final class ScriptedStrategy implements Strategy {
    double bidOffsetNanos;
    double askOffsetNanos;
    long sizeNanos;
    int fills;
    private MarketView market;

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
    public void start(MarketView market) {
        this.market = market;
    }

    @Override
    public void onFill(int instrument, Side side, long priceTicks, long quantityLots, long timeNanos) {
        fills++;
    }

    @Override
    public void quote(Quotes out) {
        for (int i = 0; i < market.instruments(); i++) {
            out.set(i, Side.BUY, 0, market.fairValueNanos() - bidOffsetNanos, sizeNanos);
            out.set(i, Side.SELL, 0, market.fairValueNanos() + askOffsetNanos, sizeNanos);
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
    public void writeState(StateOut out) {
        out.putDouble(bidOffsetNanos).putDouble(askOffsetNanos).putLong(sizeNanos);
    }
}
