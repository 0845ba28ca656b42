package io.mme.app.config;

import io.mme.execution.ExecutionConfig;
import io.mme.risk.RiskConfig;
import io.mme.strategy.HostedStrategy;
import io.mme.strategy.StrategyEngineConfig;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated trading part of the configuration: the desk's strategies (or none), risk and
 * execution. Immutable; each engine assembly builds fresh engines from it, so a replay starts from
 * the same state as the live run did.
 *
 * @param strategies the quoting strategies in configuration order (empty: nothing quotes)
 * @param risk       the risk engine's configuration, limits (the strategies' own included)
 * @param execution  the execution engine's configuration
 */
public record TradingSettings(List<StrategySetup> strategies, RiskConfig risk, ExecutionConfig execution) {
    public TradingSettings {
        strategies = List.copyOf(strategies);
    }

    /** the first strategy (the only one of a single-strategy configuration), or null when there is none */
    public StrategySetup strategy() {
        return strategies.isEmpty() ? null : strategies.get(0);
    }

    /**
     * The book levels a side the market data engine hands the strategies in each slot: the deepest
     * {@code bookDepth} of the strategies (0 without strategies: nothing reads them).
     */
    public int bookDepth() {
        int depth = 0;
        for (StrategySetup s : strategies) {
            depth = Math.max(depth, s.engine().bookDepth());
        }
        return depth;
    }

    /** fresh strategies for a new strategy engine, in configuration order */
    public List<HostedStrategy> newHostedStrategies() {
        List<HostedStrategy> hosted = new ArrayList<>();
        for (StrategySetup s : strategies) {
            hosted.add(new HostedStrategy(s.id(), s.engine(), s.newStrategy()));
        }
        return hosted;
    }

    /**
     * @param id         unique among the strategies ({@code default} for the old {@code strategy:} section)
     * @param type       the strategy type's name (built in, or of a plug-in jar on the strategy path)
     * @param factory    the factory of that type
     * @param pair       the canonical pair quoted
     * @param engine     the strategy engine's configuration (pair id as the consolidated view numbers pairs)
     * @param parameters the strategy's parameters from the configuration, applied over its defaults
     */
    public record StrategySetup(String id, String type, StrategyFactory factory, String pair, StrategyEngineConfig engine,
                                Map<String, Long> parameters) {
        public StrategySetup {
            parameters = Map.copyOf(parameters);
        }

        /**
         * A new strategy with the configured parameters.
         *
         * @throws IllegalArgumentException naming the parameter the strategy refused and why, or a
         *                                  factory that failed
         */
        public Strategy newStrategy() {
            Strategy strategy;
            try {
                strategy = factory.newStrategy();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("strategy type '" + type + "': its factory " + factory.getClass().getName()
                        + " threw: " + e, e);
            }
            if (strategy == null) {
                throw new IllegalArgumentException("strategy type '" + type + "': its factory " + factory.getClass().getName()
                        + " returned no strategy");
            }
            // sorted, so that parameters that depend on each other are applied in the same order every run
            for (Map.Entry<String, Long> p : new java.util.TreeMap<>(parameters).entrySet()) {
                String refusal = strategy.setParameter(p.getKey(), p.getValue());
                if (refusal != null) {
                    throw new IllegalArgumentException(refusal);
                }
            }
            return strategy;
        }
    }
}
