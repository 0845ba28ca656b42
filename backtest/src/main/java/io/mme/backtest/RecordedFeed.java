package io.mme.backtest;

import io.mme.marketdata.FeedSink;

/**
 * Recorded market data that is already normalised (the engine's own inbound journal, say), read
 * message by message in receive-time order and replayed into the backtest's {@link FeedSink} as a
 * venue decoder would feed it. Instrument ids are the backtest configuration's.
 *
 * <p>Thread: the backtest's; one run per feed.
 */
public interface RecordedFeed extends AutoCloseable {
    /**
     * Moves to the next message.
     *
     * @return false at the end of the recording
     * @throws BacktestInputException when the recording cannot be used (named place and reason)
     */
    boolean next();

    /** the current message's receive time, epoch nanoseconds */
    long timestamp();

    /** the current message's venue time, epoch nanoseconds, or -1 when the venue gave none */
    long venueTimestamp();

    /** feeds the current message into the sink: its levels, trades and the end of the message */
    void apply(FeedSink sink);

    /** whether a whole book (a clear and its levels) of the instrument has been fed */
    boolean synced(int instrumentId);

    /** the bytes of the recording read so far and in all, for the progress bar */
    long bytesRead();

    long totalBytes();

    /** what the recording is, for messages (its path) */
    String describe();

    @Override
    void close();

    /** opens a fresh feed of the same recording for each run (a sweep runs several) */
    @FunctionalInterface
    interface Opener {
        RecordedFeed open();
    }
}
