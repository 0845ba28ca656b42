package io.mme.bench;

import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.runtime.Engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The inbound side of the load generator's pipeline: consumes what the paper venue publishes and
 * counts it, so the run can check that every execution report arrived. Counters are plain fields
 * owned by the engine thread; read them after the pipeline's threads were joined. {@link #consumed}
 * may be read at any time (the load generator keeps the inbound ring from overflowing with it).
 */
final class InboundCountingEngine implements Engine<InboundEvent> {
    private final AtomicLong consumed = new AtomicLong();
    long events;
    long marketData;
    long reports;
    long faulted;
    /** execution reports by {@link io.mme.core.ring.ExecType} */
    final CountingListener byExecType = new CountingListener();

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        events++;
        if (event.isFaulted()) {
            faulted++;
        }
        InboundEventType type = event.type();
        if (type == InboundEventType.EXECUTION_REPORT) {
            reports++;
            ExecutionReport report = event.executionReport();
            byExecType.onExecution(sequence, report);
        } else if (type == InboundEventType.MARKET_DATA) {
            marketData++;
        }
        consumed.lazySet(sequence + 1);
    }

    /** inbound ring sequences consumed so far */
    long consumed() {
        return consumed.get();
    }
}
