/**
 * Quoting strategies behind one small interface ({@link io.mme.strategy.QuotingStrategy}) and the
 * engine that hosts one of them on the inbound ring ({@link io.mme.strategy.StrategyEngine}, stage 2
 * of the chain): it keeps the state of every quote slot from our execution reports, turns the
 * strategy's wanted quotes into ticks and lots rounded in the safe direction, and writes PLACE /
 * REPLACE / CANCEL intents into the slot of the event that caused them.
 *
 * <p>Threads: everything here is owned by the strategy engine's thread; only
 * {@link io.mme.strategy.StrategyView} and {@link io.mme.strategy.StrategyEngine#lastRefusal()} may
 * be read by other threads while it runs.
 */
package io.mme.strategy;
