package io.mme.app.web;

import io.mme.app.EngineAssemblyAccess;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trading-state badges as a risk officer meets them: the demo's engine (three venues in paper
 * mode, the strategy quoting) with its API and page on, the page in headless Chromium. A venue halt,
 * an instrument set to REDUCING and the global kill switch go through the REST API; the page's
 * badges follow over the stream (subscription {@code tradingStates}) and say so in words and in
 * colour (HALTED red, REDUCING amber, ACTIVE green). After the kill switch nothing in the header
 * says "live" or shows green. Every step waits on a condition of the page.
 */
class TradingStateBadgesBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RED = "rgb(217, 52, 68)";
    private static final String AMBER = "rgb(242, 184, 75)";
    private static final String GREEN = "rgb(62, 207, 142)";

    /** see WebPageBrowserTest: Selenium's DevTools warnings, held here because java.util.logging keeps loggers weakly */
    private static final java.util.List<Logger> QUIET = java.util.List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ChromeDriver browser;
    private int port;

    @Test
    void aVenueHaltReducingAndTheKillSwitchShowAsBadgesThatChangeLive() throws Exception {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "rita risk-officer " + TokenStore.sha256Hex("rita-secret") + "\n"
                + "tom trader " + TokenStore.sha256Hex("tom-secret") + "\n"
                + "vera viewer " + TokenStore.sha256Hex("vera-secret") + "\n");
        MmeSettings settings = new ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_API_ENABLED", "true", "MME_API_PORT", "0", "MME_API_TOKENS_FILE", tokens.toString()));
        EngineAssemblyAccess engine = EngineAssemblyAccess.startLive(settings, dir.resolve("run"));
        port = engine.apiPort();
        browser = startBrowser();
        try {
            browser.get("http://127.0.0.1:" + port + "/");
            browser.findElement(By.id("token")).sendKeys("vera-secret");
            browser.findElement(By.id("connect")).click();
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
            wait.until(d -> "live".equals(browser.findElement(By.id("connection")).getDomAttribute("data-state")));

            // everything ACTIVE: a green badge per scope, and the header says so in words
            wait.withMessage(() -> "badges: " + text("#trading-states") + " / header: " + text("#trading"))
                    .until(d -> "ACTIVE".equals(state("global")));
            assertThat(text("#trading-states")).contains("global ACTIVE", "venue binance ACTIVE", "venue coinbase ACTIVE",
                    "venue kraken ACTIVE", "all 8 instruments ACTIVE");
            assertThat(text("#trading")).isEqualTo("trading: all ACTIVE");
            assertThat(colour("[data-scope='global']")).isEqualTo(GREEN);
            assertThat(text("#connection")).isEqualTo("stream connected");

            // 1. a risk officer halts binance: its badge turns HALTED (red), the global one stays ACTIVE
            call("PUT", "/api/v1/trading-states", "rita-secret",
                    "{\"scope\":\"venue\",\"venue\":\"binance\",\"state\":\"HALTED\",\"reason\":\"venue incident\"}");
            wait.withMessage(() -> "binance badge: " + text("#trading-states")).until(d -> "HALTED".equals(state("venue:binance")));
            assertThat(text("[data-scope='venue:binance']")).isEqualTo("venue binance HALTED");
            assertThat(background("[data-scope='venue:binance']")).isEqualTo(RED);
            assertThat(state("global")).isEqualTo("ACTIVE");
            assertThat(state("venue:coinbase")).isEqualTo("ACTIVE");
            wait.until(d -> "trading: venue binance HALTED".equals(text("#trading")));
            assertThat(background("#trading")).isEqualTo(RED);

            // 2. kraken's BTC/USD set to REDUCING: an amber badge of its own appears
            call("PUT", "/api/v1/trading-states", "rita-secret",
                    "{\"scope\":\"instrument\",\"venue\":\"kraken\",\"symbol\":\"BTC/USD\",\"state\":\"REDUCING\",\"reason\":\"inventory\"}");
            String kraken = "instrument:kraken:BTC/USD";
            wait.withMessage(() -> "kraken badge: " + text("#trading-states")).until(d -> "REDUCING".equals(state(kraken)));
            assertThat(text("[data-scope='" + kraken + "']")).isEqualTo("kraken BTC/USD REDUCING");
            assertThat(background("[data-scope='" + kraken + "']")).isEqualTo(AMBER);
            assertThat(text("#trading-states")).contains("7 instruments ACTIVE");
            wait.until(d -> "trading: venue binance HALTED; kraken BTC/USD REDUCING".equals(text("#trading")));

            // 3. a trader pulls the global kill switch: global HALTED in red, the header no longer reads as live or green
            call("POST", "/api/v1/kill-switch", "tom-secret", "{\"reason\":\"desk stop\"}");
            wait.withMessage(() -> "global badge: " + text("#trading-states")).until(d -> "HALTED".equals(state("global")));
            assertThat(engine.risk().globalState()).isEqualTo(TradingState.HALTED);
            assertThat(text("[data-scope='global']")).isEqualTo("global HALTED");
            assertThat(background("[data-scope='global']")).isEqualTo(RED);
            wait.until(d -> text("#trading").startsWith("trading: global HALTED"));
            assertThat(text("#trading")).isEqualTo("trading: global HALTED; venue binance HALTED; kraken BTC/USD REDUCING");
            // no scope under the halted global one shows green: each names the global state and its own
            assertThat(text("[data-scope='venue:coinbase']")).isEqualTo("venue coinbase HALTED (global; own ACTIVE)");
            assertThat(text("[data-scope='" + kraken + "']")).isEqualTo("kraken BTC/USD HALTED (global; own REDUCING)");
            assertThat(browser.findElements(By.cssSelector("#trading-states .trading-ACTIVE"))).isEmpty();
            assertThat(background("[data-scope='venue:kraken']")).isEqualTo(RED);
            assertThat(browser.findElement(By.id("trading")).getDomAttribute("data-state")).isEqualTo("HALTED");
            assertThat(background("#trading")).isEqualTo(RED);
            assertThat(text("header")).doesNotContainPattern("(?i)\\blive\\b");
            assertThat(greenInHeader()).as("green text or borders in the header").isZero();
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

            // 4. the global state back to ACTIVE: its badge turns green again, the venue halt still shows
            call("PUT", "/api/v1/trading-states", "rita-secret", "{\"scope\":\"global\",\"state\":\"ACTIVE\",\"reason\":\"resume\"}");
            wait.until(d -> "ACTIVE".equals(state("global")));
            assertThat(colour("[data-scope='global']")).isEqualTo(GREEN);
            assertThat(text("[data-scope='venue:coinbase']")).isEqualTo("venue coinbase ACTIVE");
            assertThat(text("[data-scope='" + kraken + "']")).isEqualTo("kraken BTC/USD REDUCING");
            assertThat(state("venue:binance")).isEqualTo("HALTED");
            assertThat(engine.risk().venueState(Venue.BINANCE.id())).isEqualTo(TradingState.HALTED);
            wait.until(d -> "trading: venue binance HALTED; kraken BTC/USD REDUCING".equals(text("#trading")));
        } finally {
            browser.quit();
            engine.stop();
            http.close();
        }
    }

    private ChromeDriver startBrowser() {
        return HeadlessChromium.start();
    }

    private void call(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(js, args);
    }

    /** the rendered text of the first match, or null */
    private String text(String css) {
        return (String) script("const e = document.querySelector(arguments[0]); return e === null ? null : e.innerText.trim();", css);
    }

    /** the data-state of a scope's badge, or null while there is none */
    private String state(String scope) {
        return (String) script("const e = document.querySelector(\"#trading-states [data-scope='\" + arguments[0] + \"']\");"
                + " return e === null ? null : e.dataset.state;", scope);
    }

    private String colour(String css) {
        return (String) script("return getComputedStyle(document.querySelector(arguments[0])).color;", css);
    }

    private String background(String css) {
        return (String) script("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;", css);
    }

    /** elements in the header drawn in the page's green (text or border) */
    private long greenInHeader() {
        return (Long) script("let n = 0; for (const e of document.querySelectorAll('header *')) {"
                + " const s = getComputedStyle(e); if (s.color === arguments[0] || s.borderTopColor === arguments[0]) n++; }"
                + " return n;", GREEN);
    }
}
