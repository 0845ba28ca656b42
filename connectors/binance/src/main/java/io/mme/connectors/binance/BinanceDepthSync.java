package io.mme.connectors.binance;

import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;

/**
 * Keeps one Binance book in step with the venue by the documented procedure: buffer diff events
 * until a REST snapshot arrives; drop buffered events the snapshot already contains
 * ({@code u <= lastUpdateId}); load the snapshot; apply the rest in order, each only if it follows
 * on ({@code U <= bookId + 1}); a gap ({@code U > bookId + 1}) throws the book away, marks it
 * invalid and starts buffering again for a new snapshot.
 *
 * <p>The buffer is preallocated; if it fills before a snapshot arrives, it is emptied and the book
 * stays unsynchronised (the next snapshot will be newer than what was dropped).
 *
 * <p>Thread: the decoding thread of the feed.
 */
public final class BinanceDepthSync {
    /** what the caller should do after offering a snapshot */
    public enum SnapshotResult {
        /** the book is synchronised */
        APPLIED,
        /** the snapshot is older than the first buffered event: fetch another */
        TOO_OLD,
        /** a buffered event did not follow on from the snapshot: fetch another */
        GAP
    }

    private final int instrumentId;
    private final FeedSink sink;
    private boolean synced;
    private long bookId;
    private long gaps;
    private long applied;

    // buffered events: [U, u] and a range of buffered levels
    private final long[] bufFirst;
    private final long[] bufLast;
    private final int[] bufLevelStart;
    private final int[] bufLevelCount;
    private int bufEvents;
    private final boolean[] levelBid;
    private final long[] levelPrice;
    private final long[] levelQty;
    private int bufLevels;

    public BinanceDepthSync(int instrumentId, FeedSink sink, int maxBufferedEvents, int maxBufferedLevels) {
        this.instrumentId = instrumentId;
        this.sink = sink;
        bufFirst = new long[maxBufferedEvents];
        bufLast = new long[maxBufferedEvents];
        bufLevelStart = new int[maxBufferedEvents];
        bufLevelCount = new int[maxBufferedEvents];
        levelBid = new boolean[maxBufferedLevels];
        levelPrice = new long[maxBufferedLevels];
        levelQty = new long[maxBufferedLevels];
    }

    public boolean synced() {
        return synced;
    }

    /** the update id of the last applied event (the book's version) */
    public long bookId() {
        return bookId;
    }

    /** how many gaps forced a resync */
    public long gaps() {
        return gaps;
    }

    /** forgets the book and the buffer: the next events are buffered for a new snapshot */
    public void reset() {
        synced = false;
        bufEvents = 0;
        bufLevels = 0;
    }

    /** true when a snapshot is wanted: not synced and at least one event buffered */
    public boolean needsSnapshot() {
        return !synced && bufEvents > 0;
    }

    /**
     * One diff event: {@code [firstId, lastId]} and its levels ({@code count} of them in the
     * decoder's scratch arrays).
     */
    void onDiff(long firstId, long lastId, boolean[] bid, long[] price, long[] qty, int count) {
        if (synced) {
            if (lastId <= bookId) {
                return;
            }
            if (firstId > bookId + 1) {
                gaps++;
                synced = false;
                sink.invalid(instrumentId, "sequence gap: expected an event starting at or before " + (bookId + 1) + ", got " + firstId);
                bufEvents = 0;
                bufLevels = 0;
                buffer(firstId, lastId, bid, price, qty, count);
                return;
            }
            apply(lastId, bid, price, qty, 0, count);
            sink.endOfMessage(instrumentId, bookId);
            return;
        }
        buffer(firstId, lastId, bid, price, qty, count);
    }

    /** Offers a REST snapshot; its levels are in the decoder's scratch arrays. */
    SnapshotResult onSnapshot(long lastUpdateId, boolean[] bid, long[] price, long[] qty, int count) {
        if (bufEvents > 0 && lastUpdateId < bufFirst[0]) {
            return SnapshotResult.TOO_OLD;
        }
        sink.clear(instrumentId, lastUpdateId);
        for (int i = 0; i < count; i++) {
            sink.level(instrumentId, bid[i] ? Side.BUY : Side.SELL, price[i], qty[i], lastUpdateId);
        }
        bookId = lastUpdateId;
        synced = true;
        for (int e = 0; e < bufEvents; e++) {
            if (bufLast[e] <= bookId) {
                continue;
            }
            if (bufFirst[e] > bookId + 1) {
                gaps++;
                synced = false;
                sink.invalid(instrumentId, "buffered event starting at " + bufFirst[e] + " does not follow snapshot " + lastUpdateId);
                // keep the events from here on: a newer snapshot can still continue them
                compactFrom(e);
                return SnapshotResult.GAP;
            }
            apply(bufLast[e], levelBid, levelPrice, levelQty, bufLevelStart[e], bufLevelStart[e] + bufLevelCount[e]);
        }
        bufEvents = 0;
        bufLevels = 0;
        sink.endOfMessage(instrumentId, bookId);
        return SnapshotResult.APPLIED;
    }

    /** diff events that passed the sequence check and were applied */
    public long applied() {
        return applied;
    }

    private void apply(long lastId, boolean[] bid, long[] price, long[] qty, int from, int to) {
        applied++;
        for (int i = from; i < to; i++) {
            sink.level(instrumentId, bid[i] ? Side.BUY : Side.SELL, price[i], qty[i], lastId);
        }
        bookId = lastId;
    }

    private void buffer(long firstId, long lastId, boolean[] bid, long[] price, long[] qty, int count) {
        if (bufEvents == bufFirst.length || bufLevels + count > levelPrice.length) {
            // dropped events are older than any snapshot fetched from now on; start the buffer afresh
            bufEvents = 0;
            bufLevels = 0;
            if (count > levelPrice.length) {
                return;
            }
        }
        bufFirst[bufEvents] = firstId;
        bufLast[bufEvents] = lastId;
        bufLevelStart[bufEvents] = bufLevels;
        bufLevelCount[bufEvents] = count;
        System.arraycopy(bid, 0, levelBid, bufLevels, count);
        System.arraycopy(price, 0, levelPrice, bufLevels, count);
        System.arraycopy(qty, 0, levelQty, bufLevels, count);
        bufLevels += count;
        bufEvents++;
    }

    private void compactFrom(int first) {
        int levelShift = bufLevelStart[first];
        int events = bufEvents - first;
        System.arraycopy(bufFirst, first, bufFirst, 0, events);
        System.arraycopy(bufLast, first, bufLast, 0, events);
        System.arraycopy(bufLevelStart, first, bufLevelStart, 0, events);
        System.arraycopy(bufLevelCount, first, bufLevelCount, 0, events);
        for (int e = 0; e < events; e++) {
            bufLevelStart[e] -= levelShift;
        }
        int levels = bufLevels - levelShift;
        System.arraycopy(levelBid, levelShift, levelBid, 0, levels);
        System.arraycopy(levelPrice, levelShift, levelPrice, 0, levels);
        System.arraycopy(levelQty, levelShift, levelQty, 0, levels);
        bufEvents = events;
        bufLevels = levels;
    }
}
