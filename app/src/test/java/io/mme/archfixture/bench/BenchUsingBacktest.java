package io.mme.archfixture.bench;

import io.mme.archfixture.backtest.BacktestUsingStrategy;

/** planted violation: bench (the engine modules, venue-gateway, the connectors) using backtest */
public final class BenchUsingBacktest {
    public Object backtest() {
        return new BacktestUsingStrategy();
    }
}
