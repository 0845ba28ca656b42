/**
 * The built-in strategies, written against the public API ({@link io.mme.strategy.api.Strategy},
 * module mme-strategy-api), the catalog of strategy types (built in and plug-in jars,
 * {@link io.mme.strategy.StrategyCatalog}) and the engine that hosts the desk's strategies on the inbound ring ({@link io.mme.strategy.StrategyEngine}, stage 2
 * of the chain): it keeps the state of every quote slot from our execution reports, turns the
 * strategy's wanted quotes into ticks and lots rounded in the safe direction, and writes PLACE /
 * REPLACE / CANCEL intents into the slot of the event that caused them, after the IOC taker intents
 * a strategy asks for ({@link io.mme.strategy.api.TakerOrders}; {@link io.mme.strategy.XemmStrategy}
 * hedges with them).
 *
 * <p>Threads: everything here is owned by the strategy engine's thread; only
 * {@link io.mme.strategy.StrategyView} and {@link io.mme.strategy.StrategyEngine#lastRefusal()} may
 * be read by other threads while it runs.
 */
package io.mme.strategy;
