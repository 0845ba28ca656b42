/**
 * The streaming API (WebSocket /api/v1/stream): {@link io.mme.app.stream.StreamTap}, an engine after
 * the chain that keeps the books, order-level books and trades subscribers are sent and publishes
 * conflated immutable snapshots; {@link io.mme.app.stream.StreamServer}, the endpoint and its
 * dispatcher thread; {@code StreamChannel}, one per stream (a channel with its parameters), which
 * numbers and serialises each message once for all its subscribers; {@code StreamClient}, one per
 * connection, which sends each what it is due without ever blocking. The protocol is documented in
 * docs/STREAMING.md.
 */
package io.mme.app.stream;
