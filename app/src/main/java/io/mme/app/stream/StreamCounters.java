package io.mme.app.stream;

import java.util.concurrent.atomic.LongAdder;

/**
 * The stream's counters since start, for /metrics and the benchmark: written by the dispatcher
 * thread and Jetty's threads (send callbacks, the upgrade), read by any thread.
 */
final class StreamCounters {
    /** data and control messages handed to clients' connections */
    final LongAdder messagesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    /** stream messages compressed for permessage-deflate: once each, however many connections sent them */
    final LongAdder messagesDeflated = new LongAdder();
    /** compressed bytes handed to connections that negotiated permessage-deflate */
    final LongAdder deflatedBytesSent = new LongAdder();
    /** trades messages a client did not get because it was behind (it sees a gap in seq) */
    final LongAdder tradesDropped = new LongAdder();
    /** book snapshots sent in place of the deltas a client behind had missed */
    final LongAdder booksConflated = new LongAdder();
    /** full-state messages (quotes, positions, states, status, l3Book) a client behind skipped for a later one */
    final LongAdder statesConflated = new LongAdder();
    /** public trades that left the tap's buffer before the stream read them (signalled in the trades message's lost) */
    final LongAdder tradesLost = new LongAdder();
    /** clients closed because their connection took no frame for the stall timeout */
    final LongAdder slowClientsClosed = new LongAdder();
    /** upgrade requests refused for their Origin */
    final LongAdder originsRefused = new LongAdder();
    /** requests answered with an error message (bad subscription, unknown field, ...) */
    final LongAdder requestErrors = new LongAdder();
}
