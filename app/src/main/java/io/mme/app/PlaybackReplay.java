package io.mme.app;

import io.mme.audit.JournalReader;
import io.mme.app.config.MmeSettings;
import io.mme.core.ring.InboundEvent;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A replay with playback controls: the chain engines in replay mode, fed from a run's journal by one
 * feeder thread ({@code mme-playback}) through a {@link PlaybackGate}, which releases each record at
 * its event time scaled by the speed. A seek backward closes the engines and builds them again from
 * the journal's start (the gate then lets every record up to the target through at once).
 *
 * <p>With a stream tap (a playback served to the page, {@link PlaybackServer}) the tap runs after the
 * chain of every set of engines; the feeder restarts it between two sets, while no engine thread runs it.
 *
 * <p>Owns the feeder thread, and the current {@link EngineAssembly} (written by the feeder thread
 * only, read by others through {@link #engine()}); the gate owns the playback state. The journal's
 * extent (first and last event time, record count) is read once at construction.
 */
public final class PlaybackReplay implements AutoCloseable {
    /** the journal's extent: its first and last event times and its record count */
    public record Extent(long startNanos, long endNanos, long records) {
    }

    private final MmeSettings settings;
    private final Path queue;
    private final PlaybackGate gate;
    private final Extent extent;
    private final AtomicReference<EngineAssembly> engine = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread feeder;
    /** the sequence of the last record fed in the current pass, -1 before the first */
    private volatile long lastFed = -1;
    private volatile boolean ended;
    /** the streaming API's tap after the chain (a playback served to the page), or null */
    private final io.mme.app.stream.StreamTap tap;
    /** seeks backward so far (each built the engines again) */
    private final java.util.concurrent.atomic.AtomicLong rebuilds = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param queue the run directory's journal queue
     * @throws IllegalArgumentException naming the queue when it holds no record
     */
    PlaybackReplay(MmeSettings settings, Path queue, LongSupplier wallNanos) {
        this(settings, queue, wallNanos, null);
    }

    /** the same with the streaming API's tap after the chain engines, restarted into each new set of them */
    PlaybackReplay(MmeSettings settings, Path queue, LongSupplier wallNanos, io.mme.app.stream.StreamTap tap) {
        this.tap = tap;
        this.settings = settings;
        this.queue = queue;
        this.gate = new PlaybackGate(wallNanos);
        this.extent = extent(queue);
        this.feeder = new Thread(this::feed, "mme-playback");
        this.feeder.setDaemon(true);
    }

    /** builds the engines and starts the feeder, paused at the journal's start */
    PlaybackReplay start() {
        engine.set(EngineAssembly.replay(settings, tap).start());
        feeder.start();
        return this;
    }

    public PlaybackGate gate() {
        return gate;
    }

    public Extent extent() {
        return extent;
    }

    /** the engines being fed now (another after a seek backward) */
    EngineAssembly engine() {
        return engine.get();
    }

    /** true once the journal's last record went into the engines (until a seek backward) */
    public boolean ended() {
        return ended;
    }

    /** seeks backward so far: each built the engines again */
    public long rebuilds() {
        return rebuilds.get();
    }

    /** what stopped the feeder, or null */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Waits until the whole journal went in and the chain finished it, then returns the digest of
     * the engines' final state (the live run's, by determinism); the engines are stopped.
     */
    String finish() throws InterruptedException {
        while (!ended) {
            if (failure.get() != null) {
                throw new IllegalStateException("the playback's feeder failed: " + failure.get(), failure.get());
            }
            Thread.sleep(5);
        }
        EngineAssembly current = engine.get();
        current.awaitChain(lastFed);
        current.stop();
        return current.digest();
    }

    private void feed() {
        try {
            while (true) {
                PlaybackGate.Release release = pass();
                if (release == PlaybackGate.Release.CLOSED) {
                    return;
                }
                // a seek backward: the engines again from the start
                ended = false;
                lastFed = -1;
                EngineAssembly old = engine.get();
                old.stop();
                old.close();
                if (tap != null) {
                    tap.restart(); // its engine thread ended with the old pipeline; the new one starts after this
                }
                engine.set(EngineAssembly.replay(settings, tap).start());
                rebuilds.incrementAndGet();
                gate.restarted();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** feeds the journal from its start through the gate; returns why it stopped */
    private PlaybackGate.Release pass() throws InterruptedException {
        EngineAssembly current = engine.get();
        try (JournalReader reader = new JournalReader(queue)) {
            InboundEvent record;
            while ((record = reader.next()) != null) {
                PlaybackGate.Release release = gate.awaitRelease(record.timestampNanos());
                if (release != PlaybackGate.Release.GO) {
                    return release;
                }
                current.feedRecord(record);
                lastFed = record.sequence();
            }
        }
        ended = true;
        return gate.awaitAfterEnd();
    }

    private static Extent extent(Path queue) {
        long[] e = {Long.MIN_VALUE, Long.MIN_VALUE, 0};
        try (JournalReader reader = new JournalReader(queue)) {
            InboundEvent record;
            while ((record = reader.next()) != null) {
                if (e[2]++ == 0) {
                    e[0] = record.timestampNanos();
                }
                e[1] = Math.max(e[1], record.timestampNanos());
            }
        }
        if (e[2] == 0) {
            throw new IllegalArgumentException("the journal " + queue + " holds no record to play");
        }
        return new Extent(e[0], e[1], e[2]);
    }

    /** stops the feeder and the engines */
    @Override
    public void close() {
        gate.close();
        try {
            feeder.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        EngineAssembly current = engine.get();
        if (current != null) {
            current.close();
        }
    }
}
