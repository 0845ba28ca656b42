package io.mme.app;

import io.mme.analytics.LatencyEngine;
import io.mme.analytics.LatencySummary;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.execution.ExecutionCounter;
import io.mme.execution.ExecutionView;
import io.mme.risk.RiskView;
import io.mme.strategy.StrategyView;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders what the engines publish for display (their views, updated on TIMER events) as the
 * console table of {@code mme demo} and {@code mme run}: per venue our quotes, position, PnL, fills
 * and tick-to-quote latency. Reads only the views, and the latency recorder through
 * {@link EngineAssembly#readLatency}, so it may run on the CLI thread while the engines run. "This
 * interval" is the difference of two cumulative copies it keeps (since its previous table), which
 * the other samplers (scrapes, the page's window) do not disturb. CLI thread only.
 */
final class TradingConsole {
    private final InstrumentRegistry instruments;
    /** the desk's strategies in configuration order (empty without one) */
    private final java.util.List<io.mme.strategy.StrategyUnit> strategies;
    private final RiskView risk;
    private final ExecutionView execution;
    private final EngineAssembly engine;
    private final boolean latency;
    private final org.HdrHistogram.Histogram[] previous = new org.HdrHistogram.Histogram[io.mme.core.instrument.Venue.values().length];
    private final org.HdrHistogram.Histogram[] current = new org.HdrHistogram.Histogram[previous.length];
    private final org.HdrHistogram.Histogram scratch;

    TradingConsole(EngineAssembly engine) {
        this.engine = engine;
        this.instruments = engine.settings().instruments();
        this.strategies = engine.strategy() == null ? java.util.List.of() : engine.strategy().units();
        this.risk = engine.risk().view();
        this.execution = engine.execution().view();
        this.latency = engine.latency() != null;
        this.scratch = latency ? LatencyEngine.newHistogram() : null;
    }

    /** per venue id: tick-to-quote since the previous table (lastInterval) or since the start; null without a recorder */
    private LatencySummary[] tickToQuote(boolean lastInterval) {
        if (!latency) {
            return null;
        }
        return engine.readLatency(recorder -> {
            LatencySummary[] summaries = new LatencySummary[previous.length];
            for (Instrument instrument : instruments.all()) {
                io.mme.core.instrument.Venue venue = instrument.venue();
                int v = venue.id();
                if (summaries[v] != null) {
                    continue;
                }
                if (!lastInterval) {
                    summaries[v] = recorder.tickToQuote(venue);
                    continue;
                }
                if (current[v] == null) {
                    current[v] = LatencyEngine.newHistogram();
                    previous[v] = LatencyEngine.newHistogram();
                }
                recorder.copyTickToQuote(venue, current[v]);
                summaries[v] = LatencySummary.between(current[v], previous[v], scratch);
                org.HdrHistogram.Histogram swap = previous[v];
                previous[v] = current[v];
                current[v] = swap;
            }
            return summaries;
        });
    }

    /** one block: a header line and a row per instrument */
    void print(String title, boolean lastInterval, PrintWriter out) {
        out.println(title);
        out.printf(Locale.ROOT, "  %-12s %-9s %-9s %-24s %-24s %13s %12s %6s %7s  %s%n", "strategy", "venue", "symbol", "our bid", "our ask",
                "position", "pnl", "fills", "orders", lastInterval ? "tick-to-quote (this interval)" : "tick-to-quote (whole run)");
        LatencySummary[] latencies = tickToQuote(lastInterval);
        long totalPnl = 0;
        for (Instrument instrument : instruments.all()) {
            int id = instrument.id();
            StrategyView strategy = null;
            String owner = "-";
            int index = -1;
            for (io.mme.strategy.StrategyUnit unit : strategies) {
                int at = indexIn(unit.view(), id);
                if (at >= 0) {
                    strategy = unit.view();
                    owner = unit.id();
                    index = at;
                }
            }
            String bid = index < 0 ? "-" : quote(instrument, strategy.bidTicks(index), strategy.bidLots(index));
            String ask = index < 0 ? "-" : quote(instrument, strategy.askTicks(index), strategy.askLots(index));
            long pnl = risk.realizedNanos(id) + risk.unrealizedNanos(id);
            totalPnl += pnl;
            int venue = instrument.venue().id();
            String lat = "-";
            if (latencies != null) {
                lat = latencies[venue].describe();
            }
            out.printf(Locale.ROOT, "  %-12s %-9s %-9s %-24s %-24s %13s %12s %6d %7d  %s%n", owner, instrument.venue().configName(),
                    instrument.venueSymbol(),
                    bid, ask, instrument.appendQuantity(risk.positionLots(id), new StringBuilder()), money(pnl), risk.fills(id),
                    execution.get(venue, ExecutionCounter.ORDERS_SENT), lat);
        }
        out.printf(Locale.ROOT, "  total pnl %s (fees included; unrealized at the fair value)  risk: %s, %d approved / %d rejected intents%s%n",
                money(totalPnl), risk.globalState(), risk.approvedIntents(), risk.rejectedIntents(),
                strategies.isEmpty() ? "; no strategy configured" : "");
        for (io.mme.strategy.StrategyUnit unit : strategies) {
            StrategyView view = unit.view();
            long pnl = 0;
            for (int i = 0; i < view.instruments(); i++) {
                pnl += risk.realizedNanos(view.instrumentId(i)) + risk.unrealizedNanos(view.instrumentId(i));
            }
            String halt = unit.haltReason();
            StringBuilder reports = new StringBuilder();
            for (int k = 0; k < view.reportKeys().size(); k++) {
                reports.append(k == 0 ? "; " : ", ").append(view.reportKeys().get(k)).append(' ').append(view.report(k));
            }
            out.printf(Locale.ROOT, "  strategy %s (%s): %s, pnl %s%s%n", unit.id(), unit.strategy().name(),
                    halt != null ? "HALTED, " + halt : view.quoting() ? "quoting" : "stopped", money(pnl), reports);
        }
        out.printf(Locale.ROOT, "  trading states: %s%n", tradingStates());
        out.flush();
    }

    /** every scope whose own trading state is not ACTIVE (global, venues, instruments), or "all ACTIVE" */
    String tradingStates() {
        StringBuilder text = new StringBuilder();
        if (risk.globalState() != io.mme.core.ring.TradingState.ACTIVE) {
            text.append("global ").append(risk.globalState());
        }
        for (io.mme.core.instrument.Venue venue : io.mme.core.instrument.Venue.values()) {
            if (!instruments.ofVenue(venue).isEmpty() && risk.venueState(venue.id()) != io.mme.core.ring.TradingState.ACTIVE) {
                text.append(text.isEmpty() ? "" : "; ").append("venue ").append(venue.configName()).append(' ')
                        .append(risk.venueState(venue.id()));
            }
        }
        for (Instrument instrument : instruments.all()) {
            io.mme.core.ring.TradingState state = risk.instrumentState(instrument.id());
            if (state != io.mme.core.ring.TradingState.ACTIVE) {
                text.append(text.isEmpty() ? "" : "; ").append(instrument.venue().configName()).append(' ')
                        .append(instrument.venueSymbol()).append(' ').append(state);
            }
        }
        return text.isEmpty() ? "all ACTIVE" : text.toString();
    }

    private static int indexIn(StrategyView strategy, int instrumentId) {
        for (int i = 0; i < strategy.instruments(); i++) {
            if (strategy.instrumentId(i) == instrumentId) {
                return i;
            }
        }
        return -1;
    }

    private static String quote(Instrument instrument, long ticks, long lots) {
        if (ticks == StrategyView.NONE || lots <= 0) {
            return "-";
        }
        StringBuilder s = new StringBuilder();
        instrument.appendPrice(ticks, s).append(" x ");
        instrument.appendQuantity(lots, s);
        return s.toString();
    }

    /** 10^-9 quote units as a decimal with 4 places (quotes of 0.001 BTC earn fractions of a cent), for display only */
    static String money(long nanos) {
        return String.format(Locale.ROOT, "%.4f", nanos / 1e9);
    }
}
