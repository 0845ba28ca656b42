package io.mme.core.digest;

/**
 * An engine whose final state goes into the run's digest. Called by the thread that stopped the
 * pipeline, after the engine threads ended (their join is the happens-before edge).
 */
public interface DigestibleState {
    /** feeds the engine's state into {@code digest}, in an order that does not depend on hash iteration */
    void digestState(StateDigest digest);
}
