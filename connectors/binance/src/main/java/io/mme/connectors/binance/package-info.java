/**
 * Binance spot. So far: decoding of the combined market data streams (diff depth, book ticker,
 * trades) and the documented snapshot + diff synchronisation of each book. The WebSocket session,
 * order entry and the user data stream come with their issues. Owned by the feed's decoding thread.
 */
package io.mme.connectors.binance;
