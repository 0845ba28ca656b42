/**
 * Coinbase. So far: decoding of the public market-data WebSocket feeds into normalised
 * {@link io.mme.marketdata.FeedSink} calls, for Advanced Trade ({@code l2_data} with the
 * per-connection {@code sequence_num} check, {@code market_trades}, {@code ticker}) and for the
 * legacy Exchange feed ({@code level2}, {@code ticker}, {@code matches}). The WebSocket session
 * (subscribing, acting on a decoder's resubscribe request), order entry and the user channel come
 * with their issues. Each decoder is owned by its connection's decoding thread.
 */
package io.mme.connectors.coinbase;
