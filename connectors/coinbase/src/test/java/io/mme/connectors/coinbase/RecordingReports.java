package io.mme.connectors.coinbase;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.venue.GatewayReports;
import io.mme.core.venue.Reconciliation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link GatewayReports} that keeps copies of everything a gateway says, for assertions. Thread-safe
 * (copy-on-write lists): gateways report from several threads.
 */
public final class RecordingReports implements GatewayReports {
    private final List<ExecutionReport> reports = new CopyOnWriteArrayList<>();
    private final List<Reconciliation> reconciliations = new CopyOnWriteArrayList<>();
    private final AtomicInteger rechecks = new AtomicInteger();

    @Override
    public void report(ExecutionReport report) {
        ExecutionReport copy = new ExecutionReport();
        copy.copyFrom(report);
        reports.add(copy);
    }

    @Override
    public void recheckOpenOrders(Venue venue) {
        rechecks.incrementAndGet();
    }

    @Override
    public void reconciled(Reconciliation result) {
        reconciliations.add(result);
    }

    public List<ExecutionReport> all() {
        return List.copyOf(reports);
    }

    public List<ExecutionReport> of(long clientOrderId) {
        return reports.stream().filter(r -> r.clientOrderId() == clientOrderId).toList();
    }

    public List<ExecutionReport> of(long clientOrderId, ExecType type) {
        return reports.stream().filter(r -> r.clientOrderId() == clientOrderId && r.execType() == type).toList();
    }

    public List<ExecutionReport> ofType(ExecType type) {
        return reports.stream().filter(r -> r.execType() == type).toList();
    }

    public List<ExecutionReport> fills(long clientOrderId) {
        return reports.stream().filter(r -> r.clientOrderId() == clientOrderId
                && (r.execType() == ExecType.PARTIALLY_FILLED || r.execType() == ExecType.FILLED)).toList();
    }

    /**
     * The filled quantity the execution engine would hold for the order: fill reports add up, and
     * an ORDER_STATUS whose cumulative quantity is above that count raises it (the engine books the
     * difference itself).
     */
    public long engineFilled(long clientOrderId) {
        long filled = 0;
        for (ExecutionReport r : of(clientOrderId)) {
            if (r.execType() == ExecType.PARTIALLY_FILLED || r.execType() == ExecType.FILLED) {
                filled += r.lastQuantityLots();
            } else if (r.execType() == ExecType.ORDER_STATUS) {
                filled = Math.max(filled, r.lastQuantityLots());
            }
        }
        return filled;
    }

    public int rechecks() {
        return rechecks.get();
    }

    public List<Reconciliation> reconciliations() {
        return List.copyOf(reconciliations);
    }
}
