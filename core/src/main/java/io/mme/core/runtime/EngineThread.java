package io.mme.core.runtime;

/**
 * The thread of one engine. It carries what {@link EngineWaitStrategy} needs to know when the
 * engine waits for its next event: the configured {@link WaitStrategyKind}, and the engine's own
 * inbound publisher, whose held-back events make the wait end early so that they get flushed.
 */
final class EngineThread extends Thread {
    private final WaitStrategyKind waitStrategy;
    private final InboundPublisher publisher;

    EngineThread(String engineName, WaitStrategyKind waitStrategy, InboundPublisher publisher, Runnable body) {
        super(body, "mme-" + engineName);
        this.waitStrategy = waitStrategy;
        this.publisher = publisher;
        setDaemon(false);
    }

    WaitStrategyKind waitStrategy() {
        return waitStrategy;
    }

    /** true while the engine's publisher holds events back: its waits must end to flush them */
    boolean hasHeldEvents() {
        return publisher.held() > 0;
    }
}
