package io.mme.strategy;

import io.mme.strategy.api.Strategy;

import java.util.regex.Pattern;

/**
 * One strategy of the desk as the {@link StrategyEngine} is built with it: its id, where and how
 * it quotes, and the strategy object (fresh for every engine built, so a replay starts where the
 * live run did).
 *
 * @param id       unique among the engine's strategies, {@code [a-z0-9-]{1,32}}; names the strategy in
 *                 the API, logs, metrics and snapshots
 * @param config   pair, instruments, levels and anti-churn settings
 * @param strategy the quoting model
 */
public record HostedStrategy(String id, StrategyEngineConfig config, Strategy strategy) {
    /** what a strategy id may look like */
    public static final Pattern ID = Pattern.compile("[a-z0-9-]{1,32}");

    public HostedStrategy {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("strategy id '" + id + "' must match " + ID.pattern());
        }
        if (config == null || strategy == null) {
            throw new IllegalArgumentException("strategy " + id + " needs a configuration and a strategy");
        }
    }
}
