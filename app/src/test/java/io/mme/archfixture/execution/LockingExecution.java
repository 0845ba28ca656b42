package io.mme.archfixture.execution;

/** planted violation: an engine class with a synchronized block (no synchronized method) */
public final class LockingExecution {
    private final Object lock = new Object();
    private long orders;

    public long add() {
        synchronized (lock) {
            return ++orders;
        }
    }
}
