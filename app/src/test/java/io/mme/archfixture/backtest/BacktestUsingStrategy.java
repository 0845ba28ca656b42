package io.mme.archfixture.backtest;

import io.mme.archfixture.strategy.CleanStrategy;

/** planted violation: backtest (core, marketdata, the Binance connector, matching) using strategy */
public final class BacktestUsingStrategy {
    public Object strategy() {
        return new CleanStrategy();
    }
}
