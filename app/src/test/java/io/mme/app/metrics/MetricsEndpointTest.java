package io.mme.app.metrics;

import io.mme.app.api.ApiServer;
import io.mme.execution.ExecutionCounter;
import io.mme.core.runtime.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class MetricsEndpointTest {
    /** every family the issue asks for, as the Prometheus text format names them */
    static final List<String> REQUIRED = List.of(
            "mme_engine_events_total", "mme_engine_backlog", "mme_engine_faults_total", "mme_trading_halted",
            "mme_stage_latency_seconds", "mme_tick_to_quote_seconds", "mme_book_state", "mme_best_bid_price", "mme_best_ask_price",
            "mme_risk_rejected_intents_total", "mme_risk_rejects_by_reason_total", "mme_orders_sent_total", "mme_fills_total", "mme_order_rate_limit_per_minute",
            "mme_position_lots", "mme_pnl_realized", "mme_pnl_unrealized", "mme_fees", "mme_strategy_inventory",
            "mme_daily_pnl", "mme_daily_loss_limit", "mme_store_lag_records", "mme_store_lag_seconds", "mme_store_up",
            "mme_quote_price", "jvm_memory_used_bytes", "jvm_threads_current");

    @TempDir
    Path dir;
    DemoEngine engine;
    ApiServer server;

    @BeforeEach
    void start() throws Exception {
        engine = new DemoEngine(dir);
        server = new ApiServer(ApiServer.Settings.loopback(0)).install(engine.exporter()::install).start();
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    @Test
    void getMetricsServesEveryFamilyInThePrometheusTextFormat() throws Exception {
        Scrape scrape = Scrape.get(server.port(), null).parse();
        assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(scrape.types().keySet()).containsAll(REQUIRED);
        assertThat(scrape.types()).containsEntry("mme_orders_sent_total", "counter").containsEntry("mme_book_state", "gauge")
                .containsEntry("mme_tick_to_quote_seconds", "histogram").containsEntry("mme_stage_latency_seconds", "histogram");
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        Scrape scrape = Scrape.get(server.port(), "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(scrape.contentType()).startsWith("application/openmetrics-text");
        assertThat(scrape.body()).contains("# TYPE mme_orders_sent counter").contains("mme_orders_sent_total{venue=\"binance\"}")
                .contains("# UNIT mme_tick_to_quote_seconds seconds").endsWith("# EOF\n");
    }

    @Test
    void valuesAreTheViewsInQuoteCurrencyBaseAssetAndSeconds() throws Exception {
        Scrape s = Scrape.get(server.port(), null).parse();
        var binance = engine.instrument(0);
        assertThat(s.value("mme_best_bid_price", "pair", "BTC/USD", "venue", "binance")).isCloseTo(binance.priceNanos(DemoEngine.BID_TICKS) / 1e9, within(1e-9));
        assertThat(s.value("mme_best_ask_price", "pair", "BTC/USD", "venue", "coinbase")).isCloseTo(engine.instrument(1).priceNanos(DemoEngine.ASK_TICKS) / 1e9, within(1e-9));
        assertThat(s.value("mme_best_bid_size", "pair", "BTC/USD", "venue", "binance")).isCloseTo(binance.quantityNanos(100) / 1e9, within(1e-12));
        // kraken's book is SYNCING: its state says so and it has no top of book
        assertThat(s.value("mme_book_state", "pair", "BTC/USD", "venue", "kraken", "state", "SYNCING")).isEqualTo(1);
        assertThat(s.value("mme_book_state", "pair", "BTC/USD", "venue", "kraken", "state", "VALID")).isZero();
        assertThat(s.samples()).noneMatch(x -> x.name().equals("mme_best_bid_price") && "kraken".equals(x.labels().get("venue")));
        assertThat(s.value("mme_fair_value", "pair", "BTC/USD")).isCloseTo(65_000.5, within(1e-9));
        // execution rows: counter i of row r was published as r * counters + i + 1
        int perRow = ExecutionCounter.values().length;
        assertThat(s.value("mme_orders_sent_total", "venue", "coinbase")).isEqualTo(perRow + ExecutionCounter.ORDERS_SENT.ordinal() + 1);
        assertThat(s.value("mme_fills_total", "venue", "kraken")).isEqualTo(2 * perRow + ExecutionCounter.FILLS.ordinal() + 1);
        assertThat(s.value("mme_open_orders", "venue", "binance")).isEqualTo(ExecutionCounter.OPEN_ORDERS.ordinal() + 1);
        // risk: position, PnL in the quote currency, the day
        assertThat(s.value("mme_position_lots", "pair", "BTC/USD", "venue", "kraken")).isEqualTo(12);
        assertThat(s.value("mme_pnl_realized", "pair", "BTC/USD", "venue", "binance")).isEqualTo(1.5);
        assertThat(s.value("mme_pnl_unrealized", "pair", "BTC/USD", "venue", "binance", "quote", "USD")).isEqualTo(-0.25);
        assertThat(s.value("mme_fees", "pair", "BTC/USD", "venue", "coinbase")).isEqualTo(0.01);
        assertThat(s.value("mme_daily_pnl")).isEqualTo(-2.0);
        assertThat(s.value("mme_risk_rejected_intents_total")).isEqualTo(2);
        assertThat(s.value("mme_trading_state", "state", "ACTIVE")).isEqualTo(1);
        // our quotes and inventory
        // the demo's first strategy, btc-skew, quotes BTC/USD on coinbase only
        assertThat(s.value("mme_quote_price", "pair", "BTC/USD", "venue", "coinbase", "side", "ask"))
                .isCloseTo(engine.instrument(1).priceNanos(DemoEngine.ASK_TICKS + 10) / 1e9, within(1e-9));
        assertThat(s.value("mme_strategy_inventory", "strategy", "default")).isCloseTo(0.001, within(1e-12));
        assertThat(s.value("mme_strategy_halted", "strategy", "default")).isZero();
        // the pipeline ran five timer events through the latency recorder
        assertThat(s.value("mme_engine_events_total", "engine", Pipeline.ANALYTICS)).isEqualTo(5);
        assertThat(s.value("mme_trading_halted", "scope", "global")).isZero();
        assertThat(s.value("mme_trading_halted", "scope", "venue", "venue", "kraken")).isZero();
        // the store tiers are constructed, not started
        assertThat(s.value("mme_store_up", "store", "postgres")).isEqualTo(1);
        assertThat(s.value("mme_store_lag_records", "store", "postgres")).isZero();
        assertThat(s.samples()).anyMatch(x -> x.name().equals("mme_store_lag_seconds") && "redis".equals(x.labels().get("store")));
    }

    @Test
    void theHaltGaugeTellsWhichScopeIsHalted() throws Exception {
        DemoEngine.call(engine.risk, "venue", io.mme.core.instrument.Venue.COINBASE.id(), io.mme.core.ring.TradingState.HALTED);
        DemoEngine.call(engine.risk, "instrumentState", 2, io.mme.core.ring.TradingState.HALTED);
        Scrape s = Scrape.get(server.port(), null).parse();
        assertThat(s.value("mme_trading_halted", "scope", "global")).isZero();
        assertThat(s.value("mme_trading_halted", "scope", "venue", "venue", "coinbase")).isEqualTo(1);
        assertThat(s.value("mme_trading_halted", "scope", "venue", "venue", "binance")).isZero();
        assertThat(s.value("mme_trading_halted", "scope", "instrument", "pair", "BTC/USD", "venue", "kraken")).isEqualTo(1);
        assertThat(s.value("mme_trading_halted", "scope", "instrument", "pair", "BTC/USD", "venue", "coinbase")).isZero();

        // a global halt or kill switch: the global series (it stayed 0 before)
        DemoEngine.call(engine.risk, "globalState", io.mme.core.ring.TradingState.HALTED);
        assertThat(Scrape.get(server.port(), null).parse().value("mme_trading_halted", "scope", "global")).isEqualTo(1);
        DemoEngine.call(engine.risk, "globalState", io.mme.core.ring.TradingState.REDUCING);
        assertThat(Scrape.get(server.port(), null).parse().value("mme_trading_halted", "scope", "global")).isZero();
    }

    @Test
    void eachScrapeSamplesTheLatencyRecorderUnderTheExporterLock() throws Exception {
        Scrape before = Scrape.get(server.port(), null).parse();
        double counted = before.samples().stream().filter(x -> x.name().equals("mme_stage_latency_seconds_count"))
                .mapToDouble(Scrape.Sample::value).sum();
        assertThat(counted).isGreaterThan(0);
        for (int i = 0; i < 3; i++) {
            engine.pipeline.inbound().publishTimer();
        }
        // the analytics engine records the timers on its own thread: wait for the count to move (a
        // generous bound for a loaded machine), then check the rest of that same scrape
        Scrape[] scraped = new Scrape[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            scraped[0] = Scrape.get(server.port(), null).parse();
            return scraped[0].samples().stream().filter(x -> x.name().equals("mme_stage_latency_seconds_count"))
                    .mapToDouble(Scrape.Sample::value).sum() > counted;
        });
        Scrape after = scraped[0];
        // a venue with nothing recorded has its buckets, all empty
        assertThat(after.value("mme_tick_to_quote_seconds_bucket", "venue", "binance", "le", "+Inf")).isZero();
        assertThat(after.value("mme_tick_to_quote_seconds_count", "venue", "binance")).isZero();
    }

    @Test
    void latencyIsAHistogramWhoseBucketsRateCanBeTakenOver() throws Exception {
        Scrape before = Scrape.get(server.port(), null).parse();
        long target = engine.pipeline.health().engine(Pipeline.ANALYTICS).lastSequence() + 4;
        for (int i = 0; i < 4; i++) {
            engine.pipeline.inbound().publishTimer();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.pipeline.health().engine(Pipeline.ANALYTICS).lastSequence() < target && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Scrape after = Scrape.get(server.port(), null).parse();
        for (String stage : io.mme.analytics.LatencyEngine.STAGES) {
            List<Scrape.Sample> buckets = after.samples().stream()
                    .filter(x -> x.name().equals("mme_stage_latency_seconds_bucket") && stage.equals(x.labels().get("stage"))).toList();
            // every bound from 1 µs to 1 s, then +Inf; cumulative counts never fall, +Inf is the count
            assertThat(buckets).hasSize(EngineCollector.LATENCY_BUCKETS_SECONDS.length);
            assertThat(buckets.get(0).labels().get("le")).isEqualTo("1.0E-6");
            assertThat(buckets.get(buckets.size() - 1).labels().get("le")).isEqualTo("+Inf");
            for (int i = 1; i < buckets.size(); i++) {
                assertThat(buckets.get(i).value()).isGreaterThanOrEqualTo(buckets.get(i - 1).value());
            }
            double count = after.value("mme_stage_latency_seconds_count", "stage", stage);
            assertThat(buckets.get(buckets.size() - 1).value()).isEqualTo(count);
            assertThat(after.value("mme_stage_latency_seconds_sum", "stage", stage))
                    .isGreaterThanOrEqualTo(before.value("mme_stage_latency_seconds_sum", "stage", stage));
        }
        // this test engine runs market data only, so the execution stage's stamps are equal (0 ns, in the
        // first bucket): the four timer events since the first scrape are the increase a rate() sees
        assertThat(after.value("mme_stage_latency_seconds_count", "stage", "execution")
                - before.value("mme_stage_latency_seconds_count", "stage", "execution")).isEqualTo(4);
        assertThat(after.value("mme_stage_latency_seconds_bucket", "stage", "execution", "le", "1.0E-6"))
                .isEqualTo(after.value("mme_stage_latency_seconds_count", "stage", "execution")).isGreaterThan(0);
    }

    @Test
    void familyNamesFollowThePrometheusConventions() throws Exception {
        Scrape s = Scrape.get(server.port(), null).parse();
        for (Map.Entry<String, String> family : s.types().entrySet()) {
            String name = family.getKey();
            if (name.startsWith("jvm_") || name.startsWith("process_")) {
                continue; // the client's JVM metrics, named by the client
            }
            assertThat(name).as("prefix").startsWith("mme_").matches("mme_[a-z0-9_]+");
            assertThat(name.endsWith("_total")).as(name + " is a counter iff it ends in _total").isEqualTo(family.getValue().equals("counter"));
            assertThat(name).as("base units").doesNotContain("_millis").doesNotContain("_micros").doesNotContain("_nanos").doesNotEndWith("_ms");
            if (family.getValue().equals("summary") || family.getValue().equals("histogram")
                    || name.matches(".*(latency|duration|_lag_|_age$|_time$|_timestamp).*") && !name.endsWith("_records")) {
                assertThat(name).as(name + " is a duration").endsWith("_seconds");
            }
        }
    }

    @Test
    void everyExecutionCounterHasAFamilyOfItsOwn() throws Exception {
        Set<String> names = new HashSet<>();
        Scrape s = Scrape.get(server.port(), null).parse();
        for (ExecutionCounter counter : ExecutionCounter.values()) {
            String family = EngineCollector.familyOf(counter) + (counter == ExecutionCounter.OPEN_ORDERS ? "" : "_total");
            assertThat(names.add(family)).as(family).isTrue();
            assertThat(s.types()).containsKey(family);
            assertThat(s.samples().stream().filter(x -> x.name().equals(family)).map(x -> x.labels().get("venue")))
                    .containsExactlyInAnyOrder("binance", "coinbase", "kraken", "hyperliquid", "other");
        }
    }

    @Test
    void storesNotConfiguredAndNoLatencyRecorderAreLeftOut() {
        MetricsExporter bare = new MetricsExporter(engine, null, null, () -> null);
        String text = new String(bare.expose(null).body(), java.nio.charset.StandardCharsets.UTF_8);
        Scrape s = new Scrape("", text, Map.of(), List.of()).parse();
        assertThat(s.types()).doesNotContainKeys("mme_store_up", "mme_stage_latency_seconds", "mme_tick_to_quote_seconds")
                .containsKey("mme_book_state");
    }
}
