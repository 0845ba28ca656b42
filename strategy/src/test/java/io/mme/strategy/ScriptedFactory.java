package io.mme.strategy;

import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;

/** A plug-in factory (listed only in jars the tests build) of type "scripted". */
public final class ScriptedFactory implements StrategyFactory {
    @Override
    public String type() {
        return "scripted";
    }

    @Override
    public Strategy newStrategy() {
        return new ScriptedStrategy(1, 1, 1);
    }
}
