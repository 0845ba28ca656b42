package io.mme.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
 * The desk's console as a viewer, a trader and a risk officer meet it: the demo's engine with its API
 * and page on, the page in headless Chromium. Each role signs in with its token and is offered only
 * the controls its role may use (GET /api/v1/me); each control it is offered is driven from the page
 * and the engine's state is checked through the REST API; for a control a role is not offered, the
 * API refuses that role. Screenshots of the charts and the controls are taken (target/console-*.png)
 * and checked for content: every chart's canvas carries its series' colours, states are shown as text.
 */
class DeskConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.List<Logger> QUIET = java.util.List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private ChromeDriver browser;
    private WebDriverWait wait;
    private int port;

    @Test
    void eachRoleIsOfferedItsControlsOnlyAndEachControlChangesTheEngine() throws Exception {
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
        wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
        try {
            browser.get("http://127.0.0.1:" + port + "/");

            // ---- a viewer: no control at all, and the API refuses the controls
            signIn("vera-secret", "viewer");
            assertThat(displayed("controls-section")).isFalse();
            assertThat(browser.findElements(By.cssSelector("#limits .limit-input"))).isEmpty();
            assertThat(browser.findElements(By.cssSelector("#strategy-controls button"))).isEmpty();
            assertThat(status("PUT", "/api/v1/trading-states", "vera-secret",
                    "{\"scope\":\"venue\",\"venue\":\"kraken\",\"state\":\"HALTED\",\"reason\":\"x\"}")).isEqualTo(403);
            assertThat(status("POST", "/api/v1/kill-switch", "vera-secret", "{\"reason\":\"x\"}")).isEqualTo(403);
            assertThat(status("POST", "/api/v1/strategies/eth-skew/stop", "vera-secret", "{\"reason\":\"x\"}")).isEqualTo(403);

            // what a desk looks at: open orders from execution's published view, with their strategy and age
            new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).withMessage(() -> "open orders: " + text("#open-orders tbody")).until(d -> {
                String t = text("#open-orders tbody");
                return t != null && t.contains("binance") && t.contains("btc-skew") && (t.contains("buy") || t.contains("sell"));
            });
            JsonNode open = get("/api/v1/orders/open", "vera-secret");
            assertThat(open.get("orders").size()).isPositive();
            JsonNode order = open.get("orders").get(0);
            assertThat(order.get("id").isTextual()).isTrue();
            assertThat(order.get("price").asText()).matches("\\d+(\\.\\d+)?");
            assertThat(order.get("strategy").asText()).isNotBlank();
            assertThat(order.get("ageMillis").asLong()).isNotNegative();
            assertThat(text("#audit thead")).contains("who", "reason");

            // charts: every one drawn, each canvas in its series' colours; units named
            wait.until(d -> !browser.findElements(By.cssSelector("#chart-pair option[value='BTC/USD']")).isEmpty());
            new Select(browser.findElement(By.id("chart-pair"))).selectByValue("BTC/USD");
            new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).withMessage(() -> "charts drawn: " + script("return document.body.dataset.charts;"))
                    .until(d -> "depth inventory latency pnl price".equals(script("return document.body.dataset.charts;")));
            assertThat(text("#price-caption")).contains("USD per BTC");
            assertThat(text("#charts-section")).contains("µs", "quote currency", "base asset");
            assertThat(canvasPixels("chart-price", 0xd8dee6)).as("mid on the price chart").isGreaterThan(20);
            assertThat(canvasPixels("chart-price", 0x3ecf8e)).as("our bid on the price chart").isGreaterThan(20);
            assertThat(canvasPixels("chart-price", 0xf0616d)).as("our ask on the price chart").isGreaterThan(20);
            assertThat(canvasPixels("chart-depth", 0x3ecf8e)).as("consolidated bids on the depth chart").isGreaterThan(20);
            assertThat(canvasPixels("chart-depth", 0xf0616d)).as("consolidated asks on the depth chart").isGreaterThan(20);
            assertThat(canvasPixels("chart-latency", 0xb48cff)).as("latency bars").isGreaterThan(20);
            // one line per strategy in the palette's colours (flat lines of strategies without fills may cover each other)
            new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).withMessage(() -> "strategy lines on the PnL and inventory charts")
                    .until(d -> strategyLinePixels("chart-pnl") > 20 && strategyLinePixels("chart-inventory") > 20);
            byte[] main = browser.findElement(By.id("charts-section")).getScreenshotAs(OutputType.BYTES);
            Files.write(screenshots().resolve("console-charts.png"), main);
            BufferedImage charts = ImageIO.read(new ByteArrayInputStream(main));
            assertThat(HeadlessChromium.pixelsNear(charts, 0x3ecf8e)).as("green series in the charts' screenshot").isGreaterThan(100);
            assertThat(HeadlessChromium.pixelsNear(charts, 0xb48cff)).as("latency bars in the charts' screenshot").isGreaterThan(100);

            // ---- a trader: strategies, cancel-all and the kill switch; no trading states, no limits
            signOut();
            signIn("tom-secret", "trader");
            wait.until(d -> displayed("controls-section"));
            assertThat(displayed("halt")).isFalse();
            assertThat(displayed("reduce")).isFalse();
            assertThat(displayed("resume")).isFalse();
            assertThat(displayed("kill-switch")).isTrue();
            assertThat(displayed("cancel-all")).isTrue();
            assertThat(browser.findElements(By.cssSelector("#limits .limit-input"))).isEmpty();
            assertThat(status("PUT", "/api/v1/trading-states", "tom-secret",
                    "{\"scope\":\"venue\",\"venue\":\"kraken\",\"state\":\"HALTED\",\"reason\":\"x\"}")).isEqualTo(403);
            assertThat(status("PUT", "/api/v1/limits/maxOrderQuantity", "tom-secret",
                    "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"value\":5,\"reason\":\"x\"}")).isEqualTo(403);
            String eth = "#strategy-controls [data-strategy='eth-skew'] ";
            wait.until(d -> !browser.findElements(By.cssSelector(eth + ".strategy-stop")).isEmpty());

            // no reason: nothing is sent, and the page says so
            click(eth + ".strategy-stop");
            wait.until(d -> firstAnswer().contains("not sent: enter a reason first"));
            assertThat(strategyState(engine, "eth-skew")).isEqualTo("quoting");

            reason("desk test: pause eth");
            click(eth + ".strategy-stop");
            wait.until(d -> firstAnswer().contains("stop eth-skew — applied: true → false"));
            wait.until(d -> "stopped".equals(strategyState(engine, "eth-skew")));
            click(eth + ".strategy-start");
            wait.until(d -> firstAnswer().contains("start eth-skew — applied: false → true"));
            wait.until(d -> "quoting".equals(strategyState(engine, "eth-skew")));

            new Select(browser.findElement(By.cssSelector(eth + ".parameter-key"))).selectByValue("spread.ticks");
            browser.findElement(By.cssSelector(eth + ".parameter-value")).sendKeys("9");
            click(eth + ".parameter-set");
            wait.until(d -> firstAnswer().contains("parameter eth-skew spread.ticks — applied"));
            wait.until(d -> get("/api/v1/strategies", "tom-secret").toString().contains("\"spread.ticks\":9"));

            scope("venue", "binance", null);
            click("#cancel-all");
            wait.until(d -> firstAnswer().contains("cancel all venue binance — applied"));

            // the kill switch asks first, naming the scope; the engine's state changes only on confirming
            scope("venue", "coinbase", null);
            click("#kill-switch");
            wait.until(d -> displayed("confirm"));
            assertThat(text("#confirm-text")).isEqualTo("Kill switch on venue coinbase: halt it and cancel every open order of ours in it?");
            byte[] controls = browser.findElement(By.id("controls-section")).getScreenshotAs(OutputType.BYTES);
            Files.write(screenshots().resolve("console-controls-trader.png"), controls);
            assertThat(HeadlessChromium.pixelsNear(ImageIO.read(new ByteArrayInputStream(controls)), 0xd93444)).as("the red kill switch and its confirmation")
                    .isGreaterThan(200);
            assertThat(engine.risk().venueState(Venue.COINBASE.id())).isEqualTo(TradingState.ACTIVE);
            click("#confirm-yes");
            wait.until(d -> firstAnswer().contains("kill switch venue coinbase — applied: ACTIVE → HALTED"));
            assertThat(engine.risk().venueState(Venue.COINBASE.id())).isEqualTo(TradingState.HALTED);
            wait.until(d -> "HALTED".equals(badge("venue:coinbase")));

            // ---- a risk officer: trading states and limits; no strategy start/stop
            signOut();
            signIn("rita-secret", "risk-officer");
            wait.until(d -> displayed("halt") && displayed("reduce") && displayed("resume") && displayed("kill-switch"));
            wait.until(d -> !browser.findElements(By.cssSelector("#limits .limit-input")).isEmpty());
            assertThat(browser.findElements(By.cssSelector("#strategy-controls button"))).isEmpty();
            assertThat(status("POST", "/api/v1/strategies/eth-skew/stop", "rita-secret", "{\"reason\":\"x\"}")).isEqualTo(403);
            reason("desk test: risk");

            scope("venue", "coinbase", null);
            click("#resume");
            wait.until(d -> firstAnswer().contains("ACTIVE venue coinbase — applied: HALTED → ACTIVE"));
            assertThat(engine.risk().venueState(Venue.COINBASE.id())).isEqualTo(TradingState.ACTIVE);

            scope("instrument", null, "kraken\nBTC/USD");
            click("#halt");
            wait.until(d -> firstAnswer().contains("HALTED kraken BTC/USD — applied: ACTIVE → HALTED"));
            wait.until(d -> "HALTED".equals(badge("instrument:kraken:BTC/USD")));

            scope("global", null, null);
            click("#reduce");
            wait.until(d -> firstAnswer().contains("REDUCING global (every venue and instrument) — applied: ACTIVE → REDUCING"));
            assertThat(engine.risk().globalState()).isEqualTo(TradingState.REDUCING);
            wait.until(d -> "REDUCING".equals(badge("global")));
            click("#resume");
            wait.until(d -> firstAnswer().contains("ACTIVE global (every venue and instrument) — applied: REDUCING → ACTIVE"));
            assertThat(engine.risk().globalState()).isEqualTo(TradingState.ACTIVE);

            // a limit edited in the table, and a refused one shows the API's message
            String row = "#limits tr[data-limit='maxOrderQuantity|binance BTCUSDT'] ";
            browser.findElement(By.cssSelector(row + ".limit-input")).sendKeys("123456");
            click(row + ".limit-set");
            wait.until(d -> firstAnswer().contains("limit maxOrderQuantity binance BTCUSDT — applied"));
            wait.until(d -> "123456".equals(text(row + ".limit-value")));
            assertThat(get("/api/v1/limits", "rita-secret").toString()).contains("\"name\":\"maxOrderQuantity\",\"scope\":\"instrument\","
                    + "\"target\":\"binance BTCUSDT\",\"venue\":\"binance\",\"symbol\":\"BTCUSDT\"");
            browser.findElement(By.cssSelector(row + ".limit-input")).clear();
            browser.findElement(By.cssSelector(row + ".limit-input")).sendKeys("99999999999999999999");
            click(row + ".limit-set");
            wait.until(d -> firstAnswer().contains("limit maxOrderQuantity binance BTCUSDT — refused (HTTP 4"));
            assertThat(browser.findElement(By.cssSelector("#answers li")).getDomAttribute("data-applied")).isEqualTo("false");

            // the audit tail shows the changes with who and why
            wait.until(d -> {
                String audit = text("#audit tbody");
                return audit != null && audit.contains("rita") && audit.contains("tom") && audit.contains("desk test: pause eth");
            });
            // the main view from the top: the header's states in words and the kill switch in red
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 2400));
            script("window.scrollTo(0, 0);");
            wait.until(d -> text("#trading").contains("kraken BTC/USD HALTED"));
            byte[] page = browser.getScreenshotAs(OutputType.BYTES);
            Files.write(screenshots().resolve("console-main.png"), page);
            BufferedImage whole = ImageIO.read(new ByteArrayInputStream(page));
            assertThat(HeadlessChromium.pixelsNear(whole, 0xd93444)).as("the red HALTED summary and kill switch").isGreaterThan(300);
            assertThat(HeadlessChromium.pixelsNear(whole, 0x3ecf8e)).as("green series and ACTIVE badges").isGreaterThan(300);
        } finally {
            browser.quit();
            engine.stop();
            http.close();
        }
    }

    /** the strategy's state as GET /api/v1/strategies gives it */
    private String strategyState(EngineAssemblyAccess engine, String id) {
        for (JsonNode s : get("/api/v1/strategies", "vera-secret").get("strategies")) {
            if (s.get("id").asText().equals(id)) {
                return s.get("state").asText();
            }
        }
        return null;
    }

    private void signIn(String token, String role) {
        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("connect")).click();
        wait.until(d -> "live".equals(browser.findElement(By.id("connection")).getDomAttribute("data-state")));
        wait.until(d -> role.equals(browser.findElement(By.id("whoami")).getDomAttribute("data-role")));
    }

    private void signOut() {
        browser.findElement(By.id("disconnect")).click();
        wait.until(d -> "".equals(browser.findElement(By.id("whoami")).getDomAttribute("data-role")));
    }

    private void reason(String text) {
        WebElement reason = browser.findElement(By.id("reason"));
        reason.clear();
        reason.sendKeys(text);
    }

    private void scope(String kind, String venue, String instrument) {
        new Select(browser.findElement(By.id("scope-kind"))).selectByValue(kind);
        if (venue != null) {
            new Select(browser.findElement(By.id("scope-venue"))).selectByValue(venue);
        }
        if (instrument != null) {
            new Select(browser.findElement(By.id("scope-instrument"))).selectByValue(instrument);
        }
    }

    private void click(String css) {
        browser.findElement(By.cssSelector(css)).click();
    }

    private boolean displayed(String id) {
        return browser.findElement(By.id(id)).isDisplayed();
    }

    private String firstAnswer() {
        String t = text("#answers li");
        return t == null ? "" : t;
    }

    private String badge(String scope) {
        return (String) script("const e = document.querySelector(\"#trading-states [data-scope='\" + arguments[0] + \"']\");"
                + " return e === null ? null : e.dataset.state;", scope);
    }

    private Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(js, args);
    }

    private String text(String css) {
        return (String) script("const e = document.querySelector(arguments[0]); return e === null ? null : e.innerText.trim();", css);
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

    private Path screenshots() throws Exception {
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        return out;
    }

    private int status(String method, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private JsonNode get(String path, String token) {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ChromeDriver startBrowser() {
        return HeadlessChromium.start("--window-size=1400,1000");
    }

    /** pixels of a canvas in any of the strategies' line colours (charts.js PALETTE, as many as the demo has strategies) */
    private long strategyLinePixels(String canvasId) {
        long total = 0;
        for (int colour : new int[]{0x5aa9ff, 0xf2b84b, 0xb48cff, 0x64d2ff}) {
            total += canvasPixels(canvasId, colour);
        }
        return total;
    }
}
