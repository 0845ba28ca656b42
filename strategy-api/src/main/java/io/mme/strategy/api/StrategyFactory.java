package io.mme.strategy.api;

/**
 * Builds strategies of one type. Found with {@link java.util.ServiceLoader}: a plug-in jar lists
 * its factories in {@code META-INF/services/io.mme.strategy.api.StrategyFactory}, one class name a
 * line, and the engine loads the jars on {@code --strategy-path}. A configuration's
 * {@code strategies[].type} names the factory; its {@code parameters} are then set one by one,
 * in key order, with {@link Strategy#setParameter} (a refusal stops the start with the message).
 *
 * <p>A factory needs a public no-argument constructor. Type names are unique over the engine's
 * built-in strategies and every loaded jar; {@code [a-z0-9-]{1,32}}.
 */
public interface StrategyFactory {
    /** the type name a configuration uses ("inventory-skew", "micro-price") */
    String type();

    /** a fresh strategy with its default parameters (one per configured strategy, and one per replay) */
    Strategy newStrategy();
}
