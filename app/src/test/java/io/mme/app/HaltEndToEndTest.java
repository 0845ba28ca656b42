package io.mme.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.TradingState;
import io.mme.execution.ExecutionCounter;
import io.mme.execution.ExecutionView;
import io.mme.risk.RiskCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Halts that act, end to end on the paper venue: the demo's engine (three venues in paper mode
 * against simulated flow, the desk's strategies quoting on all three) with its REST API on. A risk officer
 * halts a venue, a trader kills one instrument, cancels everything and finally halts globally,
 * each through the API: the scope's orders are cancelled on the venue (execution's open-order count
 * of the venue, which only the venue's CANCELLED reports lower, reaches zero) while the other venues
 * go on quoting, and no order is sent into a halted scope afterwards (so none can fill). The run's
 * journal, replayed, reaches the live run's digest.
 */
class HaltEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode call(EngineAssembly engine, String method, String path, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.api().port() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static long open(EngineAssembly engine, Venue venue) {
        return engine.execution().view().get(venue.id(), ExecutionCounter.OPEN_ORDERS);
    }

    private static long sent(EngineAssembly engine, Venue venue) {
        return engine.execution().view().get(venue.id(), ExecutionCounter.ORDERS_SENT);
    }

    /** waits until the strategy tried {@code more} times into a halted scope since {@code from} (risk refused each) */
    private static void awaitRefusals(EngineAssembly engine, long from, long more) {
        await().atMost(WAIT).until(() -> engine.risk().view().rejectedBy(RiskCheck.TRADING_HALTED) >= from + more);
    }

    @Test
    void eachHaltCancelsItsScopesOrdersAtOnceKeepsItFlatAndReplaysToTheSameDigest() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "rita risk-officer " + TokenStore.sha256Hex("rita-secret") + "\n"
                + "tom trader " + TokenStore.sha256Hex("tom-secret") + "\n");
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_API_ENABLED", "true", "MME_API_PORT", "0", "MME_API_TOKENS_FILE", tokens.toString()));
        Path run = dir.resolve("run");
        EngineAssembly engine = EngineAssembly.live(settings, run).start();
        String liveDigest;
        try {
            ExecutionView execution = engine.execution().view();
            await().atMost(WAIT).until(() -> open(engine, Venue.BINANCE) > 0 && open(engine, Venue.COINBASE) > 0
                    && open(engine, Venue.KRAKEN) > 0);

            // 1. a venue halted: its orders go, nothing more is sent there, the others quote on
            JsonNode halt = call(engine, "PUT", "/api/v1/trading-states", "rita-secret",
                    "{\"scope\":\"venue\",\"venue\":\"binance\",\"state\":\"HALTED\",\"reason\":\"venue incident\"}");
            assertThat(halt.get("new").asText()).isEqualTo("HALTED");
            assertThat(engine.risk().view().venueState(Venue.BINANCE.id())).isEqualTo(TradingState.HALTED);
            await().atMost(WAIT).until(() -> open(engine, Venue.BINANCE) == 0);
            long binanceSent = sent(engine, Venue.BINANCE);
            long binanceFills = execution.get(Venue.BINANCE.id(), ExecutionCounter.FILLS);
            long coinbaseSent = sent(engine, Venue.COINBASE);
            long refused = engine.risk().view().rejectedBy(RiskCheck.TRADING_HALTED);
            awaitRefusals(engine, refused, 5);
            await().atMost(WAIT).until(() -> sent(engine, Venue.COINBASE) > coinbaseSent);
            assertThat(sent(engine, Venue.BINANCE)).as("orders sent to the halted venue").isEqualTo(binanceSent);
            assertThat(open(engine, Venue.BINANCE)).isZero();
            assertThat(execution.get(Venue.BINANCE.id(), ExecutionCounter.FILLS)).as("fills on the halted venue").isEqualTo(binanceFills);

            // 2. a trader's kill switch on one instrument: kraken's BTC/USD halted, its orders cancelled
            JsonNode kill = call(engine, "POST", "/api/v1/kill-switch", "tom-secret",
                    "{\"scope\":\"instrument\",\"venue\":\"kraken\",\"symbol\":\"BTC/USD\",\"reason\":\"odd prints\"}");
            assertThat(kill.get("new").asText()).isEqualTo("HALTED");
            assertThat(engine.risk().view().instrumentState(2)).isEqualTo(TradingState.HALTED);
            assertThat(engine.risk().view().globalState()).isEqualTo(TradingState.ACTIVE);
            // btc-xemm quotes kraken's BTC/USD only (its hedge venue, binance, is halted): its orders go; ETH and SOL
            // quote on at kraken
            io.mme.strategy.StrategyView xemm = engine.strategy().unit("btc-xemm").view();
            await().atMost(WAIT).until(() -> xemm.openOrders() == 0);
            long krakenBtcFills = engine.risk().view().fills(2);
            long coinbaseSent2 = sent(engine, Venue.COINBASE);
            awaitRefusals(engine, engine.risk().view().rejectedBy(RiskCheck.TRADING_HALTED), 5);
            await().atMost(WAIT).until(() -> sent(engine, Venue.COINBASE) > coinbaseSent2);
            assertThat(engine.risk().view().fills(2)).as("fills on the halted instrument").isEqualTo(krakenBtcFills);
            assertThat(xemm.openOrders()).isZero();
            // the console's table says so too
            assertThat(new TradingConsole(engine).tradingStates()).isEqualTo("venue binance HALTED; kraken BTC/USD HALTED");

            // 3. cancel-all (global): every open order goes, no trading state changes, coinbase quotes again
            await().atMost(WAIT).until(() -> open(engine, Venue.COINBASE) > 0);
            long cancels = execution.total(ExecutionCounter.CANCELS);
            JsonNode cancelAll = call(engine, "POST", "/api/v1/cancel-all", "tom-secret",
                    "{\"scope\":\"global\",\"reason\":\"clean slate\"}");
            long cancelled = cancelAll.get("old").asLong();
            assertThat(cancelled).isPositive();
            assertThat(cancelAll.get("new").asLong()).isZero();
            await().atMost(WAIT).until(() -> execution.total(ExecutionCounter.CANCELS) >= cancels + cancelled);
            assertThat(engine.risk().view().globalState()).isEqualTo(TradingState.ACTIVE);
            assertThat(engine.risk().view().venueState(Venue.COINBASE.id())).isEqualTo(TradingState.ACTIVE);

            // 4. halted globally: nothing open anywhere, nothing sent anywhere afterwards
            call(engine, "PUT", "/api/v1/trading-states", "rita-secret",
                    "{\"scope\":\"global\",\"state\":\"HALTED\",\"reason\":\"end of the test\"}");
            await().atMost(WAIT).until(() -> execution.total(ExecutionCounter.OPEN_ORDERS) == 0);
            long allSent = execution.total(ExecutionCounter.ORDERS_SENT);
            awaitRefusals(engine, engine.risk().view().rejectedBy(RiskCheck.TRADING_HALTED), 5);
            assertThat(execution.total(ExecutionCounter.ORDERS_SENT)).isEqualTo(allSent);
            assertThat(execution.total(ExecutionCounter.OPEN_ORDERS)).isZero();

            // the audit trail: who halted what and why, and how many orders each halt cancelled
            JsonNode changes = call(engine, "GET", "/api/v1/audit/recent?limit=50", "rita-secret", null).get("changes");
            java.util.List<JsonNode> ours = new java.util.ArrayList<>();
            changes.forEach(c -> {
                if (!"risk".equals(c.get("principal").asText())) {
                    ours.add(c);
                }
            });
            assertThat(ours).extracting(c -> c.get("principal").asText() + " " + c.get("kind").asText() + " " + c.get("scope").asText()
                            + " " + c.path("venue").asText("-") + " " + c.path("symbol").asText("-"))
                    .containsSubsequence("rita trading-state venue binance -", "tom kill-switch instrument kraken BTC/USD",
                            "tom cancel-all global - -", "rita trading-state global - -");
            assertThat(ours.getFirst().get("reason").asText()).isEqualTo("venue incident");
            assertThat(ours.getFirst().get("message").asText()).matches("cancels [1-9][0-9]* open orders.*");
        } finally {
            engine.stop();
        }
        liveDigest = engine.digest();

        // the journal, with its halts and cancel-all, replays to the same state
        try (EngineAssembly replay = EngineAssembly.replay(settings).start()) {
            long last = replay.feedJournal(run.resolve(EngineRunner.JOURNAL_QUEUE), 0, Long.MAX_VALUE, n -> { });
            replay.awaitChain(last);
            replay.stop();
            assertThat(replay.digest()).isEqualTo(liveDigest);
            assertThat(replay.risk().venueState(Venue.BINANCE.id())).isEqualTo(TradingState.HALTED);
            assertThat(replay.risk().globalState()).isEqualTo(TradingState.HALTED);
        }
    }
}
