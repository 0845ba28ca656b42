package io.mme.connectors.kraken;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.venue.GatewayReports;
import io.mme.core.venue.Reconciliation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link GatewayReports} that keeps copies of everything a gateway reports, for assertions, and
 * books fills as the execution engine does (fills add, an ORDER_STATUS cumulative above the
 * booked quantity adds the difference). Thread-safe.
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

    public long count(ExecType type) {
        return reports.stream().filter(r -> r.execType() == type).count();
    }

    /** the lots the engine would have booked as filled for this order */
    public long bookedLots(long clientOrderId) {
        long booked = 0;
        for (ExecutionReport r : of(clientOrderId)) {
            if (r.execType() == ExecType.PARTIALLY_FILLED || r.execType() == ExecType.FILLED) {
                booked += r.lastQuantityLots();
            } else if (r.execType() == ExecType.ORDER_STATUS) {
                booked = Math.max(booked, r.lastQuantityLots());
            }
        }
        return booked;
    }

    public List<Reconciliation> reconciliations() {
        return List.copyOf(reconciliations);
    }

    public int rechecks() {
        return rechecks.get();
    }
}
