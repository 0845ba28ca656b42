/**
 * The public strategy API of mme: what a desk compiles its own strategies against
 * ({@code io.mme:mme-strategy-api}, no dependencies). A {@link io.mme.strategy.api.Strategy} hears
 * the market and its own orders through callbacks, reads everything else from a read-only
 * {@link io.mme.strategy.api.MarketView}, and answers with the {@link io.mme.strategy.api.Quotes} it
 * wants; the engine rounds, diffs, anti-churns and sends them. It may also ask for IOC taker orders
 * ({@link io.mme.strategy.api.TakerOrders}, e.g. to hedge). A
 * {@link io.mme.strategy.api.StrategyFactory} found with {@link java.util.ServiceLoader} builds it by
 * type name. Every callback runs on the strategy engine's one thread and must not allocate.
 */
package io.mme.strategy.api;
