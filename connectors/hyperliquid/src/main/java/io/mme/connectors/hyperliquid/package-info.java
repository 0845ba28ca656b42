/**
 * Hyperliquid perpetuals, public market data only (no order entry): the WebSocket {@code l2Book}
 * (whole snapshots) and {@code trades} channels decoded by
 * {@link io.mme.connectors.hyperliquid.HyperliquidDecoder} on the feed's decoding thread
 * ({@link io.mme.connectors.hyperliquid.HyperliquidFeed}), and the venue's price rule
 * ({@link io.mme.connectors.hyperliquid.HyperliquidTicks}: the tick an instrument gets from the
 * {@code meta} answer's {@code szDecimals}, and the five-significant-figure check on top of it).
 */
package io.mme.connectors.hyperliquid;
