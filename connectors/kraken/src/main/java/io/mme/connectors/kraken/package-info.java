/**
 * Kraken spot. So far: decoding of the public WebSocket book channels, v1 {@code book-N} and v2
 * {@code book}, into books verified by the venue's CRC32 checksum, and of the v2 {@code trade}
 * channel. The WebSocket session (subscribing, resubscribing a book whose checksum failed), order
 * entry and the private feeds come with their issues. Owned by the feed's decoding thread.
 */
package io.mme.connectors.kraken;
