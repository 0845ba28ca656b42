package io.mme.app.metrics;

import io.mme.analytics.LatencyEngine;
import io.mme.analytics.redis.RedisHotStatePublisher;
import io.mme.app.api.EngineAccess;
import io.mme.audit.store.AuditStore;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.TradingState;
import io.mme.core.runtime.EngineState;
import io.mme.core.runtime.EngineStatus;
import io.mme.core.runtime.PipelineHealth;
import io.mme.execution.ExecutionCounter;
import io.mme.execution.ExecutionView;
import io.mme.marketdata.MarketDataView;
import io.mme.risk.LimitKind;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyView;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds the engine's metric families at each scrape from what the engines publish for any thread.
 * Prices, sizes, PnL and fees are converted from the engines' fixed point (ticks, lots, 10^-9 units)
 * to doubles in the instrument's quote currency and base asset; durations to seconds.
 *
 * <p>Latency: {@value #LATENCY_NOTE}
 *
 * <p>Thread: any (a scrape runs on a Jetty thread); the latency recorder only under the lock.
 */
final class EngineCollector implements MultiCollector {
    static final String LATENCY_NOTE = "a histogram (_bucket, _sum, _count since the start; rate() over a window gives that window's "
            + "latency, histogram_quantile() its percentiles) read from the recorder's HdrHistograms (3 significant digits)";
    /** the upper bounds of every latency histogram's buckets, in seconds: 1 µs to 1 s in 1-2.5-5 steps, then +Inf */
    static final double[] LATENCY_BUCKETS_SECONDS = {1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4,
            1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1.0, Double.POSITIVE_INFINITY};
    private static final long[] LATENCY_BUCKETS_NANOS = new long[LATENCY_BUCKETS_SECONDS.length - 1];

    static {
        for (int i = 0; i < LATENCY_BUCKETS_NANOS.length; i++) {
            LATENCY_BUCKETS_NANOS[i] = Math.round(LATENCY_BUCKETS_SECONDS[i] * 1e9);
        }
    }
    private static final double NANOS = 1e9;

    private final EngineAccess access;
    private final LatencyEngine latency;
    private final Object latencyLock;
    private final Supplier<AuditStore> audit;
    private final Supplier<RedisHotStatePublisher> redis;

    EngineCollector(EngineAccess access, LatencyEngine latency, Object latencyLock, Supplier<AuditStore> audit,
                    Supplier<RedisHotStatePublisher> redis) {
        this.access = access;
        this.latency = latency;
        this.latencyLock = latencyLock;
        this.audit = audit;
        this.redis = redis;
    }

    @Override
    public MetricSnapshots collect() {
        Families f = new Families();
        pipeline(f, access.health());
        latency(f);
        books(f, access.instruments(), access.books());
        strategy(f, access, access.instruments());
        risk(f, access.instruments(), access.risk());
        halted(f, access.instruments(), access.risk(), access.health());
        execution(f, access.execution());
        views(f, access);
        stores(f, audit.get(), redis.get());
        gateways(f, access.gateways());
        return new MetricSnapshots(f.snapshots());
    }

    // ---- live gateways

    private static void gateways(Families f, java.util.List<io.mme.core.venue.VenueGateway> gateways) {
        if (gateways.isEmpty()) {
            return;
        }
        var connected = f.gauge("mme_gateway_stream_connected", "1 while the venue's private stream is up and subscribed");
        var backOff = f.gauge("mme_gateway_backoff_seconds", "seconds the venue told us to stop sending for that are still to run (0: none)");
        var budget = f.gauge("mme_gateway_budget_used", "the fullest of the venue's rate limits, as a share of the limit");
        var clock = f.gauge("mme_gateway_clock_offset_seconds", "the venue's clock minus ours, as last measured");
        var reconciliations = f.counter("mme_gateway_reconciliations", "reconciliations with the venue (start and every reconnect)");
        long now = System.currentTimeMillis();
        for (io.mme.core.venue.VenueGateway g : gateways) {
            String venue = g.venue().configName();
            io.mme.core.venue.GatewayStatus s = g.status();
            connected.add(s.streamConnected() ? 1 : 0, "venue", venue);
            backOff.add(Math.max(0, s.backingOffUntilMs() - now) / 1e3, "venue", venue);
            budget.add(s.budgetUsed(), "venue", venue);
            clock.add(s.clockOffsetMs() / 1e3, "venue", venue);
            reconciliations.add(s.reconciliations(), "venue", venue);
        }
        connected.done();
        backOff.done();
        budget.done();
        clock.done();
        reconciliations.done();
    }

    // ---- the pipeline

    private static void pipeline(Families f, PipelineHealth health) {
        var events = f.counter("mme_engine_events", "inbound or outbound events the engine has finished (its last sequence + 1)");
        var backlog = f.gauge("mme_engine_backlog", "events published on the engine's ring but not yet finished by it");
        var faults = f.counter("mme_engine_faults", "events or start-ups of the engine that threw");
        var state = f.gauge("mme_engine_state", "1 for the engine's lifecycle state, 0 for the others");
        for (EngineStatus s : health.engines()) {
            events.add(Math.max(0, s.lastSequence() + 1), "engine", s.name());
            backlog.add(s.backlog(), "engine", s.name());
            faults.add(s.faults(), "engine", s.name());
            for (EngineState e : EngineState.values()) {
                state.add(s.state() == e ? 1 : 0, "engine", s.name(), "state", e.name());
            }
        }
        events.done();
        backlog.done();
        faults.done();
        state.done();
        f.gauge("mme_pipeline_recovering", "1 while a restarted pipeline re-runs the journal's tail")
                .add(health.isRecovering() ? 1 : 0).done();
    }

    // ---- latency

    private void latency(Families f) {
        if (latency == null) {
            return;
        }
        var stages = f.histogram("mme_stage_latency_seconds", "time each stage of the chain took per inbound event; " + LATENCY_NOTE);
        var tickToQuote = f.histogram("mme_tick_to_quote_seconds",
                "market data event in to its risk-approved orders on the outbound ring, by venue of the quotes; " + LATENCY_NOTE);
        long[] counts = new long[LATENCY_BUCKETS_SECONDS.length];
        synchronized (latencyLock) {
            latency.sample();
            for (int s = 0; s < LatencyEngine.STAGES.length; s++) {
                long sumNanos = latency.stageBuckets(s, LATENCY_BUCKETS_NANOS, counts);
                stages.add(LATENCY_BUCKETS_SECONDS, counts, sumNanos / NANOS, "stage", LatencyEngine.STAGES[s]);
            }
            for (Venue venue : Venue.values()) {
                if (!access.instruments().ofVenue(venue).isEmpty()) {
                    long sumNanos = latency.tickToQuoteBuckets(venue, LATENCY_BUCKETS_NANOS, counts);
                    tickToQuote.add(LATENCY_BUCKETS_SECONDS, counts, sumNanos / NANOS, "venue", venue.configName());
                }
            }
        }
        stages.done();
        tickToQuote.done();
    }

    // ---- market data

    private static String[] instrumentLabels(Instrument instrument, String... more) {
        String[] labels = new String[6 + more.length];
        labels[0] = "venue";
        labels[1] = instrument.venue().configName();
        labels[2] = "symbol";
        labels[3] = instrument.venueSymbol();
        labels[4] = "pair";
        labels[5] = instrument.pair();
        System.arraycopy(more, 0, labels, 6, more.length);
        return labels;
    }

    private static void books(Families f, InstrumentRegistry instruments, MarketDataView books) {
        var state = f.gauge("mme_book_state", "1 for the order book's state (SYNCING, VALID, ...), 0 for the others");
        var bid = f.gauge("mme_best_bid_price", "best bid of a VALID book, in the quote currency (absent otherwise)");
        var ask = f.gauge("mme_best_ask_price", "best ask of a VALID book, in the quote currency (absent otherwise)");
        var bidSize = f.gauge("mme_best_bid_size", "size at the best bid of a VALID book, in the base asset");
        var askSize = f.gauge("mme_best_ask_size", "size at the best ask of a VALID book, in the base asset");
        int n = Math.min(instruments.size(), books.instruments());
        for (int id = 0; id < n; id++) {
            Instrument instrument = instruments.get(id);
            BookState current = books.state(id);
            for (BookState s : BookState.values()) {
                state.add(current == s ? 1 : 0, instrumentLabels(instrument, "state", s.name()));
            }
            long bidTicks = books.bidTicks(id);
            if (bidTicks != MarketDataView.NONE) {
                bid.add(instrument.priceNanos(bidTicks) / NANOS, instrumentLabels(instrument));
                bidSize.add(instrument.quantityNanos(books.bidLots(id)) / NANOS, instrumentLabels(instrument));
            }
            long askTicks = books.askTicks(id);
            if (askTicks != MarketDataView.NONE) {
                ask.add(instrument.priceNanos(askTicks) / NANOS, instrumentLabels(instrument));
                askSize.add(instrument.quantityNanos(books.askLots(id)) / NANOS, instrumentLabels(instrument));
            }
        }
        state.done();
        bid.done();
        ask.done();
        bidSize.done();
        askSize.done();
        var fair = f.gauge("mme_fair_value", "the canonical pair's fair value across its valid venues, in the quote currency");
        for (int p = 0; p < books.pairs(); p++) {
            long value = books.fairValueNanos(p);
            if (value != MarketDataView.NONE) {
                fair.add(value / NANOS, "pair", books.pairName(p));
            }
        }
        fair.done();
    }

    // ---- strategy

    /**
     * Per strategy of the desk (label {@code strategy}, its id): our best live quotes per instrument,
     * its inventory, fair value, whether it quotes, whether its code halted it, its open orders and
     * its PnL over its instruments (risk's view). An engine access without the desk's list (a single
     * view) is labelled {@code default}.
     */
    private static void strategy(Families f, EngineAccess access, InstrumentRegistry instruments) {
        List<String> ids = new ArrayList<>();
        List<StrategyView> views = new ArrayList<>();
        for (io.mme.strategy.StrategyUnit unit : access.strategies()) {
            ids.add(unit.id());
            views.add(unit.view());
        }
        if (views.isEmpty() && access.strategy() != null) {
            ids.add("default");
            views.add(access.strategy());
        }
        if (views.isEmpty()) {
            return;
        }
        var price = f.gauge("mme_quote_price", "our best live quote on the side, in the quote currency (absent without one)");
        var size = f.gauge("mme_quote_size", "size of our best live quote on the side, in the base asset");
        var inventory = f.gauge("mme_strategy_inventory", "the strategy's net position in the pair's base asset");
        var fair = f.gauge("mme_strategy_fair_value", "the last fair value the strategy saw, in the quote currency");
        var quoting = f.gauge("mme_strategy_quoting", "1 while the strategy quotes");
        var halted = f.gauge("mme_strategy_halted", "1 when the strategy's code threw and it was halted (its quotes cancelled)");
        var open = f.gauge("mme_strategy_open_orders", "the strategy's quote slots holding an order (pending or live)");
        var pnl = f.gauge("mme_strategy_pnl", "the strategy's realized (fees included) plus unrealized PnL over its instruments, "
                + "in the quote currency (quote assets at par)");
        io.mme.risk.RiskView risk = access.risk();
        for (int s = 0; s < views.size(); s++) {
            StrategyView view = views.get(s);
            String id = ids.get(s);
            if (view.instruments() == 0) {
                continue;
            }
            long pnlNanos = 0;
            for (int i = 0; i < view.instruments(); i++) {
                Instrument instrument = instruments.get(view.instrumentId(i));
                pnlNanos += risk.realizedNanos(instrument.id()) + risk.unrealizedNanos(instrument.id());
                long bid = view.bidTicks(i);
                if (bid != StrategyView.NONE) {
                    price.add(instrument.priceNanos(bid) / NANOS, instrumentLabels(instrument, "side", "bid", "strategy", id));
                    size.add(instrument.quantityNanos(view.bidLots(i)) / NANOS,
                            instrumentLabels(instrument, "side", "bid", "strategy", id));
                }
                long ask = view.askTicks(i);
                if (ask != StrategyView.NONE) {
                    price.add(instrument.priceNanos(ask) / NANOS, instrumentLabels(instrument, "side", "ask", "strategy", id));
                    size.add(instrument.quantityNanos(view.askLots(i)) / NANOS,
                            instrumentLabels(instrument, "side", "ask", "strategy", id));
                }
            }
            String pair = instruments.get(view.instrumentId(0)).pair();
            inventory.add(view.inventoryNanos() / NANOS, "pair", pair, "strategy", id);
            if (view.fairValueNanos() != StrategyView.NONE) {
                fair.add(view.fairValueNanos() / NANOS, "pair", pair, "strategy", id);
            }
            quoting.add(view.quoting() ? 1 : 0, "pair", pair, "strategy", id);
            halted.add(view.halted() ? 1 : 0, "pair", pair, "strategy", id);
            open.add(view.openOrders(), "pair", pair, "strategy", id);
            pnl.add(pnlNanos / NANOS, "pair", pair, "strategy", id);
        }
        price.done();
        size.done();
        inventory.done();
        fair.done();
        quoting.done();
        halted.done();
        open.done();
        pnl.done();
    }

    // ---- risk

    private static void risk(Families f, InstrumentRegistry instruments, RiskView risk) {
        f.counter("mme_risk_approved_intents", "quote intents risk approved").add(risk.approvedIntents()).done();
        f.counter("mme_risk_rejected_intents", "quote intents risk rejected (all checks)").add(risk.rejectedIntents()).done();
        var byReason = f.counter("mme_risk_rejects_by_reason", "quote intents risk rejected, by the check that refused them");
        for (io.mme.risk.RiskCheck check : io.mme.risk.RiskCheck.values()) {
            byReason.add(risk.rejectedBy(check), "reason", check.label());
        }
        byReason.done();
        f.gauge("mme_risk_open_orders", "open orders as risk counts them").add(risk.openOrders()).done();
        var global = f.gauge("mme_trading_state", "1 for the global trading state (ACTIVE, REDUCING, HALTED), 0 for the others");
        for (TradingState s : TradingState.values()) {
            global.add(risk.globalState() == s ? 1 : 0, "state", s.name());
        }
        global.done();
        var venueState = f.gauge("mme_venue_trading_state", "1 for the venue's trading state, 0 for the others");
        var rate = f.gauge("mme_order_rate_limit_per_minute", "the venue's order rate limit (PLACE and REPLACE), orders per minute");
        for (Venue venue : Venue.values()) {
            if (instruments.ofVenue(venue).isEmpty()) {
                continue;
            }
            for (TradingState s : TradingState.values()) {
                venueState.add(risk.venueState(venue.id()) == s ? 1 : 0, "venue", venue.configName(), "state", s.name());
            }
            if (venue.id() < risk.limitTargets(LimitKind.ORDER_RATE)) {
                rate.add(risk.limit(LimitKind.ORDER_RATE, venue.id()), "venue", venue.configName());
            }
        }
        venueState.done();
        rate.done();

        var state = f.gauge("mme_instrument_trading_state", "1 for the instrument's trading state, 0 for the others");
        var position = f.gauge("mme_position_lots", "our position in lots of the instrument (negative: short)");
        var positionBase = f.gauge("mme_position", "our position in the instrument's base asset (negative: short)");
        var cost = f.gauge("mme_average_cost", "average entry price of the position, in the quote currency (0 when flat)");
        var realized = f.gauge("mme_pnl_realized", "realized PnL in the instrument's quote currency (label quote)");
        var unrealized = f.gauge("mme_pnl_unrealized", "unrealized PnL at the fair value, in the instrument's quote currency (label quote)");
        var fees = f.gauge("mme_fees", "fees paid (negative: rebates received), in the instrument's quote currency (label quote)");
        var fills = f.counter("mme_instrument_fills", "fills risk applied to the instrument's position");
        int n = Math.min(instruments.size(), risk.instruments());
        for (int id = 0; id < n; id++) {
            Instrument instrument = instruments.get(id);
            for (TradingState s : TradingState.values()) {
                state.add(risk.instrumentState(id) == s ? 1 : 0, instrumentLabels(instrument, "state", s.name()));
            }
            long lots = risk.positionLots(id);
            position.add(lots, instrumentLabels(instrument));
            positionBase.add(instrument.quantityNanos(lots) / NANOS, instrumentLabels(instrument));
            cost.add(risk.averageCostNanos(id) / NANOS, instrumentLabels(instrument));
            String[] money = instrumentLabels(instrument, "quote", instrument.quote());
            realized.add(risk.realizedNanos(id) / NANOS, money);
            unrealized.add(risk.unrealizedNanos(id) / NANOS, money);
            fees.add(risk.feesNanos(id) / NANOS, money);
            fills.add(risk.fills(id), instrumentLabels(instrument));
        }
        state.done();
        position.done();
        positionBase.done();
        cost.done();
        realized.done();
        unrealized.done();
        fees.done();
        fills.done();

        f.gauge("mme_daily_pnl", "realized + unrealized PnL since the UTC day began, fees included, quote currencies counted alike")
                .add(risk.dailyPnlNanos() / NANOS).done();
        var loss = f.gauge("mme_daily_loss_limit", "the day's loss at which trading goes to REDUCING (positive), quote currencies counted alike");
        if (risk.limitTargets(LimitKind.DAILY_LOSS) > 0) {
            loss.add(risk.limit(LimitKind.DAILY_LOSS, 0) / NANOS);
        }
        loss.done();
    }

    /**
     * {@code mme_trading_halted}, one series per scope: {@code scope="global"} is 1 when risk's global
     * state is HALTED (an operator's halt or the kill switch) or the pipeline halted itself (an
     * engine faulted, shutdown); {@code scope="venue"} and {@code scope="instrument"} are 1 when that
     * venue's or instrument's own state is HALTED. A scope is halted in effect when it or a scope
     * above it is. Risk publishes its states on the CONTROL event that changes them.
     */
    private static void halted(Families f, InstrumentRegistry instruments, RiskView risk, PipelineHealth health) {
        var halted = f.gauge("mme_trading_halted", "1 when the scope's own trading state is HALTED (global also when the "
                + "pipeline halted itself: an engine faulted, shutdown): only cancels go out there; label scope = global, venue "
                + "or instrument");
        halted.add(risk.globalState() == TradingState.HALTED || health.tradingHalted() ? 1 : 0, "scope", "global");
        for (Venue venue : Venue.values()) {
            if (!instruments.ofVenue(venue).isEmpty()) {
                halted.add(risk.venueState(venue.id()) == TradingState.HALTED ? 1 : 0, "scope", "venue", "venue", venue.configName());
            }
        }
        int n = Math.min(instruments.size(), risk.instruments());
        for (int id = 0; id < n; id++) {
            Instrument instrument = instruments.get(id);
            halted.add(risk.instrumentState(id) == TradingState.HALTED ? 1 : 0, "scope", "instrument", "venue",
                    instrument.venue().configName(), "symbol", instrument.venueSymbol(), "pair", instrument.pair());
        }
        halted.done();
    }

    private static void views(Families f, EngineAccess access) {
        var published = f.gauge("mme_view_published_timestamp_seconds",
                "event time (epoch seconds) of the TIMER event that last published the engine's view (0: none yet)");
        published.add(access.books().publishedAtNanos() / NANOS, "view", "marketdata");
        published.add(access.risk().publishedAtNanos() / NANOS, "view", "risk");
        StrategyView strategy = access.strategy();
        if (strategy != null) {
            published.add(strategy.publishedAtNanos() / NANOS, "view", "strategy");
        }
        published.done();
    }

    // ---- execution

    /** each execution counter's family: name without _total (counters) and help; OPEN_ORDERS is a gauge */
    static String familyOf(ExecutionCounter counter) {
        return switch (counter) {
            case ORDERS_SENT -> "mme_orders_sent";
            case ACKS -> "mme_order_acks";
            case FILLS -> "mme_fills";
            case FILLED_LOTS -> "mme_filled_lots";
            case CANCELS -> "mme_order_cancels";
            case REJECTS -> "mme_venue_rejects";
            case SYNTHETIC_REJECTS -> "mme_intents_refused";
            case REPLACES -> "mme_order_replaces";
            case CANCEL_REJECTS -> "mme_cancel_rejects";
            case OPEN_ORDERS -> "mme_open_orders";
            case LATE_FILLS -> "mme_late_fills";
            case TIMEOUTS -> "mme_order_ack_timeouts";
            case STATUS_QUERIES -> "mme_status_queries";
            case UNRESOLVED -> "mme_orders_unresolved";
            case OVERFILLED_LOTS -> "mme_overfilled_lots";
            case DUPLICATE_REPORTS -> "mme_duplicate_reports";
            case UNKNOWN_REPORTS -> "mme_unknown_reports";
            case RECONCILED_LOTS -> "mme_reconciled_lots";
            case UNKNOWN_VENUE_ORDERS -> "mme_unknown_venue_orders";
            case ADOPTED_ORDERS -> "mme_adopted_orders";
        };
    }

    private static String helpOf(ExecutionCounter counter) {
        return switch (counter) {
            case ORDERS_SENT -> "NEW order commands sent to the venue";
            case ACKS -> "ACCEPTED reports applied";
            case FILLS -> "fill reports, late ones included";
            case FILLED_LOTS -> "lots filled (in each instrument's own lots), late fills included";
            case CANCELS -> "orders cancelled (CANCELLED reports applied)";
            case REJECTS -> "orders the venue rejected";
            case SYNTHETIC_REJECTS -> "intents refused before reaching the venue (by risk or by execution)";
            case REPLACES -> "REPLACED reports applied";
            case CANCEL_REJECTS -> "CANCEL_REJECTED reports applied";
            case OPEN_ORDERS -> "orders in the execution engine's open-order table now";
            case LATE_FILLS -> "fills after a cancel request or after the order ended";
            case TIMEOUTS -> "acknowledgements that timed out (the order went UNKNOWN)";
            case STATUS_QUERIES -> "STATUS commands sent";
            case UNRESOLVED -> "orders left UNKNOWN after every status query went unanswered";
            case OVERFILLED_LOTS -> "lots filled beyond an order's quantity";
            case DUPLICATE_REPORTS -> "reports that repeat or contradict what the order already went through";
            case UNKNOWN_REPORTS -> "reports for client order ids the engine does not know";
            case RECONCILED_LOTS -> "lots booked from a venue's cumulative quantity (fills missed while a stream was down)";
            case UNKNOWN_VENUE_ORDERS -> "orders of ours found open on a venue at reconciliation that the engine did not hold";
            case ADOPTED_ORDERS -> "unknown venue orders the engine took over (execution.unknownOrders=adopt)";
        };
    }

    private static void execution(Families f, ExecutionView view) {
        for (ExecutionCounter counter : ExecutionCounter.values()) {
            boolean gauge = counter == ExecutionCounter.OPEN_ORDERS;
            Families.Gauge g = gauge ? f.gauge(familyOf(counter), helpOf(counter) + ", by venue (other: venue ids out of range)") : null;
            Families.Counter c = gauge ? null : f.counter(familyOf(counter), helpOf(counter) + ", by venue (other: venue ids out of range)");
            for (int row = 0; row <= view.venueCount(); row++) {
                String venue = row < view.venueCount() && row < Venue.values().length ? Venue.ofId(row).configName() : "other";
                long value = view.get(row, counter);
                if (gauge) {
                    g.add(value, "venue", venue);
                } else {
                    c.add(value, "venue", venue);
                }
            }
            if (gauge) {
                g.done();
            } else {
                c.done();
            }
        }
    }

    // ---- store tiers

    private static void stores(Families f, AuditStore audit, RedisHotStatePublisher redis) {
        var up = f.gauge("mme_store_up", "1 while the store tier's writes succeed, 0 during an outage");
        var lagSeconds = f.gauge("mme_store_lag_seconds", "age of the oldest state not yet in the store (postgres: oldest uncommitted "
                + "journal record; redis: since the last acknowledged batch)");
        var lagRecords = f.gauge("mme_store_lag_records", "journal records not yet committed to the store (postgres only)");
        var outages = f.counter("mme_store_outages", "outages of the store tier seen since the start");
        var writes = f.counter("mme_store_writes", "rows committed (postgres) or keys written (redis)");
        if (audit != null) {
            String store = "postgres";
            up.add(audit.isDown() ? 0 : 1, "store", store);
            lagSeconds.add(audit.lagSeconds(), "store", store);
            lagRecords.add(audit.lagRecords(), "store", store);
            outages.add(audit.outages(), "store", store);
            writes.add(audit.rowsWritten(), "store", store);
        }
        if (redis != null) {
            String store = "redis";
            up.add(redis.isDown() ? 0 : 1, "store", store);
            lagSeconds.add(redis.storeLagSeconds(), "store", store);
            outages.add(redis.outageCount(), "store", store);
            writes.add(redis.keysWritten(), "store", store);
        }
        up.done();
        lagSeconds.done();
        lagRecords.done();
        outages.done();
        writes.done();
    }
}
