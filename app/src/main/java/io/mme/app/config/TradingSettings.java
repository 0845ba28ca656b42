package io.mme.app.config;

import io.mme.execution.ExecutionConfig;
import io.mme.risk.RiskConfig;
import io.mme.strategy.AvellanedaStoikovStrategy;
import io.mme.strategy.InventorySkewStrategy;
import io.mme.strategy.QuotingStrategy;
import io.mme.strategy.StrategyEngineConfig;

import java.util.Map;

/**
 * The validated trading part of the configuration: the strategy (or none), risk and execution.
 * Immutable; each engine assembly builds fresh engines from it, so a replay starts from the same
 * state as the live run did.
 *
 * @param strategy  the quoting strategy, or null when the configuration has none
 * @param risk      the risk engine's configuration, limits included
 * @param execution the execution engine's configuration
 */
public record TradingSettings(StrategySetup strategy, RiskConfig risk, ExecutionConfig execution) {

    /**
     * @param type       inventory-skew or avellaneda-stoikov
     * @param pair       the canonical pair quoted
     * @param engine     the strategy engine's configuration (pair id as the consolidated view numbers pairs)
     * @param parameters the strategy's parameters from the configuration, applied over its defaults
     */
    public record StrategySetup(String type, String pair, StrategyEngineConfig engine, Map<String, Long> parameters) {
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
