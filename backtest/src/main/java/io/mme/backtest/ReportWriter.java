package io.mme.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mme.core.instrument.Instrument;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a backtest's report into a directory: {@code report.json} (every figure of
 * {@link BacktestReport} and the run's facts) and {@code report.html}, one self-contained page
 * that opens offline: the uPlot chart library (from its WebJar) and the data are inlined, nothing
 * is fetched. Charts: the equity curve (net PnL) in total and per strategy, and per instrument our
 * quotes against the mid with the fills marked, and the inventory; the figures per strategy and per
 * venue as the summary table and the JSON have them. Thread: the caller's.
 */
public final class ReportWriter {
    static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    private ReportWriter() {
    }

    /** writes both files; returns the HTML page's path */
    public static Path write(BacktestReport report, Path directory) {
        try {
            Files.createDirectories(directory);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(directory.resolve("report.json"), mapper.writeValueAsString(report.json()) + "\n");
            Path html = directory.resolve("report.html");
            Files.writeString(html, html(report, mapper));
            return html;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String html(BacktestReport report, ObjectMapper mapper) throws IOException {
        BacktestRecorder r = report.recorder();
        int samples = r.sampleCount;
        double[] x = new double[samples];
        for (int s = 0; s < samples; s++) {
            x[s] = r.sampleTime[s] / 1e9;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("x", x);
        double[] equity = new double[samples];
        Map<String, double[]> strategyEquity = new LinkedHashMap<>();
        List<Map<String, Object>> instruments = new ArrayList<>();
        for (int id = 0; id < r.registry().size(); id++) {
            if (!r.simulated(id)) {
                continue;
            }
            Instrument instrument = r.registry().get(id);
            Double[] mid = new Double[samples];
            Double[] bid = new Double[samples];
            Double[] ask = new Double[samples];
            Double[] buys = new Double[samples];
            Double[] sells = new Double[samples];
            double[] position = new double[samples];
            double lastMid = Double.NaN;
            double[] ofStrategy = strategyEquity.computeIfAbsent(report.strategyOf(id), k -> new double[samples]);
            for (int s = 0; s < samples; s++) {
                mid[s] = nullable(r.sampleMid[id][s]);
                bid[s] = nullable(r.sampleBid[id][s]);
                ask[s] = nullable(r.sampleAsk[id][s]);
                position[s] = r.samplePosition[id][s];
                if (!Double.isNaN(r.sampleMid[id][s])) {
                    lastMid = r.sampleMid[id][s];
                }
                double e = r.sampleCash[id][s] + (position[s] == 0 || Double.isNaN(lastMid) ? 0 : position[s] * lastMid);
                equity[s] += e;
                ofStrategy[s] += e;
            }
            for (int f = 0; f < r.fillCount; f++) {
                if (r.fillInstrument[f] != id || samples == 0) {
                    continue;
                }
                int s = (int) Math.min(samples - 1, Math.max(0, (r.fillTime[f] - r.sampleTime[0]) / BacktestRecorder.SAMPLE_NANOS));
                (r.fillBuy[f] ? buys : sells)[s] = r.fillPrice[f];
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", report.strategyOf(id) + ": " + instrument.venue().configName() + " " + instrument.venueSymbol());
            m.put("mid", mid);
            m.put("bid", bid);
            m.put("ask", ask);
            m.put("buys", buys);
            m.put("sells", sells);
            m.put("position", position);
            instruments.add(m);
        }
        data.put("equity", equity);
        List<Map<String, Object>> strategies = new ArrayList<>();
        if (strategyEquity.size() > 1) {
            for (Map.Entry<String, double[]> e : strategyEquity.entrySet()) {
                strategies.add(Map.of("name", e.getKey(), "equity", e.getValue()));
            }
        }
        data.put("strategies", strategies);
        data.put("instruments", instruments);
        String css = resource(UPLOT + "uPlot.min.css");
        String js = resource(UPLOT + "uPlot.iife.min.js");
        String table = escape(report.table());
        String json = mapper.writeValueAsString(data).replace("</", "<\\/");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("total", report.json().get("total"));
        figures.put("perStrategy", report.json().get("perStrategy"));
        figures.put("perVenue", report.json().get("perVenue"));
        String summary = mapper.writeValueAsString(figures).replace("</", "<\\/");
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>mme backtest report</title>
                <style>%s</style>
                <style>body{font-family:sans-serif;margin:16px;background:#fff;color:#222}pre{font-size:11px;background:#f6f6f6;padding:8px;overflow-x:auto}
                h2{font-size:16px;margin:18px 0 4px}.chart{margin-bottom:8px}</style>
                </head><body>
                <h1 style="font-size:20px">mme backtest report</h1>
                <pre id="table">%s</pre>
                <h2>Equity (net PnL after fees, quote currency)</h2><div id="equity" class="chart"></div>
                <div id="instruments"></div>
                <h2>Figures: total, per strategy, per venue</h2><pre id="totals"></pre>
                <script>%s</script>
                <script>
                const DATA = %s;
                const TOTALS = %s;
                document.getElementById('totals').textContent = JSON.stringify(TOTALS, null, 2);
                const width = Math.max(600, Math.min(1200, window.innerWidth - 40));
                const AXES = [{}, {size: 80}];
                function points(label, color) {
                  return {label: label, stroke: color, fill: color, width: 0, paths: () => null, points: {show: true, size: 9, fill: color, stroke: color}};
                }
                const COLORS = ['#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
                new uPlot({title: 'Equity', width: width, height: 260, axes: AXES, series: [{}, {label: 'total', stroke: '#1f77b4', width: 2}]
                    .concat(DATA.strategies.map((s, i) => ({label: s.name, stroke: COLORS[i %% COLORS.length], width: 1})))},
                  [DATA.x, DATA.equity].concat(DATA.strategies.map(s => s.equity)), document.getElementById('equity'));
                const holder = document.getElementById('instruments');
                for (const ins of DATA.instruments) {
                  const h = document.createElement('h2'); h.textContent = ins.name + ': our quotes against the mid, fills marked'; holder.appendChild(h);
                  const q = document.createElement('div'); q.className = 'chart'; holder.appendChild(q);
                  new uPlot({title: ins.name + ' quotes', width: width, height: 320, axes: AXES, series: [{},
                      {label: 'mid', stroke: '#444444', width: 1},
                      {label: 'our bid', stroke: '#2ca02c', width: 1},
                      {label: 'our ask', stroke: '#d62728', width: 1},
                      points('buy fills', '#17becf'), points('sell fills', '#ff7f0e')]},
                    [DATA.x, ins.mid, ins.bid, ins.ask, ins.buys, ins.sells], q);
                  const h2 = document.createElement('h2'); h2.textContent = ins.name + ': inventory (base units)'; holder.appendChild(h2);
                  const p = document.createElement('div'); p.className = 'chart'; holder.appendChild(p);
                  new uPlot({title: ins.name + ' inventory', width: width, height: 200, axes: AXES, series: [{}, {label: 'position', stroke: '#9467bd', width: 2}]},
                    [DATA.x, ins.position], p);
                }
                document.body.setAttribute('data-charts', String(document.querySelectorAll('.uplot').length));
                </script>
                </body></html>
                """.formatted(css, table, js, json, summary);
    }

    private static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReportWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the chart library " + name + " is not on the class path (the uPlot WebJar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
