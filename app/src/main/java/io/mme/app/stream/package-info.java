/**
 * The streaming API (WebSocket /api/v1/stream): {@link io.mme.app.stream.StreamTap}, an engine after
 * the chain that keeps the books, order-level books and trades subscribers are sent and publishes
 * conflated immutable snapshots; {@link io.mme.app.stream.StreamServer}, the endpoint and its
 * dispatcher thread. The protocol is documented in docs/STREAMING.md.
 */
package io.mme.app.stream;
