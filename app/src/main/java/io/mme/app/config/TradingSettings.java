package io.mme.app.config;

import io.mme.execution.ExecutionConfig;
import io.mme.risk.RiskConfig;
import io.mme.strategy.AvellanedaStoikovStrategy;
import io.mme.strategy.HostedStrategy;
import io.mme.strategy.InventorySkewStrategy;
import io.mme.strategy.QuotingStrategy;
import io.mme.strategy.StrategyEngineConfig;

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
     * @param type       inventory-skew or avellaneda-stoikov
     * @param pair       the canonical pair quoted
     * @param engine     the strategy engine's configuration (pair id as the consolidated view numbers pairs)
     * @param parameters the strategy's parameters from the configuration, applied over its defaults
     */
    public record StrategySetup(String id, String type, String pair, StrategyEngineConfig engine, Map<String, Long> parameters) {
        public static final String INVENTORY_SKEW = "inventory-skew";
        public static final String AVELLANEDA_STOIKOV = "avellaneda-stoikov";

        public StrategySetup {
            parameters = Map.copyOf(parameters);
        }

        /**
         * A new strategy with the configured parameters.
         *
         * @throws IllegalArgumentException naming the parameter the strategy refused and why
         */
        public QuotingStrategy newStrategy() {
            QuotingStrategy strategy = switch (type) {
                case INVENTORY_SKEW -> new InventorySkewStrategy(InventorySkewStrategy.Parameters.defaults());
                case AVELLANEDA_STOIKOV -> new AvellanedaStoikovStrategy(AvellanedaStoikovStrategy.Parameters.defaults());
                default -> throw new IllegalArgumentException("strategy type '" + type + "': expected "
                        + INVENTORY_SKEW + " or " + AVELLANEDA_STOIKOV);
            };
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
