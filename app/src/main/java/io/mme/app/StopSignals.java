package io.mme.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's SIGTERM and SIGINT while a run ({@code mme run}, {@code mme demo}) is on: owns their
 * handlers from {@link #install()} to {@link #close()}, which puts the previous ones back.
 *
 * <p>The first signal only requests the stop: the CLI thread, waiting in {@link #awaitStop(long)},
 * then ends trading (kill switch), drains the rings, prints the summary with its {@code digest:} line
 * and returns the exit code, which {@code Main} hands to {@code System.exit} (0, or 1 when the drain
 * failed). No shutdown hook takes part, so nothing can halt the JVM while the summary is being
 * written (the race that lost the digest in 4 of 9 stops when a shutdown hook drained and the main
 * thread printed). A second signal halts the JVM at once with 128 + the signal's number (a forced
 * exit: no drain, no summary).
 *
 * <p>The handlers are {@code sun.misc.Signal}'s (module jdk.unsupported, exported to every module),
 * reached by reflection so that the strict build (-Werror) does not fail on javac's "internal
 * proprietary API" warning, which no annotation suppresses. Where that API is missing the JVM's
 * default applies (a signal exits with 128 + its number, without a summary), with a warning in the log.
 * A signal the process was started with ignored (SIGINT in a background job of a shell script) stays
 * ignored, as the JVM does for its own handlers; the log says so.
 *
 * <p>Threads: the handlers run on the JVM's signal dispatch threads (one per signal); the CLI
 * thread installs, waits and closes. The latch and the counter are the only shared state.
 */
final class StopSignals implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private final List<Runnable> restore = new ArrayList<>();
    private volatile String firstSignal;

    private StopSignals() {
    }

    /** installs the handlers of SIGTERM and SIGINT for this run */
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method name = signalClass.getMethod("getName");
            Method number = signalClass.getMethod("getNumber");
            Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[]{handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            signals.onSignal((String) name.invoke(args[0]), (Integer) number.invoke(args[0]));
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "mme stop handler";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            Object ignored = handlerClass.getField("SIG_IGN").get(null);
            for (String signalName : SIGNALS) {
                Object signal = newSignal.newInstance(signalName);
                Object previous = handle.invoke(null, signal, handler);
                if (previous == ignored) {
                    // POSIX: a shell without job control starts background jobs with SIGINT ignored; the JVM keeps it so
                    LOG.warn("SIG{} was ignored when this process started (a background job of a script?): it stays ignored; stop with SIGTERM",
                            signalName);
                }
                signals.restore.add(() -> {
                    try {
                        handle.invoke(null, signal, previous);
                    } catch (ReflectiveOperationException e) {
                        LOG.warn("could not restore the handler of SIG{}: {}", signalName, e.toString());
                    }
                });
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("no handler for SIGTERM/SIGINT ({}): a signal will stop the JVM without the kill switch, drain or summary", e.toString());
        }
        return signals;
    }

    private void onSignal(String name, int number) {
        int count = received.incrementAndGet();
        if (count == 1) {
            firstSignal = "SIG" + name;
            LOG.info("SIG{}: stop requested: kill switch, drain, summary (a second signal forces the exit)", name);
            stopRequested.countDown();
            return;
        }
        System.err.printf("mme: SIG%s again while stopping: forced exit without the drain and summary (exit %d)%n", name, 128 + number);
        System.err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(128 + number);
    }

    /** waits up to {@code nanos} for a stop signal; true when one came */
    boolean awaitStop(long nanos) {
        try {
            return stopRequested.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** the signal that asked the run to stop ("SIGTERM", "SIGINT"), or null when none came */
    String stopSignal() {
        return firstSignal;
    }

    /** puts the previous handlers back */
    @Override
    public void close() {
        restore.forEach(Runnable::run);
        restore.clear();
    }
}
