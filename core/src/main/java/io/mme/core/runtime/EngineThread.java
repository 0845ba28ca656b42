package io.mme.core.runtime;

/**
 * The thread of one engine. It carries what {@link EngineWaitStrategy} needs to know when the
 * engine waits for its next event: the configured {@link WaitStrategyKind}, the engine's own
 * inbound publisher, whose held-back events make the wait end early so that they get flushed, and
 * the engine's idle wake-up period.
 */
final class EngineThread extends Thread {
    private final WaitStrategyKind waitStrategy;
    private final InboundPublisher publisher;
    private final long idleWakeUpNanos;

    EngineThread(String engineName, WaitStrategyKind waitStrategy, InboundPublisher publisher, long idleWakeUpNanos,
                 Runnable body) {
        super(body, "mme-" + engineName);
        this.waitStrategy = waitStrategy;
        this.publisher = publisher;
        this.idleWakeUpNanos = idleWakeUpNanos;
        setDaemon(false);
    }

    /**
     * How long this engine may wait before it must run again: to flush held-back events, or for
     * an engine that asked for idle wake-ups; 0 means it may wait indefinitely.
     */
    long maxWaitNanos(long flushInterval) {
        if (publisher.held() > 0) {
            return idleWakeUpNanos > 0 ? Math.min(idleWakeUpNanos, flushInterval) : flushInterval;
        }
        return idleWakeUpNanos;
    }

    WaitStrategyKind waitStrategy() {
        return waitStrategy;
    }

}
