/**
 * Binance spot: decoding of the combined market data streams (diff depth, book ticker, trades) and
 * the documented snapshot + diff synchronisation of each book ({@link io.mme.connectors.binance.BinanceFeed},
 * owned by the feed's decoding thread); and order entry ({@link io.mme.connectors.binance.BinanceGateway}:
 * REST orders signed by {@link io.mme.connectors.binance.BinanceSigner}, the WS API user data stream,
 * reconciliation, rate limits), whose threads are described on the gateway.
 */
package io.mme.connectors.binance;
