package io.mme.archfixture.strategy;

/** planted violation: an engine class with a synchronized method */
public final class LockedStrategy {
    private long quotes;

    public synchronized long quote() {
        return ++quotes;
    }
}
