package com.example.desk;

import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.ParameterChecks;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Side;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;

import java.util.List;

/**
 * Quotes one level a side on every venue around that venue's micro-price (the touch weighted by
 * the opposite side's size), shifted further toward the heavier side by the order-book imbalance
 * (bid size − ask size) / (bid size + ask size), in ticks: centre = micro + imbalance × skew.
 */
public final class MicroPriceStrategy implements Strategy {
    static final String HALF_SPREAD = "half.spread.ticks";
    static final String SKEW = "imbalance.skew.ticks";
    static final String SIZE = "size.nanos";
    private static final List<String> KEYS = List.of(HALF_SPREAD, SKEW, SIZE);
    private long halfSpreadTicks = 5;
    private long skewTicks = 2;
    private long sizeNanos = 1_000_000;
    private MarketView market;

    /** listed in META-INF/services/io.mme.strategy.api.StrategyFactory */
    public static final class Factory implements StrategyFactory {
        @Override public String type() { return "micro-price"; }
        @Override public Strategy newStrategy() { return new MicroPriceStrategy(); }
    }

    @Override public String name() { return "micro-price"; }
    @Override public void start(MarketView view) { this.market = view; }

    @Override
    public void quote(Quotes out) {
        for (int i = 0; i < market.instruments(); i++) {
            double bidLots = market.levelQuantityLots(i, Side.BUY, 0);
            double askLots = market.levelQuantityLots(i, Side.SELL, 0);
            if (market.bookStatus(i) != BookStatus.VALID || bidLots + askLots == 0 || market.depth(i, Side.BUY) == 0
                    || market.depth(i, Side.SELL) == 0) {
                continue; // nothing wanted: the engine cancels what we have there
            }
            double micro = (market.bidTicks(i) * askLots + market.askTicks(i) * bidLots) / (bidLots + askLots);
            double centre = micro + skewTicks * (bidLots - askLots) / (bidLots + askLots);
            double tick = market.nanosPerTick(i);
            out.set(i, Side.BUY, 0, (centre - halfSpreadTicks) * tick, sizeNanos);
            out.set(i, Side.SELL, 0, (centre + halfSpreadTicks) * tick, sizeNanos);
        }
    }

    @Override public List<String> parameterKeys() { return KEYS; }

    @Override
    public String setParameter(String key, long value) {
        String refusal = switch (key) {
            case HALF_SPREAD -> ParameterChecks.range(key, value, 1, 1_000_000, "ticks", halfSpreadTicks);
            case SKEW -> ParameterChecks.range(key, value, 0, 1_000_000, "ticks at full imbalance", skewTicks);
            case SIZE -> ParameterChecks.range(key, value, 1, 1_000_000_000_000_000L, "10^-9 base units", sizeNanos);
            default -> ParameterChecks.unknown(key, KEYS);
        };
        if (refusal == null) {
            switch (key) {
                case HALF_SPREAD -> halfSpreadTicks = value;
                case SKEW -> skewTicks = value;
                default -> sizeNanos = value;
            }
        }
        return refusal;
    }

    @Override
    public long parameter(String key) {
        return switch (key) {
            case HALF_SPREAD -> halfSpreadTicks;
            case SKEW -> skewTicks;
            case SIZE -> sizeNanos;
            default -> throw new IllegalArgumentException(ParameterChecks.unknown(key, KEYS));
        };
    }
}
