package io.mme.app.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.app.api.ApiServer;
import io.mme.app.api.PlaybackControl;
import io.mme.app.api.PlaybackEngineAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API of a replay (an engine whose {@code playback()} is set, as {@code mme replay --serve}
 * builds it) against a real {@link ApiServer}: /api/v1/replay reads and drives the playback, bad
 * values are 400s naming them, every change route is refused with 409 before it reaches the engine,
 * and /api/v1/me says so.
 */
class ReplayApiTest {
    static final String VIEWER = "replay-viewer-7d1";
    static final String RISK = "replay-risk-2c9";
    static final long START = 1_796_691_456_567_857_555L;
    static final long END = START + 20_000_000_000L;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final FakeEngineAccess ENGINE = new FakeEngineAccess();
    static final FakePlayback PLAYBACK = new FakePlayback();
    static ApiServer server;

    /** a playback that keeps what it was told; any thread (synchronized) */
    static final class FakePlayback implements PlaybackControl {
        private boolean playing;
        private double speed = 1;
        private long position = START;

        @Override
        public synchronized Status status() {
            return new Status("/runs/one", START, END, position, speed, playing, false, false, 1000, 10, 0);
        }

        @Override
        public synchronized void play() {
            playing = true;
        }

        @Override
        public synchronized void pause() {
            playing = false;
        }

        @Override
        public synchronized void speed(double value) {
            speed = value;
        }

        @Override
        public synchronized void seek(long eventNanos) {
            position = eventNanos;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TokenStore tokens = new TokenStore(null, "vera:viewer:" + VIEWER + ",rita:risk-officer:" + RISK);
        server = new ApiServer(ApiServer.Settings.loopback(0))
                .install(app -> RestApi.install(app, new PlaybackEngineAccess(() -> ENGINE, PLAYBACK), tokens))
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, VIEWER, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void thePlaybackIsReadAndDrivenByAnyRole() throws Exception {
        JsonNode state = ok("GET", "/api/v1/replay", null);
        assertThat(state.get("journal").asText()).isEqualTo("/runs/one");
        assertThat(state.get("startNanos").asLong()).isEqualTo(START);
        assertThat(state.get("endNanos").asLong()).isEqualTo(END);
        assertThat(state.get("start").asText()).isEqualTo("2026-12-08T00:57:36.567857555Z");

        assertThat(ok("POST", "/api/v1/replay/play", null).get("state").asText()).isEqualTo("playing");
        assertThat(ok("POST", "/api/v1/replay/speed", "{\"speed\":0.5}").get("speed").asDouble()).isEqualTo(0.5);
        JsonNode paused = ok("POST", "/api/v1/replay/pause", null);
        assertThat(paused.get("state").asText()).isEqualTo("paused");
        assertThat(paused.get("playing").asBoolean()).isFalse();
        long middle = START + 10_000_000_000L;
        JsonNode sought = ok("POST", "/api/v1/replay/seek", "{\"timeNanos\":" + middle + "}");
        assertThat(sought.get("positionNanos").asLong()).isEqualTo(middle);
        assertThat(sought.get("progress").asDouble()).isEqualTo(0.5);
        assertThat(send("GET", "/api/v1/replay", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aSpeedOrASeekOutsideItsRangeIsA400NamingTheValue() throws Exception {
        HttpResponse<String> slow = send("POST", "/api/v1/replay/speed", VIEWER, "{\"speed\":0.25}");
        assertThat(slow.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(slow.body()).get("field").asText()).isEqualTo("speed");
        assertThat(slow.body()).contains("0.25", "0.5", "100");
        HttpResponse<String> text = send("POST", "/api/v1/replay/speed", VIEWER, "{\"speed\":\"fast\"}");
        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(text.body()).contains("'speed' must be a number");
        assertThat(send("POST", "/api/v1/replay/speed", VIEWER, "{}").statusCode()).isEqualTo(400);
        HttpResponse<String> before = send("POST", "/api/v1/replay/seek", VIEWER, "{\"timeNanos\":" + (START - 1) + "}");
        assertThat(before.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(before.body()).get("field").asText()).isEqualTo("timeNanos");
        assertThat(before.body()).contains(Long.toString(START - 1), "within the journal");
        assertThat(send("POST", "/api/v1/replay/seek", VIEWER, "{\"timeNanos\":" + (END + 1) + "}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/replay/seek", VIEWER, "{\"to\":1}").statusCode()).isEqualTo(400);
    }

    @Test
    void everyChangeIsRefusedAsReadOnlyAndMeOffersNone() throws Exception {
        ENGINE.reset();
        HttpResponse<String> halt = send("PUT", "/api/v1/trading-states", RISK,
                "{\"scope\":\"global\",\"state\":\"HALTED\",\"reason\":\"x\"}");
        assertThat(halt.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(halt.body()).get("error").asText()).isEqualTo(PlaybackEngineAccess.READ_ONLY);
        assertThat(send("POST", "/api/v1/kill-switch", RISK, "{\"reason\":\"x\"}").statusCode()).isEqualTo(409);
        // the role is checked first: a viewer still gets 403, no token 401
        assertThat(send("POST", "/api/v1/kill-switch", VIEWER, "{\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/kill-switch", null, "{\"reason\":\"x\"}").statusCode()).isEqualTo(401);
        assertThat(ENGINE.submitted).as("requests reaching the engine").isEmpty();

        JsonNode me = JSON.readTree(send("GET", "/api/v1/me", RISK, null).body());
        assertThat(me.get("mode").asText()).isEqualTo("replay");
        assertThat(me.get("allowed").toString()).doesNotContain("PUT ", "kill-switch", "cancel-all")
                .contains("GET /api/v1/replay", "POST /api/v1/replay/seek", "GET /api/v1/positions");
    }
}
