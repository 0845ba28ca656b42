package io.mme.strategy;

import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;

/** A plug-in factory (listed only in jars the tests build) that claims a built-in type name. */
public final class DuplicateSkewFactory implements StrategyFactory {
    @Override
    public String type() {
        return InventorySkewStrategy.TYPE;
    }

    @Override
    public Strategy newStrategy() {
        return new ScriptedStrategy(1, 1, 1);
    }
}
