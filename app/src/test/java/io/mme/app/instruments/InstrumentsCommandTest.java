package io.mme.app.instruments;

import com.sun.net.httpserver.HttpServer;
import io.mme.app.Main;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class InstrumentsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** a loopback server answering {@code path} with {@code status} and {@code body}; returns its base URL */
    private String serve(String path, int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int code = exchange.getRequestURI().getPath().equals(path) ? status : 404;
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(bytes);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @ParameterizedTest
    @CsvSource({"binance, binance-exchangeinfo.rec, 1222", "coinbase, coinbase-products.rec, 162", "kraken, kraken-assetpairs.rec, 293"})
    void parseOfARecordingWritesYamlThatTheConfigLoaderReadsBackToTheSameGrids(String venue, String file, int count) {
        Path yaml = dir.resolve(venue + ".yaml");
        int code = run("instruments", "parse", "--venue", venue, "--file", RecordedMetadata.file(file).toString(),
                "--output", yaml.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains(venue + ": " + count + " usable instruments").contains("wrote " + count + " to " + yaml);

        List<InstrumentSpec> specs = InstrumentMetadata.of(Venue.parse(venue)).parse(RecordedMetadata.body(file)).instruments();
        InstrumentRegistry loaded = new ConfigLoader().load(yaml, Map.of()).instruments();
        assertThat(loaded.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            InstrumentSpec spec = specs.get(i);
            Instrument instrument = loaded.get(i);
            assertThat(instrument.venueSymbol()).isEqualTo(spec.venueSymbol());
            assertThat(instrument.tick().step()).isEqualTo(spec.tickSize());
            assertThat(instrument.lot().step()).isEqualTo(spec.lotSize());
            assertThat(instrument.minQuantityLots())
                    .isEqualTo(spec.minQuantity() == null ? 1 : instrument.quantityLots(spec.minQuantity()));
        }
    }

    @Test
    void theYamlQuotesEveryDecimalSoNoReaderMakesItAFloat() {
        int code = run("instruments", "parse", "--venue", "kraken", "--file", RecordedMetadata.file(RecordedMetadata.KRAKEN).toString(),
                "--symbol", "XBT/USD");
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("""
                # 1 kraken instruments from %s
                # written by mme instruments parse
                instruments:
                - venue: "kraken"
                  symbol: "XBT/USD"
                  base: "XXBT"
                  quote: "ZUSD"
                  tickSize: "0.1"
                  lotSize: "0.00000001"
                  minQuantity: "0.0002"
                  priceDecimals: 1
                  sizeDecimals: 8
                """.formatted(RecordedMetadata.file(RecordedMetadata.KRAKEN)));
    }

    @Test
    void fetchGetsTheEndpointFromTheBaseUrlAndWritesTheRequestedSymbolsInTheirOrder() throws IOException {
        String base = serve("/api/v3/exchangeInfo", 200, RecordedMetadata.body(RecordedMetadata.BINANCE));
        Path yaml = dir.resolve("binance.yaml");
        int code = run("instruments", "fetch", "--venue", "BINANCE", "--base-url", base + "/",
                "--symbol", "NKNUSDT", "--symbol", "btcusdt", "--output", yaml.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(requests).containsExactly("GET /api/v3/exchangeInfo");
        assertThat(err.toString()).contains("1222 usable instruments in " + base + "/api/v3/exchangeInfo").contains("wrote 2");

        MmeSettings settings = new ConfigLoader().load(yaml, Map.of());
        Instrument nkn = settings.instruments().get(0);
        assertThat(nkn.venueSymbol()).isEqualTo("NKNUSDT");
        assertThat(nkn.tick().step()).isEqualTo("0.0001");
        assertThat(nkn.lot().step()).isEqualTo("1");
        Instrument btc = settings.instruments().get(1);
        assertThat(btc.venueSymbol()).isEqualTo("BTCUSDT");
        assertThat(btc.tick().step()).isEqualTo("0.01");
        assertThat(btc.lot().step()).isEqualTo("0.00001");
        assertThat(btc.meetsMinNotional(btc.priceTicks("9999.99"), btc.quantityLots("0.001"))).isFalse();
    }

    @Test
    void fetchOfKrakenAndCoinbaseUsesTheirPaths() throws IOException {
        String base = serve("/0/public/AssetPairs", 200, RecordedMetadata.body(RecordedMetadata.KRAKEN));
        assertThat(run("instruments", "fetch", "--venue", "kraken", "--base-url", base, "--symbol", "XMR/USD")).isZero();
        assertThat(out.toString()).contains("symbol: \"XMR/USD\"").contains("tickSize: \"0.01\"").contains("minQuantity: \"0.05\"");
        server.stop(0);

        base = serve("/products", 200, RecordedMetadata.body(RecordedMetadata.COINBASE));
        assertThat(run("instruments", "fetch", "--venue", "coinbase", "--base-url", base, "--symbol", "DASH-BTC")).isZero();
        assertThat(out.toString()).contains("symbol: \"DASH-BTC\"").contains("tickSize: \"0.00000001\"").contains("minNotional: \"0.0001\"");
        assertThat(requests).containsExactly("GET /0/public/AssetPairs", "GET /products");
    }

    @Test
    void anHttpErrorNamesTheUrlAndStatusAndExitsOne() throws IOException {
        String base = serve("/api/v3/exchangeInfo", 500, "{\"code\":-1000,\"msg\":\"An unknown error occurred\"}");
        int code = run("instruments", "fetch", "--venue", "binance", "--base-url", base);
        assertThat(code).isEqualTo(Main.EXIT_FAILED);
        assertThat(err.toString())
                .contains("mme instruments fetch: GET " + base + "/api/v3/exchangeInfo answered HTTP 500")
                .contains("An unknown error occurred");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnreachableEndpointNamesTheHostAndExitsOne() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        int code = run("instruments", "fetch", "--venue", "kraken", "--base-url", "http://127.0.0.1:" + port);
        assertThat(code).isEqualTo(Main.EXIT_FAILED);
        assertThat(err.toString()).contains("GET http://127.0.0.1:" + port + "/0/public/AssetPairs failed: cannot connect to 127.0.0.1:" + port);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBodyThatIsNotTheVenuesMetadataIsAFetchFailure() throws IOException {
        String base = serve("/products", 200, "<html>maintenance</html>");
        assertThat(run("instruments", "fetch", "--venue", "coinbase", "--base-url", base)).isEqualTo(Main.EXIT_FAILED);
        assertThat(err.toString()).contains(base + "/products: Coinbase Exchange products: the body is not JSON");
    }

    @Test
    void anUnknownSymbolIsABadArgumentThatNamesTheSymbolAndWritesNothing() {
        Path yaml = dir.resolve("out.yaml");
        int code = run("instruments", "parse", "--venue", "binance", "--file", RecordedMetadata.file(RecordedMetadata.BINANCE).toString(),
                "--symbol", "BTCUSDT", "--symbol", "NOSUCHCOIN", "--output", yaml.toString());
        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("--symbol NOSUCHCOIN: unknown symbol").contains("BTCUSDT: exchangeInfo's symbol");
        assertThat(yaml).doesNotExist();
    }

    @Test
    void aSkippedSymbolOrAKrakenRestNameSaysWhy() {
        String kraken = RecordedMetadata.file(RecordedMetadata.KRAKEN).toString();
        assertThat(run("instruments", "parse", "--venue", "kraken", "--file", kraken, "--symbol", "XBTUSD", "--symbol", "XXBTZUSD.d"))
                .isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString())
                .contains("--symbol XBTUSD: kraken calls that instrument XBT/USD on its WebSocket; use --symbol XBT/USD")
                .contains("--symbol XXBTZUSD.d: listed by kraken but left out: no wsname");
    }

    @Test
    void parseReadsAPlainBodyAsWellAsARecording() throws IOException {
        Path body = dir.resolve("products.json");
        Files.writeString(body, RecordedMetadata.body(RecordedMetadata.COINBASE));
        assertThat(run("instruments", "parse", "--venue", "coinbase", "--file", body.toString(), "--symbol", "BTC-USD")).isZero();
        assertThat(out.toString()).contains("symbol: \"BTC-USD\"").contains("lotSize: \"0.00000001\"").contains("minQuantity: \"0.0001\"");
    }

    @Test
    void badArgumentsExitTwo() {
        assertThat(run("instruments", "parse", "--venue", "bitmex", "--file", "x")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("venue 'bitmex' is not one of binance, coinbase, kraken");
        assertThat(run("instruments", "parse", "--venue", "kraken", "--file", dir.resolve("none.rec").toString())).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("none.rec: no such file");
        assertThat(run("instruments", "fetch", "--venue", "kraken", "--base-url", "ftp://example.invalid")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("--base-url ftp://example.invalid: expected an http or https URL");
        assertThat(run("instruments")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString()).contains("a subcommand is required: fetch or parse");
    }

    @Test
    void theTopLevelHelpListsTheInstrumentsCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("instruments");
    }
}
