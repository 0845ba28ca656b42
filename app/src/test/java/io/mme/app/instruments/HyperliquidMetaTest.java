package io.mme.app.instruments;

import com.sun.net.httpserver.HttpServer;
import io.mme.app.Main;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hyperliquid's {@code meta} answer into instruments, and {@code mme instruments fetch/parse --venue
 * hyperliquid}. The body is written here in the documented shape of the answer (a universe of
 * {@code name}, {@code szDecimals}, {@code maxLeverage}, optionally {@code isDelisted}); no
 * recording of it is in the shared data.
 */
class HyperliquidMetaTest {
    static final String META = """
            {"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":40},{"name":"ETH","szDecimals":4,"maxLeverage":25},
            {"name":"kPEPE","szDecimals":0,"maxLeverage":10},{"name":"OLD","szDecimals":2,"maxLeverage":3,"isDelisted":true},
            {"name":"BAD","maxLeverage":3}],"marginTables":[]}""";

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void tickIsTheDecimalBoundOfSzDecimalsAndLotItsUnit() {
        ParsedMetadata parsed = new HyperliquidMeta().parse(META);
        assertThat(parsed.instruments()).containsExactly(
                new InstrumentSpec(Venue.HYPERLIQUID, "BTC", "BTC", "USD", "0.1", "0.00001", null, "10", 1, 5),
                new InstrumentSpec(Venue.HYPERLIQUID, "ETH", "ETH", "USD", "0.01", "0.0001", null, "10", 2, 4),
                new InstrumentSpec(Venue.HYPERLIQUID, "kPEPE", "kPEPE", "USD", "0.000001", "1", null, "10", 6, 0));
        assertThat(parsed.skipped()).extracting(s -> s.symbol() + ": " + s.reason())
                .containsExactly("OLD: delisted", "BAD: no szDecimals");
    }

    @Test
    void theMetaAndAssetContextsAnswerIsReadToo() {
        ParsedMetadata parsed = new HyperliquidMeta().parse("[" + META + ",[{\"markPx\":\"105055.0\"}]]");
        assertThat(parsed.instruments()).hasSize(3);
    }

    @Test
    void anotherAnswerIsNotMeta() {
        assertThatThrownBy(() -> new HyperliquidMeta().parse("{\"error\":\"bad request\"}")).isInstanceOf(MetadataFormatException.class);
    }

    @Test
    void fetchPostsTheMetaRequestAndParseReadsASavedAnswer() throws IOException {
        List<String> bodies = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = META.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/info") ? 200 : 404, bytes.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(bytes);
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Path yaml = dir.resolve("hyperliquid.yaml");
        int code = run("instruments", "fetch", "--venue", "hyperliquid", "--base-url", base, "--symbol", "BTC", "--output", yaml.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(requests).containsExactly("POST /info");
        assertThat(bodies).containsExactly("{\"type\":\"meta\"}");

        MmeSettings settings = new ConfigLoader().load(yaml, Map.of());
        Instrument btc = settings.instruments().get(0);
        assertThat(btc.venue()).isEqualTo(Venue.HYPERLIQUID);
        assertThat(btc.tick().step()).isEqualTo("0.1");
        assertThat(btc.lot().step()).isEqualTo("0.00001");

        Path saved = dir.resolve("meta.json");
        Files.writeString(saved, META);
        out.getBuffer().setLength(0);
        assertThat(run("instruments", "parse", "--venue", "hyperliquid", "--file", saved.toString(), "--symbol", "ETH")).isZero();
        assertThat(out.toString()).contains("symbol: \"ETH\"").contains("tickSize: \"0.01\"").contains("lotSize: \"0.0001\"");
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
