package io.mme.app.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mme.app.Main;
import io.mme.core.instrument.Venue;
import io.mme.core.venue.UnknownOrderPolicy;
import io.mme.core.venue.VenueMode;
import io.mme.execution.ExecutionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The venues section: modes, feeds, routing, and the guards around live trading. */
class VenueConfigTest {
    private static final String INSTRUMENTS = """
            instruments:
              - { venue: binance, symbol: BTCUSDT, base: BTC, quote: USDT, tickSize: 0.01, lotSize: 0.00001, minNotional: 5 }
              - { venue: kraken, symbol: BTC/USD, base: XBT, quote: USD, tickSize: 0.1, lotSize: 0.00000001 }
            """;

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("mme.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void theLivePaperExampleTradesPaperOnEveryVenueAgainstLiveFeeds() {
        MmeSettings s = new ConfigLoader().load(Path.of("..", "examples", "live-paper.yaml"), Map.of());
        for (Venue v : Venue.values()) {
            assertThat(s.venues().of(v).mode()).isEqualTo(VenueMode.PAPER);
            assertThat(s.venues().of(v).feed()).isTrue();
        }
        assertThat(s.trading().execution().gateways()).containsOnly(
                Map.entry(0, ExecutionConfig.PAPER), Map.entry(1, ExecutionConfig.PAPER), Map.entry(2, ExecutionConfig.PAPER),
                Map.entry(3, ExecutionConfig.PAPER));
        assertThat(s.venues().of(Venue.KRAKEN).restPairs()).containsEntry("BTC/USD", "XBTUSD");
        assertThat(s.trading().strategy()).isNotNull();
        // Hyperliquid is a feed and part of the pair (so of the fair value), but not quoted
        int hyperliquid = s.instruments().find(Venue.HYPERLIQUID, "BTC").id();
        assertThat(s.instruments().byPair("BTC/USD")).hasSize(4);
        assertThat(s.trading().strategy().engine().instrumentIds()).hasSize(3).doesNotContain(hyperliquid);
    }

    @Test
    void hyperliquidIsMarketDataOnly() {
        String instruments = INSTRUMENTS + """
                  - { venue: hyperliquid, symbol: BTC, base: BTC, quote: USD, tickSize: 0.1, lotSize: 0.00001 }
                """;
        assertThatThrownBy(() -> new ConfigLoader().load(file(instruments + """
                venues:
                  hyperliquid: { mode: live, feed: true }
                strategy: { type: inventory-skew, pair: BTC/USD, venues: [binance, hyperliquid] }
                """), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .contains("venues.hyperliquid.mode", "strategy.venues[1]"));
    }

    @Test
    void aVenueSwitchedToLiveIsRoutedToTheGatewaysWithItsPolicy() throws IOException {
        MmeSettings s = new ConfigLoader().load(file(INSTRUMENTS + """
                venues:
                  binance: { mode: live, recvWindowMillis: 3000, orderEntry: websocket }
                execution: { unknownOrders: adopt, clientIdTag: ab12 }
                """), Map.of());
        assertThat(s.venues().of(Venue.BINANCE).mode()).isEqualTo(VenueMode.LIVE);
        assertThat(s.venues().of(Venue.BINANCE).recvWindowMillis()).isEqualTo(3000);
        assertThat(s.venues().of(Venue.BINANCE).webSocketOrderEntry()).isTrue();
        assertThat(s.venues().of(Venue.KRAKEN).webSocketOrderEntry()).isFalse();
        assertThat(s.trading().execution().gatewayOf(Venue.BINANCE.id())).isEqualTo(VenueSettings.GATEWAYS);
        assertThat(s.trading().execution().gatewayOf(Venue.KRAKEN.id())).isEqualTo(ExecutionConfig.PAPER);
        assertThat(s.trading().execution().unknownOrders()).isEqualTo(UnknownOrderPolicy.ADOPT);
        assertThat(s.venues().clientIdTag()).isEqualTo("ab12");
        assertThat(s.venues().describeModes()).isEqualTo("venues: binance=live, coinbase=paper, kraken=paper, hyperliquid=paper");
    }

    @Test
    void livePaperQueuesBehindTheDisplayedQuantityRiskAverseByDefaultNoneKeepsTheOptimisticRuleAndABadModelIsNamed() throws IOException {
        String venues = INSTRUMENTS + """
                venues:
                  binance: { mode: paper, feed: true }
                """;
        assertThat(new ConfigLoader().load(file(venues), Map.of()).paper().queueModel().name()).isEqualTo("risk-averse");
        assertThat(new ConfigLoader().load(file(venues + "paper: { queueModel: power:2 }\n"), Map.of()).paper().queueModel().name())
                .isEqualTo("power:2");
        assertThat(new ConfigLoader().load(file(venues + "paper: { queueModel: none }\n"), Map.of()).paper().queueModel()).isNull();
        assertThatThrownBy(() -> new ConfigLoader().load(file(venues + "paper: { queueModel: fifo }\n"), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactly("paper.queueModel"))
                .hasMessageContaining("risk-averse, power:N (e.g. power:2), log or none");
    }

    @Test
    void aModeTheVenueLacksAndOtherBadValuesAreRefusedNamingTheKey() throws IOException {
        assertThatThrownBy(() -> new ConfigLoader().load(file(INSTRUMENTS + """
                venues:
                  kraken: { mode: testnet, orderEntry: websocket }
                  binance: { mode: prod, restUrl: "not a url", rateLimitShare: 1.5 }
                  bitstamp: { mode: paper }
                execution: { unknownOrders: keep, clientIdTag: TOO_LONG }
                simulation: { enabled: true }
                """), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .contains("venues.kraken.mode", "venues.kraken.orderEntry", "venues.binance.mode", "venues.binance.restUrl",
                                "venues.binance.rateLimitShare", "venues.bitstamp", "execution.unknownOrders", "execution.clientIdTag"))
                .hasMessageContaining("Kraken has no spot test environment");
        assertThatThrownBy(() -> new ConfigLoader().load(file(INSTRUMENTS + """
                venues:
                  binance: { feed: true }
                simulation: { enabled: true }
                """), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::key)
                        .containsExactly("venues.binance.feed"));
    }

    @Test
    void theFirstLogLineSaysWhereEachVenuesOrdersGo() throws IOException {
        // the loader's own logger, at INFO whatever other tests in this JVM did to the levels
        Logger loaderLog = (Logger) LoggerFactory.getLogger(ConfigLoader.class);
        ch.qos.logback.classic.Level level = loaderLog.getLevel();
        loaderLog.setLevel(ch.qos.logback.classic.Level.INFO);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        loaderLog.addAppender(appender);
        try {
            new ConfigLoader().load(file(INSTRUMENTS + """
                    venues:
                      binance: { mode: testnet }
                    """), Map.of("MME_ENGINE_TIMER_PERIOD_MILLIS", "50"));
        } finally {
            loaderLog.detachAppender(appender);
            loaderLog.setLevel(level);
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list.getFirst().getFormattedMessage()).isEqualTo("venues: binance=testnet, coinbase=paper, kraken=paper, hyperliquid=paper");
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("configuration: engine.timerPeriodMillis set by environment variable MME_ENGINE_TIMER_PERIOD_MILLIS");
    }

    @Test
    void runRefusesALiveVenueWithoutTheLiveFlag() throws IOException {
        Path config = file(INSTRUMENTS + """
                venues:
                  binance: { mode: live }
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("run", "--config", config.toString(), "--journal", dir.resolve("run").toString());
        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("binance=live").contains("--live");
        assertThat(dir.resolve("run").resolve("queue")).doesNotExist();
    }
}
