package io.mme.app.config;

import io.mme.risk.LimitKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code strategies:} list of a desk, and the old {@code strategy:} section read as strategy {@code default}. */
class StrategiesConfigTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private static final String INSTRUMENTS = """
            instruments:
              - { venue: coinbase, symbol: BTC-USD, base: BTC, quote: USD, tickSize: 0.01, lotSize: 0.00000001 }
              - { venue: kraken, symbol: XBT/USD, base: XBT, quote: USD, tickSize: 0.1, lotSize: 0.00000001 }
              - { venue: coinbase, symbol: ETH-USD, base: ETH, quote: USD, tickSize: 0.01, lotSize: 0.00000001 }
              - { venue: kraken, symbol: ETH/USD, base: ETH, quote: USD, tickSize: 0.01, lotSize: 0.00000001 }
            """;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("mme.yaml");
        Files.writeString(f, INSTRUMENTS + yaml);
        return f;
    }

    @Test
    void everyStrategyOfTheListIsReadWithItsIdVenuesParametersAndOwnLimits() throws IOException {
        MmeSettings settings = loader.load(file("""
                strategies:
                  - { id: btc-skew, type: inventory-skew, pair: BTC/USD, maxLevels: 2, parameters: { spread.ticks: 6 },
                      maxPosition: 50000000, maxOpenOrders: 8 }
                  - { id: eth-as, type: avellaneda-stoikov, pair: ETH/USD, venues: [kraken], startQuoting: false,
                      dailyLossLimit: 1000000000 }
                """), Map.of());
        TradingSettings trading = settings.trading();
        assertThat(trading.strategies()).extracting(TradingSettings.StrategySetup::id).containsExactly("btc-skew", "eth-as");
        assertThat(trading.strategies().get(0).engine().instrumentIds()).containsExactly(0, 1);
        assertThat(trading.strategies().get(0).engine().maxLevels()).isEqualTo(2);
        assertThat(trading.strategies().get(0).newStrategy().parameter("spread.ticks")).isEqualTo(6);
        assertThat(trading.strategies().get(1).engine().instrumentIds()).containsExactly(3);
        assertThat(trading.strategies().get(1).engine().startQuoting()).isFalse();
        var limits = trading.risk().limits();
        assertThat(limits.strategies()).isEqualTo(2);
        assertThat(limits.strategyOf(1)).isZero();
        assertThat(limits.strategyOf(2)).isEqualTo(-1);
        assertThat(limits.strategyOf(3)).isEqualTo(1);
        assertThat(limits.get(LimitKind.STRATEGY_MAX_POSITION, 0)).isEqualTo(50_000_000);
        assertThat(limits.get(LimitKind.STRATEGY_MAX_OPEN_ORDERS, 0)).isEqualTo(8);
        assertThat(limits.get(LimitKind.STRATEGY_DAILY_LOSS, 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(limits.get(LimitKind.STRATEGY_DAILY_LOSS, 1)).isEqualTo(1_000_000_000);
        assertThat(trading.newHostedStrategies()).hasSize(2);
    }

    @Test
    void theOldStrategySectionIsOneStrategyWithIdDefault() throws IOException {
        MmeSettings settings = loader.load(file("""
                strategy: { type: inventory-skew, pair: ETH/USD }
                """), Map.of());
        assertThat(settings.trading().strategies()).singleElement()
                .satisfies(s -> assertThat(s.id()).isEqualTo("default"))
                .satisfies(s -> assertThat(s.engine().instrumentIds()).containsExactly(2, 3));
    }

    @Test
    void twoStrategiesOnOneInstrumentBadAndDuplicateIdsAreAllReportedAtOnce() throws IOException {
        Path bad = file("""
                strategies:
                  - { id: btc-a, type: inventory-skew, pair: BTC/USD }
                  - { id: btc-b, type: inventory-skew, pair: BTC/USD, venues: [kraken] }
                  - { id: Bad_Id, type: inventory-skew, pair: ETH/USD }
                  - { id: btc-a, type: inventory-skew, pair: ETH/USD }
                  - { id: eth, type: martingale, pair: ETH/USD, maxOpenOrders: -1 }
                """);
        assertThatThrownBy(() -> loader.load(bad, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errors()).extracting(ConfigError::key).containsExactlyInAnyOrder(
                            "strategies[1].venues", "strategies[2].id", "strategies[3].id", "strategies[4].type");
                    ConfigError clash = e.errors().stream().filter(x -> x.key().equals("strategies[1].venues")).findFirst().orElseThrow();
                    assertThat(clash.expected()).contains("btc-a").contains("btc-b").contains("XBT/USD");
                });
    }

    @Test
    void aStrategyLimitOutOfRangeIsAnError() throws IOException {
        Path bad = file("""
                strategies:
                  - { id: eth, type: inventory-skew, pair: ETH/USD, maxOpenOrders: -1 }
                """);
        assertThatThrownBy(() -> loader.load(bad, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactly("strategies[0].maxOpenOrders"));
    }

    @Test
    void eachStrategysBookDepthIsReadWithADefaultOfFiveAndTheDeepestSizesTheSlots() throws IOException {
        MmeSettings settings = loader.load(file("""
                strategies:
                  - { id: btc, type: inventory-skew, pair: BTC/USD, bookDepth: 20 }
                  - { id: eth, type: inventory-skew, pair: ETH/USD }
                """), Map.of());
        assertThat(settings.trading().strategies().get(0).engine().bookDepth()).isEqualTo(20);
        assertThat(settings.trading().strategies().get(1).engine().bookDepth()).isEqualTo(5);
        assertThat(settings.trading().bookDepth()).isEqualTo(20);
    }

    @Test
    void aBookDepthOutsideOneToTwentyIsANamedError() throws IOException {
        for (String depth : new String[]{"0", "21", "-3"}) {
            Path bad = file("""
                    strategies:
                      - { id: eth, type: inventory-skew, pair: ETH/USD }
                      - { id: btc, type: inventory-skew, pair: BTC/USD, bookDepth: %s }
                    """.formatted(depth));
            assertThatThrownBy(() -> loader.load(bad, Map.of()))
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.errors()).extracting(ConfigError::key).containsExactly("strategies[1].bookDepth");
                        assertThat(e.getMessage()).contains(depth).contains("1 to 20 book levels a side");
                    });
        }
    }

    @Test
    void theOldSectionBesideTheListIsRefused() throws IOException {
        Path both = file("""
                strategy: { type: inventory-skew, pair: ETH/USD }
                strategies:
                  - { id: btc, type: inventory-skew, pair: BTC/USD }
                """);
        assertThatThrownBy(() -> loader.load(both, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactly("strategy"));
    }

    @Test
    void anEntryOfTheListIsOverriddenByItsIndexInTheEnvironment() throws IOException {
        MmeSettings settings = loader.load(file("""
                strategies:
                  - { id: btc, type: inventory-skew, pair: BTC/USD, maxLevels: 2, parameters: { spread.ticks: 6 } }
                  - { id: eth, type: inventory-skew, pair: ETH/USD, maxOpenOrders: 10 }
                """), Map.of("MME_STRATEGIES_0_MAX_LEVELS", "4", "MME_STRATEGIES_1_MAX_OPEN_ORDERS", "3",
                "MME_STRATEGIES_0_PARAMETERS_SPREAD_TICKS", "9"));
        assertThat(settings.trading().strategies().get(0).engine().maxLevels()).isEqualTo(4);
        assertThat(settings.trading().strategies().get(0).newStrategy().parameter("spread.ticks")).isEqualTo(9);
        assertThat(settings.trading().risk().limits().get(LimitKind.STRATEGY_MAX_OPEN_ORDERS, 1)).isEqualTo(3);
    }
}
