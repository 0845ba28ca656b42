package io.mme.execution;

import io.mme.core.state.CheckedStateWriter;
import io.mme.core.digest.DigestibleState;
import io.mme.core.digest.StateDigest;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ControlCommand;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RejectCodes;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EngineContext;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.runtime.OutboundPublisher;
import io.mme.core.state.SnapshotState;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import io.mme.core.state.StateWriter;
import io.mme.core.venue.GatewayRejectCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution engine, stage 4 of the business chain (the last): owns the open orders and their
 * state machine, the routing table and the order commands on the outbound ring (it is that ring's
 * single producer).
 *
 * <p>Per event, in this order: the input is applied (an execution report of our account moves its
 * order; a TIMER checks acknowledgement deadlines and publishes the counters to the
 * {@link ExecutionView}; a kill switch cancels every open order in its target; risk's cancel decision
 * in the slot, written when a trading state changed or on a cancel-all, cancels the orders it
 * covers), then the slot's quote intents are
 * carried out: each APPROVED one becomes a NEW / REPLACE / CANCEL command; each refused one (by risk,
 * by the halt gate of the outbound publisher, or by execution itself, see
 * {@link ExecutionRejectCode}) is answered with a synthetic REJECTED / CANCEL_REJECTED report
 * published into the inbound ring, so that the strategy learns of it as of any other report.
 *
 * <p>An acknowledgement that does not come within {@code ackTimeoutNanos} of event time puts the
 * order in UNKNOWN and sends a STATUS query, never the order again; the ORDER_STATUS answer (or any
 * report that settles the order) resolves it; unanswered queries are repeated up to
 * {@code maxStatusQueries} times, after which the order stays UNKNOWN and is counted and logged.
 *
 * <p>Thread: every method except {@link #view()} and {@link #digestState} belongs to the execution
 * engine's thread. {@link #view()} may be read by any thread; {@link #digestState} is called after
 * the engine thread ended. {@link #openOrdersView()} likewise (a copy under a sequence lock, published
 * on TIMER events). Nothing allocates per event except on CONTROL events, on the rare event on which risk changed a
 * trading state by itself (the daily loss limit), and the once-per-order
 * log line of an unresolved order.
 *
 * <p>Snapshot state ({@link SnapshotState}): {@link #writeState} on the engine's thread at an event
 * boundary; {@link #readState} on a freshly built engine before {@link #onStart} (it needs no
 * context). {@link #readState} publishes the restored counters to the view at once.
 */
public final class ExecutionEngine implements Engine<InboundEvent>, DigestibleState, SnapshotState {
    /** start of the state's running checksum (CheckedStateWriter) */
    private static final long STATE_SEED = 0x45_58_45_43L;

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionEngine.class);
    private static final int COUNTERS = ExecutionCounter.ALL.length;
    /** prefix of the fault mark an inbound publisher leaves when its writer threw: the input is incomplete */

    static final OutboundPublisher.Writer<CommandDraft> WRITE_COMMAND = (command, draft) -> draft.writeTo(command);
    static final InboundPublisher.Writer<ExecutionReport> WRITE_REPORT =
            (event, report) -> event.executionReport().copyFrom(report);

    private final ExecutionConfig config;
    private final long ownerId;
    private final long ackTimeout;
    /** gateway per venue id; null = no route */
    private final String[] gatewayByVenue;
    private final OrderTable orders;
    /** per venue row (venueCount rows + one "other"), COUNTERS each; owned by the engine thread */
    private final long[] counters;
    private final ExecutionView view;
    private final OpenOrdersView openOrdersView;
    private final OpenOrdersView.FillRecorder fills = new OpenOrdersView.FillRecorder();
    private final CommandDraft draft = new CommandDraft();
    private final ExecutionReport synthetic = new ExecutionReport();
    private CommandSink commands;
    private ReportSink reports;

    private long commandHash;
    private long commandCount;
    private long syntheticReports;
    private long lastClientOrderId;
    /** the earliest deadline in the table (or later): TIMER events before it skip the scan */
    private long nextDeadline = OrderTable.NO_DEADLINE;
    /** the event being handled: time and sequence for commands not caused by an intent */
    private long lastEventTime;
    private long lastEventSequence;

    /** an engine that binds to the pipeline's publishers in {@link #onStart} */
    public ExecutionEngine(ExecutionConfig config) {
        this(config, null, null);
    }

    /** an engine with its sinks given (tests); onStart leaves given sinks in place */
    ExecutionEngine(ExecutionConfig config, CommandSink commands, ReportSink reports) {
        this.config = config;
        this.ownerId = config.ownerId();
        this.ackTimeout = config.ackTimeoutNanos();
        this.gatewayByVenue = new String[config.venueCount()];
        for (int v = 0; v < gatewayByVenue.length; v++) {
            gatewayByVenue[v] = config.gatewayOf(v);
        }
        this.orders = new OrderTable(config.orderCapacity(), config.recentTerminalCapacity());
        this.counters = new long[(config.venueCount() + 1) * COUNTERS];
        this.view = new ExecutionView(config.venueCount());
        this.openOrdersView = new OpenOrdersView(config.orderCapacity());
        this.commands = commands;
        this.reports = reports;
    }

    @Override
    public void onStart(EngineContext context) {
        if (commands == null) {
            OutboundPublisher outbound = context.outbound();
            commands = (type, cause, d) -> outbound.publish(type, cause, WRITE_COMMAND, d);
        }
        if (reports == null) {
            InboundPublisher inbound = context.inbound();
            reports = report -> inbound.publish(InboundEventType.EXECUTION_REPORT, WRITE_REPORT, report);
        }
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        lastEventTime = event.timestampNanos();
        lastEventSequence = event.sequence();
        boolean inputWritten = !event.faultedByPublisher();
        switch (event.type()) {
            case EXECUTION_REPORT -> {
                // the venue really sent it: an engine fault on the slot does not undo that
                if (inputWritten) {
                    onReport(event.executionReport());
                }
            }
            case TIMER -> {
                if (!event.isFaulted()) {
                    checkDeadlines(event);
                }
                view.publish(counters);
                openOrdersView.publish(orders, fills, lastEventTime);
            }
            case CONTROL -> {
                // cancels only take risk off: the kill switch acts even when an engine before us threw on it
                if (inputWritten && ControlCommands.KILL_SWITCH.equals(event.control().command())) {
                    cancelInScope(event, true);
                } else if (inputWritten && ControlCommands.RECONCILE.equals(event.control().command())) {
                    reconcile(event);
                }
            }
            case MARKET_DATA -> { }
        }
        if (!event.cancels().isEmpty() && !(event.type() == InboundEventType.CONTROL
                && ControlCommands.KILL_SWITCH.equals(event.control().command()))) {
            // risk's decision on this event (a halt, REDUCING, cancel-all; a kill switch's was
            // carried out above): before the slot's intents, whatever engine threw after risk wrote it
            cancelInScope(event, false);
        }
        if (!event.isFaulted()) {
            for (int i = 0; i < event.intentCount(); i++) {
                onIntent(event, i);
            }
        }
    }

    @Override
    public void onShutdown() {
        view.publish(counters);
        openOrdersView.publish(orders, fills, lastEventTime);
    }

    /** the console's view; any thread */
    public ExecutionView view() {
        return view;
    }

    /** the console's open orders and our last fills, published on TIMER events; any thread */
    public OpenOrdersView openOrdersView() {
        return openOrdersView;
    }

    public ExecutionConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ intents

    private void onIntent(InboundEvent event, int i) {
        QuoteIntent q = event.intent(i);
        switch (q.action()) {
            case PLACE -> place(event, q, ClientOrderIds.of(event.sequence(), i));
            case REPLACE -> replace(event, q);
            case CANCEL -> cancelIntent(event, q);
        }
    }

    private void place(InboundEvent event, QuoteIntent q, long id) {
        if (id <= lastClientOrderId) {
            // ids come from strictly increasing sequences: a repeat means the input went backwards
            throw new IllegalStateException("client order id " + id + " not above the last one issued, " + lastClientOrderId);
        }
        lastClientOrderId = id;
        int venue = q.venueId();
        int refusal = refusal(q);
        if (refusal == 0 && route(venue) == null) {
            refusal = ExecutionRejectCode.NO_ROUTE.code();
        }
        if (refusal == 0 && orders.isFull()) {
            refusal = ExecutionRejectCode.ORDER_TABLE_FULL.code();
        }
        if (refusal == 0) {
            draft.set(OrderCommandType.NEW, event.timestampNanos(), event.sequence(), event.receivedNanos(), venue,
                    q.instrumentId(), ownerId, id, 0, q.side(), q.priceTicks(), q.quantityLots(), config.postOnly());
            if (q.isTaker()) {
                draft.immediateOrCancel();
            }
            if (send() >= 0) {
                int slot = orders.add(id, venue, q.instrumentId(), q.side(), q.priceTicks(), q.quantityLots(),
                        OrderState.PENDING_NEW, event.timestampNanos());
                awaitAnswer(slot, event.timestampNanos());
                count(venue, ExecutionCounter.ORDERS_SENT, 1);
                count(venue, ExecutionCounter.OPEN_ORDERS, 1);
                return;
            }
            refusal = ExecutionRejectCode.TRADING_HALTED.code();
        }
        refuse(event, ExecType.REJECTED, venue, q.instrumentId(), id, q.side(), q.priceTicks(), refusal);
    }

    private void replace(InboundEvent event, QuoteIntent q) {
        long target = q.targetClientOrderId();
        int slot = orders.slotOf(target);
        int refusal = refusal(q);
        if (refusal == 0 && slot == OrderTable.NONE) {
            refusal = ExecutionRejectCode.ORDER_NOT_OPEN.code();
        }
        if (refusal == 0) {
            OrderState s = orders.state(slot);
            if (s != OrderState.NEW && s != OrderState.PARTIALLY_FILLED) {
                refusal = ExecutionRejectCode.ORDER_BUSY.code();
            } else if (route(orders.venue(slot)) == null) {
                refusal = ExecutionRejectCode.NO_ROUTE.code();
            }
        }
        if (refusal == 0) {
            draft.set(OrderCommandType.REPLACE, event.timestampNanos(), event.sequence(), event.receivedNanos(),
                    orders.venue(slot), orders.instrument(slot), ownerId, target, target, orders.side(slot),
                    q.priceTicks(), q.quantityLots(), config.postOnly());
            if (send() >= 0) {
                orders.state(slot, OrderState.PENDING_REPLACE);
                awaitAnswer(slot, event.timestampNanos());
                return;
            }
            refusal = ExecutionRejectCode.TRADING_HALTED.code();
        }
        refuse(event, ExecType.CANCEL_REJECTED, q.venueId(), q.instrumentId(), target, q.side(), q.priceTicks(), refusal);
    }

    private void cancelIntent(InboundEvent event, QuoteIntent q) {
        long target = q.targetClientOrderId();
        int slot = orders.slotOf(target);
        int refusal = refusal(q);
        if (refusal == 0 && slot == OrderTable.NONE) {
            refusal = ExecutionRejectCode.ORDER_NOT_OPEN.code();
        }
        if (refusal == 0 && orders.state(slot) == OrderState.PENDING_CANCEL) {
            refusal = ExecutionRejectCode.CANCEL_PENDING.code();
        }
        if (refusal == 0 && !cancel(event, slot)) {
            refusal = ExecutionRejectCode.TRADING_HALTED.code();
        }
        if (refusal != 0) {
            refuse(event, ExecType.CANCEL_REJECTED, q.venueId(), q.instrumentId(), target, q.side(), q.priceTicks(), refusal);
        }
    }

    /**
     * Sends a CANCEL for the order in {@code slot}. An order in doubt stays UNKNOWN (its status
     * queries go on; a CANCELLED or the status answer settles it); any other goes PENDING_CANCEL,
     * remembering an unanswered replace so that the venue's answer to it is not taken for the
     * cancel's.
     *
     * @return false when the publisher refused it
     */
    private boolean cancel(InboundEvent event, int slot) {
        long id = orders.id(slot);
        draft.set(OrderCommandType.CANCEL, event.timestampNanos(), event.sequence(), event.receivedNanos(),
                orders.venue(slot), orders.instrument(slot), ownerId, id, id, orders.side(slot), orders.price(slot),
                orders.quantity(slot) - orders.filled(slot), false);
        if (send() < 0) {
            return false;
        }
        OrderState s = orders.state(slot);
        if (s != OrderState.UNKNOWN) {
            orders.replaceOutstanding(slot, s == OrderState.PENDING_REPLACE);
            orders.state(slot, OrderState.PENDING_CANCEL);
            awaitAnswer(slot, event.timestampNanos());
        }
        return true;
    }

    /** 0 when risk approved the intent, else the code to refuse it with */
    private static int refusal(QuoteIntent q) {
        if (q.verdict() == RiskVerdict.APPROVED) {
            return 0;
        }
        return q.verdict() == RiskVerdict.REJECTED ? q.rejectCode() : ExecutionRejectCode.NOT_APPROVED.code();
    }

    private String route(int venue) {
        return venue >= 0 && venue < gatewayByVenue.length ? gatewayByVenue[venue] : null;
    }

    private long send() {
        long sequence = commands.send(draft.type, draft.causeSequence, draft);
        if (sequence >= 0) {
            commandHash = draft.mixInto(commandHash);
            commandCount++;
        }
        return sequence;
    }

    /** contract item 4: the strategy learns of a refused intent through a report of our account */
    private void refuse(InboundEvent event, ExecType type, int venue, int instrument, long clientOrderId, Side side,
                        long price, int code) {
        synthetic.set(type, venue, instrument, clientOrderId, 0, side, price, 0, event.timestampNanos())
                .owner(ownerId).reason(code);
        reports.publish(synthetic);
        syntheticReports++;
        count(venue, ExecutionCounter.SYNTHETIC_REJECTS, 1);
    }

    // ------------------------------------------------------------------ reports

    private void onReport(ExecutionReport r) {
        if (r.ownerId() != ownerId) {
            return;
        }
        if (RejectCodes.isRisk(r.reasonCode()) || RejectCodes.isExecution(r.reasonCode())) {
            // our own synthetic report coming back round the ring (a refusal, or a fill booked from a
            // venue's cumulative quantity): accounted when it was published
            return;
        }
        int slot = orders.slotOf(r.clientOrderId());
        if (slot == OrderTable.NONE) {
            if (r.execType() == ExecType.ORDER_STATUS && r.reasonCode() == GatewayRejectCode.RECONCILED.code()
                    && orders.doneSlotOf(r.clientOrderId()) == OrderTable.NONE) {
                onUnknownVenueOrder(r);
            } else {
                if (r.execType() == ExecType.ORDER_STATUS) {
                    bookMissedFillsOfEnded(r);
                }
                onReportForEndedOrder(r);
            }
            return;
        }
        int venue = orders.venue(slot);
        OrderState s = orders.state(slot);
        switch (r.execType()) {
            case ACCEPTED -> {
                if (s == OrderState.PENDING_NEW || s == OrderState.UNKNOWN) {
                    settle(slot, live(slot));
                    count(venue, ExecutionCounter.ACKS, 1);
                } else if (s == OrderState.PENDING_CANCEL) {
                    count(venue, ExecutionCounter.ACKS, 1);
                } else {
                    count(venue, ExecutionCounter.DUPLICATE_REPORTS, 1);
                }
            }
            case PARTIALLY_FILLED, FILLED -> onFill(slot, r);
            case CANCELLED -> {
                count(venue, ExecutionCounter.CANCELS, 1);
                if (r.leavesQuantityLots() > 0) {
                    // a partial cancel: the order lives on with less
                    orders.quantity(slot, orders.filled(slot) + r.leavesQuantityLots());
                    settle(slot, live(slot));
                } else {
                    end(slot, OrderState.CANCELLED);
                }
            }
            case REJECTED -> {
                if (s == OrderState.PENDING_NEW || s == OrderState.UNKNOWN || s == OrderState.PENDING_CANCEL) {
                    count(venue, ExecutionCounter.REJECTS, 1);
                    end(slot, OrderState.REJECTED);
                } else {
                    count(venue, ExecutionCounter.DUPLICATE_REPORTS, 1);
                }
            }
            case REPLACED -> {
                // the venue's word on price and remaining quantity, whatever we expected
                orders.price(slot, r.priceTicks());
                orders.quantity(slot, orders.filled(slot) + r.leavesQuantityLots());
                if (s == OrderState.PENDING_REPLACE || s == OrderState.UNKNOWN) {
                    count(venue, ExecutionCounter.REPLACES, 1);
                    settle(slot, live(slot));
                } else if (s == OrderState.PENDING_CANCEL && orders.replaceOutstanding(slot)) {
                    count(venue, ExecutionCounter.REPLACES, 1);
                    orders.replaceOutstanding(slot, false);
                } else {
                    count(venue, ExecutionCounter.DUPLICATE_REPORTS, 1);
                }
            }
            case CANCEL_REJECTED -> {
                if (s == OrderState.PENDING_CANCEL && orders.replaceOutstanding(slot)) {
                    // the venue answers in order: this refuses the replace, the cancel's answer is still to come
                    count(venue, ExecutionCounter.CANCEL_REJECTS, 1);
                    orders.replaceOutstanding(slot, false);
                } else if (s == OrderState.PENDING_CANCEL || s == OrderState.PENDING_REPLACE) {
                    count(venue, ExecutionCounter.CANCEL_REJECTS, 1);
                    settle(slot, live(slot));
                } else if (s != OrderState.UNKNOWN) {
                    count(venue, ExecutionCounter.DUPLICATE_REPORTS, 1);
                }
                // in UNKNOWN it proves nothing about the order: the status answer will
            }
            case ORDER_STATUS -> {
                if (!bookMissedFills(slot, r) && s == OrderState.UNKNOWN) {
                    resolve(slot, r.leavesQuantityLots(), r.priceTicks());
                }
                // otherwise a stale answer: the order was settled by a report in the meantime
            }
        }
    }

    private void onFill(int slot, ExecutionReport r) {
        int venue = orders.venue(slot);
        if (r.tradeId() != 0 && r.tradeId() == orders.lastTradeId(slot)) {
            count(venue, ExecutionCounter.DUPLICATE_REPORTS, 1);
            return;
        }
        orders.lastTradeId(slot, r.tradeId());
        long last = r.lastQuantityLots();
        fills.record(lastEventTime, orders.id(slot), venue, orders.instrument(slot), orders.side(slot), r.lastPriceTicks(), last);
        count(venue, ExecutionCounter.FILLS, 1);
        count(venue, ExecutionCounter.FILLED_LOTS, last);
        OrderState s = orders.state(slot);
        if (s == OrderState.PENDING_CANCEL) {
            count(venue, ExecutionCounter.LATE_FILLS, 1);
        }
        long qty = orders.quantity(slot);
        long filled = orders.filled(slot) + last;
        if (filled > qty) {
            count(venue, ExecutionCounter.OVERFILLED_LOTS, filled - qty);
            filled = qty;
        }
        orders.filled(slot, filled);
        if (filled == qty || r.execType() == ExecType.FILLED) {
            end(slot, OrderState.FILLED);
        } else if (s == OrderState.PENDING_NEW || s == OrderState.NEW || s == OrderState.UNKNOWN) {
            // a fill proves the venue has the order
            settle(slot, OrderState.PARTIALLY_FILLED);
        }
        // PARTIALLY_FILLED stays; PENDING_CANCEL / PENDING_REPLACE still wait for their answer
    }

    /** a report for an order not in the table: one that ended recently, or an id never seen */
    private void onReportForEndedOrder(ExecutionReport r) {
        int d = orders.doneSlotOf(r.clientOrderId());
        if (d == OrderTable.NONE) {
            count(r.venueId(), ExecutionCounter.UNKNOWN_REPORTS, 1);
            return;
        }
        int venue = orders.doneVenue(d);
        if (r.execType() == ExecType.PARTIALLY_FILLED || r.execType() == ExecType.FILLED) {
            // the venue traded it: the lots count whatever we thought of the order
            long last = r.lastQuantityLots();
            count(venue, ExecutionCounter.FILLS, 1);
            count(venue, ExecutionCounter.FILLED_LOTS, last);
            count(venue, ExecutionCounter.LATE_FILLS, 1);
            long before = orders.doneFilled(d);
            long after = before + last;
            long qty = orders.doneQuantity(d);
            if (after > qty) {
                count(venue, ExecutionCounter.OVERFILLED_LOTS, after - Math.max(before, qty));
            }
            orders.doneFilled(d, after);
        } else if (r.execType() != ExecType.ORDER_STATUS) {
            count(venue, ExecutionCounter.DUPLICATE_REPORTS, 1);
        }
    }

    /**
     * A status answer's cumulative quantity above what the engine counted means fills were missed
     * (a private stream down, the engine stopped): the difference is booked here at once, at the
     * order's price (our orders are limit orders; post-only ones fill at exactly that price), and
     * published as a fill report of our own, so that risk and the strategy book it too. The report
     * carries {@link ExecutionRejectCode#RECONCILED_FILL} and is skipped when it comes back.
     *
     * @return true when the fills completed the order (it ended)
     */
    private boolean bookMissedFills(int slot, ExecutionReport r) {
        long missed = r.lastQuantityLots() - orders.filled(slot);
        if (missed <= 0) {
            return false;
        }
        int venue = orders.venue(slot);
        long filled = Math.min(orders.quantity(slot), r.lastQuantityLots());
        if (r.lastQuantityLots() > orders.quantity(slot)) {
            count(venue, ExecutionCounter.OVERFILLED_LOTS, r.lastQuantityLots() - orders.quantity(slot));
        }
        orders.filled(slot, filled);
        count(venue, ExecutionCounter.FILLS, 1);
        count(venue, ExecutionCounter.FILLED_LOTS, missed);
        count(venue, ExecutionCounter.RECONCILED_LOTS, missed);
        publishReconciledFill(r, orders.side(slot), orders.price(slot), missed, Math.max(0, orders.quantity(slot) - filled));
        if (filled >= orders.quantity(slot)) {
            end(slot, OrderState.FILLED);
            return true;
        }
        if (orders.state(slot) == OrderState.NEW) {
            orders.state(slot, OrderState.PARTIALLY_FILLED);
        }
        return false;
    }

    /** the same for an order that already ended here (cancelled on our side, filled on the venue's) */
    private void bookMissedFillsOfEnded(ExecutionReport r) {
        int d = orders.doneSlotOf(r.clientOrderId());
        if (d == OrderTable.NONE) {
            return;
        }
        long missed = r.lastQuantityLots() - orders.doneFilled(d);
        if (missed <= 0) {
            return;
        }
        int venue = orders.doneVenue(d);
        orders.doneFilled(d, r.lastQuantityLots());
        count(venue, ExecutionCounter.FILLS, 1);
        count(venue, ExecutionCounter.FILLED_LOTS, missed);
        count(venue, ExecutionCounter.LATE_FILLS, 1);
        count(venue, ExecutionCounter.RECONCILED_LOTS, missed);
        publishReconciledFill(r, r.side(), r.priceTicks(), missed, 0);
    }

    private void publishReconciledFill(ExecutionReport r, Side side, long priceTicks, long lots, long leaves) {
        synthetic.set(leaves > 0 ? ExecType.PARTIALLY_FILLED : ExecType.FILLED, r.venueId(), r.instrumentId(),
                        r.clientOrderId(), r.venueOrderId(), side, priceTicks, leaves, r.venueTimestampNanos())
                .fill(0, priceTicks, lots, true).owner(ownerId).reason(ExecutionRejectCode.RECONCILED_FILL.code());
        reports.publish(synthetic);
        syntheticReports++;
    }

    /**
     * Reconciliation found an order of ours (our client-id tag) open on the venue that the engine
     * does not hold: decided before a crash and never journaled as sent, or left by an earlier
     * engine of this run directory. The configured policy cancels it, adopts it (the engine holds it
     * from now on, its fills counted as ours), or leaves it; each is counted.
     */
    private void onUnknownVenueOrder(ExecutionReport r) {
        int venue = r.venueId();
        count(venue, ExecutionCounter.UNKNOWN_VENUE_ORDERS, 1);
        long id = r.clientOrderId();
        long leaves = r.leavesQuantityLots();
        if (leaves <= 0 || route(venue) == null) {
            return;
        }
        switch (config.unknownOrders()) {
            case CANCEL -> {
                draft.set(OrderCommandType.CANCEL, lastEventTime, lastEventSequence, 0, venue, r.instrumentId(), ownerId,
                        id, id, r.side(), r.priceTicks(), leaves, false);
                send();
                LOG.warn("venue {} holds order {} of ours that the engine does not: cancelled (execution.unknownOrders=cancel)",
                        venue, id);
            }
            case ADOPT -> {
                if (orders.isFull()) {
                    LOG.warn("venue {} holds order {} of ours that the engine does not: not adopted, the order table is full", venue, id);
                    return;
                }
                long cumulative = Math.max(0, r.lastQuantityLots());
                int slot = orders.add(id, venue, r.instrumentId(), r.side(), r.priceTicks(), cumulative + leaves, OrderState.NEW,
                        lastEventTime);
                orders.filled(slot, cumulative);
                if (cumulative > 0) {
                    orders.state(slot, OrderState.PARTIALLY_FILLED);
                }
                count(venue, ExecutionCounter.ADOPTED_ORDERS, 1);
                count(venue, ExecutionCounter.OPEN_ORDERS, 1);
                LOG.warn("venue {} holds order {} of ours that the engine does not: adopted (execution.unknownOrders=adopt)", venue, id);
            }
            case LEAVE -> LOG.warn("venue {} holds order {} of ours that the engine does not: left on the venue "
                    + "(execution.unknownOrders=leave)", venue, id);
        }
    }

    /** the ORDER_STATUS answer for an order in doubt: a live order takes the venue's quantity and price */
    private void resolve(int slot, long leaves, long priceTicks) {
        if (leaves > 0) {
            orders.quantity(slot, orders.filled(slot) + leaves);
            orders.price(slot, priceTicks);
            settle(slot, live(slot));
        } else {
            end(slot, orders.filled(slot) >= orders.quantity(slot) ? OrderState.FILLED : OrderState.CANCELLED);
        }
    }

    private OrderState live(int slot) {
        return orders.filled(slot) > 0 ? OrderState.PARTIALLY_FILLED : OrderState.NEW;
    }

    /** the order stands in {@code state} with nothing awaited */
    private void settle(int slot, OrderState state) {
        orders.state(slot, state);
        orders.deadline(slot, OrderTable.NO_DEADLINE);
        orders.statusQueries(slot, 0);
        orders.replaceOutstanding(slot, false);
    }

    private void end(int slot, OrderState terminal) {
        count(orders.venue(slot), ExecutionCounter.OPEN_ORDERS, -1);
        orders.retire(slot, terminal);
    }

    // ------------------------------------------------------------------ timeouts

    private void awaitAnswer(int slot, long now) {
        long due = now + ackTimeout;
        orders.deadline(slot, due);
        orders.statusQueries(slot, 0);
        if (due < nextDeadline) {
            nextDeadline = due;
        }
    }

    /**
     * Bounded work: at most one pass over the table's used slots, and none while no deadline is due.
     * Slot order is deterministic (the free list follows the events).
     */
    private void checkDeadlines(InboundEvent event) {
        long now = event.timestampNanos();
        if (now < nextDeadline) {
            return;
        }
        long next = OrderTable.NO_DEADLINE;
        int end = orders.highWater();
        for (int slot = 0; slot < end; slot++) {
            if (!orders.occupied(slot)) {
                continue;
            }
            long due = orders.deadline(slot);
            if (due <= now) {
                onAnswerOverdue(event, slot);
                due = orders.deadline(slot);
            }
            if (due < next) {
                next = due;
            }
        }
        nextDeadline = next;
    }

    private void onAnswerOverdue(InboundEvent event, int slot) {
        int venue = orders.venue(slot);
        if (orders.state(slot).isPending()) {
            orders.state(slot, OrderState.UNKNOWN);
            orders.replaceOutstanding(slot, false);
            orders.statusQueries(slot, 0);
            count(venue, ExecutionCounter.TIMEOUTS, 1);
        }
        if (orders.statusQueries(slot) >= config.maxStatusQueries()) {
            orders.deadline(slot, OrderTable.NO_DEADLINE);
            count(venue, ExecutionCounter.UNRESOLVED, 1);
            LOG.warn("order {} on venue {} instrument {}: no answer to {} status queries, left UNKNOWN",
                    orders.id(slot), venue, orders.instrument(slot), config.maxStatusQueries());
            return;
        }
        long id = orders.id(slot);
        draft.set(OrderCommandType.STATUS, event.timestampNanos(), event.sequence(), event.receivedNanos(), venue,
                orders.instrument(slot), ownerId, id, id, orders.side(slot), orders.price(slot),
                orders.quantity(slot) - orders.filled(slot), false);
        send();
        count(venue, ExecutionCounter.STATUS_QUERIES, 1);
        orders.statusQueries(slot, orders.statusQueries(slot) + 1);
        orders.deadline(slot, event.timestampNanos() + ackTimeout);
    }

    // ------------------------------------------------------------------ kill switch, halts, cancel-all

    /**
     * Cancels every open order whose (instrument, side) risk's decision in the slot covers and, for
     * a kill switch ({@code killSwitch}), also every open order in the command's target (-1 = all),
     * so that the kill switch acts even when risk did not write its decision (an engine before us
     * threw on the event). One pass in client-order-id order (deterministic); an order already
     * PENDING_CANCEL is skipped, so no order gets two cancels from one event. Relies on risk's
     * invariant (see {@code RiskEngine#decideCancels}): the decision covers exactly what the
     * scope's new trading state no longer allows, or the whole scope for a kill switch or a
     * cancel-all.
     */
    private void cancelInScope(InboundEvent event, boolean killSwitch) {
        ControlCommand c = event.control();
        long[] ids = orders.openIdsSorted();
        int sent = 0;
        int refused = 0;
        for (long id : ids) {
            int slot = orders.slotOf(id);
            if (orders.state(slot) == OrderState.PENDING_CANCEL) {
                continue;
            }
            boolean inTarget = killSwitch && (c.venueId() < 0 || c.venueId() == orders.venue(slot))
                    && (c.instrumentId() < 0 || c.instrumentId() == orders.instrument(slot));
            if (!inTarget && !event.cancels().covers(orders.instrument(slot), orders.side(slot))) {
                continue;
            }
            if (cancel(event, slot)) {
                sent++;
            } else {
                refused++;
            }
        }
        if (event.type() == InboundEventType.CONTROL) {
            LOG.warn("{} (request {} by {}: {}): {} cancels sent for {}{}, {} orders open", c.command(), c.requestId(),
                    c.principal(), c.reason(), sent, killSwitch ? "its target and " + event.cancels() : event.cancels(),
                    refused == 0 ? "" : ", " + refused + " refused by the outbound gate", ids.length);
        } else {
            LOG.warn("risk changed a trading state by itself on event {}: {} cancels sent for {}", event.sequence(), sent,
                    event.cancels());
        }
    }

    /**
     * After a restart: every order still open in the recovered state may have filled or been
     * cancelled while the engine was down, and orders decided just before the crash may never have
     * reached the venue. Each one becomes UNKNOWN and its status is queried (the answer settles it);
     * none is sent again.
     */
    private void reconcile(InboundEvent event) {
        long[] ids = orders.openIdsSorted();
        int only = event.control().venueId();
        int queried = 0;
        for (long id : ids) {
            int slot = orders.slotOf(id);
            int venue = orders.venue(slot);
            if (only >= 0 && venue != only) {
                continue;
            }
            queried++;
            orders.state(slot, OrderState.UNKNOWN);
            orders.replaceOutstanding(slot, false);
            orders.statusQueries(slot, 0);
            draft.set(OrderCommandType.STATUS, event.timestampNanos(), event.sequence(), event.receivedNanos(), venue,
                    orders.instrument(slot), ownerId, id, id, orders.side(slot), orders.price(slot),
                    orders.quantity(slot) - orders.filled(slot), false);
            send();
            count(venue, ExecutionCounter.STATUS_QUERIES, 1);
            orders.statusQueries(slot, 1);
            long due = event.timestampNanos() + ackTimeout;
            orders.deadline(slot, due);
            if (due < nextDeadline) {
                nextDeadline = due;
            }
        }
        LOG.info("reconcile ({}): status queried for {} open orders{}", event.control().reason(), queried,
                only >= 0 ? " of venue " + only : "");
    }

    // ------------------------------------------------------------------ counters, digest

    private void count(int venue, ExecutionCounter counter, long delta) {
        int row = venue >= 0 && venue < gatewayByVenue.length ? venue : gatewayByVenue.length;
        counters[row * COUNTERS + counter.ordinal()] += delta;
    }

    /** the engine's own counter (engine thread, or after it ended) */
    long counter(int venue, ExecutionCounter counter) {
        int row = venue >= 0 && venue < gatewayByVenue.length ? venue : gatewayByVenue.length;
        return counters[row * COUNTERS + counter.ordinal()];
    }

    int openOrders() {
        return orders.size();
    }

    /** the state of an open or recently ended order; null when unknown */
    OrderState stateOf(long clientOrderId) {
        int slot = orders.slotOf(clientOrderId);
        if (slot != OrderTable.NONE) {
            return orders.state(slot);
        }
        int d = orders.doneSlotOf(clientOrderId);
        return d == OrderTable.NONE ? null : orders.doneState(d);
    }

    /** {price, quantity, filled} of an open order, or null */
    long[] orderFigures(long clientOrderId) {
        int slot = orders.slotOf(clientOrderId);
        return slot == OrderTable.NONE ? null
                : new long[]{orders.price(slot), orders.quantity(slot), orders.filled(slot)};
    }

    long[] openIds() {
        return orders.openIdsSorted();
    }

    @Override
    public void digestState(StateDigest digest) {
        digest.putLong(commandCount).putLong(commandHash).putLong(syntheticReports).putLong(lastClientOrderId);
        long[] ids = orders.openIdsSorted();
        digest.putLong(ids.length);
        for (long id : ids) {
            int slot = orders.slotOf(id);
            Side side = orders.side(slot);
            digest.putLong(id).putInt(orders.venue(slot)).putInt(orders.instrument(slot))
                    .putInt(side == null ? -1 : side.ordinal()).putInt(orders.state(slot).ordinal())
                    .putLong(orders.price(slot)).putLong(orders.quantity(slot)).putLong(orders.filled(slot))
                    .putLong(orders.deadline(slot)).putInt(orders.statusQueries(slot));
        }
        for (long value : counters) {
            digest.putLong(value);
        }
    }

    // ------------------------------------------------------------------ snapshot state

    /** "EXEC": an execution state starts with it */
    private static final int STATE_TAG = 0x45584543;

    @Override
    public int stateVersion() {
        return 2;
    }

    /**
     * Writes the whole state, in this order: a tag; the shape it is for (owner, venue count, order
     * capacity, recently-ended capacity); the running command hash and count, the synthetic report
     * count, the last client order id issued, the next deadline; every counter (per venue row); the
     * order table (open orders in slot order with every field, the free list, the recently-ended
     * ring); a checksum of it all. Equal states give equal bytes.
     */
    @Override
    public void writeState(StateWriter writer) {
        io.mme.core.state.CheckedStateWriter out = new io.mme.core.state.CheckedStateWriter(writer, STATE_SEED);
        out.putInt(STATE_TAG);
        out.putLong(ownerId).putInt(gatewayByVenue.length).putInt(orders.capacity()).putInt(config.recentTerminalCapacity());
        out.putLong(commandHash).putLong(commandCount).putLong(syntheticReports).putLong(lastClientOrderId)
                .putLong(nextDeadline);
        out.putLongs(counters);
        orders.writeState(out);
        out.end();
    }

    /**
     * Replaces the whole state with one {@link #writeState} wrote, on an engine just built from a
     * config of the same shape (owner, venue count, capacities; anything else is refused with what
     * differs), then publishes the counters to the view. On {@link StateFormatException} the engine
     * is half-restored: throw it away.
     */
    @Override
    public void readState(StateReader reader) {
        io.mme.core.state.CheckedStateReader in = new io.mme.core.state.CheckedStateReader(reader, STATE_SEED);
        int tag = in.getInt();
        if (tag != STATE_TAG) {
            throw new StateFormatException("not an execution state: it starts with 0x" + Integer.toHexString(tag));
        }
        sameShape("owner id", in.getLong(), ownerId);
        sameShape("venue count", in.getInt(), gatewayByVenue.length);
        sameShape("order capacity", in.getInt(), orders.capacity());
        sameShape("recently-ended capacity", in.getInt(), config.recentTerminalCapacity());
        commandHash = in.getLong();
        commandCount = in.getLong();
        syntheticReports = in.getLong();
        lastClientOrderId = in.getLong();
        nextDeadline = in.getLong();
        in.getLongs(counters, "counters");
        orders.readState(in);
        in.end("execution state");
        view.publish(counters);
        openOrdersView.publish(orders, fills, 0);
        LOG.info("execution state restored: {} open orders, {} commands sent, last client order id {}", orders.size(),
                commandCount, lastClientOrderId);
    }

    private static void sameShape(String what, long written, long own) {
        if (written != own) {
            throw new StateFormatException("execution state was written for " + what + " " + written
                    + ", this engine's config has " + own
                    + ": refused (restore with the config it was written with, or start without the state)");
        }
    }
}
