package io.mme.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.app.EngineRunner;
import io.mme.app.Main;
import io.mme.app.PlaybackServer;
import io.mme.app.api.ApiServer;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A demo run's journal replayed with playback controls and served to the page ({@link PlaybackServer},
 * what {@code mme replay --journal DIR --serve} runs), in headless Chromium: the playback bar shows
 * only in a replay and no trading control is offered; play, speed, pause, a seek forward and one
 * backward (a rebuild) are driven from the bar and checked through GET /api/v1/replay and on the page;
 * the charts follow the replay. A screenshot of the replay in progress (target/screenshots/replay-playing.png)
 * is checked for content: the bar's colour, the charts' series, the state in words.
 */
class ReplayConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long SECOND = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.List<Logger> QUIET = java.util.List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ChromeDriver browser;
    private int port;

    @Test
    void aJournalPlaysPausesChangesSpeedAndSeeksInThePageWithTheChartsFollowing() throws Exception {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        Path journal = dir.resolve("journal");
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("demo", "--seconds", "10", "--seed", "11", "--journal", journal.toString())).as(out.toString()).isZero();

        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "rita risk-officer " + TokenStore.sha256Hex("rita-secret") + "\n"
                + "vera viewer " + TokenStore.sha256Hex("vera-secret") + "\n");
        MmeSettings settings = new ConfigLoader().load(journal.resolve(EngineRunner.JOURNAL_CONFIG), Map.of());
        try (PlaybackServer server = PlaybackServer.start(settings, journal, ApiServer.Settings.loopback(0),
                new TokenStore(tokens, null), 1, false)) {
            port = server.port();
            JsonNode initial = replay();
            long start = initial.get("startNanos").asLong();
            long end = initial.get("endNanos").asLong();
            assertThat(end - start).as("the demo's event time").isGreaterThan(5 * SECOND);
            assertThat(initial.get("state").asText()).isEqualTo("paused");

            // read-only: a risk officer's change is refused naming the replay, and none is offered
            HttpResponse<String> halt = send("PUT", "/api/v1/trading-states", "rita-secret",
                    "{\"scope\":\"global\",\"state\":\"HALTED\",\"reason\":\"x\"}");
            assertThat(halt.statusCode()).isEqualTo(409);
            assertThat(halt.body()).contains("replays a journal", "read-only");
            JsonNode me = JSON.readTree(send("GET", "/api/v1/me", "rita-secret", null).body());
            assertThat(me.get("mode").asText()).isEqualTo("replay");
            assertThat(me.get("allowed").toString()).doesNotContain("PUT ", "kill-switch").contains("POST /api/v1/replay/seek");

            browser = startBrowser();
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
            browser.get("http://127.0.0.1:" + port + "/");
            browser.findElement(By.id("token")).sendKeys("rita-secret");
            browser.findElement(By.id("connect")).click();
            wait.until(d -> "live".equals(browser.findElement(By.id("connection")).getDomAttribute("data-state")));
            wait.until(d -> displayed("replay-bar"));
            wait.until(d -> "paused".equals(attribute("#replay-state", "data-state")));
            assertThat(text("#replay-journal")).isEqualTo(journal.toString());
            wait.until(d -> text("#whoami").contains("risk-officer"));
            assertThat(displayed("controls-section")).as("no trading control in a replay").isFalse();

            // play (at 1x: the journal's 10 s outlast the steps below): the position moves
            browser.findElement(By.id("replay-toggle")).click();
            awaitReplay("playing", s -> s.get("playing").asBoolean());
            wait.until(d -> text("#replay-state").equals("playing at 1×"));
            awaitReplay("the position moves", s -> s.get("positionNanos").asLong() > start + SECOND / 2);

            // pause: the position holds
            browser.findElement(By.id("replay-toggle")).click();
            JsonNode paused = awaitReplay("paused", s -> !s.get("playing").asBoolean());
            assertThat(paused.get("state").asText()).isEqualTo("paused");
            wait.until(d -> "paused".equals(attribute("#replay-state", "data-state")) && text("#replay-toggle").equals("Play"));
            assertThat(replay().get("positionNanos").asLong()).isEqualTo(paused.get("positionNanos").asLong());

            // the speed, while paused: 5x
            new Select(browser.findElement(By.id("replay-speed"))).selectByValue("5");
            awaitReplay("speed 5", s -> s.get("speed").asDouble() == 5.0);
            wait.until(d -> text("#replay-state").equals("paused at 5×"));
            assertThat(replay().get("positionNanos").asLong()).isEqualTo(paused.get("positionNanos").asLong());

            // seek forward to 75% with the slider, then back to 15% (the engines are built again)
            long forward = start + (end - start) * 750 / 1000;
            slide(750);
            JsonNode atForward = awaitReplay("seek forward", s -> s.get("state").asText().equals("paused")
                    && s.get("positionNanos").asLong() > forward - 2 * SECOND);
            assertThat(atForward.get("positionNanos").asLong()).isBetween(forward - 2 * SECOND, forward + SECOND / 1000);
            assertThat(atForward.get("rebuilds").asLong()).isZero();
            long backward = start + (end - start) * 150 / 1000;
            slide(150);
            JsonNode atBackward = awaitReplay("seek backward", s -> s.get("state").asText().equals("paused")
                    && s.get("rebuilds").asLong() == 1 && s.get("positionNanos").asLong() > backward - 2 * SECOND);
            assertThat(atBackward.get("positionNanos").asLong()).isBetween(backward - 2 * SECOND, backward + SECOND / 1000);
            assertThat(atBackward.get("released").asLong()).isLessThan(atForward.get("released").asLong());
            wait.until(d -> {
                String progress = text("#replay-progress");
                return progress.endsWith("%") && Double.parseDouble(progress.replace("%", "").trim()) < 20;
            });

            // play at 0.5x (slow enough to be still playing at the screenshot): books, quotes, PnL and the charts follow the replay
            new Select(browser.findElement(By.id("replay-speed"))).selectByValue("0.5");
            awaitReplay("speed 0.5", s -> s.get("speed").asDouble() == 0.5);
            browser.findElement(By.id("replay-toggle")).click();
            awaitReplay("playing again", s -> s.get("playing").asBoolean());
            wait.until(d -> !browser.findElements(By.cssSelector("#chart-pair option[value='BTC/USD']")).isEmpty());
            new Select(browser.findElement(By.id("chart-pair"))).selectByValue("BTC/USD");
            new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).withMessage(() -> "charts drawn: " + script("return document.body.dataset.charts;"))
                    .until(d -> "depth inventory pnl price".equals(script("return document.body.dataset.charts;")));
            wait.until(d -> browser.findElements(By.cssSelector("#quotes tbody tr")).size() == 8);
            wait.until(d -> text("[data-book='pair:BTC/USD'] .best-bid").matches("\\d+\\.\\d+"));
            assertThat(canvasPixels("chart-price", 0xd8dee6)).as("mid on the price chart").isGreaterThan(20);
            assertThat(canvasPixels("chart-depth", 0x3ecf8e)).as("bids on the depth chart").isGreaterThan(20);
            assertThat(canvasPixels("chart-depth", 0xf0616d)).as("asks on the depth chart").isGreaterThan(20);
            new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).withMessage(() -> "strategy lines on the PnL and inventory charts")
                    .until(d -> strategyLinePixels("chart-pnl") > 20 && strategyLinePixels("chart-inventory") > 20);
            // the price chart's time axis is the replay's event time, not the wall clock
            Object axisEnd = script("const c = document.querySelector('#chart-price').dataset.points; return c;");
            assertThat(Integer.parseInt(String.valueOf(axisEnd))).isGreaterThan(1);

            JsonNode playing = replay();
            assertThat(playing.get("state").asText()).as("still playing when the screenshot is taken: " + playing).isEqualTo("playing");
            byte[] shot = browser.getScreenshotAs(OutputType.BYTES);
            Files.write(screenshots().resolve("replay-playing.png"), shot);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(shot));
            assertThat(HeadlessChromium.pixelsNear(image, 0xb48cff)).as("the playback bar's colour in the screenshot").isGreaterThan(100);
            assertThat(HeadlessChromium.pixelsNear(image, 0x3ecf8e)).as("green series in the screenshot").isGreaterThan(100);
            assertThat(text("#replay-state")).isEqualTo("playing at 0.5×");
            assertThat(text("#replay-time")).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} / \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC");

            // bad input: a 400 naming what was wrong
            HttpResponse<String> tooFast = send("POST", "/api/v1/replay/speed", "vera-secret", "{\"speed\":150}");
            assertThat(tooFast.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(tooFast.body()).get("field").asText()).isEqualTo("speed");
            assertThat(tooFast.body()).contains("150");
            HttpResponse<String> outside = send("POST", "/api/v1/replay/seek", "vera-secret", "{\"timeNanos\":" + (end + SECOND) + "}");
            assertThat(outside.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(outside.body()).get("field").asText()).isEqualTo("timeNanos");
            // any role controls the playback: a viewer pauses it
            assertThat(send("POST", "/api/v1/replay/pause", "vera-secret", null).statusCode()).isEqualTo(200);
            awaitReplay("paused by a viewer", s -> !s.get("playing").asBoolean());
            assertThat(server.failure()).isNull();
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    /** moves the seek slider as a user lets go of it (input, then change) */
    private void slide(int permille) {
        script("const s = document.getElementById('replay-seek'); s.value = String(arguments[0]);"
                + " s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change'));", permille);
    }

    private JsonNode awaitReplay(String what, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode state = replay();
        while (!condition.test(state)) {
            assertThat(System.nanoTime()).as("the playback did not get to: " + what + " (last " + state + ")").isLessThan(deadline);
            Thread.sleep(20);
            state = replay();
        }
        return state;
    }

    private JsonNode replay() throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/replay", "vera-secret", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean displayed(String id) {
        return browser.findElement(By.id(id)).isDisplayed();
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(js, args);
    }

    private String text(String css) {
        Object t = script("const e = document.querySelector(arguments[0]); return e === null ? null : e.innerText.trim();", css);
        return t == null ? "" : (String) t;
    }

    private String attribute(String css, String name) {
        return (String) script("const e = document.querySelector(arguments[0]); return e === null ? null : e.getAttribute(arguments[1]);",
                css, name);
    }

    /** pixels of the chart's plot canvas within a small distance of an RGB colour */
    private long canvasPixels(String chartId, int rgb) {
        Object n = script("const c = document.querySelector('#' + arguments[0] + ' canvas'); if (!c) return 0;"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " const r = arguments[1] >> 16 & 255, g = arguments[1] >> 8 & 255, b = arguments[1] & 255; let n = 0;"
                + " for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 200 && Math.abs(d[i] - r) + Math.abs(d[i + 1] - g)"
                + " + Math.abs(d[i + 2] - b) < 30) n++; } return n;", chartId, rgb);
        return ((Number) n).longValue();
    }

    /** pixels of a canvas in any of the strategies' line colours (charts.js PALETTE) */
    private long strategyLinePixels(String canvasId) {
        long total = 0;
        for (int colour : new int[]{0x5aa9ff, 0xf2b84b, 0xb48cff, 0x64d2ff}) {
            total += canvasPixels(canvasId, colour);
        }
        return total;
    }

    private static Path screenshots() throws Exception {
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        return out;
    }

    private ChromeDriver startBrowser() {
        return HeadlessChromium.start("--window-size=1400,1000");
    }
}
