package io.mme.app.api.rest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HandlerType;
import io.mme.app.api.ApiServer;
import io.mme.app.api.ControlAnswer;
import io.mme.app.api.ControlRequest;
import io.mme.core.ring.ControlCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API against a real {@link ApiServer} on an ephemeral port, with a {@link FakeEngineAccess}
 * that records the control requests and answers them as each test sets.
 */
class RestApiTest {
    static final String VIEWER = "viewer-token-4f1d0c";
    static final String TRADER = "trader-token-9a7e21";
    static final String RISK = "risk-token-c03b77";
    static final String ADMIN = "admin-token-5be810";
    static final String BAD = "not-a-known-token-0000";
    static final ObjectMapper JSON = new ObjectMapper();

    static final FakeEngineAccess ENGINE = new FakeEngineAccess();
    static final AtomicBoolean STORES = new AtomicBoolean(true);
    static final Set<String> REGISTERED = new ConcurrentSkipListSet<>();
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static ApiServer server;
    static Level previousLevel;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger mme = (Logger) LoggerFactory.getLogger("io.mme");
        previousLevel = mme.getLevel();
        mme.setLevel(Level.DEBUG);
        LOGS.start();
        root.addAppender(LOGS);
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# principal role sha256\n\nvera viewer " + TokenStore.sha256Hex(VIEWER) + "  # read only\n");
        TokenStore tokens = new TokenStore(file, "tom:trader:" + TRADER + ",rita:risk-officer:" + RISK + ",ada:admin:" + ADMIN);
        server = new ApiServer(ApiServer.Settings.loopback(0))
                .configure(c -> c.events(e -> e.handlerAdded(h -> {
                    if (h.getHttpMethod().isHttpMethod()) {
                        REGISTERED.add(h.getHttpMethod().name() + " " + h.getPath());
                    }
                })))
                .install(app -> RestApi.install(app, ENGINE, tokens, STORES::get, Duration.ofMillis(300)))
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(LOGS);
        ((Logger) LoggerFactory.getLogger("io.mme")).setLevel(previousLevel);
    }

    @BeforeEach
    void reset() {
        ENGINE.reset();
        STORES.set(true);
    }

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    }

    static Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Reply(response.statusCode(), json, response);
    }

    // ------------------------------------------------------------------ access table

    /** one route with a valid request and the roles it allows (admin always) */
    record Endpoint(String method, String path, String body, Set<String> roles, int okStatus) {
        String route() {
            return method + " " + path.replaceAll("\\?.*", "").replace("maxOrderQuantity", "{name}").replace("spread.ticks", "{key}")
                    .replace("/strategies/default/", "/strategies/{id}/").replace("/limits/maxOpenOrders", "/limits/{name}");
        }
    }

    static final Set<String> ANY = Set.of("viewer", "trader", "risk-officer", "admin");
    static final String REASON = "\"reason\":\"test\"";
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/health/live", null, Set.of(), 200),
            new Endpoint("GET", "/health/ready", null, Set.of(), 503),
            new Endpoint("GET", "/api/v1/openapi.json", null, Set.of(), 200),
            new Endpoint("GET", "/api/v1/limits", null, ANY, 200),
            new Endpoint("GET", "/api/v1/positions", null, ANY, 200),
            new Endpoint("GET", "/api/v1/orders/open", null, ANY, 200),
            new Endpoint("GET", "/api/v1/fills", null, ANY, 200),
            new Endpoint("GET", "/api/v1/me", null, ANY, 200),
            new Endpoint("GET", "/api/v1/risk/rejects", null, ANY, 200),
            new Endpoint("GET", "/api/v1/trading-states", null, ANY, 200),
            new Endpoint("GET", "/api/v1/feeds", null, ANY, 200),
            new Endpoint("GET", "/api/v1/audit/recent?limit=5", null, ANY, 200),
            new Endpoint("GET", "/api/v1/strategy", null, ANY, 200),
            new Endpoint("PUT", "/api/v1/limits/maxOrderQuantity",
                    "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":5," + REASON + "}", Set.of("risk-officer", "admin"), 200),
            new Endpoint("PUT", "/api/v1/trading-states",
                    "{\"scope\":\"venue\",\"venue\":\"kraken\",\"state\":\"HALTED\"," + REASON + "}", Set.of("risk-officer", "admin"), 200),
            new Endpoint("PUT", "/api/v1/strategy/parameters/spread.ticks", "{\"value\":6," + REASON + "}",
                    Set.of("trader", "admin"), 200),
            new Endpoint("GET", "/api/v1/strategies", null, ANY, 200),
            new Endpoint("POST", "/api/v1/strategies/default/start", "{" + REASON + "}", Set.of("trader", "admin"), 200),
            new Endpoint("POST", "/api/v1/strategies/default/stop", "{" + REASON + "}", Set.of("trader", "admin"), 200),
            new Endpoint("PUT", "/api/v1/strategies/default/parameters/spread.ticks", "{\"value\":6," + REASON + "}",
                    Set.of("trader", "admin"), 200),
            new Endpoint("PUT", "/api/v1/strategies/default/limits/maxOpenOrders", "{\"value\":6," + REASON + "}",
                    Set.of("risk-officer", "admin"), 200),
            new Endpoint("POST", "/api/v1/strategy/start", "{" + REASON + "}", Set.of("trader", "admin"), 200),
            new Endpoint("POST", "/api/v1/strategy/stop", "{" + REASON + "}", Set.of("trader", "admin"), 200),
            new Endpoint("POST", "/api/v1/kill-switch", "{" + REASON + "}", Set.of("trader", "risk-officer", "admin"), 200),
            new Endpoint("POST", "/api/v1/cancel-all", "{\"scope\":\"venue\",\"venue\":\"binance\"," + REASON + "}",
                    Set.of("trader", "risk-officer", "admin"), 200),
            // the playback of a replay: any role; this engine is live, so each answers 404 (ReplayApiTest: a replay's)
            new Endpoint("GET", "/api/v1/replay", null, ANY, 404),
            new Endpoint("POST", "/api/v1/replay/play", null, ANY, 404),
            new Endpoint("POST", "/api/v1/replay/pause", null, ANY, 404),
            new Endpoint("POST", "/api/v1/replay/speed", "{\"speed\":2}", ANY, 404),
            new Endpoint("POST", "/api/v1/replay/seek", "{\"timeNanos\":1}", ANY, 404));

    static Stream<Arguments> accessCases() {
        List<Arguments> cases = new ArrayList<>();
        String[][] callers = {{"no token", null}, {"bad token", BAD}, {"viewer", VIEWER}, {"trader", TRADER},
                {"risk-officer", RISK}, {"admin", ADMIN}};
        for (Endpoint e : ENDPOINTS) {
            for (String[] caller : callers) {
                int expected;
                if (e.roles().isEmpty()) {
                    expected = e.okStatus();
                } else if (caller[1] == null || caller[1].equals(BAD)) {
                    expected = 401;
                } else {
                    expected = e.roles().contains(caller[0]) ? e.okStatus() : 403;
                }
                cases.add(Arguments.of(e.method() + " " + e.path(), caller[0], e, caller[1], expected));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("accessCases")
    void everyRouteAnswersEachCallerAsItsRolesSay(String route, String who, Endpoint endpoint, String token, int expected)
            throws Exception {
        Reply reply = call(endpoint.method(), endpoint.path(), token, endpoint.body());
        assertThat(reply.status()).as(route + " as " + who + ": " + reply.raw().body()).isEqualTo(expected);
        assertThat(reply.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        if (expected == 401) {
            assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(reply.json().get("error").asText()).isNotBlank();
        }
        if (expected == 403) {
            assertThat(reply.json().get("error").asText()).contains("role " + who);
        }
        boolean change = endpoint.body() != null;
        assertThat(ENGINE.submitted).as("requests reaching the engine").hasSize(change && expected == 200 ? 1 : 0);
        if (change && expected == 200) {
            String principal = switch (who) {
                case "trader" -> "tom";
                case "risk-officer" -> "rita";
                default -> "ada";
            };
            assertThat(ENGINE.submitted.get(0).principal()).isEqualTo(principal);
            assertThat(ENGINE.submitted.get(0).reason()).isEqualTo("test");
        }
    }

    @Test
    void meNamesTheCallersRoleAndExactlyTheRoutesItMayUse() throws Exception {
        for (String[] caller : new String[][]{{VIEWER, "viewer"}, {TRADER, "trader"}, {RISK, "risk-officer"}}) {
            JsonNode me = call("GET", "/api/v1/me", caller[0], null).json();
            assertThat(me.get("role").asText()).isEqualTo(caller[1]);
            assertThat(me.get("mode").asText()).isEqualTo("live");
            Set<String> allowed = new TreeSet<>();
            me.get("allowed").forEach(n -> allowed.add(n.asText()));
            Set<String> expected = new TreeSet<>();
            for (Endpoint e : ENDPOINTS) {
                // a live engine offers no playback route
                if (e.roles().contains(caller[1]) && !e.path().startsWith("/api/v1/replay")) {
                    expected.add(e.route());
                }
            }
            assertThat(allowed).as(caller[1]).isEqualTo(expected);
        }
        JsonNode viewer = call("GET", "/api/v1/me", VIEWER, null).json();
        assertThat(viewer.get("allowed").toString()).doesNotContain("kill-switch", "PUT ", "POST ");
    }

    @Test
    void aLiveEngineAnswersThePlaybackRoutesWith404SayingWhatServesThem() throws Exception {
        Reply state = call("GET", "/api/v1/replay", VIEWER, null);
        assertThat(state.status()).isEqualTo(404);
        assertThat(state.json().get("error").asText()).contains("not a replay", "mme replay --journal DIR --serve");
        // the body is checked first: a bad one is a 400 naming the field on any engine
        Reply badSpeed = call("POST", "/api/v1/replay/speed", VIEWER, "{\"speed\":\"fast\"}");
        assertThat(badSpeed.status()).isEqualTo(400);
        assertThat(badSpeed.json().get("field").asText()).isEqualTo("speed");
        assertThat(call("POST", "/api/v1/replay/play", TRADER, null).status()).isEqualTo(404);
    }

    @Test
    void theAccessTableCoversEveryRegisteredRoute() {
        Set<String> tested = new TreeSet<>();
        for (Endpoint e : ENDPOINTS) {
            tested.add(e.route());
        }
        assertThat(tested).isEqualTo(new TreeSet<>(REGISTERED));
    }

    // ------------------------------------------------------------------ validation

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":5,"
                        + REASON + ",\"extra\":1}", "extra"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":\"5\","
                        + REASON + "}", "value"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":1.5,"
                        + REASON + "}", "value"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":-1,"
                        + REASON + "}", "value"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":5}",
                        "reason"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":5,"
                        + "\"reason\":\"   \"}", "reason"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\"," + REASON + "}",
                        "value"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"mtgox\",\"symbol\":\"BTCUSDT\",\"value\":5,"
                        + REASON + "}", "venue"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"symbol\":\"DOGE\",\"value\":5,"
                        + REASON + "}", "symbol"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":\"binance\",\"value\":5," + REASON + "}", "symbol"),
                Arguments.of("PUT", "/api/v1/limits/maxOpenOrdersPerVenue", "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":5,"
                        + REASON + "}", "symbol"),
                Arguments.of("PUT", "/api/v1/limits/dailyLossLimit", "{\"venue\":\"binance\",\"value\":5," + REASON + "}", "venue"),
                Arguments.of("PUT", "/api/v1/limits/maxOrderQuantity", "{\"venue\":5,\"symbol\":\"BTCUSDT\",\"value\":5,"
                        + REASON + "}", "venue"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"scope\":\"global\",\"state\":\"PAUSED\"," + REASON + "}", "state"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"scope\":\"planet\",\"state\":\"HALTED\"," + REASON + "}", "scope"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"state\":\"HALTED\"," + REASON + "}", "scope"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"scope\":\"global\"," + REASON + "}", "state"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"scope\":\"venue\",\"state\":\"HALTED\"," + REASON + "}", "venue"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"scope\":\"global\",\"venue\":\"kraken\",\"state\":\"HALTED\","
                        + REASON + "}", "venue"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"scope\":\"global\",\"state\":\"HALTED\"}", "reason"),
                Arguments.of("PUT", "/api/v1/trading-states", "{\"scope\":\"global\",\"state\":true," + REASON + "}", "state"),
                Arguments.of("PUT", "/api/v1/strategy/parameters/spread.ticks", "{\"value\":6}", "reason"),
                Arguments.of("PUT", "/api/v1/strategy/parameters/spread.ticks", "{\"value\":[6]," + REASON + "}", "value"),
                Arguments.of("PUT", "/api/v1/strategy/parameters/spread.ticks", "{\"reason\":7,\"value\":6}", "reason"),
                Arguments.of("POST", "/api/v1/strategy/start", "{}", "reason"),
                Arguments.of("POST", "/api/v1/strategy/stop", "{" + REASON + ",\"force\":true}", "force"),
                Arguments.of("POST", "/api/v1/kill-switch", "{\"reason\":null}", "reason"),
                Arguments.of("POST", "/api/v1/kill-switch", "{\"why\":\"panic\"}", "why"),
                Arguments.of("POST", "/api/v1/kill-switch", "{\"scope\":\"venue\"," + REASON + "}", "venue"),
                Arguments.of("POST", "/api/v1/kill-switch", "{\"scope\":\"moon\"," + REASON + "}", "scope"),
                Arguments.of("POST", "/api/v1/kill-switch", "{\"venue\":\"kraken\"," + REASON + "}", "venue"),
                Arguments.of("POST", "/api/v1/cancel-all", "{" + REASON + "}", "scope"),
                Arguments.of("POST", "/api/v1/cancel-all", "{\"scope\":\"global\"}", "reason"),
                Arguments.of("POST", "/api/v1/cancel-all", "{\"scope\":\"galaxy\"," + REASON + "}", "scope"),
                Arguments.of("POST", "/api/v1/cancel-all", "{\"scope\":\"venue\",\"venue\":\"mtgox\"," + REASON + "}", "venue"),
                Arguments.of("POST", "/api/v1/cancel-all", "{\"scope\":\"instrument\",\"venue\":\"kraken\"," + REASON + "}", "symbol"),
                Arguments.of("POST", "/api/v1/cancel-all", "{\"scope\":\"instrument\",\"venue\":\"kraken\",\"symbol\":\"NOPE\","
                        + REASON + "}", "symbol"),
                Arguments.of("POST", "/api/v1/cancel-all", "{\"scope\":\"global\",\"symbol\":\"XBT/USD\"," + REASON + "}", "symbol"),
                Arguments.of("POST", "/api/v1/cancel-all", "{\"scope\":\"venue\",\"venue\":\"kraken\",\"state\":\"HALTED\","
                        + REASON + "}", "state"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> 400 on {3}")
    @MethodSource("invalidBodies")
    void anInvalidBodyIsRefusedNamingTheField(String method, String path, String body, String field) throws Exception {
        Reply reply = call(method, path, ADMIN, body);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        assertThat(reply.json().get("error").asText()).isNotBlank();
        assertThat(ENGINE.submitted).isEmpty();
    }

    @Test
    void malformedJsonAndMissingBodiesAreRefusedWithTheProblem() throws Exception {
        Reply broken = call("POST", "/api/v1/kill-switch", ADMIN, "{\"reason\": \"x\"");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("error").asText()).contains("malformed JSON").contains("line 1");
        Reply empty = call("POST", "/api/v1/kill-switch", ADMIN, "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").asText()).contains("body is missing");
        Reply array = call("POST", "/api/v1/kill-switch", ADMIN, "[1]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().get("error").asText()).contains("JSON object");
        Reply duplicate = call("POST", "/api/v1/kill-switch", ADMIN, "{\"reason\":\"a\",\"reason\":\"b\"}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().get("error").asText()).contains("reason");
        assertThat(ENGINE.submitted).isEmpty();
    }

    // ------------------------------------------------------------------ changes and answers

    @Test
    void aLimitChangeBecomesOneControlRequestAndReturnsTheEnginesAnswer() throws Exception {
        ENGINE.answers = r -> new ControlAnswer(0, 4242, true, true, 1000, null);
        Reply reply = call("PUT", "/api/v1/limits/maxOrderQuantity", RISK,
                "{\"venue\":\"COINBASE\",\"symbol\":\"BTC-USD\",\"value\":250,\"reason\":\"widen for the open\"}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("applied").asBoolean()).isTrue();
        assertThat(reply.json().get("old").asLong()).isEqualTo(1000);
        assertThat(reply.json().get("new").asLong()).isEqualTo(250);
        assertThat(reply.json().get("sequence").asLong()).isEqualTo(4242);
        assertThat(ENGINE.submitted).containsExactly(new ControlRequest(ControlCommands.SET_LIMIT, "rita", "widen for the open",
                1, 1, "maxOrderQuantity", 250));
    }

    @Test
    void venueAndGlobalLimitsTargetTheirScope() throws Exception {
        assertThat(call("PUT", "/api/v1/limits/orderBurst", RISK, "{\"venue\":\"kraken\",\"value\":3," + REASON + "}").status())
                .isEqualTo(200);
        assertThat(call("PUT", "/api/v1/limits/dailyLossLimit", RISK, "{\"value\":9000000000000," + REASON + "}").status())
                .isEqualTo(200);
        assertThat(call("PUT", "/api/v1/limits/maxAssetPosition", RISK,
                "{\"venue\":\"kraken\",\"symbol\":\"XBT/USD\",\"value\":1," + REASON + "}").status()).isEqualTo(200);
        assertThat(ENGINE.submitted).extracting(r -> r.key() + "@" + r.venueId() + "/" + r.instrumentId() + "=" + r.value())
                .containsExactly("orderBurst@2/-1=3", "dailyLossLimit@-1/-1=9000000000000", "maxAssetPosition@2/2=1");
    }

    @Test
    void theTakerLimitsAreChangedThroughTheLimitsRouteOnTheirScopes() throws Exception {
        assertThat(call("PUT", "/api/v1/limits/maxTakerSlippageBps", RISK, "{\"venue\":\"binance\",\"value\":20," + REASON + "}")
                .status()).isEqualTo(200);
        assertThat(call("PUT", "/api/v1/limits/maxTakerQuantityPerMinute", RISK,
                "{\"venue\":\"kraken\",\"symbol\":\"XBT/USD\",\"value\":5000," + REASON + "}").status()).isEqualTo(200);
        assertThat(ENGINE.submitted).extracting(r -> r.key() + "@" + r.venueId() + "/" + r.instrumentId() + "=" + r.value())
                .containsExactly("maxTakerSlippageBps@0/-1=20", "maxTakerQuantityPerMinute@2/2=5000");
    }

    @Test
    void aTradingStateChangeSendsTheStateAndAnswersWithStateNames() throws Exception {
        ENGINE.answers = r -> new ControlAnswer(0, 77, true, true, 1, null);
        Reply reply = call("PUT", "/api/v1/trading-states", RISK,
                "{\"scope\":\"instrument\",\"venue\":\"kraken\",\"symbol\":\"XBT/USD\",\"state\":\"HALTED\",\"reason\":\"odd prints\"}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("old").asText()).isEqualTo("REDUCING");
        assertThat(reply.json().get("new").asText()).isEqualTo("HALTED");
        assertThat(ENGINE.submitted).containsExactly(new ControlRequest(ControlCommands.SET_TRADING_STATE, "rita", "odd prints",
                2, 2, null, 2));
    }

    @Test
    void strategyCommandsAndTheKillSwitchCarryTheirCommandAndPrincipal() throws Exception {
        ENGINE.answers = r -> new ControlAnswer(0, 5, true, true, 0, null);
        Reply parameter = call("PUT", "/api/v1/strategy/parameters/spread.ticks", TRADER, "{\"value\":9,\"reason\":\"calm\"}");
        assertThat(parameter.json().get("old").asLong()).isEqualTo(0);
        assertThat(parameter.json().get("new").asLong()).isEqualTo(9);
        Reply start = call("POST", "/api/v1/strategy/start", TRADER, "{\"reason\":\"open\"}");
        assertThat(start.json().get("old").asBoolean()).isFalse();
        assertThat(start.json().get("new").asBoolean()).isTrue();
        Reply kill = call("POST", "/api/v1/kill-switch", RISK, "{\"reason\":\"runaway\"}");
        assertThat(kill.json().get("old").asText()).isEqualTo("ACTIVE");
        assertThat(kill.json().get("new").asText()).isEqualTo("HALTED");
        assertThat(ENGINE.submitted).containsExactly(
                new ControlRequest(ControlCommands.SET_STRATEGY_PARAMETER, "tom", "calm", -1, -1, "spread.ticks", 9),
                new ControlRequest(ControlCommands.START_STRATEGY, "tom", "open", -1, -1, null, 0),
                new ControlRequest(ControlCommands.KILL_SWITCH, "rita", "runaway", -1, -1, null, 0));
    }

    @Test
    void aScopedKillSwitchAndACancelAllCarryTheirTarget() throws Exception {
        ENGINE.answers = r -> new ControlAnswer(0, 6, true, true, r.command().equals(ControlCommands.CANCEL_ALL) ? 4 : 1, null);
        Reply venueKill = call("POST", "/api/v1/kill-switch", RISK, "{\"scope\":\"venue\",\"venue\":\"kraken\",\"reason\":\"odd\"}");
        assertThat(venueKill.status()).as(venueKill.raw().body()).isEqualTo(200);
        assertThat(venueKill.json().get("old").asText()).isEqualTo("REDUCING");
        assertThat(venueKill.json().get("new").asText()).isEqualTo("HALTED");
        call("POST", "/api/v1/kill-switch", TRADER, "{\"scope\":\"instrument\",\"venue\":\"kraken\",\"symbol\":\"XBT/USD\","
                + "\"reason\":\"one\"}");
        call("POST", "/api/v1/kill-switch", TRADER, "{\"scope\":\"strategy\",\"reason\":\"all of it\"}");
        Reply cancel = call("POST", "/api/v1/cancel-all", TRADER, "{\"scope\":\"venue\",\"venue\":\"binance\",\"reason\":\"flat\"}");
        assertThat(cancel.status()).as(cancel.raw().body()).isEqualTo(200);
        assertThat(cancel.json().get("old").asLong()).isEqualTo(4);
        assertThat(cancel.json().get("new").asLong()).isZero();
        call("POST", "/api/v1/cancel-all", ADMIN, "{\"scope\":\"global\",\"reason\":\"all\"}");
        call("POST", "/api/v1/cancel-all", RISK, "{\"scope\":\"instrument\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\","
                + "\"reason\":\"one\"}");
        assertThat(ENGINE.submitted).containsExactly(
                new ControlRequest(ControlCommands.KILL_SWITCH, "rita", "odd", 2, -1, null, 0),
                new ControlRequest(ControlCommands.KILL_SWITCH, "tom", "one", 2, 2, null, 0),
                new ControlRequest(ControlCommands.KILL_SWITCH, "tom", "all of it", -1, -1, null, 0),
                new ControlRequest(ControlCommands.CANCEL_ALL, "tom", "flat", 0, -1, null, 0),
                new ControlRequest(ControlCommands.CANCEL_ALL, "ada", "all", -1, -1, null, 0),
                new ControlRequest(ControlCommands.CANCEL_ALL, "rita", "one", 0, 0, null, 0));
    }

    @Test
    void aRefusalIs409AndAnOutOfRangeValue422WithTheEnginesReason() throws Exception {
        ENGINE.answers = r -> new ControlAnswer(0, 9, true, false, 0, "unknown limit key 'maxFun' (known: ...)");
        Reply unknown = call("PUT", "/api/v1/limits/maxFun", RISK, "{\"value\":1," + REASON + "}");
        assertThat(unknown.status()).isEqualTo(409);
        assertThat(unknown.json().get("applied").asBoolean()).isFalse();
        assertThat(unknown.json().get("error").asText()).contains("unknown limit key 'maxFun'");
        assertThat(ENGINE.submitted.get(0).key()).isEqualTo("maxFun");

        ENGINE.answers = r -> new ControlAnswer(0, 10, true, false, 0, "value 20000 above the largest priceBandBps 10000 bps");
        Reply tooLarge = call("PUT", "/api/v1/limits/priceBandBps", RISK,
                "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":20000," + REASON + "}");
        assertThat(tooLarge.status()).isEqualTo(422);
        assertThat(tooLarge.json().get("error").asText()).contains("above the largest");

        ENGINE.answers = r -> new ControlAnswer(0, 11, true, false, 0,
                "strategy parameter spread.ticks=0 refused: must be between 1 and 1000000 (ticks); keeping 4");
        Reply parameter = call("PUT", "/api/v1/strategy/parameters/spread.ticks", TRADER, "{\"value\":0," + REASON + "}");
        assertThat(parameter.status()).isEqualTo(422);
        assertThat(parameter.json().get("error").asText()).contains("must be between 1 and 1000000");

        ENGINE.answers = r -> new ControlAnswer(0, 12, false, false, 0, null);
        Reply unowned = call("POST", "/api/v1/strategy/start", TRADER, "{" + REASON + "}");
        assertThat(unowned.status()).isEqualTo(409);
        assertThat(unowned.json().get("error").asText()).contains("no engine owns");
    }

    @Test
    void noAnswerInTimeIs504AndAShuttingDownEngine503() throws Exception {
        ENGINE.silent = true;
        Reply late = call("POST", "/api/v1/kill-switch", TRADER, "{" + REASON + "}");
        assertThat(late.status()).isEqualTo(504);
        assertThat(late.json().get("error").asText()).contains("no answer");
        ENGINE.silent = false;
        ENGINE.shuttingDown = true;
        Reply closing = call("POST", "/api/v1/kill-switch", TRADER, "{" + REASON + "}");
        assertThat(closing.status()).isEqualTo(503);
        assertThat(closing.json().get("error").asText()).contains("shutting down");
    }

    // ------------------------------------------------------------------ reads

    @Test
    void readsDescribeTheEnginesViews() throws Exception {
        JsonNode limits = call("GET", "/api/v1/limits", VIEWER, null).json().get("limits");
        assertThat(limits).anySatisfy(l -> {
            assertThat(l.get("name").asText()).isEqualTo("maxOrderQuantity");
            assertThat(l.get("venue").asText()).isEqualTo("kraken");
            assertThat(l.get("symbol").asText()).isEqualTo("XBT/USD");
            assertThat(l.get("unit").asText()).isEqualTo("lots");
        });
        assertThat(limits).anySatisfy(l -> assertThat(l.get("target").asText()).isEqualTo("asset BTC"));
        assertThat(limits).anySatisfy(l -> assertThat(l.get("target").asText()).isEqualTo("global"));

        JsonNode positions = call("GET", "/api/v1/positions", VIEWER, null).json();
        assertThat(positions.get("positions")).hasSize(3);
        assertThat(positions.get("positions").get(0).get("position").asText()).isEqualTo("0.00000");
        assertThat(positions.get("totals").get("fills").asLong()).isZero();

        JsonNode open = call("GET", "/api/v1/orders/open", VIEWER, null).json();
        assertThat(open.get("venues")).hasSize(io.mme.core.instrument.Venue.values().length);
        assertThat(open.get("orders").isArray()).as("a listing, empty while the engine has not run").isTrue();
        assertThat(open.get("orders")).isEmpty();
        JsonNode fills = call("GET", "/api/v1/fills", VIEWER, null).json();
        assertThat(fills.get("fills")).isEmpty();
        assertThat(fills.get("total").asLong()).isZero();

        JsonNode states = call("GET", "/api/v1/trading-states", VIEWER, null).json();
        assertThat(states.get("global").asText()).isEqualTo("ACTIVE");
        assertThat(states.get("venues")).hasSize(io.mme.core.instrument.Venue.values().length);
        assertThat(states.get("instruments").get(2).get("effective").asText()).isEqualTo("ACTIVE");

        JsonNode feeds = call("GET", "/api/v1/feeds", VIEWER, null).json();
        assertThat(feeds.get("feeds")).hasSize(3);
        assertThat(feeds.get("feeds").get(0).get("state").asText()).isEqualTo("SYNCING");
        assertThat(feeds.get("feeds").get(0).get("bid").isNull()).isTrue();
        assertThat(feeds.get("fairValues")).isNotEmpty();

        JsonNode strategy = call("GET", "/api/v1/strategy", VIEWER, null).json();
        assertThat(strategy.get("configured").asBoolean()).isTrue();
        assertThat(strategy.get("parameterKeys").toString()).contains("spread.ticks");
        assertThat(strategy.get("quotes")).hasSize(2);
    }

    @Test
    void theAuditTrailReturnsTheLastNChangesOfEveryKindWithNames() throws Exception {
        io.mme.core.ring.ControlCommand c = new io.mme.core.ring.ControlCommand();
        c.set(ControlCommands.SET_LIMIT, 1, "rita", "r1").target(0, 0).argument("maxPosition", 5);
        c.answer(true, 3, null);
        ENGINE.changeLog.changed(1, 1_700_000_000_000_000_000L, c);
        c.set(ControlCommands.SET_TRADING_STATE, 2, "rita", "r2").target(2, -1).argument(null, 2);
        c.answer(true, 0, null);
        ENGINE.changeLog.changed(2, 1_700_000_001_000_000_000L, c);
        c.set(ControlCommands.START_STRATEGY, 3, "tom", "r3");
        c.answer(true, 1, null);
        ENGINE.changeLog.changed(3, 1_700_000_002_000_000_000L, c);
        c.set(ControlCommands.SNAPSHOT, 0, "engine", "periodic");
        ENGINE.changeLog.changed(4, 1_700_000_003_000_000_000L, c);

        JsonNode two = call("GET", "/api/v1/audit/recent?limit=2", VIEWER, null).json().get("changes");
        JsonNode all = call("GET", "/api/v1/audit/recent", VIEWER, null).json().get("changes");
        JsonNode limits = call("GET", "/api/v1/audit/recent?kind=limit", VIEWER, null).json().get("changes");

        assertThat(two).extracting(x -> x.get("sequence").asLong()).containsExactly(2L, 3L);
        assertThat(two.get(0).get("kind").asText()).isEqualTo("trading-state");
        assertThat(two.get(0).get("venue").asText()).isEqualTo("kraken");
        assertThat(two.get(0).get("oldValue").asText()).isEqualTo("ACTIVE");
        assertThat(two.get(0).get("newValue").asText()).isEqualTo("HALTED");
        assertThat(two.get(1).get("kind").asText()).isEqualTo("strategy-start");
        assertThat(two.get(1).get("oldValue").asBoolean()).as("it was quoting").isTrue();
        assertThat(all).as("the snapshot command changes nothing: not listed").hasSize(3);
        assertThat(limits).singleElement().satisfies(l -> {
            assertThat(l.get("symbol").asText()).isEqualTo("BTCUSDT");
            assertThat(l.get("venue").asText()).isEqualTo("binance");
            assertThat(l.get("principal").asText()).isEqualTo("rita");
            assertThat(l.get("time").asText()).isEqualTo("2023-11-14T22:13:20Z");
        });
        Reply zero = call("GET", "/api/v1/audit/recent?limit=0", VIEWER, null);
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("field").asText()).isEqualTo("limit");
        assertThat(call("GET", "/api/v1/audit/recent?limit=x", VIEWER, null).status()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/audit/recent?kind=nope", VIEWER, null).json().get("field").asText()).isEqualTo("kind");
    }

    @Test
    void theAuditTrailNamesItsRunAndFiltersByRunBesideKind() throws Exception {
        io.mme.core.ring.ControlCommand c = new io.mme.core.ring.ControlCommand();
        c.set(ControlCommands.SET_LIMIT, 1, "rita", "r").target(-1, -1).argument("maxPosition", 1);
        c.answer(true, 0, null);
        ENGINE.changeLog.changed(1, 1_700_000_000_000_000_000L, c);
        c.set(ControlCommands.START_STRATEGY, 2, "tom", "r");
        c.answer(true, 0, null);
        ENGINE.changeLog.changed(2, 1_700_000_001_000_000_000L, c);

        JsonNode all = call("GET", "/api/v1/audit/recent", VIEWER, null).json();
        assertThat(all.get("runId").asText()).isEqualTo(ENGINE.runId);
        assertThat(all.get("changes")).hasSize(2);
        assertThat(call("GET", "/api/v1/audit/recent?run=" + ENGINE.runId, VIEWER, null).json().get("changes")).hasSize(2);
        assertThat(call("GET", "/api/v1/audit/recent?run=" + ENGINE.runId + "&kind=limit", VIEWER, null).json().get("changes"))
                .singleElement().satisfies(l -> assertThat(l.get("principal").asText()).isEqualTo("rita"));
        JsonNode other = call("GET", "/api/v1/audit/recent?run=20250101T000000Z-other1&kind=limit", VIEWER, null).json();
        assertThat(other.get("changes")).as("another run's changes are in PostgreSQL, not in this engine").isEmpty();
        assertThat(other.get("runId").asText()).isEqualTo(ENGINE.runId);
        Reply bad = call("GET", "/api/v1/audit/recent?run=no%20spaces", VIEWER, null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("run");
        Reply tooLong = call("GET", "/api/v1/audit/recent?run=" + "a".repeat(io.mme.audit.RunId.MAX_LENGTH + 1), VIEWER, null);
        assertThat(tooLong.status()).isEqualTo(400);

        ENGINE.runId = null; // an engine without a run directory
        try {
            JsonNode none = call("GET", "/api/v1/audit/recent", VIEWER, null).json();
            assertThat(none.get("runId").isNull()).isTrue();
            assertThat(none.get("changes")).hasSize(2);
        } finally {
            ENGINE.runId = FakeEngineAccess.RUN_ID;
        }
    }

    @Test
    void readinessNamesEveryFeedNotValidAndUnreachableStores() throws Exception {
        assertThat(call("GET", "/health/live", null, null).status()).isEqualTo(200);
        STORES.set(false);
        Reply ready = call("GET", "/health/ready", null, null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("reasons")).extracting(JsonNode::asText).containsExactly(
                "feed binance BTCUSDT: book SYNCING", "feed coinbase BTC-USD: book SYNCING", "feed kraken XBT/USD: book SYNCING",
                "stores not reachable");
    }

    @Test
    void unknownRoutesAre404Json() throws Exception {
        Reply reply = call("GET", "/api/v1/nothing-here", ADMIN, null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asText()).contains("/api/v1/nothing-here");
        Reply wrongMethod = call("DELETE", "/api/v1/limits", ADMIN, null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.raw().headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(wrongMethod.json().get("error").asText()).contains("DELETE").contains("GET, HEAD");
    }

    // ------------------------------------------------------------------ the document

    @Test
    void theOpenApiDocumentDescribesExactlyTheRegisteredRoutes() throws Exception {
        Reply reply = call("GET", "/api/v1/openapi.json", null, null);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode doc = reply.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertThat(REGISTERED).isNotEmpty();
        // /metrics and the stream are served beside the API (not installed here) and documented all the same
        assertThat(documented).contains("GET /metrics", "GET /api/v1/stream");
        documented.removeAll(Set.of("GET /metrics", "GET /api/v1/stream"));
        assertThat(documented).isEqualTo(new TreeSet<>(REGISTERED));
        JsonNode limitBody = doc.at("/paths/~1api~1v1~1limits~1{name}/put/requestBody/content/application~1json/schema");
        assertThat(limitBody.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(limitBody.get("properties").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("venue", "symbol", "value", "reason");
        assertThat(doc.at("/paths/~1api~1v1~1kill-switch/post/x-roles")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("trader", "risk-officer", "admin");
        assertThat(doc.at("/paths/~1api~1v1~1kill-switch/post/responses").has("504")).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1cancel-all/post/x-roles")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("trader", "risk-officer", "admin");
        JsonNode cancelBody = doc.at("/paths/~1api~1v1~1cancel-all/post/requestBody/content/application~1json/schema");
        assertThat(cancelBody.get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("scope", "reason");
        assertThat(cancelBody.at("/properties/scope/enum")).extracting(JsonNode::asText)
                .containsExactly("global", "venue", "instrument", "strategy");
        JsonNode killBody = doc.at("/paths/~1api~1v1~1kill-switch/post/requestBody/content/application~1json/schema");
        assertThat(killBody.get("required")).extracting(JsonNode::asText).containsExactly("reason");
        assertThat(doc.at("/paths/~1health~1ready/get/security")).isEmpty();
        assertThat(REGISTERED).allSatisfy(r -> assertThat(HandlerType.valueOf(r.split(" ")[0]).isHttpMethod()).isTrue());
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void tokensNeverReachTheLogs() throws Exception {
        for (String token : List.of(VIEWER, TRADER, RISK, ADMIN, BAD)) {
            call("POST", "/api/v1/kill-switch", token, "{" + REASON + "}");
            call("PUT", "/api/v1/limits/maxOrderQuantity", token, "{\"value\":-1," + REASON + "}");
            call("GET", "/api/v1/limits", token, null);
        }
        ENGINE.silent = true;
        call("POST", "/api/v1/kill-switch", ADMIN, "{" + REASON + "}");
        List<ILoggingEvent> events = List.copyOf(LOGS.list);
        assertThat(events).as("the API logs its changes").anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("by ada"));
        assertThat(events).as("the API logs its tokens' principals at install")
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("tom (trader)"));
        for (ILoggingEvent event : events) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(t.getMessage());
            }
            for (String token : List.of(VIEWER, TRADER, RISK, ADMIN, BAD)) {
                assertThat(text.toString()).doesNotContain(token);
            }
        }
    }
}
