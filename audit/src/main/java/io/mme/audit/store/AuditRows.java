package io.mme.audit.store;

import io.mme.audit.DecisionRecord;
import io.mme.audit.OrderRecord;
import io.mme.core.instrument.DecimalGrid;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.RejectCodes;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.TradingState;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.IntFunction;

/**
 * Turns journal records into audit rows, each keyed by the run id first: exact decimals from the instrument registry, names for
 * enums and reject codes. Stateless apart from its configuration; the drain thread's.
 */
final class AuditRows {
    private static final TradingState[] STATES = TradingState.values();
    private static final Venue[] VENUES = Venue.values();

    private final String runId;
    private final InstrumentRegistry instruments;
    private final IntFunction<String> rejectNames;
    private final long accountId;
    private final boolean allIntents;
    /** instrument id → the id of the strategy quoting it (null entries and a null array: none); set before the writer starts */
    private volatile String[] strategyOfInstrument;

    AuditRows(String runId, InstrumentRegistry instruments, IntFunction<String> rejectNames, long accountId, boolean allIntents) {
        this.runId = runId;
        this.instruments = instruments;
        this.rejectNames = rejectNames;
        this.accountId = accountId;
        this.allIntents = allIntents;
    }

    /** an execution report of our account becomes an executions row; other inputs none */
    void input(InboundEvent event, AuditBatch batch) {
        if (event.type() != InboundEventType.EXECUTION_REPORT) {
            return;
        }
        ExecutionReport r = event.executionReport();
        if (r.ownerId() != accountId) {
            return;
        }
        Instrument instrument = instrument(r.instrumentId());
        int reason = r.reasonCode();
        batch.executions.add(runId, event.sequence(), event.timestampNanos(), r.execType().name(), r.venueId(), venue(r.venueId()),
                r.instrumentId(), symbol(instrument), r.clientOrderId(), r.venueOrderId(), name(r.side()),
                price(instrument, r.priceTicks()), r.priceTicks(), quantity(instrument, r.leavesQuantityLots()),
                r.leavesQuantityLots(), r.venueTimestampNanos(), r.tradeId(), price(instrument, r.lastPriceTicks()),
                r.lastPriceTicks(), quantity(instrument, r.lastQuantityLots()), r.lastQuantityLots(), r.maker(), reason,
                r.ownerId(), RejectCodes.isRisk(reason) || RejectCodes.isExecution(reason));
    }

    void order(OrderRecord o, AuditBatch batch) {
        Instrument instrument = instrument(o.instrumentId());
        batch.orders.add(runId, o.causeSequence(), o.ordinal(), o.type().name(), o.timestampNanos(), o.venueId(), venue(o.venueId()),
                o.instrumentId(), symbol(instrument), o.ownerId(), o.clientOrderId(), o.targetClientOrderId(), name(o.side()),
                price(instrument, o.priceTicks()), o.priceTicks(), quantity(instrument, o.quantityLots()), o.quantityLots(),
                name(o.timeInForce()), o.postOnly(), o.market(), o.recovered());
    }

    void decision(DecisionRecord d, AuditBatch batch) {
        for (DecisionRecord.Intent i : d.intents()) {
            if (!allIntents && i.verdict() != RiskVerdict.REJECTED) {
                continue;
            }
            Instrument instrument = instrument(i.instrumentId());
            String rejectName = i.verdict() == RiskVerdict.REJECTED && rejectNames != null ? rejectNames.apply(i.rejectCode()) : null;
            batch.riskDecisions.add(runId, d.sequence(), i.index(), d.timestampNanos(), i.action().name(), i.venueId(), venue(i.venueId()),
                    i.instrumentId(), symbol(instrument), i.side().name(), i.level(), price(instrument, i.priceTicks()),
                    i.priceTicks(), quantity(instrument, i.quantityLots()), i.quantityLots(), i.targetClientOrderId(),
                    i.verdict().name(), i.rejectCode(), rejectName);
        }
        DecisionRecord.Control c = d.control();
        if (c == null) {
            return;
        }
        Boolean applied = c.answered() ? c.applied() : null;
        // the target by name: the instrument's venue and symbol, or the venue alone
        Instrument target = instrument(c.instrumentId());
        String targetVenue = target != null ? venue(target.venue().id()) : venue(c.venueId());
        String targetSymbol = symbol(target);
        switch (c.command()) {
            case ControlCommands.SET_LIMIT -> batch.limitChanges.add(runId, d.sequence(), d.timestampNanos(), c.requestId(),
                    c.principal(), c.reason(), c.key(), c.venueId(), c.instrumentId(), c.value(), applied,
                    c.answered() ? c.oldValue() : null, c.message(), targetVenue, targetSymbol);
            case ControlCommands.SET_TRADING_STATE -> batch.tradingStateChanges.add(runId, d.sequence(), d.timestampNanos(),
                    c.requestId(), c.principal(), c.reason(), c.venueId(), c.instrumentId(), state(c.value()), applied,
                    c.answered() ? state(c.oldValue()) : null, c.message(), targetVenue, targetSymbol);
            case ControlCommands.KILL_SWITCH -> batch.killSwitchEvents.add(runId, d.sequence(), d.timestampNanos(), c.requestId(),
                    c.principal(), c.reason(), applied, c.message(), Boolean.TRUE.equals(applied) ? state(c.oldValue()) : null,
                    TradingState.HALTED.name(), c.venueId(), c.instrumentId(), targetVenue, targetSymbol);
            case ControlCommands.CANCEL_ALL -> batch.cancelAllEvents.add(runId, d.sequence(), d.timestampNanos(), c.requestId(),
                    c.principal(), c.reason(), c.venueId(), c.instrumentId(), targetVenue, targetSymbol, applied,
                    Boolean.TRUE.equals(applied) ? c.oldValue() : null, c.message());
            case ControlCommands.SET_STRATEGY_PARAMETER, ControlCommands.START_STRATEGY, ControlCommands.STOP_STRATEGY ->
                    batch.strategyChanges.add(runId, d.sequence(), d.timestampNanos(), c.requestId(), c.principal(), c.reason(),
                            c.command(), c.key(), c.value(), applied, c.answered() ? c.oldValue() : null, c.message(),
                            strategyOf(c.instrumentId()));
            default -> { } // the runtime's own commands (snapshot, reconcile): in the journal, not in these tables
        }
    }

    void pnl(AuditStore.PnlSnapshot p, AuditBatch batch) {
        Instrument instrument = instrument(p.instrumentId());
        batch.pnlSnapshots.add(runId, p.takenAtNanos(), p.instrumentId(), symbol(instrument), quantity(instrument, p.positionLots()),
                p.positionLots(), nanos(p.averageCostNanos()), nanos(p.realizedNanos()), nanos(p.unrealizedNanos()),
                nanos(p.feesNanos()), strategyOf(p.instrumentId()));
    }

    void strategyOfInstrument(String[] ids) {
        this.strategyOfInstrument = ids == null ? null : ids.clone();
    }

    /** the strategy quoting an instrument (a strategy command names its strategy by one of its instruments), or null */
    private String strategyOf(int instrumentId) {
        String[] ids = strategyOfInstrument;
        return ids == null || instrumentId < 0 || instrumentId >= ids.length ? null : ids[instrumentId];
    }

    private Instrument instrument(int id) {
        return instruments == null || id < 0 || id >= instruments.size() ? null : instruments.get(id);
    }

    private static String symbol(Instrument instrument) {
        return instrument == null ? null : instrument.venueSymbol();
    }

    private static String venue(int id) {
        return id >= 0 && id < VENUES.length ? VENUES[id].name() : null;
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String state(long ordinal) {
        return ordinal >= 0 && ordinal < STATES.length ? STATES[(int) ordinal].name() : null;
    }

    private static BigDecimal price(Instrument instrument, long ticks) {
        return instrument == null ? null : exact(instrument.tick(), ticks);
    }

    private static BigDecimal quantity(Instrument instrument, long lots) {
        return instrument == null ? null : exact(instrument.lot(), lots);
    }

    /** steps × step, exactly (the step is stepUnits × 10^-scale) */
    static BigDecimal exact(DecimalGrid grid, long steps) {
        long high = Math.multiplyHigh(steps, grid.stepUnits());
        long units = steps * grid.stepUnits();
        if (high == (units >> 63)) {
            return BigDecimal.valueOf(units, grid.scale());
        }
        return new BigDecimal(BigInteger.valueOf(steps).multiply(BigInteger.valueOf(grid.stepUnits())), grid.scale());
    }

    private static BigDecimal nanos(long nanos) {
        return BigDecimal.valueOf(nanos, 9);
    }
}
