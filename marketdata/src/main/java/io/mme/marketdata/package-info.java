/**
 * Market data: the L2 book of one venue and instrument, and the allocation-free JSON scanner the
 * venue decoders read messages with. Everything here is owned by the market data engine's thread
 * (or a connector's decoding thread before events reach the ring); nothing is shared.
 */
package io.mme.marketdata;
