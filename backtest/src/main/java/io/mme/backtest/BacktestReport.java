package io.mme.backtest;

import io.mme.core.instrument.Instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures a quant reads after a backtest, computed from the {@link BacktestRecorder}: per
 * instrument (venue and symbol, with the strategy that quotes it), per strategy, per venue and in
 * total, PnL with fees (realised at average cost, unrealised at the last mid, the equity curve),
 * inventory, volume, fill ratio, spread capture, markouts, maximum drawdown, PnL per hour and its
 * Sharpe, order-to-trade ratio and the share of time quoting. Definitions are in
 * {@link #DEFINITIONS}, repeated in the JSON.
 *
 * <p>PnL and cost are computed per instrument (an average cost mixes no two instruments); a
 * strategy's, a venue's and the total figures add its instruments' money figures and equity curves,
 * pool their fills' markouts and spread capture, and take drawdown, PnL per hour and Sharpe off the
 * summed equity curve. Sums across instruments of different quote currencies are plain sums (the
 * desks here quote USD and USDT).
 *
 * <p>Built once after the run; immutable. Thread: any.
 */
public final class BacktestReport {
    /** the markout horizons, seconds */
    public static final int[] MARKOUT_SECONDS = {1, 5, 30, 60};
    /** the label of rows and JSON entries that cover every strategy, venue or symbol */
    public static final String ALL = "all";
    /** the strategy label of an instrument no strategy quotes */
    public static final String NO_STRATEGY = "none";

    static final Map<String, String> DEFINITIONS = definitions();

    private final Map<String, Object> json;
    private final List<Row> rows;
    private final BacktestRecorder recorder;
    private final String[] strategyOfInstrument;

    /** what a row covers */
    public enum Scope { INSTRUMENT, STRATEGY, VENUE, TOTAL }

    /** one line of the summary table; endPosition is NaN except for an instrument */
    public record Row(Scope scope, int instruments, String strategy, String venue, String symbol, long fills, double volumeQuote, double fillRatio,
                      double realised, double unrealised, double fees, double net, double maxDrawdown, double pnlPerHour, double sharpe,
                      double spreadCaptureBps, double[] markoutBps, double orderToTrade, double quotingShare, double endPosition) {
    }

    /** one instrument's figures before they are summed into strategies, venues and the total */
    private static final class Part {
        final int id;
        final String strategy;
        final String venue;
        final String symbol;
        long fills;
        long makerFills;
        double volume;
        double filledQty;
        double realised;
        double unrealised;
        double fees;
        double capture;
        double captureNotional;
        double position;
        double lastMid = Double.NaN;
        long commands;
        double quoted;
        double quotingBoth;
        double quotingAny;
        double[] equity;
        final List<List<Double>> markouts = new ArrayList<>();

        Part(int id, String strategy, String venue, String symbol) {
            this.id = id;
            this.strategy = strategy;
            this.venue = venue;
            this.symbol = symbol;
            for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
                markouts.add(new ArrayList<>());
            }
        }
    }

    private BacktestReport(Map<String, Object> json, List<Row> rows, BacktestRecorder recorder, String[] strategyOfInstrument) {
        this.json = json;
        this.rows = rows;
        this.recorder = recorder;
        this.strategyOfInstrument = strategyOfInstrument;
    }

    /** the same with one strategy label for every instrument */
    public static BacktestReport of(BacktestRecorder r, String strategy, Map<String, Object> run) {
        String[] of = new String[r.registry().size()];
        Arrays.fill(of, strategy);
        return of(r, of, run);
    }

    /**
     * @param strategyOfInstrument the strategy quoting each instrument, by instrument id (null: none)
     * @param run                  facts about the run for the JSON (input, models, counts, digest)
     */
    public static BacktestReport of(BacktestRecorder r, String[] strategyOfInstrument, Map<String, Object> run) {
        if (strategyOfInstrument.length != r.registry().size()) {
            throw new IllegalArgumentException("strategyOfInstrument has " + strategyOfInstrument.length + " entries for "
                    + r.registry().size() + " instruments");
        }
        String[] labels = new String[strategyOfInstrument.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = strategyOfInstrument[i] == null ? NO_STRATEGY : strategyOfInstrument[i];
        }
        int samples = r.sampleCount;
        double hours = samples <= 1 ? 0 : (r.sampleTime[samples - 1] - r.sampleTime[0]) / 3.6e12;
        List<Part> parts = new ArrayList<>();
        for (int id = 0; id < r.registry().size(); id++) {
            if (r.simulated(id)) {
                parts.add(part(r, id, labels[id]));
            }
        }

        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> perInstrument = new ArrayList<>();
        for (Part p : parts) {
            Row row = row(Scope.INSTRUMENT, p.strategy, p.venue, p.symbol, List.of(p), r, hours);
            rows.add(row);
            Map<String, Object> m = figures(row, List.of(p), r, hours);
            m.put("makerFills", p.makerFills);
            m.put("ordersSent", r.ordersSent[p.id]);
            m.put("replacesSent", r.replacesSent[p.id]);
            m.put("cancelsSent", r.cancelsSent[p.id]);
            m.put("rejected", r.rejected[p.id]);
            m.put("endPosition", p.position);
            m.put("lastMid", Double.isNaN(p.lastMid) ? null : p.lastMid);
            perInstrument.add(m);
        }
        Map<String, List<Part>> byStrategy = new LinkedHashMap<>();
        Map<String, List<Part>> byVenue = new LinkedHashMap<>();
        for (Part p : parts) {
            byStrategy.computeIfAbsent(p.strategy, k -> new ArrayList<>()).add(p);
            byVenue.computeIfAbsent(p.venue, k -> new ArrayList<>()).add(p);
        }
        List<Map<String, Object>> perStrategy = new ArrayList<>();
        for (Map.Entry<String, List<Part>> e : byStrategy.entrySet()) {
            Row row = row(Scope.STRATEGY, e.getKey(), ALL, ALL, e.getValue(), r, hours);
            rows.add(row);
            perStrategy.add(figures(row, e.getValue(), r, hours));
        }
        List<Map<String, Object>> perVenue = new ArrayList<>();
        for (Map.Entry<String, List<Part>> e : byVenue.entrySet()) {
            Row row = row(Scope.VENUE, ALL, e.getKey(), ALL, e.getValue(), r, hours);
            rows.add(row);
            perVenue.add(figures(row, e.getValue(), r, hours));
        }
        Row total = row(Scope.TOTAL, ALL, ALL, ALL, parts, r, hours);
        rows.add(total);
        Map<String, Object> totals = figures(total, parts, r, hours);
        totals.put("hours", hours);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", run);
        json.put("strategies", List.copyOf(byStrategy.keySet()));
        json.put("total", totals);
        json.put("instruments", perInstrument);
        json.put("perStrategy", perStrategy);
        json.put("perVenue", perVenue);
        json.put("definitions", DEFINITIONS);
        return new BacktestReport(json, rows, r, labels);
    }

    /** one instrument's figures: PnL at average cost from its fills in order, markouts, its equity curve */
    private static Part part(BacktestRecorder r, int id, String strategy) {
        Instrument instrument = r.registry().get(id);
        Part p = new Part(id, strategy, instrument.venue().configName(), instrument.venueSymbol());
        int samples = r.sampleCount;
        double position = 0;
        double averageCost = 0;
        for (int f = 0; f < r.fillCount; f++) {
            if (r.fillInstrument[f] != id) {
                continue;
            }
            p.fills++;
            if (r.fillMaker[f]) {
                p.makerFills++;
            }
            double q = r.fillQuantity[f];
            double px = r.fillPrice[f];
            double signed = r.fillBuy[f] ? q : -q;
            p.volume += px * q;
            p.filledQty += q;
            if (position == 0 || Math.signum(position) == Math.signum(signed)) {
                averageCost = (averageCost * Math.abs(position) + px * q) / (Math.abs(position) + q);
                position += signed;
            } else {
                double closing = Math.min(q, Math.abs(position));
                p.realised += closing * (px - averageCost) * Math.signum(position);
                position += signed;
                if (Math.abs(position) < 1e-12) {
                    position = 0;
                    averageCost = 0;
                } else if (Math.signum(position) == Math.signum(signed)) {
                    averageCost = px; // flipped: what is left was bought or sold at this fill's price
                }
            }
            double sign = r.fillBuy[f] ? 1 : -1;
            double mid = r.fillMid[f];
            if (!Double.isNaN(mid)) {
                p.capture += sign * (mid - px) * q;
                p.captureNotional += mid * q;
            }
            for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
                double later = midAt(r, id, r.fillTime[f] + MARKOUT_SECONDS[h] * 1_000_000_000L);
                if (!Double.isNaN(later)) {
                    p.markouts.get(h).add(sign * (later - px) / px * 1e4);
                }
            }
        }
        p.position = position;
        p.lastMid = lastMid(r, id);
        p.unrealised = Double.isNaN(p.lastMid) || position == 0 ? 0 : position * (p.lastMid - averageCost);
        p.fees = r.fees[id];
        // the equity curve: cash (fees paid) + position at the mid, per sample
        p.equity = new double[samples];
        double lastKnownMid = Double.NaN;
        long quotingBoth = 0;
        long quotingAny = 0;
        for (int s = 0; s < samples; s++) {
            if (!Double.isNaN(r.sampleMid[id][s])) {
                lastKnownMid = r.sampleMid[id][s];
            }
            double pos = r.samplePosition[id][s];
            p.equity[s] = r.sampleCash[id][s] + (pos == 0 || Double.isNaN(lastKnownMid) ? 0 : pos * lastKnownMid);
            boolean bid = !Double.isNaN(r.sampleBid[id][s]);
            boolean ask = !Double.isNaN(r.sampleAsk[id][s]);
            quotingBoth += bid && ask ? 1 : 0;
            quotingAny += bid || ask ? 1 : 0;
        }
        p.quotingBoth = samples == 0 ? 0 : quotingBoth / (double) samples;
        p.quotingAny = samples == 0 ? 0 : quotingAny / (double) samples;
        p.commands = r.ordersSent[id] + r.replacesSent[id] + r.cancelsSent[id];
        p.quoted = r.quantitySent[id];
        return p;
    }

    /** the summed equity curve of some instruments */
    private static double[] equity(List<Part> parts, int samples) {
        double[] equity = new double[samples];
        for (Part p : parts) {
            for (int s = 0; s < samples; s++) {
                equity[s] += p.equity[s];
            }
        }
        return equity;
    }

    private static List<Double> pooled(List<Part> parts, int h) {
        List<Double> all = new ArrayList<>();
        for (Part p : parts) {
            all.addAll(p.markouts.get(h));
        }
        return all;
    }

    /** the row of some instruments' figures taken together (one instrument: its own) */
    private static Row row(Scope scope, String strategy, String venue, String symbol, List<Part> parts, BacktestRecorder r,
                           double hours) {
        long fills = 0;
        long commands = 0;
        double volume = 0;
        double realised = 0;
        double unrealised = 0;
        double fees = 0;
        double capture = 0;
        double captureNotional = 0;
        double quoting = 0;
        for (Part p : parts) {
            fills += p.fills;
            commands += p.commands;
            volume += p.volume;
            realised += p.realised;
            unrealised += p.unrealised;
            fees += p.fees;
            capture += p.capture;
            captureNotional += p.captureNotional;
            quoting += p.quotingBoth;
        }
        double net = realised + unrealised - fees;
        double[] equity = equity(parts, r.sampleCount);
        double[] markoutMeans = new double[MARKOUT_SECONDS.length];
        for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
            markoutMeans[h] = mean(pooled(parts, h));
        }
        return new Row(scope, parts.size(), strategy, venue, symbol, fills, volume, fillRatio(parts), realised, unrealised, fees, net,
                maxDrawdown(equity), hours == 0 ? 0 : net / hours, sharpe(equity, r),
                captureNotional == 0 ? 0 : capture / captureNotional * 1e4, markoutMeans,
                fills == 0 ? commands : commands / (double) fills, parts.isEmpty() ? 0 : quoting / parts.size(),
                scope == Scope.INSTRUMENT ? parts.get(0).position : Double.NaN);
    }

    /**
     * Filled over quoted quantity; over several instruments each one's quantities are weighted by its
     * last mid, so that base units of different assets are not added.
     */
    private static double fillRatio(List<Part> parts) {
        if (parts.size() == 1) {
            Part p = parts.get(0);
            return p.quoted == 0 ? 0 : p.filledQty / p.quoted;
        }
        double filled = 0;
        double quoted = 0;
        for (Part p : parts) {
            double weight = Double.isNaN(p.lastMid) ? 0 : p.lastMid;
            filled += p.filledQty * weight;
            quoted += p.quoted * weight;
        }
        return quoted == 0 ? 0 : filled / quoted;
    }

    /** the JSON of a row's figures, with what the row alone does not carry */
    @SuppressWarnings("UnusedVariable") // r and hours: kept beside the other figures' signatures
    private static Map<String, Object> figures(Row row, List<Part> parts, BacktestRecorder r, double hours) {
        double filledQty = 0;
        double quoted = 0;
        double capture = 0;
        double any = 0;
        for (Part p : parts) {
            filledQty += p.filledQty;
            quoted += p.quoted;
            capture += p.capture;
            any += p.quotingAny;
        }
        Map<String, Object> markoutJson = new LinkedHashMap<>();
        for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
            markoutJson.put(MARKOUT_SECONDS[h] + "s", distribution(pooled(parts, h)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", row.strategy());
        m.put("venue", row.venue());
        m.put("symbol", row.symbol());
        if (row.scope() != Scope.INSTRUMENT) {
            m.put("instruments", parts.stream().map(p -> p.venue + " " + p.symbol).toList());
        }
        m.put("fills", row.fills());
        m.put("volumeBase", row.scope() == Scope.INSTRUMENT ? filledQty : null);
        m.put("volumeQuote", row.volumeQuote());
        m.put("quotedQuantityBase", row.scope() == Scope.INSTRUMENT ? quoted : null);
        m.put("fillRatio", row.fillRatio());
        m.put("realisedPnl", row.realised());
        m.put("unrealisedPnl", row.unrealised());
        m.put("fees", row.fees());
        m.put("netPnl", row.net());
        m.put("maxDrawdown", row.maxDrawdown());
        m.put("pnlPerHour", row.pnlPerHour());
        m.put("sharpeAnnualised", row.sharpe());
        m.put("spreadCaptureBps", row.spreadCaptureBps());
        m.put("spreadCapture", capture);
        m.put("markoutsBps", markoutJson);
        m.put("orderToTradeRatio", row.orderToTrade());
        m.put("shareOfTimeQuotingBothSides", row.quotingShare());
        m.put("shareOfTimeQuotingAnySide", parts.isEmpty() ? 0 : any / parts.size());
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }

    /** the mid at time t: the sample at or before it, NaN when t is outside the samples */
    private static double midAt(BacktestRecorder r, int id, long t) {
        int samples = r.sampleCount;
        if (samples == 0 || t < r.sampleTime[0] || t > r.sampleTime[samples - 1]) {
            return Double.NaN;
        }
        int s = (int) ((t - r.sampleTime[0]) / BacktestRecorder.SAMPLE_NANOS);
        return r.sampleMid[id][Math.min(s, samples - 1)];
    }

    private static double lastMid(BacktestRecorder r, int id) {
        for (int s = r.sampleCount - 1; s >= 0; s--) {
            if (!Double.isNaN(r.sampleMid[id][s])) {
                return r.sampleMid[id][s];
            }
        }
        return Double.NaN;
    }

    /** the largest fall of the equity curve from a previous high */
    static double maxDrawdown(double[] equity) {
        double high = Double.NEGATIVE_INFINITY;
        double worst = 0;
        for (double e : equity) {
            high = Math.max(high, e);
            worst = Math.max(worst, high - e);
        }
        return worst;
    }

    /** mean over standard deviation of the equity's one-second changes, times sqrt(seconds in a year) */
    @SuppressWarnings("UnusedVariable") // r: kept beside the other figures' signatures
    private static double sharpe(double[] equity, BacktestRecorder r) {
        int step = (int) (1_000_000_000L / BacktestRecorder.SAMPLE_NANOS);
        int count = 0;
        double sum = 0;
        double sumSq = 0;
        for (int s = step; s < equity.length; s += step) {
            double d = equity[s] - equity[s - step];
            sum += d;
            sumSq += d * d;
            count++;
        }
        if (count < 2) {
            return 0;
        }
        double mean = sum / count;
        double variance = (sumSq - count * mean * mean) / (count - 1);
        return variance <= 1e-24 ? 0 : mean / Math.sqrt(variance) * Math.sqrt(365.0 * 24 * 3600);
    }

    private static double mean(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static Map<String, Object> distribution(List<Double> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", values.size());
        if (values.isEmpty()) {
            return m;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        m.put("mean", mean(values));
        m.put("p10", v[(int) Math.floor(0.10 * (v.length - 1))]);
        m.put("p50", v[(int) Math.floor(0.50 * (v.length - 1))]);
        m.put("p90", v[(int) Math.floor(0.90 * (v.length - 1))]);
        m.put("min", v[0]);
        m.put("max", v[v.length - 1]);
        return m;
    }

    private static Map<String, String> definitions() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("money", "in each instrument's quote currency (USDT for BTCUSDT); a strategy's, a venue's and the total figures are sums over their instruments");
        d.put("perStrategy", "the figures of the instruments each strategy quotes, taken together (as the total is of all)");
        d.put("perVenue", "the figures of each venue's instruments taken together");
        d.put("realisedPnl", "closed quantity x (exit price - average cost), fills in order, before fees");
        d.put("unrealisedPnl", "open position x (last mid - average cost)");
        d.put("netPnl", "realised + unrealised - fees");
        d.put("fees", "notional x the configured maker or taker fee (instruments[].makerFeeBps/takerFeeBps or the venue's default)");
        d.put("fillRatio", "filled quantity / quantity sent in new orders and replaces (over several instruments, each weighted by its last mid)");
        d.put("spreadCaptureBps", "sum of side x (mid at the fill - fill price) x quantity over sum of mid x quantity, in basis points");
        d.put("markoutsBps", "per fill, side x (mid h seconds later - fill price) / fill price, basis points; fills without a mid h s later are left out");
        d.put("maxDrawdown", "largest fall of the equity curve (cash after fees + position at the mid, sampled every 100 ms) from a previous high");
        d.put("pnlPerHour", "net PnL / the hours of data traded");
        d.put("sharpeAnnualised", "mean / standard deviation of the equity's one-second changes x sqrt(seconds in a year): a PnL Sharpe, no capital base");
        d.put("orderToTradeRatio", "commands sent (new, replace, cancel) / fills");
        d.put("shareOfTimeQuotingBothSides", "share of the 100 ms samples with a resting order of ours on both sides (over several instruments, their mean)");
        return d;
    }

    public Map<String, Object> json() {
        return json;
    }

    public List<Row> rows() {
        return rows;
    }

    BacktestRecorder recorder() {
        return recorder;
    }

    /** the total row */
    public Row total() {
        return rows.get(rows.size() - 1);
    }

    /**
     * The summary table: a line per instrument (with the strategy quoting it), per strategy and per
     * venue, and the total. The strategies' lines are left out when there is one strategy, and the
     * venues' when there is one venue (each would repeat the total); the JSON has every one.
     */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-14s %-8s %-9s %6s %12s %6s %10s %10s %9s %10s %9s %10s %8s %8s %8s %8s %8s %8s %6s%n",
                "strategy", "venue", "symbol", "fills", "volume", "fill%", "realised", "unrealis.", "fees", "net PnL", "max DD",
                "PnL/hour", "Sharpe", "capt.bp", "mo1s bp", "mo5s bp", "mo30s bp", "mo60s bp", "O/T"));
        long strategies = rows.stream().filter(r -> r.scope() == Scope.STRATEGY).count();
        long venues = rows.stream().filter(r -> r.scope() == Scope.VENUE).count();
        for (Row row : rows) {
            if (row.scope() == Scope.STRATEGY && strategies < 2 || row.scope() == Scope.VENUE && venues < 2) {
                continue;
            }
            out.append(String.format(Locale.ROOT,
                    "%-14s %-8s %-9s %6d %12.2f %6.2f %10.4f %10.4f %9.4f %10.4f %9.4f %10.2f %8.2f %8.2f %8s %8s %8s %8s %6.1f%n",
                    row.strategy(), row.venue(), row.symbol(), row.fills(), row.volumeQuote(), row.fillRatio() * 100, row.realised(),
                    row.unrealised(), row.fees(), row.net(), row.maxDrawdown(), row.pnlPerHour(), row.sharpe(), row.spreadCaptureBps(),
                    bp(row.markoutBps()[0]), bp(row.markoutBps()[1]), bp(row.markoutBps()[2]), bp(row.markoutBps()[3]),
                    row.orderToTrade()));
        }
        for (Row row : rows) {
            if (row.scope() == Scope.INSTRUMENT) {
                out.append(String.format(Locale.ROOT, "%s %s: quoting both sides %.1f%% of the time, end position %s%n", row.venue(),
                        row.symbol(), row.quotingShare() * 100, BigDecimalText.of(row.endPosition())));
            }
        }
        return out.toString();
    }

    /** the strategy label of each instrument, by instrument id ({@link #NO_STRATEGY} where none quotes) */
    String strategyOf(int instrumentId) {
        return strategyOfInstrument[instrumentId];
    }

    private static String bp(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** plain decimal text of a double, without exponent, trailing zeros stripped */
    static final class BigDecimalText {
        private BigDecimalText() {
        }

        static String of(double v) {
            return new java.math.BigDecimal(v).setScale(8, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        }
    }
}
