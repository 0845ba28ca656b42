package io.mme.app;

import java.util.function.LongSupplier;

/**
 * The pacing gate of a replay with playback: it decides when the feeder may release a journal record
 * into the engines, by the record's event time (its journaled timestamp) against a wall clock scaled
 * by the speed. It never changes a record or its order, only when it goes in, so the engines take
 * the same decisions as in the live run.
 *
 * <p>Owns the playback state (playing or paused, speed, the anchor pairing a wall time with an event
 * time, the seek target, the position and the count of records released), guarded by this object's
 * monitor: the controls (play, pause, speed, seek) come from any thread (the HTTP handlers, a test),
 * {@link #awaitRelease} is called by the feeder thread only.
 *
 * <p>While a seek target is set, every record at or before it is released at once (paused or not);
 * the first record after it re-anchors the clock there, so playback goes on from the target.
 */
public final class PlaybackGate {
    /** the slowest and fastest speed offered */
    public static final double MIN_SPEED = io.mme.app.api.PlaybackControl.MIN_SPEED;
    public static final double MAX_SPEED = io.mme.app.api.PlaybackControl.MAX_SPEED;

    /** what {@link #awaitRelease} tells the feeder */
    public enum Release {
        /** publish the record */
        GO,
        /** a seek backward: rebuild the engines and feed again from the journal's start */
        REBUILD,
        /** the playback is closed: stop feeding */
        CLOSED
    }

    /** a consistent copy of the state, for the API */
    public record State(boolean playing, double speed, long positionNanos, long released, long seekTargetNanos) {
    }

    private final LongSupplier wallNanos;
    private boolean playing;
    private double speed = 1;
    /** the event time that was current at {@link #anchorWall}; Long.MIN_VALUE until the first record */
    private long anchorEvent = Long.MIN_VALUE;
    private long anchorWall;
    /** records at or before this time go at once; Long.MIN_VALUE when no seek is under way */
    private long seekTarget = Long.MIN_VALUE;
    private boolean rebuild;
    private boolean closed;
    private long position = Long.MIN_VALUE;
    private long released;

    /** @param wallNanos the wall clock (System::nanoTime; a test's own) */
    public PlaybackGate(LongSupplier wallNanos) {
        this.wallNanos = wallNanos;
    }

    public synchronized void play() {
        reanchor();
        playing = true;
        notifyAll();
    }

    public synchronized void pause() {
        reanchor();
        playing = false;
        notifyAll();
    }

    /**
     * Sets the speed (event time per wall time).
     *
     * @throws IllegalArgumentException naming the value when it is outside 0.5..100 or not a number
     */
    public synchronized void speed(double value) {
        if (!(value >= MIN_SPEED && value <= MAX_SPEED)) {
            throw new IllegalArgumentException("speed " + value + " is outside " + MIN_SPEED + ".." + MAX_SPEED);
        }
        reanchor();
        speed = value;
        notifyAll();
    }

    /**
     * Seeks to event time {@code targetNanos}: forward, the records up to it are released at once;
     * backward, the feeder is told to rebuild the engines and run from the start to it. The playing
     * or paused state stays as it was.
     */
    public synchronized void seek(long targetNanos) {
        if (position != Long.MIN_VALUE && targetNanos < position) {
            rebuild = true;
            released = 0;
            position = Long.MIN_VALUE;
        }
        seekTarget = targetNanos;
        notifyAll();
    }

    /** stops the feeder at its next record */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized State state() {
        return new State(playing, speed, position, released, seekTarget);
    }

    /**
     * The event time up to which records may go now, or Long.MIN_VALUE when none may (paused, no
     * seek): the anchor's event time plus the wall time since it times the speed.
     */
    public synchronized long releasableUntil() {
        long bySeek = seekTarget;
        if (!playing || anchorEvent == Long.MIN_VALUE) {
            return bySeek;
        }
        long byClock = anchorEvent + (long) ((wallNanos.getAsLong() - anchorWall) * speed);
        return Math.max(bySeek, byClock);
    }

    /**
     * Called by the feeder before each record: blocks until the record's time {@code eventNanos} is
     * due, then counts it as released. Returns REBUILD (once) after a seek backward and CLOSED after
     * {@link #close()}, without releasing the record.
     */
    public synchronized Release awaitRelease(long eventNanos) throws InterruptedException {
        if (anchorEvent == Long.MIN_VALUE) {
            anchorEvent = eventNanos;
            anchorWall = wallNanos.getAsLong();
        }
        while (true) {
            if (closed) {
                return Release.CLOSED;
            }
            if (rebuild) {
                rebuild = false;
                return Release.REBUILD;
            }
            if (seekTarget != Long.MIN_VALUE && eventNanos > seekTarget) {
                // the seek is done: playback goes on from its target
                anchorEvent = seekTarget;
                anchorWall = wallNanos.getAsLong();
                seekTarget = Long.MIN_VALUE;
                notifyAll();
            }
            long until = releasableUntil();
            if (until != Long.MIN_VALUE && eventNanos <= until) {
                position = Math.max(position, eventNanos);
                released++;
                return Release.GO;
            }
            if (playing && until != Long.MIN_VALUE) {
                long waitNanos = (long) ((eventNanos - until) / speed);
                wait(Math.max(1, Math.min(50, waitNanos / 1_000_000)));
            } else {
                wait(50);
            }
        }
    }

    /**
     * Called by the feeder once the journal's last record went: blocks until a seek backward
     * (REBUILD) or {@link #close()} (CLOSED); a seek forward past the end is cleared.
     */
    public synchronized Release awaitAfterEnd() throws InterruptedException {
        while (true) {
            if (closed) {
                return Release.CLOSED;
            }
            if (rebuild) {
                rebuild = false;
                return Release.REBUILD;
            }
            seekTarget = Long.MIN_VALUE;
            wait(50);
        }
    }

    /** the feeder after a rebuild: the first record of the new pass anchors the clock again */
    public synchronized void restarted() {
        anchorEvent = Long.MIN_VALUE;
        position = Long.MIN_VALUE;
        released = 0;
    }

    /** keeps playback where it is when play, pause or the speed changes */
    private void reanchor() {
        if (anchorEvent == Long.MIN_VALUE) {
            return;
        }
        long now = wallNanos.getAsLong();
        if (playing) {
            anchorEvent = anchorEvent + (long) ((now - anchorWall) * speed);
        }
        if (position != Long.MIN_VALUE && anchorEvent < position) {
            anchorEvent = position;
        }
        anchorWall = now;
    }
}
