package io.mme.app.api.rest;

import io.javalin.http.Context;
import io.mme.app.api.EngineAccess;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.TradingState;
import io.mme.execution.ExecutionCounter;
import io.mme.execution.ExecutionView;
import io.mme.marketdata.MarketDataView;
import io.mme.audit.AuditedChange;
import io.mme.audit.RunId;
import io.mme.risk.LimitKind;
import io.mme.risk.RiskLimits;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyView;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The read routes and the health probes: JSON built from the engines' published views (numbers
 * published on TIMER events; each is current on its own, see the views). Owns the asset and
 * strategy names computed once and one copy buffer of the open orders (under its lock); any Jetty thread.
 */
final class ReadEndpoints {
    static final long DEFAULT_AUDIT = 50;
    static final long MAX_AUDIT = 10_000;

    private final EngineAccess engine;
    private final BooleanSupplier storesReachable;
    /** the risk engine's asset names: registry order of each base asset's first appearance */
    private final RiskLimits assets;
    /** guards {@link #openOrdersCopy}: one request at a time copies the published open orders */
    private final Object copyLock = new Object();
    private io.mme.execution.OpenOrdersView.OpenOrders openOrdersCopy;
    /** per instrument id, the id of the strategy that quotes it (null: none); built once, on first use */
    private volatile String[] strategyByInstrument;

    ReadEndpoints(EngineAccess engine, BooleanSupplier storesReachable) {
        this.engine = engine;
        this.storesReachable = storesReachable;
        this.assets = RiskLimits.defaults(engine.instruments());
    }

    void live(Context ctx) {
        RestApi.json(ctx, 200, JsonBodies.write(Map.of("status", "live")));
    }

    void ready(Context ctx) {
        List<String> reasons = new ArrayList<>();
        MarketDataView books = engine.books();
        InstrumentRegistry registry = engine.instruments();
        for (int id = 0; id < books.instruments(); id++) {
            BookState state = books.state(id);
            if (state != BookState.VALID) {
                reasons.add("feed " + name(registry.get(id)) + ": book " + state);
            }
        }
        boolean stores;
        try {
            stores = storesReachable.getAsBoolean();
        } catch (RuntimeException e) {
            stores = false;
        }
        if (!stores) {
            reasons.add("stores not reachable");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reasons.isEmpty() ? "ready" : "not ready");
        body.put("reasons", reasons);
        RestApi.json(ctx, reasons.isEmpty() ? 200 : 503, JsonBodies.write(body));
    }

    void limits(Context ctx) {
        RiskView risk = engine.risk();
        InstrumentRegistry registry = engine.instruments();
        List<Object> out = new ArrayList<>();
        for (LimitKind kind : LimitKind.values()) {
            for (int i = 0; i < risk.limitTargets(kind); i++) {
                Map<String, Object> limit = new LinkedHashMap<>();
                limit.put("name", kind.key());
                limit.put("scope", kind.scope().name().toLowerCase(Locale.ROOT));
                switch (kind.scope()) {
                    case INSTRUMENT -> {
                        Instrument instrument = registry.get(i);
                        limit.put("target", name(instrument));
                        limit.put("venue", instrument.venue().configName());
                        limit.put("symbol", instrument.venueSymbol());
                    }
                    case ASSET -> {
                        String asset = i < assets.assets() ? assets.assetName(i) : "asset " + i;
                        limit.put("target", "asset " + asset);
                        limit.put("asset", asset);
                    }
                    case VENUE -> {
                        limit.put("target", Venue.ofId(i).configName());
                        limit.put("venue", Venue.ofId(i).configName());
                    }
                    case GLOBAL -> limit.put("target", "global");
                    case STRATEGY -> {
                        String id = i < engine.strategies().size() ? engine.strategies().get(i).id() : String.valueOf(i);
                        limit.put("target", "strategy " + id);
                        limit.put("strategy", id);
                    }
                }
                limit.put("unit", kind.unit());
                limit.put("maxValue", kind.maxValue());
                limit.put("value", risk.limit(kind, i));
                out.add(limit);
            }
        }
        RestApi.json(ctx, 200, JsonBodies.write(Map.of("limits", out)));
    }

    void positions(Context ctx) {
        RiskView risk = engine.risk();
        InstrumentRegistry registry = engine.instruments();
        List<Object> out = new ArrayList<>();
        long realized = 0;
        long unrealized = 0;
        long fees = 0;
        long fills = 0;
        for (int id = 0; id < Math.min(risk.instruments(), registry.size()); id++) {
            Instrument instrument = registry.get(id);
            long lots = risk.positionLots(id);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("venue", instrument.venue().configName());
            p.put("symbol", instrument.venueSymbol());
            p.put("position", instrument.appendQuantity(lots, new StringBuilder()).toString());
            p.put("positionLots", lots);
            money(p, "averageCost", risk.averageCostNanos(id));
            money(p, "realized", risk.realizedNanos(id));
            money(p, "unrealized", risk.unrealizedNanos(id));
            money(p, "fees", risk.feesNanos(id));
            p.put("fills", risk.fills(id));
            out.add(p);
            realized += risk.realizedNanos(id);
            unrealized += risk.unrealizedNanos(id);
            fees += risk.feesNanos(id);
            fills += risk.fills(id);
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        money(totals, "realized", realized);
        money(totals, "unrealized", unrealized);
        money(totals, "fees", fees);
        totals.put("fills", fills);
        money(totals, "dailyPnl", risk.dailyPnlNanos());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("positions", out);
        body.put("totals", totals);
        body.put("publishedAtNanos", risk.publishedAtNanos());
        RestApi.json(ctx, 200, JsonBodies.write(body));
    }

    /**
     * The open orders as execution last published them (a TIMER ago at most), each with its venue,
     * symbol, strategy (the one that quotes the instrument), side, price, size, filled size, state
     * and age; and the open-order counters per venue. Written straight into one StringBuilder from a
     * copy this endpoint owns (one request at a time copies; nothing per order is allocated).
     */
    void openOrders(Context ctx) {
        ExecutionView execution = engine.execution();
        StringBuilder out = new StringBuilder(512).append("{\"venues\":[");
        for (int v = 0; v < execution.venueCount(); v++) {
            out.append(v == 0 ? "" : ",").append("{\"venue\":");
            quoted(out, v < Venue.values().length ? Venue.ofId(v).configName() : "venue " + v);
            out.append(",\"openOrders\":").append(execution.get(v, ExecutionCounter.OPEN_ORDERS)).append('}');
        }
        out.append("],\"otherVenues\":").append(execution.get(execution.venueCount(), ExecutionCounter.OPEN_ORDERS))
                .append(",\"total\":").append(execution.total(ExecutionCounter.OPEN_ORDERS)).append(",\"orders\":[");
        io.mme.execution.OpenOrdersView view = engine.openOrders();
        long publishedAt = 0;
        if (view != null) {
            synchronized (copyLock) {
                io.mme.execution.OpenOrdersView.OpenOrders copy = copy(view);
                long nowNanos = System.currentTimeMillis() * 1_000_000L;
                InstrumentRegistry registry = engine.instruments();
                for (int i = 0; i < copy.count(); i++) {
                    Instrument instrument = registry.get(copy.instrumentId(i));
                    out.append(i == 0 ? "{" : ",{").append("\"id\":\"").append(copy.clientOrderId(i)).append("\",\"venue\":");
                    venueSymbolStrategy(out, instrument);
                    out.append(",\"side\":\"").append(copy.side(i) == io.mme.core.ring.Side.BUY ? "buy" : "sell")
                            .append("\",\"price\":\"");
                    instrument.appendPrice(copy.priceTicks(i), out).append("\",\"priceTicks\":").append(copy.priceTicks(i))
                            .append(",\"size\":\"");
                    instrument.appendQuantity(copy.quantityLots(i), out).append("\",\"sizeLots\":").append(copy.quantityLots(i))
                            .append(",\"filled\":\"");
                    instrument.appendQuantity(copy.filledLots(i), out).append("\",\"state\":\"").append(copy.state(i))
                            .append("\",\"placedAtNanos\":");
                    long placed = copy.placedNanos(i);
                    if (placed == 0) {
                        out.append("null,\"ageMillis\":null}");
                    } else {
                        out.append(placed).append(",\"ageMillis\":").append(Math.max(0, (nowNanos - placed) / 1_000_000)).append('}');
                    }
                }
                publishedAt = copy.publishedAtNanos();
            }
        }
        out.append("],\"publishedAtNanos\":").append(publishedAt).append('}');
        RestApi.json(ctx, 200, out.toString());
    }

    /** the {@code venue}, {@code symbol} and {@code strategy} (null when none quotes it) fields of an instrument, after {@code "venue":} */
    private void venueSymbolStrategy(StringBuilder out, Instrument instrument) {
        quoted(out, instrument.venue().configName());
        out.append(",\"symbol\":");
        quoted(out, instrument.venueSymbol());
        out.append(",\"strategy\":");
        String strategy = strategyOf(instrument.id());
        if (strategy == null) {
            out.append("null");
        } else {
            quoted(out, strategy);
        }
    }

    /** our last fills as execution last published them (up to {@link io.mme.execution.OpenOrdersView#FILLS_KEPT}), oldest first */
    void fills(Context ctx) {
        StringBuilder out = new StringBuilder(512).append("{\"fills\":[");
        io.mme.execution.OpenOrdersView view = engine.openOrders();
        long total = 0;
        long publishedAt = 0;
        if (view != null) {
            synchronized (copyLock) {
                io.mme.execution.OpenOrdersView.OpenOrders copy = copy(view);
                InstrumentRegistry registry = engine.instruments();
                for (int k = 0; k < copy.fillCount(); k++) {
                    Instrument instrument = registry.get(copy.fillInstrumentId(k));
                    out.append(k == 0 ? "{" : ",{").append("\"orderId\":\"").append(copy.fillClientOrderId(k))
                            .append("\",\"venue\":");
                    venueSymbolStrategy(out, instrument);
                    out.append(",\"side\":\"").append(copy.fillSide(k) == io.mme.core.ring.Side.BUY ? "buy" : "sell")
                            .append("\",\"price\":\"");
                    instrument.appendPrice(copy.fillPriceTicks(k), out).append("\",\"size\":\"");
                    instrument.appendQuantity(copy.fillLots(k), out).append("\",\"timeNanos\":").append(copy.fillTimeNanos(k))
                            .append('}');
                }
                total = copy.fillsTotal();
                publishedAt = copy.publishedAtNanos();
            }
        }
        out.append("],\"total\":").append(total).append(",\"publishedAtNanos\":").append(publishedAt).append('}');
        RestApi.json(ctx, 200, out.toString());
    }

    /** the endpoint's copy of the view, read fresh; the caller holds copyLock */
    private io.mme.execution.OpenOrdersView.OpenOrders copy(io.mme.execution.OpenOrdersView view) {
        if (openOrdersCopy == null) {
            openOrdersCopy = view.newBuffer();
        }
        view.read(openOrdersCopy);
        return openOrdersCopy;
    }

    /** the id of the strategy that quotes the instrument, or null */
    private String strategyOf(int instrumentId) {
        String[] byInstrument = strategyByInstrument;
        if (byInstrument == null) {
            byInstrument = new String[engine.instruments().size()];
            for (io.mme.strategy.StrategyUnit unit : engine.strategies()) {
                StrategyView view = unit.view();
                for (int i = 0; i < view.instruments(); i++) {
                    byInstrument[view.instrumentId(i)] = unit.id();
                }
            }
            strategyByInstrument = byInstrument;
        }
        return instrumentId < byInstrument.length ? byInstrument[instrumentId] : null;
    }

    /** a JSON string of text that may hold anything */
    private static void quoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** risk's verdicts so far: approved and rejected intents, and the rejects per check */
    void riskRejects(Context ctx) {
        RiskView risk = engine.risk();
        List<Object> byCheck = new ArrayList<>();
        for (io.mme.risk.RiskCheck check : io.mme.risk.RiskCheck.values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("check", check.name());
            c.put("label", check.label());
            c.put("rejected", risk.rejectedBy(check));
            byCheck.add(c);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("approved", risk.approvedIntents());
        body.put("rejected", risk.rejectedIntents());
        body.put("byCheck", byCheck);
        body.put("publishedAtNanos", risk.publishedAtNanos());
        RestApi.json(ctx, 200, JsonBodies.write(body));
    }

    void tradingStates(Context ctx) {
        RiskView risk = engine.risk();
        InstrumentRegistry registry = engine.instruments();
        TradingState global = risk.globalState();
        List<Object> venues = new ArrayList<>();
        for (Venue venue : Venue.values()) {
            venues.add(Map.of("venue", venue.configName(), "state", risk.venueState(venue.id()).name()));
        }
        List<Object> instruments = new ArrayList<>();
        for (int id = 0; id < Math.min(risk.instruments(), registry.size()); id++) {
            Instrument instrument = registry.get(id);
            TradingState own = risk.instrumentState(id);
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("venue", instrument.venue().configName());
            i.put("symbol", instrument.venueSymbol());
            i.put("state", own.name());
            i.put("effective", own.strictest(risk.venueState(instrument.venue().id())).strictest(global).name());
            instruments.add(i);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("global", global.name());
        body.put("venues", venues);
        body.put("instruments", instruments);
        RestApi.json(ctx, 200, JsonBodies.write(body));
    }

    void feeds(Context ctx) {
        MarketDataView books = engine.books();
        InstrumentRegistry registry = engine.instruments();
        List<Object> feeds = new ArrayList<>();
        for (int id = 0; id < books.instruments(); id++) {
            Instrument instrument = registry.get(id);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("venue", instrument.venue().configName());
            f.put("symbol", instrument.venueSymbol());
            f.put("pair", instrument.pair());
            f.put("state", books.state(id).name());
            side(f, "bid", instrument, books.bidTicks(id), books.bidLots(id), MarketDataView.NONE);
            side(f, "ask", instrument, books.askTicks(id), books.askLots(id), MarketDataView.NONE);
            feeds.add(f);
        }
        List<Object> pairs = new ArrayList<>();
        for (int p = 0; p < books.pairs(); p++) {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("pair", books.pairName(p));
            long fair = books.fairValueNanos(p);
            money(pair, "fairValue", fair == MarketDataView.NONE ? null : fair);
            pairs.add(pair);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("feeds", feeds);
        body.put("fairValues", pairs);
        body.put("publishedAtNanos", books.publishedAtNanos());
        RestApi.json(ctx, 200, JsonBodies.write(body));
    }

    void audit(Context ctx) {
        String text = ctx.queryParam("limit");
        long limit = DEFAULT_AUDIT;
        if (text != null) {
            try {
                limit = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("limit", "query parameter 'limit' must be an integer between 1 and " + MAX_AUDIT);
            }
            if (limit < 1 || limit > MAX_AUDIT) {
                throw ApiError.badRequest("limit", "query parameter 'limit' must be between 1 and " + MAX_AUDIT + ", not " + limit);
            }
        }
        String kindText = ctx.queryParam("kind");
        String kind = null;
        if (kindText != null) {
            kind = AuditedChange.kind(kindText);
            if (kind == null) {
                throw ApiError.badRequest("kind", "query parameter 'kind' must be one of " + String.join(", ", AuditedChange.KINDS)
                        + ", not '" + FreeText.printable(kindText, 40) + "'");
            }
        }
        String run = ctx.queryParam("run");
        if (run != null && !RunId.isValid(run)) {
            throw ApiError.badRequest("run", "query parameter 'run' must be a run id (letters, digits, '_', '.', '-', starting with "
                    + "a letter or digit, at most " + RunId.MAX_LENGTH + " characters), not '"
                    + FreeText.printable(run, RunId.MAX_LENGTH + 6) + "'");
        }
        // the engine holds its own run's changes; another run's are in the PostgreSQL audit trail, under its run_id
        String runId = engine.runId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", runId);
        body.put("changes", run == null || run.equals(runId) ? engine.changes((int) limit, kind) : List.of());
        RestApi.json(ctx, 200, JsonBodies.write(body));
    }

    void strategy(Context ctx) {
        StrategyView view = engine.strategy();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configured", view != null);
        body.put("parameterKeys", engine.strategyParameterKeys());
        if (view != null) {
            body.put("quoting", view.quoting());
            money(body, "inventory", view.inventoryNanos());
            money(body, "fairValue", view.fairValueNanos() == StrategyView.NONE ? null : view.fairValueNanos());
            List<Object> quotes = new ArrayList<>();
            InstrumentRegistry registry = engine.instruments();
            for (int i = 0; i < view.instruments(); i++) {
                Instrument instrument = registry.get(view.instrumentId(i));
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("venue", instrument.venue().configName());
                q.put("symbol", instrument.venueSymbol());
                side(q, "bid", instrument, view.bidTicks(i), view.bidLots(i), StrategyView.NONE);
                side(q, "ask", instrument, view.askTicks(i), view.askLots(i), StrategyView.NONE);
                quotes.add(q);
            }
            body.put("quotes", quotes);
            body.put("publishedAtNanos", view.publishedAtNanos());
        }
        RestApi.json(ctx, 200, JsonBodies.write(body));
    }

    void strategies(Context ctx) {
        InstrumentRegistry registry = engine.instruments();
        io.mme.risk.RiskView risk = engine.risk();
        List<Object> list = new ArrayList<>();
        List<io.mme.strategy.StrategyUnit> units = engine.strategies();
        for (int st = 0; st < units.size(); st++) {
            io.mme.strategy.StrategyUnit unit = units.get(st);
            StrategyView view = unit.view();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", unit.id());
            s.put("type", unit.strategy().name());
            s.put("pair", registry.get(view.instrumentId(0)).pair());
            List<Object> venues = new ArrayList<>();
            long realized = 0;
            long unrealized = 0;
            long fees = 0;
            long fills = 0;
            for (int i = 0; i < view.instruments(); i++) {
                Instrument instrument = registry.get(view.instrumentId(i));
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("venue", instrument.venue().configName());
                q.put("symbol", instrument.venueSymbol());
                side(q, "bid", instrument, view.bidTicks(i), view.bidLots(i), StrategyView.NONE);
                side(q, "ask", instrument, view.askTicks(i), view.askLots(i), StrategyView.NONE);
                venues.add(q);
                realized += risk.realizedNanos(instrument.id());
                unrealized += risk.unrealizedNanos(instrument.id());
                fees += risk.feesNanos(instrument.id());
                fills += risk.fills(instrument.id());
            }
            s.put("venues", venues);
            String halt = unit.haltReason();
            s.put("state", halt != null || view.halted() ? "halted" : view.quoting() ? "quoting" : "stopped");
            s.put("haltReason", halt);
            s.put("openOrders", view.openOrders());
            s.put("fills", fills);
            Map<String, Object> parameters = new LinkedHashMap<>();
            for (int k = 0; k < view.parameterKeys().size(); k++) {
                parameters.put(view.parameterKeys().get(k), view.parameter(k));
            }
            s.put("parameters", parameters);
            Map<String, Object> report = new LinkedHashMap<>();
            for (int k = 0; k < view.reportKeys().size(); k++) {
                report.put(view.reportKeys().get(k), view.report(k));
            }
            s.put("report", report);
            Map<String, Object> limits = new LinkedHashMap<>();
            boolean known = st < risk.limitTargets(io.mme.risk.LimitKind.STRATEGY_MAX_POSITION);
            limits.put("maxPosition", known ? risk.limit(io.mme.risk.LimitKind.STRATEGY_MAX_POSITION, st) : Long.MAX_VALUE);
            limits.put("dailyLossLimit", known ? risk.limit(io.mme.risk.LimitKind.STRATEGY_DAILY_LOSS, st) : Long.MAX_VALUE);
            limits.put("maxOpenOrders", known ? risk.limit(io.mme.risk.LimitKind.STRATEGY_MAX_OPEN_ORDERS, st) : Long.MAX_VALUE);
            s.put("limits", limits);
            money(s, "position", view.inventoryNanos());
            // realized includes fees (the ledger charges them on each fill); fees are shown apart as well
            money(s, "realized", realized);
            money(s, "unrealized", unrealized);
            money(s, "fees", fees);
            money(s, "pnl", realized + unrealized);
            money(s, "fairValue", view.fairValueNanos() == StrategyView.NONE ? null : view.fairValueNanos());
            s.put("publishedAtNanos", view.publishedAtNanos());
            list.add(s);
        }
        RestApi.json(ctx, 200, JsonBodies.write(Map.of("strategies", list)));
    }

    private static void side(Map<String, Object> out, String side, Instrument instrument, long ticks, long lots, long none) {
        if (ticks == none) {
            out.put(side, null);
            return;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("price", instrument.appendPrice(ticks, new StringBuilder()).toString());
        s.put("priceTicks", ticks);
        s.put("size", instrument.appendQuantity(lots, new StringBuilder()).toString());
        s.put("sizeLots", lots);
        out.put(side, s);
    }

    /** a 10^-9 amount as {@code <name>Nanos} and exact decimal text {@code <name>} (null: none) */
    private static void money(Map<String, Object> out, String name, Long nanos) {
        out.put(name, nanos == null ? null : BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString());
        out.put(name + "Nanos", nanos);
    }

    private static String name(Instrument instrument) {
        return instrument.venue().configName() + " " + instrument.venueSymbol();
    }
}
