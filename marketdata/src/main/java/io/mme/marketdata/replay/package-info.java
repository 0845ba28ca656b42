/**
 * Replaying recorded venue traffic: the recording formats of ../shared/data (cryptofeed's
 * {@code .rec} lines and the Coinbase {@code .jsonl} capture) and a loopback WebSocket server that
 * plays a recording to a real connector, with optional faults. Used by the connector tests and by
 * {@code mme feed check}. Never listens on anything but 127.0.0.1.
 */
package io.mme.marketdata.replay;
