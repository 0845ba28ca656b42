/**
 * Instrument metadata from the venues' public REST endpoints (Binance {@code exchangeInfo}, Coinbase
 * Exchange {@code products}, Kraken {@code AssetPairs}) turned into instrument specs and written as
 * a configuration fragment by {@code mme instruments}. Control path only: everything here runs on the
 * command's thread, before or outside the engine, and may allocate.
 */
package io.mme.app.instruments;
