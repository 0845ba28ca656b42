package io.mme.core.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The pipeline's state as the app shows it: every engine's status and whether trading is halted.
 * Any thread may read. The halt flag is written by the runtime when an engine faults or the
 * pipeline shuts down, and read by the outbound publisher, which then lets only risk-reducing
 * commands (cancels) through.
 */
public final class PipelineHealth {
    private final List<EngineHealth> engines = new ArrayList<>();
    /** guarded by this; haltFrom is volatile for the gate's lock-free read */
    private String haltReason;
    private volatile long haltFrom = Long.MAX_VALUE;
    private volatile boolean shuttingDown;
    private volatile boolean recovering;

    void add(EngineHealth engine) {
        engines.add(engine);
    }

    /**
     * Halts trading for every decision taken on inbound events from {@code fromSequence} on. A fault
     * in an engine of the chain halts from the faulted event's sequence: the execution engine,
     * downstream, sees that event after the halt, so what gets refused does not depend on thread
     * timing. The earliest halt and its reason are kept.
     */
    synchronized void haltTrading(String reason, long fromSequence) {
        if (fromSequence < haltFrom) {
            if (haltReason == null) {
                haltReason = reason;
            }
            haltFrom = fromSequence;
        }
    }

    void shuttingDown() {
        shuttingDown = true;
    }

    /**
     * True once a shutdown began. Engines that generate input of their own (the paper venue's
     * simulated markets) stop doing so, so that the rings can drain.
     */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    void recovering(boolean on) {
        recovering = on;
    }

    /**
     * True while a restarted pipeline re-runs the journal's tail. Engines that generate input of
     * their own (the paper venue's simulated markets) wait until it ends: the ring's sequences then
     * belong to the journaled events being fed in.
     */
    public boolean isRecovering() {
        return recovering;
    }

    public boolean tradingHalted() {
        return haltFrom != Long.MAX_VALUE;
    }

    /** true when a decision taken on the inbound event {@code causeSequence} may not add risk */
    public boolean haltedAt(long causeSequence) {
        return causeSequence >= haltFrom;
    }

    /** why trading is halted, or null while it is not */
    public synchronized String haltReason() {
        return haltReason;
    }

    public List<EngineStatus> engines() {
        List<EngineStatus> out = new ArrayList<>(engines.size());
        for (EngineHealth engine : engines) {
            out.add(engine.snapshot());
        }
        return Collections.unmodifiableList(out);
    }

    public EngineStatus engine(String name) {
        for (EngineHealth engine : engines) {
            if (engine.name().equals(name)) {
                return engine.snapshot();
            }
        }
        throw new IllegalArgumentException("no engine named '" + name + "'");
    }

    /** a fixed-width table of the engines and the trading state, for the CLI */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-12s %-8s %-8s %-10s %-28s %12s %8s %6s%n",
                "engine", "ring", "state", "wait", "pinning", "last seq", "backlog", "faults"));
        for (EngineStatus s : engines()) {
            out.append(String.format("%-12s %-8s %-8s %-10s %-28s %12d %8d %6d%n",
                    s.name(), s.ring(), s.state(), s.waitStrategy().configName(), truncate(s.pinning(), 28),
                    s.lastSequence(), s.backlog(), s.faults()));
            if (s.firstFault() != null) {
                out.append("    fault: ").append(s.firstFault()).append(System.lineSeparator());
            }
        }
        out.append("trading: ").append(tradingHalted() ? "HALTED (" + haltReason() + ")" : "ACTIVE")
                .append(System.lineSeparator());
        return out.toString();
    }

    private static String truncate(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
