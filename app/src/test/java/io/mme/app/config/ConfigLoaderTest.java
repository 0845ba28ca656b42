package io.mme.app.config;

import io.mme.core.instrument.Instrument;
import io.mme.core.runtime.EngineSpec;
import io.mme.core.runtime.WaitStrategyKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("mme.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void noFileMeansDefaults() {
        MmeSettings settings = loader.load(null, Map.of());
        assertThat(settings.pipeline().inboundRingSize()).isEqualTo(65_536);
        assertThat(settings.pipeline().outboundRingSize()).isEqualTo(16_384);
        assertThat(settings.pipeline().engine("risk")).isEqualTo(EngineSpec.DEFAULT);
        assertThat(settings.timerPeriod().toMillis()).isEqualTo(100);
        assertThat(settings.instruments().size()).isZero();
    }

    @Test
    void fileValuesAndDecimalsAreReadExactly() throws IOException {
        MmeSettings settings = loader.load(file("""
                engine:
                  inboundRingSize: 1024
                  engines:
                    risk: { cpu: 1, waitStrategy: sleeping }
                instruments:
                  - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, minNotional: 1 }
                  - { venue: KRAKEN, symbol: XBT/USD, base: XBT, quote: ZUSD, tickSize: "0.1", lotSize: 1.0E-8 }
                """), Map.of());
        assertThat(settings.pipeline().inboundRingSize()).isEqualTo(1024);
        assertThat(settings.pipeline().engine("risk")).isEqualTo(new EngineSpec(1, WaitStrategyKind.SLEEPING));
        Instrument coinbase = settings.instruments().get(0);
        assertThat(coinbase.lot().step()).isEqualTo("0.00000001");
        assertThat(coinbase.quantityLots("1.5")).isEqualTo(150_000_000L);
        Instrument kraken = settings.instruments().get(1);
        assertThat(kraken.lot().step()).isEqualTo("0.00000001");
        assertThat(kraken.pair()).isEqualTo("BTC/USD");
    }

    @Test
    void environmentOverridesWinOverTheFile() throws IOException {
        Path f = file("""
                engine:
                  inboundRingSize: 1024
                instruments:
                  - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001 }
                """);
        MmeSettings settings = loader.load(f, Map.of(
                "MME_ENGINE_INBOUND_RING_SIZE", "4096",
                "MME_ENGINE_ENGINES_MARKETDATA_WAIT_STRATEGY", "yielding",
                "MME_INSTRUMENTS_0_TICK_SIZE", "0.1",
                "MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test",
                "PATH", "/usr/bin"));
        assertThat(settings.pipeline().inboundRingSize()).isEqualTo(4096);
        assertThat(settings.pipeline().engine("marketdata").waitStrategy()).isEqualTo(WaitStrategyKind.YIELDING);
        assertThat(settings.instruments().get(0).tick().step()).isEqualTo("0.1");
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndTheExpectedForm() throws IOException {
        Path f = file("""
                engine:
                  inboundRingSize: 1000
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    ConfigError error = e.errors().get(0);
                    assertThat(error.key()).isEqualTo("engine.inboundRingSize");
                    assertThat(error.value()).isEqualTo("1000");
                    assertThat(error.expected()).contains("power of two");
                    assertThat(error.source()).isEqualTo(f.toString());
                });
    }

    @Test
    void aBadEnvironmentOverrideNamesTheVariable() {
        assertThatThrownBy(() -> loader.load(null, Map.of("MME_ENGINE_TIMER_PERIOD_MILLIS", "soon")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    ConfigError error = e.errors().get(0);
                    assertThat(error.key()).isEqualTo("engine.timerPeriodMillis");
                    assertThat(error.value()).isEqualTo("soon");
                    assertThat(error.expected()).isEqualTo("a whole number");
                    assertThat(error.source()).isEqualTo("MME_ENGINE_TIMER_PERIOD_MILLIS");
                });
    }

    @Test
    void everyErrorIsReportedNotOnlyTheFirst() throws IOException {
        Path f = file("""
                engine:
                  outboundRingSize: 3
                  engines:
                    risk: { waitStrategy: spinny, cpu: -4 }
                    pricing: { cpu: 1 }
                instruments:
                  - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.0x, lotSize: 0.00001 }
                  - { venue: bitmex, symbol: XBTUSD, base: XBT, quote: USD, tickSize: 0.5, lotSize: 1 }
                demo:
                  seconds: 0
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::key).containsExactlyInAnyOrder(
                            "engine.outboundRingSize", "engine.engines.risk.cpu", "engine.engines.risk.waitStrategy",
                            "engine.engines.pricing", "instruments[0].tickSize", "instruments[1].venue", "demo.seconds");
                    assertThat(e.getMessage())
                            .contains("engine.engines.risk.waitStrategy = 'spinny'")
                            .contains("busy-spin, yielding, sleeping, blocking")
                            .contains("instruments[0].tickSize = '0.0x'")
                            .contains("instruments[1].venue = 'bitmex'");
                });
    }

    @Test
    void takerFeesAndTheFairValueMethodAreReadAndChecked() throws IOException {
        MmeSettings settings = loader.load(file("""
                marketData: { fairValue: micro-price }
                instruments:
                  - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, takerFeeBps: 60 }
                  - { venue: kraken, symbol: XBT/USD, base: XBT, quote: USD, tickSize: 0.1, lotSize: 0.00000001 }
                """), Map.of());
        assertThat(settings.takerFeeBps()).containsExactly(60, 0);
        assertThat(settings.fairValue()).isEqualTo(io.mme.marketdata.FairValueMethod.MICRO_PRICE);
        Path bad = file("""
                marketData: { fairValue: vwap }
                instruments:
                  - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, takerFeeBps: -5 }
                """);
        assertThatThrownBy(() -> loader.load(bad, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactlyInAnyOrder("marketData.fairValue", "instruments[0].takerFeeBps"));
    }

    @Test
    void anUnknownKeyIsRefusedListingTheKnownOnes() throws IOException {
        Path f = file("""
                engine:
                  inboundRingSise: 1024
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    ConfigError error = e.errors().get(0);
                    assertThat(error.key()).isEqualTo("engine.inboundRingSise");
                    assertThat(error.expected()).contains("no such key").contains("inboundRingSize");
                });
    }

    @Test
    void malformedYamlIsReportedWithItsLine() throws IOException {
        Path f = file("engine:\n  inboundRingSize: [1024\n");
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("well-formed YAML")
                .hasMessageContaining("line");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml")
                .hasMessageContaining("an existing YAML file");
    }

    @Test
    void theBuiltInDemoConfigurationIsValid() {
        MmeSettings settings = loader.loadResource("/demo.yaml", Map.of());
        assertThat(settings.instruments().size()).isEqualTo(8);
        // USDT counts as USD in the demo, so BTC/USD and ETH/USD span the three venues and their strategies quote all of them
        assertThat(settings.instruments().byPair("BTC/USD")).hasSize(3);
        assertThat(settings.instruments().byPair("ETH/USD")).hasSize(3);
        assertThat(settings.instruments().byPair("SOL/USD")).hasSize(2);
        assertThat(settings.trading().strategies()).extracting(TradingSettings.StrategySetup::id)
                .containsExactly("btc-skew", "btc-xemm", "eth-skew", "sol-as");
        // btc-skew quotes Coinbase only; btc-xemm quotes Kraken and hedges on Binance
        assertThat(settings.trading().strategy().engine().instrumentIds()).containsExactly(1);
        assertThat(settings.trading().strategy().type()).isEqualTo("inventory-skew");
        assertThat(settings.trading().strategies().get(1).type()).isEqualTo("xemm");
        assertThat(settings.trading().strategies().get(1).engine().instrumentIds()).containsExactly(0, 2);
        assertThat(settings.trading().strategies().get(3).type()).isEqualTo("avellaneda-stoikov");
        assertThat(settings.trading().strategies().get(3).engine().instrumentIds()).containsExactly(6, 7);
    }

    private static final String TWO_VENUES = """
            instruments:
              - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001, makerFeeBps: -1 }
              - { venue: kraken, symbol: XBT/USD, base: XBT, quote: USD, tickSize: 0.1, lotSize: 0.00000001, takerFeeBps: 26 }
            """;

    @Test
    void strategyRiskAndExecutionSectionsAreReadIntoTheEngineConfigurations() throws IOException {
        MmeSettings settings = loader.load(file(TWO_VENUES + """
                strategy:
                  type: avellaneda-stoikov
                  pair: BTC/USD
                  venues: [kraken]
                  maxLevels: 1
                  replaceTicks: 3
                  parameters: { gamma.micro: 20000, horizon.millis: 30000 }
                risk:
                  limits:
                    - { limit: maxPosition, venue: kraken, symbol: XBT/USD, value: 5000000 }
                    - { limit: orderRatePerMinute, venue: coinbase, value: 60 }
                    - { limit: dailyLossLimit, value: 2000000000000 }
                execution: { accountId: 7, ackTimeoutMillis: 500, postOnly: false }
                """), Map.of());
        TradingSettings trading = settings.trading();
        assertThat(trading.strategy().engine().instrumentIds()).containsExactly(1);
        assertThat(trading.strategy().engine().replaceTicks()).isEqualTo(3);
        assertThat(trading.strategy().engine().accountId()).isEqualTo(7);
        assertThat(trading.strategy().newStrategy().parameter("gamma.micro")).isEqualTo(20_000);
        assertThat(trading.risk().accountId()).isEqualTo(7);
        assertThat(trading.risk().makerFeeBps()[0]).isEqualTo(-1);
        assertThat(trading.risk().takerFeeBps()[1]).isEqualTo(26);
        assertThat(trading.risk().limits().get(io.mme.risk.LimitKind.MAX_POSITION, 1)).isEqualTo(5_000_000);
        assertThat(trading.risk().limits().get(io.mme.risk.LimitKind.ORDER_RATE, io.mme.core.instrument.Venue.COINBASE.id())).isEqualTo(60);
        assertThat(trading.risk().limits().get(io.mme.risk.LimitKind.DAILY_LOSS, 0)).isEqualTo(2_000_000_000_000L);
        assertThat(trading.execution().ackTimeoutNanos()).isEqualTo(500_000_000L);
        assertThat(trading.execution().postOnly()).isFalse();
        assertThat(trading.execution().ownerId()).isEqualTo(7);
    }

    @Test
    void theChainRunsFusedOrOnAThreadPerEngineAsConfigured() throws IOException {
        assertThat(loader.load(file("engine: { chain: fused }\n"), Map.of()).pipeline().fusedChain()).isTrue();
        assertThat(loader.load(file("engine: { chain: threads }\n"), Map.of()).pipeline().fusedChain()).isFalse();
        assertThat(loader.load(null, Map.of()).pipeline().fusedChain())
                .isEqualTo(Runtime.getRuntime().availableProcessors() < ConfigLoader.ENGINE_THREADS);
        assertThatThrownBy(() -> loader.load(file("engine: { chain: sideways }\n"), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactly("engine.chain"));
    }

    @Test
    void withoutAStrategySectionNothingQuotesButRiskAndExecutionHaveTheirDefaults() {
        MmeSettings settings = loader.load(null, Map.of());
        assertThat(settings.trading().strategy()).isNull();
        assertThat(settings.trading().execution().ackTimeoutNanos()).isEqualTo(2_000_000_000L);
    }

    @Test
    void badTradingSettingsAreAllNamedWithTheirKeys() throws IOException {
        Path bad = file(TWO_VENUES + """
                strategy:
                  type: inventory-skew
                  pair: BTC/USD
                  venues: [binance]
                  replaceSizePercent: 150
                risk:
                  limits:
                    - { limit: maxPosishun, venue: kraken, symbol: XBT/USD, value: 1 }
                    - { limit: maxPosition, venue: kraken, symbol: ETH/USD, value: 1 }
                    - { limit: dailyLossLimit, venue: kraken, value: 1 }
                    - { limit: maxOrderQuantity, venue: kraken, symbol: XBT/USD, value: -3 }
                execution: { ackTimeoutMillis: 0 }
                """);
        assertThatThrownBy(() -> loader.load(bad, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .contains("strategy.venues[0]", "strategy.replaceSizePercent", "risk.limits[0].limit", "risk.limits[1].symbol",
                                "risk.limits[2]", "risk.limits[3].value", "execution.ackTimeoutMillis"));
        Path badParameter = file(TWO_VENUES + """
                strategy: { type: inventory-skew, pair: BTC/USD, parameters: { spread.tics: 4 } }
                """);
        assertThatThrownBy(() -> loader.load(badParameter, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::key).containsExactly("strategy.parameters");
                    assertThat(e.errors().get(0).expected()).contains("spread.tics").contains("spread.ticks");
                });
        Path badType = file(TWO_VENUES + """
                strategy: { type: martingale, pair: ETH/USD }
                """);
        assertThatThrownBy(() -> loader.load(badType, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactly("strategy.type"));
    }

    @Test
    void environmentVariableNamesFollowThePath() {
        assertThat(ConfigLoader.environmentVariableFor("engine.inboundRingSize")).isEqualTo("MME_ENGINE_INBOUND_RING_SIZE");
        assertThat(ConfigLoader.environmentVariableFor("instruments[0].tickSize")).isEqualTo("MME_INSTRUMENTS_0_TICK_SIZE");
    }

    private static final String ONE_INSTRUMENT_AND_A_STRATEGY = """
            instruments:
              - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001 }
            """;

    @Test
    void anUnknownKeyHidesNoOtherErrorAndShowsTheValueThatWasRead() throws IOException {
        Path f = file("""
                engine:
                  timerPeriodMilis: 100
                  inboundRingSize: 1000
                  engines:
                    risk: { waitStrategy: spinny }
                instruments:
                  - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001 }
                strategy:
                  type: inventory-skew
                  pair: BTC/USDT
                  maxLevels: 0
                demo:
                  seconds: 0
                  minutes: 3
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    // the binding stage (two unknown keys) and the validation stage (a ring size, a wait strategy,
                    // the demo, and the strategy after them all) in one report
                    assertThat(e.errors()).extracting(ConfigError::key).containsExactlyInAnyOrder(
                            "engine.timerPeriodMilis", "demo.minutes", "engine.inboundRingSize", "engine.engines.risk.waitStrategy",
                            "demo.seconds", "strategy.maxLevels");
                    assertThat(e.getMessage())
                            .contains("engine.timerPeriodMilis = '100'")
                            .contains("did you mean timerPeriodMillis?")
                            .contains("demo.minutes = '3'")
                            .contains("strategy.maxLevels = '0'")
                            .doesNotContain("(missing)");
                });
    }

    @Test
    void valuesOfTheWrongTypeAreAllReportedAndTheirKeysOnlyOnce() throws IOException {
        Path f = file("""
                engine:
                  timerPeriodMillis: soon
                  outboundRingSize: 3
                  shutdownTimeoutMillis: [1, 2]
                demo:
                  seconds: never
                """ + ONE_INSTRUMENT_AND_A_STRATEGY);
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::key).containsExactlyInAnyOrder(
                            "engine.timerPeriodMillis", "engine.outboundRingSize", "engine.shutdownTimeoutMillis", "demo.seconds");
                    assertThat(e.getMessage()).contains("engine.timerPeriodMillis = 'soon'").contains("demo.seconds = 'never'");
                });
    }

    @Test
    void anEnvironmentOverrideThatNamesNoKeyIsAnErrorLikeTheSameTypoInTheFile() {
        assertThatThrownBy(() -> loader.load(null, Map.of("MME_ENGINE_TIMER_PERIOD_MILIS", "5", "MME_DEMO_SECONDS", "0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::key)
                            .containsExactlyInAnyOrder("MME_ENGINE_TIMER_PERIOD_MILIS", "demo.seconds");
                    ConfigError typo = e.errors().stream().filter(x -> x.key().startsWith("MME_")).findFirst().orElseThrow();
                    assertThat(typo.value()).isEqualTo("5");
                    assertThat(typo.source()).isEqualTo("environment");
                    assertThat(typo.expected()).contains("MME_ENGINE_TIMER_PERIOD_MILLIS (engine.timerPeriodMillis)");
                });
        // the variables of the launcher, the stores' addresses, the venue keys and Kubernetes' service links
        // (deploy/k8s names its services mme-shard-0, mme-postgres, ...) are not configuration keys
        assertThat(loader.load(null, Map.of("MME_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test", "MME_JAVA_OPTS", "-Xmx1g",
                        "MME_POSTGRES_SERVICE_HOST", "10.0.0.7", "MME_SHARD_0_PORT", "tcp://10.0.0.8:8080",
                        "MME_SHARD_0_PORT_8080_TCP_ADDR", "10.0.0.8", "MME_POSTGRES_SERVICE_PORT", "5432"))
                .timerPeriod().toMillis()).isEqualTo(100);
    }

    @Test
    void aSecretLookingVariableThatNamesNoKeyIsReportedWithoutItsValue() {
        assertThatThrownBy(() -> loader.load(null, Map.of("MME_VENUES_BINANCE_API_KEY", "s3cr3t")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .contains("MME_VENUES_BINANCE_API_KEY = '(hidden)'").doesNotContain("s3cr3t"));
    }

    @Test
    void instrumentErrorsSayWhatCouldNotBeCheckedBecauseOfThem() throws IOException {
        Path f = file("""
                engine:
                  inboundRingSize: 1000
                instruments:
                  - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.0x, lotSize: 0.00001 }
                strategy:
                  type: inventory-skew
                  pair: BTC/USDT
                  maxLevels: 0
                """);
        assertThatThrownBy(() -> loader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::key)
                            .containsExactlyInAnyOrder("engine.inboundRingSize", "instruments[0].tickSize");
                    assertThat(e.getMessage()).contains("strategy, risk, execution and venues were not checked");
                });
    }
}
