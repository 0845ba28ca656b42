package io.mme.app;

/**
 * A stand-in for a run whose drain never ends, for {@link ProcessLifecycleIT}'s second-signal case:
 * installs {@link StopSignals}, says "ready", waits for the first signal, says "stopping" and then
 * hangs, so that only a second signal can end the process. Main thread only.
 */
public final class StopSignalsProbe {
    private StopSignalsProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (StopSignals signals = StopSignals.install()) {
            System.out.println("ready");
            System.out.flush();
            while (!signals.awaitStop(Long.MAX_VALUE)) {
                // no stop yet
            }
            System.out.println("stopping after " + signals.stopSignal());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // a drain that never ends
        }
    }
}
