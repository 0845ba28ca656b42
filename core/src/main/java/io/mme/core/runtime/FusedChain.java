package io.mme.core.runtime;

import io.mme.core.ring.InboundEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The business chain (marketdata, strategy, risk, execution) run one after the other on one thread,
 * for machines with fewer cores than engines: each event crosses no thread between the stages of
 * its decision, so tick-to-quote is the engines' own work plus one hand-off, instead of four
 * wake-ups of four threads that share two cores. The engines are the same objects with the same
 * contract; the slot still carries each stage's output to the next, in chain order.
 *
 * <p>It keeps the promises of {@link EngineHandler} per engine: an exception is logged, recorded in
 * that engine's health, halts trading from the event, and marks the slot faulted; the engines after
 * it still see the event. Each engine has its own {@link EngineHealth} entry (tracking this thread's
 * sequence), so status and the app see the four engines as before.
 *
 * <p>Thread: the fused chain's engine thread only.
 */
final class FusedChain implements Engine<InboundEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(FusedChain.class);

    private final Engine<InboundEvent>[] engines;
    private final String[] names;
    private final int[] stages;
    private final EngineHealth[] healths;
    private final PipelineHealth pipelineHealth;
    private Snapshots snapshots;

    @SuppressWarnings({"unchecked", "rawtypes"})
    FusedChain(List<String> names, List<Engine<InboundEvent>> engines, List<EngineHealth> healths, PipelineHealth pipelineHealth) {
        this.engines = engines.toArray(new Engine[0]);
        this.names = names.toArray(new String[0]);
        this.healths = healths.toArray(new EngineHealth[0]);
        this.stages = new int[this.names.length];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = Pipeline.CHAIN.indexOf(this.names[i]);
        }
        this.pipelineHealth = pipelineHealth;
    }

    void snapshots(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public void onStart(EngineContext context) {
        for (int i = 0; i < engines.length; i++) {
            healths[i].state(EngineState.RUNNING);
            healths[i].pinning("on the thread mme-" + context.name());
            try {
                engines[i].onStart(new EngineContext(names[i], context.inbound(), context.outbound(), context.health()));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                fault(i, "start-up", Long.MIN_VALUE, null, t);
            }
        }
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        for (int i = 0; i < engines.length; i++) {
            try {
                engines[i].onEvent(event, sequence, endOfBatch);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                fault(i, "event " + sequence, sequence, event, t);
            }
            StageStamps.stageDone(event, stages[i]);
            if (snapshots != null) {
                snapshots.afterEvent(names[i], engines[i], event);
            }
        }
    }

    @Override
    public void onShutdown() {
        for (int i = 0; i < engines.length; i++) {
            try {
                engines[i].onShutdown();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                LOG.error("engine {} threw while shutting down", names[i], t);
                healths[i].fault("shutdown: " + t);
            } finally {
                if (healths[i].state() != EngineState.FAULTED) {
                    healths[i].state(EngineState.STOPPED);
                }
            }
        }
    }

    private void fault(int i, String where, long sequence, InboundEvent event, Throwable t) {
        EngineHandler.recordFault(names[i], where, sequence, event, t, FaultPolicy.INBOUND, healths[i], pipelineHealth);
    }
}
