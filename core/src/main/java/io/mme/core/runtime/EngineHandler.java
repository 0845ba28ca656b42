package io.mme.core.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Engine} as a Disruptor handler and keeps the promise of the engine contract: an
 * exception from the engine is logged, recorded in the engine's health, halts trading, and the
 * event is marked as faulted and passed on. The processor's sequence still advances past it, so
 * the engines downstream and the audit see every event; nothing is skipped in silence and the
 * thread keeps consuming, so the books stay current while trading is halted.
 *
 * <p>Only errors the JVM cannot recover from ({@link VirtualMachineError}) are rethrown; they end
 * the thread, and {@link #handleEventException} reports the engine as DEAD first.
 *
 * <p>Runs on the engine's thread only.
 */
final class EngineHandler<E> implements EventHandler<E>, ExceptionHandler<E> {
    private static final Logger LOG = LoggerFactory.getLogger(EngineHandler.class);

    private final String name;
    private final Engine<E> engine;
    private final EngineHealth health;
    private final PipelineHealth pipelineHealth;
    private final FaultPolicy<E> faultPolicy;
    private final EngineContext context;
    private final CpuPinning pinning;
    private final int cpu;
    private CpuPinning.Outcome pinned;
    /** the engine's place in the business chain, whose finishing time it stamps on each slot; -1 elsewhere */
    private int chainStage = -1;
    private Snapshots snapshots;

    EngineHandler(String name, Engine<E> engine, EngineHealth health, PipelineHealth pipelineHealth,
                  FaultPolicy<E> faultPolicy, EngineContext context, CpuPinning pinning, int cpu) {
        this.name = name;
        this.engine = engine;
        this.health = health;
        this.pipelineHealth = pipelineHealth;
        this.faultPolicy = faultPolicy;
        this.context = context;
        this.pinning = pinning;
        this.cpu = cpu;
    }

    /** writes the engine's state at snapshot events (when it keeps state and a sink is configured) */
    EngineHandler<E> snapshots(Snapshots snapshots) {
        this.snapshots = snapshots;
        return this;
    }

    /** stamps each inbound slot with the time this chain stage finished with it (latency figures only) */
    EngineHandler<E> stampsChainStage(int stage) {
        this.chainStage = stage;
        return this;
    }

    @Override
    public void onStart() {
        pinned = pinning.pin(name, cpu);
        health.pinning(pinned.description());
        health.state(EngineState.RUNNING);
        try {
            engine.onStart(context);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            fault("start-up", Long.MIN_VALUE, null, t);
        }
    }

    @Override
    public void onEvent(E event, long sequence, boolean endOfBatch) {
        try {
            engine.onEvent(event, sequence, endOfBatch);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            fault("event " + sequence, sequence, event, t);
        }
        if (chainStage >= 0) {
            ((io.mme.core.ring.InboundEvent) event).stageDone(chainStage, System.nanoTime());
        }
        if (snapshots != null) {
            snapshots.afterEvent(name, engine, event);
        }
    }

    /**
     * The wait ended early: the engine's publisher holds events back, or the engine asked for idle
     * wake-ups. Publish what is held, then let the engine run.
     */
    @Override
    public void onTimeout(long sequence) {
        context.inbound().flush();
        if (engine.idleWakeUpNanos() > 0) {
            try {
                engine.onIdle();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                if (context.inbound().isClosed()) {
                    // the pipeline closed its publishers while the engine did idle work (a simulated market's
                    // step as shutdown began): that step has nowhere to go and nothing of the run is lost
                    LOG.debug("engine {}: idle wake-up after the pipeline closed its publishers: {}", name, t.toString());
                    return;
                }
                fault("idle wake-up", Long.MIN_VALUE, null, t);
            }
        }
    }

    @Override
    public void onShutdown() {
        try {
            engine.onShutdown();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.error("engine {} threw while shutting down", name, t);
            health.fault("shutdown: " + t);
        } finally {
            if (health.state() != EngineState.FAULTED) {
                health.state(EngineState.STOPPED);
            }
            if (pinned != null) {
                pinned.release();
            }
        }
    }

    /** @param sequence the ring sequence of the event, or Long.MIN_VALUE outside an event */
    private void fault(String where, long sequence, E event, Throwable t) {
        recordFault(name, where, sequence, event, t, faultPolicy, health, pipelineHealth);
    }

    /**
     * What an engine's exception does, wherever the engine runs (its own thread or the fused
     * chain's): logged, recorded in the engine's health, the slot marked, trading halted from the
     * event on.
     */
    static <E> void recordFault(String name, String where, long sequence, E event, Throwable t, FaultPolicy<E> policy,
                                EngineHealth health, PipelineHealth pipelineHealth) {
        String description = name + " threw on " + where + ": " + t;
        LOG.error("engine {} threw on {}; trading halted, the event is passed on marked as faulted", name, where, t);
        long haltFrom = Long.MIN_VALUE;
        if (event != null) {
            policy.mark(event, name);
            haltFrom = policy.haltFrom(event, sequence);
        }
        health.fault(description);
        pipelineHealth.haltTrading(description, haltFrom);
    }

    // ExceptionHandler: reached only for errors onEvent/onStart/onShutdown rethrew (VirtualMachineError).

    @Override
    public void handleEventException(Throwable ex, long sequence, E event) {
        reportFatal("event " + sequence, ex);
        throw asUnchecked(ex);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
        reportFatal("start-up", ex);
        throw asUnchecked(ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
        reportFatal("shutdown", ex);
    }

    private void reportFatal(String where, Throwable ex) {
        LOG.error("engine {} died on {}; trading halted", name, where, ex);
        health.fault(name + " died on " + where + ": " + ex);
        health.state(EngineState.DEAD);
        pipelineHealth.haltTrading(name + " died: " + ex, Long.MIN_VALUE);
    }

    private static RuntimeException asUnchecked(Throwable ex) {
        if (ex instanceof RuntimeException r) {
            return r;
        }
        if (ex instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(ex);
    }
}
