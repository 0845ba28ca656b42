/**
 * Kraken spot. Market data: decoding of the public WebSocket book channels, v1 {@code book-N} and
 * v2 {@code book}, into books verified by the venue's CRC32 checksum, and of the v2 {@code trade}
 * channel ({@link io.mme.connectors.kraken.KrakenFeed}, owned by the feed's decoding thread). Order
 * entry: {@link io.mme.connectors.kraken.KrakenGateway}, the engine's live gateway over Kraken's
 * private REST calls (signed by {@link io.mme.connectors.kraken.KrakenSigner}) with the WebSocket
 * v2 {@code executions} channel as its private stream, owned by the gateway's own thread.
 */
package io.mme.connectors.kraken;
