/**
 * WebSocket sessions for the venue feeds: connect, subscribe within the venue's rate limit,
 * reconnect with jittered exponential backoff, respect the connection lifetime. The session's
 * threads (the WebSocket reader, a timer) call the venue handler one at a time.
 */
package io.mme.marketdata.session;
