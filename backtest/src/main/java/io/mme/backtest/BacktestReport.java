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
 * instrument (venue and symbol) and in total, PnL with fees (realised at average cost, unrealised
 * at the last mid, the equity curve), inventory, volume, fill ratio, spread capture, markouts,
 * maximum drawdown, PnL per hour and its Sharpe, order-to-trade ratio and the share of time
 * quoting. Definitions are in {@link #DEFINITIONS}, repeated in the JSON.
 *
 * <p>Built once after the run; immutable. Thread: any.
 */
public final class BacktestReport {
    /** the markout horizons, seconds */
    public static final int[] MARKOUT_SECONDS = {1, 5, 30, 60};

    static final Map<String, String> DEFINITIONS = definitions();

    private final Map<String, Object> json;
    private final List<Row> rows;
    private final BacktestRecorder recorder;

    /** one line of the summary table */
    public record Row(String strategy, String venue, String symbol, long fills, double volumeQuote, double fillRatio, double realised,
                      double unrealised, double fees, double net, double maxDrawdown, double pnlPerHour, double sharpe,
                      double spreadCaptureBps, double[] markoutBps, double orderToTrade, double quotingShare, double endPosition) {
    }

    private BacktestReport(Map<String, Object> json, List<Row> rows, BacktestRecorder recorder) {
        this.json = json;
        this.rows = rows;
        this.recorder = recorder;
    }

    /**
     * @param strategy what the configuration's strategy is called (its type), or "none"
     * @param run      facts about the run for the JSON (input, models, counts, digest)
     */
    public static BacktestReport of(BacktestRecorder r, String strategy, Map<String, Object> run) {
        List<Row> rows = new ArrayList<>();
        List<Map<String, Object>> perInstrument = new ArrayList<>();
        int n = r.registry().size();
        int samples = r.sampleCount;
        double hours = samples <= 1 ? 0 : (r.sampleTime[samples - 1] - r.sampleTime[0]) / 3.6e12;
        double[] totalEquity = new double[samples];
        double totalRealised = 0;
        double totalUnrealised = 0;
        double totalFees = 0;
        double totalVolume = 0;
        double totalQuoted = 0;
        double totalFilledQty = 0;
        long totalFills = 0;
        long totalCommands = 0;
        double totalCapture = 0;
        double totalCaptureNotional = 0;
        List<List<Double>> totalMarkouts = new ArrayList<>();
        for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
            totalMarkouts.add(new ArrayList<>());
        }
        for (int id = 0; id < n; id++) {
            if (!r.simulated(id)) {
                continue;
            }
            Instrument instrument = r.registry().get(id);
            // realised at average cost, from the fills in order
            double position = 0;
            double averageCost = 0;
            double realised = 0;
            double volume = 0;
            double filledQty = 0;
            long fills = 0;
            long makerFills = 0;
            double capture = 0;
            double captureNotional = 0;
            List<List<Double>> markouts = new ArrayList<>();
            for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
                markouts.add(new ArrayList<>());
            }
            for (int f = 0; f < r.fillCount; f++) {
                if (r.fillInstrument[f] != id) {
                    continue;
                }
                fills++;
                if (r.fillMaker[f]) {
                    makerFills++;
                }
                double q = r.fillQuantity[f];
                double px = r.fillPrice[f];
                double signed = r.fillBuy[f] ? q : -q;
                volume += px * q;
                filledQty += q;
                if (position == 0 || Math.signum(position) == Math.signum(signed)) {
                    averageCost = (averageCost * Math.abs(position) + px * q) / (Math.abs(position) + q);
                    position += signed;
                } else {
                    double closing = Math.min(q, Math.abs(position));
                    realised += closing * (px - averageCost) * Math.signum(position);
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
                    capture += sign * (mid - px) * q;
                    captureNotional += mid * q;
                }
                for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
                    double later = midAt(r, id, r.fillTime[f] + MARKOUT_SECONDS[h] * 1_000_000_000L);
                    if (!Double.isNaN(later)) {
                        markouts.get(h).add(sign * (later - px) / px * 1e4);
                        totalMarkouts.get(h).add(sign * (later - px) / px * 1e4);
                    }
                }
            }
            double lastMid = lastMid(r, id);
            double unrealised = Double.isNaN(lastMid) || position == 0 ? 0 : position * (lastMid - averageCost);
            double fees = r.fees[id];
            double net = realised + unrealised - fees;
            // the equity curve: cash (fees paid) + position at the mid, per sample
            double[] equity = new double[samples];
            double lastKnownMid = Double.NaN;
            long quotingBoth = 0;
            long quotingAny = 0;
            for (int s = 0; s < samples; s++) {
                if (!Double.isNaN(r.sampleMid[id][s])) {
                    lastKnownMid = r.sampleMid[id][s];
                }
                double pos = r.samplePosition[id][s];
                equity[s] = r.sampleCash[id][s] + (pos == 0 || Double.isNaN(lastKnownMid) ? 0 : pos * lastKnownMid);
                totalEquity[s] += equity[s];
                boolean bid = !Double.isNaN(r.sampleBid[id][s]);
                boolean ask = !Double.isNaN(r.sampleAsk[id][s]);
                quotingBoth += bid && ask ? 1 : 0;
                quotingAny += bid || ask ? 1 : 0;
            }
            long commands = r.ordersSent[id] + r.replacesSent[id] + r.cancelsSent[id];
            double[] markoutMeans = new double[MARKOUT_SECONDS.length];
            Map<String, Object> markoutJson = new LinkedHashMap<>();
            for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
                markoutMeans[h] = mean(markouts.get(h));
                markoutJson.put(MARKOUT_SECONDS[h] + "s", distribution(markouts.get(h)));
            }
            double fillRatio = r.quantitySent[id] == 0 ? 0 : filledQty / r.quantitySent[id];
            double sharpe = sharpe(equity, r);
            Row row = new Row(strategy, instrument.venue().configName(), instrument.venueSymbol(), fills, volume, fillRatio, realised,
                    unrealised, fees, net, maxDrawdown(equity), hours == 0 ? 0 : net / hours, sharpe,
                    captureNotional == 0 ? 0 : capture / captureNotional * 1e4, markoutMeans,
                    fills == 0 ? commands : commands / (double) fills, samples == 0 ? 0 : quotingBoth / (double) samples, position);
            rows.add(row);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", strategy);
            m.put("venue", row.venue());
            m.put("symbol", row.symbol());
            m.put("fills", fills);
            m.put("makerFills", makerFills);
            m.put("volumeBase", filledQty);
            m.put("volumeQuote", volume);
            m.put("ordersSent", r.ordersSent[id]);
            m.put("replacesSent", r.replacesSent[id]);
            m.put("cancelsSent", r.cancelsSent[id]);
            m.put("rejected", r.rejected[id]);
            m.put("quotedQuantityBase", r.quantitySent[id]);
            m.put("fillRatio", fillRatio);
            m.put("realisedPnl", realised);
            m.put("unrealisedPnl", unrealised);
            m.put("fees", fees);
            m.put("netPnl", net);
            m.put("endPosition", position);
            m.put("lastMid", Double.isNaN(lastMid) ? null : lastMid);
            m.put("maxDrawdown", row.maxDrawdown());
            m.put("pnlPerHour", row.pnlPerHour());
            m.put("sharpeAnnualised", sharpe);
            m.put("spreadCaptureBps", row.spreadCaptureBps());
            m.put("spreadCapture", capture);
            m.put("markoutsBps", markoutJson);
            m.put("orderToTradeRatio", row.orderToTrade());
            m.put("shareOfTimeQuotingBothSides", row.quotingShare());
            m.put("shareOfTimeQuotingAnySide", samples == 0 ? 0 : quotingAny / (double) samples);
            perInstrument.add(m);
            totalRealised += realised;
            totalUnrealised += unrealised;
            totalFees += fees;
            totalVolume += volume;
            totalFills += fills;
            totalCommands += commands;
            totalQuoted += r.quantitySent[id];
            totalFilledQty += filledQty;
            totalCapture += capture;
            totalCaptureNotional += captureNotional;
        }
        double totalNet = totalRealised + totalUnrealised - totalFees;
        double[] totalMarkoutMeans = new double[MARKOUT_SECONDS.length];
        Map<String, Object> totalMarkoutJson = new LinkedHashMap<>();
        for (int h = 0; h < MARKOUT_SECONDS.length; h++) {
            totalMarkoutMeans[h] = mean(totalMarkouts.get(h));
            totalMarkoutJson.put(MARKOUT_SECONDS[h] + "s", distribution(totalMarkouts.get(h)));
        }
        double totalSharpe = sharpe(totalEquity, r);
        double totalQuoting = rows.isEmpty() ? 0 : rows.stream().mapToDouble(Row::quotingShare).average().orElse(0);
        Row total = new Row(strategy, "all", "all", totalFills, totalVolume, totalQuoted == 0 ? 0 : totalFilledQty / totalQuoted,
                totalRealised, totalUnrealised, totalFees, totalNet, maxDrawdown(totalEquity), hours == 0 ? 0 : totalNet / hours,
                totalSharpe, totalCaptureNotional == 0 ? 0 : totalCapture / totalCaptureNotional * 1e4, totalMarkoutMeans,
                totalFills == 0 ? totalCommands : totalCommands / (double) totalFills, totalQuoting, Double.NaN);
        rows.add(total);

        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("fills", totalFills);
        totals.put("volumeQuote", totalVolume);
        totals.put("fillRatio", total.fillRatio());
        totals.put("realisedPnl", totalRealised);
        totals.put("unrealisedPnl", totalUnrealised);
        totals.put("fees", totalFees);
        totals.put("netPnl", totalNet);
        totals.put("maxDrawdown", total.maxDrawdown());
        totals.put("pnlPerHour", total.pnlPerHour());
        totals.put("sharpeAnnualised", totalSharpe);
        totals.put("spreadCaptureBps", total.spreadCaptureBps());
        totals.put("markoutsBps", totalMarkoutJson);
        totals.put("orderToTradeRatio", total.orderToTrade());
        totals.put("hours", hours);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", run);
        json.put("strategy", strategy);
        json.put("total", totals);
        json.put("instruments", perInstrument);
        json.put("definitions", DEFINITIONS);
        return new BacktestReport(json, rows, r);
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
        d.put("money", "in each instrument's quote currency (USDT for BTCUSDT)");
        d.put("realisedPnl", "closed quantity x (exit price - average cost), fills in order, before fees");
        d.put("unrealisedPnl", "open position x (last mid - average cost)");
        d.put("netPnl", "realised + unrealised - fees");
        d.put("fees", "notional x the configured maker or taker fee (instruments[].makerFeeBps/takerFeeBps or the venue's default)");
        d.put("fillRatio", "filled quantity / quantity sent in new orders and replaces");
        d.put("spreadCaptureBps", "sum of side x (mid at the fill - fill price) x quantity over sum of mid x quantity, in basis points");
        d.put("markoutsBps", "per fill, side x (mid h seconds later - fill price) / fill price, basis points; fills without a mid h s later are left out");
        d.put("maxDrawdown", "largest fall of the equity curve (cash after fees + position at the mid, sampled every 100 ms) from a previous high");
        d.put("pnlPerHour", "net PnL / the hours of data traded");
        d.put("sharpeAnnualised", "mean / standard deviation of the equity's one-second changes x sqrt(seconds in a year): a PnL Sharpe, no capital base");
        d.put("orderToTradeRatio", "commands sent (new, replace, cancel) / fills");
        d.put("shareOfTimeQuotingBothSides", "share of the 100 ms samples with a resting order of ours on both sides");
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

    /** the summary table, one line per instrument and the total */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-14s %-8s %-9s %6s %12s %6s %10s %10s %9s %10s %9s %10s %8s %8s %8s %8s %8s %8s %6s%n",
                "strategy", "venue", "symbol", "fills", "volume", "fill%", "realised", "unrealis.", "fees", "net PnL", "max DD",
                "PnL/hour", "Sharpe", "capt.bp", "mo1s bp", "mo5s bp", "mo30s bp", "mo60s bp", "O/T"));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT,
                    "%-14s %-8s %-9s %6d %12.2f %6.2f %10.4f %10.4f %9.4f %10.4f %9.4f %10.2f %8.2f %8.2f %8s %8s %8s %8s %6.1f%n",
                    row.strategy(), row.venue(), row.symbol(), row.fills(), row.volumeQuote(), row.fillRatio() * 100, row.realised(),
                    row.unrealised(), row.fees(), row.net(), row.maxDrawdown(), row.pnlPerHour(), row.sharpe(), row.spreadCaptureBps(),
                    bp(row.markoutBps()[0]), bp(row.markoutBps()[1]), bp(row.markoutBps()[2]), bp(row.markoutBps()[3]),
                    row.orderToTrade()));
        }
        for (Row row : rows) {
            if (!row.venue().equals("all")) {
                out.append(String.format(Locale.ROOT, "%s %s: quoting both sides %.1f%% of the time, end position %s%n", row.venue(),
                        row.symbol(), row.quotingShare() * 100, BigDecimalText.of(row.endPosition())));
            }
        }
        return out.toString();
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
