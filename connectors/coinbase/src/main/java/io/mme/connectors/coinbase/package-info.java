/**
 * Coinbase. Market data: decoding of the public WebSocket feeds into normalised
 * {@link io.mme.marketdata.FeedSink} calls, for Advanced Trade ({@code l2_data} with the
 * per-connection {@code sequence_num} check, {@code market_trades}, {@code ticker}) and for the
 * legacy Exchange feed ({@code level2}, {@code ticker}, {@code matches}); each decoder is owned by
 * its connection's decoding thread. Order entry: {@link io.mme.connectors.coinbase.CoinbaseGateway},
 * the Advanced Trade REST API signed per request by {@link io.mme.connectors.coinbase.CoinbaseJwtSigner}
 * (JWT ES256) and the {@code user} channel, on the gateway's own threads.
 */
package io.mme.connectors.coinbase;
