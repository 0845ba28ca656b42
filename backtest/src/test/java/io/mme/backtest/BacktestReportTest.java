package io.mme.backtest;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.matching.QueueModel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report's figures on two hand-computed fills: PnL at average cost, spread capture, markouts, drawdown. */
class BacktestReportTest {
    private static final long T0 = 1_000_000_000_000L;
    private static final long LOT = 100_000_000L; // lots of 0.00000001 in one unit

    @Test
    void twoFillsGiveTheHandComputedFigures() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00000001", null, null, null, null)).build();
        EventClock clock = new EventClock(T0);
        BacktestRecorder recorder = new BacktestRecorder(registry, new boolean[]{true}, new long[]{0}, new long[]{10});
        SimulatedExchange exchange = new SimulatedExchange(registry, new boolean[]{true}, 100, QueueModel.riskAverse(),
                LatencyModel.constant(0, 0), clock, new Schedule(), recorder);
        recorder.commandSent(0, OrderCommandType.NEW, LOT);
        recorder.commandSent(0, OrderCommandType.NEW, LOT);
        exchange.marketBestBidOffer(0, 10_000, 10_002); // mid 100.01
        recorder.observe(T0, exchange);
        // buy 1 at 100.00 (maker, no fee)
        recorder.fill(T0 + 50_000_000L, 0, Side.BUY, 10_000, LOT, true);
        exchange.marketBestBidOffer(0, 10_010, 10_012); // mid 100.11
        recorder.observe(T0 + 1_000_000_000L, exchange);
        // sell 0.5 at 100.12 (taker, 10 bps: 0.05006)
        recorder.fill(T0 + 1_000_000_000L, 0, Side.SELL, 10_012, LOT / 2, false);
        recorder.observe(T0 + 2_000_000_000L, exchange);

        BacktestReport report = BacktestReport.of(recorder, "test", Map.of());
        BacktestReport.Row row = report.rows().get(0);
        assertThat(row.fills()).isEqualTo(2);
        // realised: 0.5 x (100.12 - 100.00) = 0.06; unrealised: 0.5 x (100.11 - 100.00) = 0.055
        assertThat(row.realised()).isCloseTo(0.06, within(1e-9));
        assertThat(row.unrealised()).isCloseTo(0.055, within(1e-9));
        assertThat(row.fees()).isCloseTo(0.05006, within(1e-9));
        assertThat(row.net()).isCloseTo(0.06 + 0.055 - 0.05006, within(1e-9));
        assertThat(row.endPosition()).isCloseTo(0.5, within(1e-12));
        // capture: buy (100.01 - 100.00) x 1 + sell (100.12 - 100.11) x 0.5 = 0.015 over 100.01 + 50.055 of mid notional
        assertThat(row.spreadCaptureBps()).isCloseTo(0.015 / 150.065 * 1e4, within(1e-6));
        // 1 s markouts: buy +(100.11 - 100)/100 = 11 bp; sell -(100.11 - 100.12)/100.12
        assertThat(row.markoutBps()[0]).isCloseTo((11 + 0.01 / 100.12 * 1e4) / 2, within(1e-6));
        // fill ratio: 1.5 filled of 2 sent
        assertThat(row.fillRatio()).isCloseTo(0.75, within(1e-12));
        assertThat(row.orderToTrade()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void figuresPerStrategyAndPerVenueAddUpTheirInstrumentsAndTheTotalAddsUpAll() {
        // a on binance BTCUSDT and coinbase BTC-USD, b on binance ETHUSDT
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00000001", null, null, null, null))
                .add(new InstrumentSpec(Venue.BINANCE, "ETHUSDT", "ETH", "USDT", "0.01", "0.00000001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.00000001", null, null, null, null)).build();
        boolean[] all = {true, true, true};
        EventClock clock = new EventClock(T0);
        BacktestRecorder recorder = new BacktestRecorder(registry, all, new long[]{0, 0, 0}, new long[]{10, 10, 10});
        SimulatedExchange exchange = new SimulatedExchange(registry, all, 100, QueueModel.riskAverse(),
                LatencyModel.constant(0, 0), clock, new Schedule(), recorder);
        for (int id = 0; id < 3; id++) {
            recorder.commandSent(id, OrderCommandType.NEW, LOT);
            exchange.marketBestBidOffer(id, 10_000, 10_002); // mid 100.01 on each
        }
        recorder.observe(T0, exchange);
        // instrument 0: buy 1 at 100.00, sell 1 at 100.02: realised 0.02, taker fee on the sell 0.10002
        recorder.fill(T0 + 10_000_000L, 0, Side.BUY, 10_000, LOT, true);
        recorder.fill(T0 + 20_000_000L, 0, Side.SELL, 10_002, LOT, false);
        // instrument 1: buy 1 at 100.00 and hold: unrealised at the mid 100.01 = 0.01
        recorder.fill(T0 + 30_000_000L, 1, Side.BUY, 10_000, LOT, true);
        // instrument 2: sell 1 at 100.02 and hold: unrealised -(100.01 - 100.02) = 0.01
        recorder.fill(T0 + 40_000_000L, 2, Side.SELL, 10_002, LOT, true);
        recorder.observe(T0 + 2_000_000_000L, exchange);

        BacktestReport report = BacktestReport.of(recorder, new String[]{"a", "b", "a"}, Map.of());
        Map<String, BacktestReport.Row> byKey = new java.util.HashMap<>();
        for (BacktestReport.Row row : report.rows()) {
            byKey.put(row.scope() + " " + row.strategy() + " " + row.venue() + " " + row.symbol(), row);
        }
        BacktestReport.Row a = byKey.get("STRATEGY a all all");
        BacktestReport.Row b = byKey.get("STRATEGY b all all");
        BacktestReport.Row binance = byKey.get("VENUE all binance all");
        BacktestReport.Row coinbase = byKey.get("VENUE all coinbase all");
        BacktestReport.Row total = report.total();
        assertThat(a.fills()).isEqualTo(3);
        assertThat(a.net()).isCloseTo(0.02 - 0.10002 + 0.01, within(1e-9));
        assertThat(b.fills()).isEqualTo(1);
        assertThat(b.net()).isCloseTo(0.01, within(1e-9));
        assertThat(binance.fills()).isEqualTo(3);
        assertThat(binance.net()).isCloseTo(0.02 - 0.10002 + 0.01, within(1e-9));
        assertThat(coinbase.net()).isCloseTo(0.01, within(1e-9));
        assertThat(coinbase.instruments()).isEqualTo(1);
        assertThat(total.scope()).isEqualTo(BacktestReport.Scope.TOTAL);
        assertThat(total.fills()).isEqualTo(4);
        assertThat(total.net()).isCloseTo(a.net() + b.net(), within(1e-9));
        assertThat(total.volumeQuote()).isCloseTo(binance.volumeQuote() + coinbase.volumeQuote(), within(1e-9));
        assertThat(total.instruments()).isEqualTo(3);

        // the JSON has them all; the table has a line per instrument, per strategy and per venue, and the total
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> perStrategy = (java.util.List<Map<String, Object>>) report.json().get("perStrategy");
        assertThat(perStrategy).extracting(m -> m.get("strategy")).containsExactly("a", "b");
        assertThat(perStrategy.get(0).get("instruments")).isEqualTo(java.util.List.of("binance BTCUSDT", "coinbase BTC-USD"));
        assertThat((java.util.List<?>) report.json().get("perVenue")).hasSize(2);
        String table = report.table();
        assertThat(table.lines().filter(l -> l.matches("^a +all +all .*"))).hasSize(1);
        assertThat(table.lines().filter(l -> l.matches("^all +coinbase +all .*"))).hasSize(1);
        assertThat(table.lines().filter(l -> l.matches("^all +all +all .*"))).hasSize(1);
    }

    @Test
    void oneStrategyOnOneVenueHasNoRepeatedLinesInTheTable() {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00000001", null, null, null, null)).build();
        BacktestRecorder recorder = new BacktestRecorder(registry, new boolean[]{true}, new long[]{0}, new long[]{10});
        BacktestReport report = BacktestReport.of(recorder, "s", Map.of());
        // header, the instrument, the total, the quoting line
        assertThat(report.table().lines()).hasSize(4);
        assertThat(report.rows()).hasSize(4); // instrument, strategy, venue, total: the JSON's
    }

    @Test
    void maxDrawdownIsTheLargestFallFromAPreviousHigh() {
        assertThat(BacktestReport.maxDrawdown(new double[]{0, 2, 1, 3, -1, 0.5})).isEqualTo(4.0);
        assertThat(BacktestReport.maxDrawdown(new double[]{1, 2, 3})).isZero();
    }
}
