package io.mme.core.runtime;

/**
 * The thread of one engine. It carries what {@link EngineWaitStrategy} needs to know when the
 * engine waits for its next event: the configured {@link WaitStrategyKind}, the engine's own
 * inbound publisher, whose held-back events make the wait end early so that they get flushed, and
 * the engine's idle wake-up period.
 *
 * <p>When the engine's body returns, the thread lets go of it and of the publisher: a thread object
 * outlives its thread wherever a library keeps it (the Disruptor's single-producer assertion and
 * Chronicle's thread-local registries hold threads in static maps), and a dead engine thread must
 * not keep its engine's rings and processor reachable. Both fields are read and cleared by this
 * thread only (set before {@link #start()}).
 */
final class EngineThread extends Thread {
    private final WaitStrategyKind waitStrategy;
    private InboundPublisher publisher;
    private final long idleWakeUpNanos;
    private Runnable body;

    EngineThread(String engineName, WaitStrategyKind waitStrategy, InboundPublisher publisher, long idleWakeUpNanos,
                 Runnable body) {
        super("mme-" + engineName);
        this.waitStrategy = waitStrategy;
        this.publisher = publisher;
        this.idleWakeUpNanos = idleWakeUpNanos;
        this.body = body;
        setDaemon(false);
    }

    @Override
    public void run() {
        try {
            body.run();
        } finally {
            body = null;
            publisher = null;
        }
    }

    /**
     * How long this engine may wait before it must run again: to flush held-back events, or for
     * an engine that asked for idle wake-ups; 0 means it may wait indefinitely.
     */
    long maxWaitNanos(long flushInterval) {
        if (publisher != null && publisher.held() > 0) {
            return idleWakeUpNanos > 0 ? Math.min(idleWakeUpNanos, flushInterval) : flushInterval;
        }
        return idleWakeUpNanos;
    }

    WaitStrategyKind waitStrategy() {
        return waitStrategy;
    }

}
