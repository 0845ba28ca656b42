package io.mme.app.stream;

import io.mme.analytics.LatencySummary;
import io.mme.app.api.EngineAccess;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.TradingState;
import io.mme.core.runtime.EngineStatus;
import io.mme.core.runtime.PipelineHealth;
import io.mme.marketdata.MarketDataView;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyUnit;
import io.mme.strategy.StrategyView;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON of the stream's messages: the bodies (the fields after the header {@link StreamChannel}
 * writes: type, id, seq, snapshot, sentUs) of each channel, built from the tap's snapshots and the
 * engines' views; prices and sizes as exact decimal text. Holds no state of its own: the
 * dispatcher thread calls it (the views and snapshots it reads are published for any thread).
 */
final class StreamMessages {
    private final InstrumentRegistry instruments;
    private final EngineAccess access;
    private final io.mme.app.metrics.LatencyWindow tickToQuote;

    StreamMessages(EngineAccess access, io.mme.app.metrics.LatencyWindow tickToQuote) {
        this.access = access;
        this.instruments = access.instruments();
        this.tickToQuote = tickToQuote;
    }

    InstrumentRegistry instruments() {
        return instruments;
    }

    // ------------------------------------------------------------------ books

    /** one side's levels as sent: [price, size] decimal text, best first */
    record Level(String price, String size) {
    }

    /** a venue book's top levels (grouped to sigFigs when asked) */
    List<Level> venueLevels(Instrument ins, Snapshots.L2 s, boolean bids, int nLevels, int sigFigs) {
        long[] ticks = bids ? s.bidPrices : s.askPrices;
        long[] lots = bids ? s.bidSizes : s.askSizes;
        int n = ticks.length;
        long[] prices = new long[n];
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            prices[i] = ins.priceNanos(ticks[i]);
            sizes[i] = ins.quantityNanos(lots[i]);
        }
        return levels(prices, sizes, n, bids, nLevels, sigFigs, ins.priceDecimals(), ins.sizeDecimals());
    }

    /** the consolidated book of a pair: the levels of every VALID venue merged by price (in quote nanos), sizes summed */
    static final class Merged {
        final List<Level> bids;
        final List<Level> asks;
        final String state;
        final long timestampNanos;

        Merged(List<Level> bids, List<Level> asks, String state, long timestampNanos) {
            this.bids = bids;
            this.asks = asks;
            this.state = state;
            this.timestampNanos = timestampNanos;
        }
    }

    Merged consolidated(List<Instrument> pairInstruments, Snapshots.L2[] books, int nLevels, int sigFigs) {
        int priceDecimals = 0;
        int sizeDecimals = 0;
        List<long[]> bids = new ArrayList<>();
        List<long[]> asks = new ArrayList<>();
        long ts = 0;
        boolean anyValid = false;
        boolean anyInvalid = false;
        for (int i = 0; i < books.length; i++) {
            Instrument ins = pairInstruments.get(i);
            priceDecimals = Math.max(priceDecimals, ins.priceDecimals());
            sizeDecimals = Math.max(sizeDecimals, ins.sizeDecimals());
            Snapshots.L2 s = books[i];
            if (s == null) {
                continue;
            }
            if (s.state != BookState.VALID) {
                anyInvalid |= s.state == BookState.INVALID;
                continue;
            }
            anyValid = true;
            ts = Math.max(ts, s.timestampNanos);
            for (int l = 0; l < s.bidPrices.length; l++) {
                bids.add(new long[]{ins.priceNanos(s.bidPrices[l]), ins.quantityNanos(s.bidSizes[l])});
            }
            for (int l = 0; l < s.askPrices.length; l++) {
                asks.add(new long[]{ins.priceNanos(s.askPrices[l]), ins.quantityNanos(s.askSizes[l])});
            }
        }
        long[][] b = merge(bids, true);
        long[][] a = merge(asks, false);
        return new Merged(levels(b[0], b[1], b[0].length, true, nLevels, sigFigs, priceDecimals, sizeDecimals),
                levels(a[0], a[1], a[0].length, false, nLevels, sigFigs, priceDecimals, sizeDecimals),
                anyValid ? "VALID" : anyInvalid ? "INVALID" : "SYNCING", ts);
    }

    /** levels (price nanos, size nanos) sorted best first with equal prices summed */
    private static long[][] merge(List<long[]> levels, boolean bids) {
        levels.sort((x, y) -> bids ? Long.compare(y[0], x[0]) : Long.compare(x[0], y[0]));
        long[] prices = new long[levels.size()];
        long[] sizes = new long[levels.size()];
        int n = 0;
        for (long[] l : levels) {
            if (n > 0 && prices[n - 1] == l[0]) {
                sizes[n - 1] += l[1];
            } else {
                prices[n] = l[0];
                sizes[n] = l[1];
                n++;
            }
        }
        return new long[][]{Arrays.copyOf(prices, n), Arrays.copyOf(sizes, n)};
    }

    /** up to nLevels levels, grouped to sigFigs when asked (bids down, asks up) */
    private static List<Level> levels(long[] prices, long[] sizes, int n, boolean bids, int nLevels, int sigFigs,
                                      int priceDecimals, int sizeDecimals) {
        List<Level> out = new ArrayList<>(Math.min(n, nLevels));
        if (sigFigs == 0) {
            for (int i = 0; i < n && out.size() < nLevels; i++) {
                out.add(new Level(decimal(prices[i], priceDecimals), decimal(sizes[i], sizeDecimals)));
            }
            return out;
        }
        MathContext mc = new MathContext(sigFigs, bids ? RoundingMode.FLOOR : RoundingMode.CEILING);
        BigDecimal bucket = null;
        long size = 0;
        for (int i = 0; i < n; i++) {
            BigDecimal b = BigDecimal.valueOf(prices[i], 9).round(mc);
            if (bucket != null && b.compareTo(bucket) != 0) {
                out.add(new Level(plain(bucket), decimal(size, sizeDecimals)));
                if (out.size() == nLevels) {
                    return out;
                }
                size = 0;
            }
            bucket = b;
            size += sizes[i];
        }
        if (bucket != null && out.size() < nLevels) {
            out.add(new Level(plain(bucket), decimal(size, sizeDecimals)));
        }
        return out;
    }

    /** writes {@code ,"name":[["p","s"],...]} */
    static void appendLevels(StringBuilder out, String name, List<Level> levels) {
        out.append(",\"").append(name).append("\":[");
        for (int i = 0; i < levels.size(); i++) {
            Level l = levels.get(i);
            out.append(i == 0 ? "" : ",").append("[\"").append(l.price()).append("\",\"").append(l.size()).append("\"]");
        }
        out.append(']');
    }

    /** 10^-9 units as decimal text with at least {@code decimals} decimals (exact) */
    static String decimal(long nanos, int decimals) {
        BigDecimal v = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
        if (v.scale() < decimals) {
            v = v.setScale(decimals);
        }
        return v.toPlainString();
    }

    private static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    /** an order-level book's body: levels with their orders in queue order, ids as decimal strings */
    String l3Body(Instrument ins, Snapshots.L3 s, int nLevels) {
        StringBuilder out = new StringBuilder(512);
        out.append("\"venue\":").append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol()));
        l3Side(out, "bids", s.bids, ins, nLevels);
        l3Side(out, "asks", s.asks, ins, nLevels);
        return out.append(",\"ts\":").append(s.timestampNanos / 1_000_000).toString();
    }

    private static void l3Side(StringBuilder out, String name, Snapshots.L3Side side, Instrument ins, int nLevels) {
        out.append(",\"").append(name).append("\":[");
        for (int l = 0; l < Math.min(nLevels, side.prices.length); l++) {
            if (l > 0) {
                out.append(',');
            }
            out.append("{\"price\":\"");
            ins.appendPrice(side.prices[l], out).append("\",\"orders\":[");
            for (int o = 0; o < side.orderIds[l].length; o++) {
                if (o > 0) {
                    out.append(',');
                }
                // a string: order ids use all 64 bits, beyond the integers JavaScript holds exactly (2^53)
                out.append("{\"id\":\"").append(side.orderIds[l][o]).append("\",\"size\":\"");
                ins.appendQuantity(side.orderSizes[l][o], out).append("\"}");
            }
            out.append("]}");
        }
        out.append(']');
    }

    /** one public trade as sent: its number (per instrument, since start) as a string id */
    String trade(Instrument ins, Snapshots.Trades t, int index, long number) {
        StringBuilder out = new StringBuilder(160).append("{\"id\":\"").append(number).append("\",\"venue\":")
                .append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol())).append(",\"price\":\"");
        ins.appendPrice(t.prices[index], out).append("\",\"size\":\"");
        ins.appendQuantity(t.sizes[index], out).append("\",\"side\":\"").append(t.buys[index] ? "buy" : "sell")
                .append("\",\"ts\":").append(t.timestampsNanos[index] / 1_000_000).append('}');
        return out.toString();
    }

    // ------------------------------------------------------------------ the engines' views

    /**
     * Our quotes of every strategy of the desk, in configuration order: one row per quoted
     * instrument naming its strategy, then per strategy its fair value and inventory. With a single
     * strategy the top-level fairValue and inventory repeat that strategy's (as before the desk).
     */
    String quotesBody(List<StrategyUnit> units, StrategyView single) {
        StringBuilder out = new StringBuilder(256).append("\"quotes\":[");
        boolean first = true;
        if (units.isEmpty() && single != null) {
            first = quoteRows(out, null, single, first);
        }
        for (StrategyUnit unit : units) {
            first = quoteRows(out, unit.id(), unit.view(), first);
        }
        out.append("],\"strategies\":[");
        for (int i = 0; i < units.size(); i++) {
            StrategyView view = units.get(i).view();
            out.append(i == 0 ? "" : ",").append("{\"id\":").append(quote(units.get(i).id()));
            fairValueAndInventory(out.append(','), view);
            out.append('}');
        }
        out.append("],");
        StrategyView only = units.size() == 1 ? units.get(0).view() : units.isEmpty() ? single : null;
        fairValueAndInventory(out, only);
        return out.toString();
    }

    private boolean quoteRows(StringBuilder out, String strategyId, StrategyView view, boolean first) {
        for (int i = 0; i < view.instruments(); i++) {
            Instrument ins = instruments.get(view.instrumentId(i));
            out.append(first ? "" : ",");
            first = false;
            out.append("{\"strategy\":").append(strategyId == null ? "null" : quote(strategyId))
                    .append(",\"venue\":").append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol()));
            out.append(",\"bid\":");
            price(out, ins, view.bidTicks(i));
            out.append(",\"bidSize\":");
            size(out, ins, view.bidTicks(i), view.bidLots(i));
            out.append(",\"ask\":");
            price(out, ins, view.askTicks(i));
            out.append(",\"askSize\":");
            size(out, ins, view.askTicks(i), view.askLots(i));
            out.append('}');
        }
        return first;
    }

    private static void fairValueAndInventory(StringBuilder out, StrategyView view) {
        out.append("\"fairValue\":").append(view == null || view.fairValueNanos() == StrategyView.NONE ? "null"
                : quote(decimal(view.fairValueNanos(), 0)));
        out.append(",\"inventory\":").append(view == null || view.inventoryNanos() == StrategyView.NONE ? "null"
                : quote(decimal(view.inventoryNanos(), 0)));
    }

    private static void price(StringBuilder out, Instrument ins, long ticks) {
        if (ticks == StrategyView.NONE) {
            out.append("null");
        } else {
            ins.appendPrice(ticks, out.append('"')).append('"');
        }
    }

    private static void size(StringBuilder out, Instrument ins, long ticks, long lots) {
        if (ticks == StrategyView.NONE) {
            out.append("null");
        } else {
            ins.appendQuantity(lots, out.append('"')).append('"');
        }
    }

    String positionsBody(RiskView view) {
        StringBuilder out = new StringBuilder(512).append("\"positions\":[");
        long total = 0;
        for (int id = 0; id < view.instruments() && id < instruments.size(); id++) {
            Instrument ins = instruments.get(id);
            long pnl = view.realizedNanos(id) + view.unrealizedNanos(id) - view.feesNanos(id);
            total += pnl;
            if (id > 0) {
                out.append(',');
            }
            out.append("{\"venue\":").append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol()))
                    .append(",\"position\":\"");
            ins.appendQuantity(view.positionLots(id), out).append('"');
            out.append(",\"pnl\":\"").append(decimal(pnl, 2)).append('"')
                    .append(",\"realized\":\"").append(decimal(view.realizedNanos(id), 2)).append('"')
                    .append(",\"unrealized\":\"").append(decimal(view.unrealizedNanos(id), 2)).append('"')
                    .append(",\"fees\":\"").append(decimal(view.feesNanos(id), 2)).append('"')
                    .append(",\"fills\":").append(view.fills(id)).append('}');
        }
        return out.append("],\"totalPnl\":\"").append(decimal(total, 2)).append('"').toString();
    }

    private PipelineHealth health() {
        try {
            return access.health();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Risk's trading state of every scope: global (and whether the pipeline halted itself: an
     * engine faulted or the engine is stopping, when only cancels go out whatever risk's state),
     * each venue that has instruments, each instrument with its own state and its effective one
     * (the strictest of its own, its venue's and the global state).
     */
    String tradingStatesBody() {
        RiskView risk = access.risk();
        PipelineHealth health = health();
        boolean pipelineHalted = health != null && health.tradingHalted();
        String haltReason = pipelineHalted ? health.haltReason() : null;
        TradingState global = risk.globalState();
        StringBuilder out = new StringBuilder(512).append("\"global\":\"").append(global.name())
                .append("\",\"pipelineHalted\":").append(pipelineHalted)
                .append(",\"haltReason\":").append(haltReason == null ? "null" : quote(haltReason)).append(",\"venues\":[");
        boolean first = true;
        for (Venue venue : Venue.values()) {
            if (instruments.ofVenue(venue).isEmpty()) {
                continue;
            }
            out.append(first ? "" : ",").append("{\"venue\":").append(quote(venue.configName())).append(",\"state\":\"")
                    .append(risk.venueState(venue.id()).name()).append("\"}");
            first = false;
        }
        out.append("],\"instruments\":[");
        int n = Math.min(risk.instruments(), instruments.size());
        for (int id = 0; id < n; id++) {
            Instrument ins = instruments.get(id);
            TradingState own = risk.instrumentState(id);
            out.append(id == 0 ? "" : ",").append("{\"venue\":").append(quote(ins.venue().configName()))
                    .append(",\"symbol\":").append(quote(ins.venueSymbol())).append(",\"pair\":").append(quote(ins.pair()))
                    .append(",\"state\":\"").append(own.name()).append("\",\"effective\":\"")
                    .append(own.strictest(risk.venueState(ins.venue().id())).strictest(global).name()).append("\"}");
        }
        return out.append(']').toString();
    }

    String statusBody() {
        StringBuilder out = new StringBuilder(512).append("\"engines\":[");
        PipelineHealth health = health();
        if (health != null) {
            boolean first = true;
            for (EngineStatus e : health.engines()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append("{\"name\":").append(quote(e.name())).append(",\"state\":").append(quote(String.valueOf(e.state())))
                        .append(",\"lastSequence\":").append(e.lastSequence()).append(",\"backlog\":").append(e.backlog())
                        .append(",\"faults\":").append(e.faults()).append('}');
            }
        }
        out.append("],\"feeds\":[");
        MarketDataView books = access.books();
        for (Instrument ins : instruments.all()) {
            if (ins.id() > 0) {
                out.append(',');
            }
            BookState state = books == null || ins.id() >= books.instruments() ? BookState.SYNCING : books.state(ins.id());
            out.append("{\"venue\":").append(quote(ins.venue().configName())).append(",\"symbol\":").append(quote(ins.venueSymbol()))
                    .append(",\"state\":\"").append(state.name()).append("\"}");
        }
        out.append("],\"tickToQuote\":");
        LatencySummary summary = null;
        try {
            summary = tickToQuote == null ? null : tickToQuote.last();
        } catch (RuntimeException e) {
            // read while the sampling thread writes: show nothing this second
        }
        if (summary == null) {
            out.append("null");
        } else {
            out.append("{\"p50Micros\":").append(summary.p50() / 1000.0).append(",\"p99Micros\":").append(summary.p99() / 1000.0)
                    .append(",\"count\":").append(summary.count());
            // the same window per µs bucket: upperMicros[i] bounds counts[i]; the last count is above every bound
            io.mme.app.metrics.LatencyWindow.Histogram5s histogram = tickToQuote.lastHistogram();
            out.append(",\"histogram\":{\"upperMicros\":[");
            long[] upper = histogram.upperMicros();
            for (int i = 0; i < upper.length; i++) {
                out.append(i == 0 ? "" : ",").append(upper[i]);
            }
            out.append("],\"counts\":[");
            long[] counts = histogram.counts();
            for (int i = 0; i < counts.length; i++) {
                out.append(i == 0 ? "" : ",").append(counts[i]);
            }
            out.append("]}}");
        }
        return out.toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
