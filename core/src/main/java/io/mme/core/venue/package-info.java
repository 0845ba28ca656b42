/**
 * The venue SPI: what a live venue gateway (Binance, Coinbase, Kraken order entry) offers the
 * engine, and the shared pieces every gateway needs and that must behave the same on each venue:
 * client order id encoding ({@link io.mme.core.venue.ClientIdCodec}), the request budget that keeps
 * the engine under the venue's rate limits and honours its back-off orders
 * ({@link io.mme.core.venue.RequestBudget}), the server clock offset
 * ({@link io.mme.core.venue.ServerClock}), trade-id de-duplication
 * ({@link io.mme.core.venue.TradeIdWindow}) and credentials that never print
 * ({@link io.mme.core.venue.Credentials}).
 *
 * <p>Gateways live outside the deterministic core: they read the wall clock, talk to the network,
 * and feed what the venue said back into the inbound ring as execution reports, where it is
 * journaled before any engine sees it.
 */
package io.mme.core.venue;
