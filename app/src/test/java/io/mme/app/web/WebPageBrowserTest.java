package io.mme.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.mme.app.api.ApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in a real browser: headless Chromium (the system's, through its chromedriver: paths from
 * the system properties {@value #CHROMIUM_PROPERTY} and {@value #CHROMEDRIVER_PROPERTY}, by default
 * Debian's /usr/bin/chromium and /usr/bin/chromedriver, which .ci/run installs) against an API
 * server with the page and the {@link FakeStream} installed. Selenium is given both paths, so its
 * Selenium Manager never looks for (or downloads) a browser or a driver.
 *
 * <p>The fake stands for the engine's stream server, built to the same protocol: against the real
 * one, {@link #startServer()} installs that server (and the REST API's GET /api/v1/feeds) with
 * instruments {@link FakeStream#INSTRUMENTS} of pair {@link FakeStream#PAIR} whose books move, in
 * place of the fake; the subscription test reads what the fake received and goes with it.
 */
class WebPageBrowserTest {
    static final String CHROMIUM_PROPERTY = "mme.test.chromium";
    static final String CHROMEDRIVER_PROPERTY = "mme.test.chromedriver";
    private static final String TOKEN = "page-test-token";
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * Selenium warns on every session that it has no DevTools binding for this Chromium; the test
     * speaks WebDriver only. Held here: java.util.logging keeps loggers weakly.
     */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    private static ApiServer server;
    private static FakeStream stream;
    private WebDriver browser;

    @BeforeAll
    static void startServer() {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        stream = new FakeStream(TOKEN);
        server = WebPage.install(new ApiServer(ApiServer.Settings.loopback(0))).install(stream::install).start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        stream.close();
    }

    @BeforeEach
    void openBrowser() {
        Path profile = BrowserProfile.fresh();
        String chromium = System.getProperty(CHROMIUM_PROPERTY, "/usr/bin/chromium");
        String chromedriver = System.getProperty(CHROMEDRIVER_PROPERTY, "/usr/bin/chromedriver");
        assertThat(Files.isExecutable(Path.of(chromium)) && Files.isExecutable(Path.of(chromedriver)))
                .as("Chromium at %s and chromedriver at %s (apt-get install chromium chromium-driver; .ci/run does)",
                        chromium, chromedriver)
                .isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // the background-networking flags keep Chromium from calling Google's hosts (the network is closed)
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String pageUrl() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    private void signIn(String token) {
        browser.get(pageUrl());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("connect")).click();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
    }

    private String connectionState() {
        return browser.findElement(By.id("connection")).getDomAttribute("data-state");
    }

    /** the rendered text of the first match, read in one script call: the page replaces book rows every 100 ms */
    private String text(String css) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e === null ? null : e.innerText.trim();", css);
        return (String) text;
    }

    /** waits for the cell to show a value and then for it to show another one */
    private void assertChanges(String css) {
        String first = waiting().withMessage(() -> css + " shows no value; " + stream.describe() + "; page: " + text("#connection") + " / " + text("#error")).until(d -> {
            String t = text(css);
            return t == null || t.isBlank() || t.equals("–") ? null : t;
        });
        String second = waiting().withMessage(() -> css + " stayed at " + first + "; " + stream.describe()).until(d -> {
            String t = text(css);
            return t != null && !t.equals(first) ? t : null;
        });
        assertThat(second).as(css).isNotEqualTo(first).matches("\\d+\\.\\d+");
    }

    @Test
    void showsLiveBooksQuotesPositionsAndStatusAfterTheTokenIsEntered() {
        signIn(TOKEN);

        waiting().until(d -> "live".equals(connectionState()));
        String venueBestBid = "[data-book='binance:BTCUSDT'] .best-bid";
        assertChanges(venueBestBid);
        assertChanges("[data-book='kraken:XBTUSD'] .best-bid");
        assertChanges("[data-book='pair:BTC/USD'] .best-bid");
        assertThat(browser.findElements(By.cssSelector("[data-book='binance:BTCUSDT'] tbody tr"))).hasSize(10);
        assertThat(text("[data-book='binance:BTCUSDT'] .book-state")).isEqualTo("VALID");

        waiting().until(d -> text("#latency-p50") != null && text("#latency-p50").endsWith("µs"));
        assertThat(text("#latency-p99")).endsWith("µs");
        assertThat(text("#feeds tbody")).contains("binance", "BTCUSDT", "kraken", "XBTUSD", "VALID");
        assertThat(text("#engines")).contains("marketdata", "RUNNING");
        assertThat(browser.findElements(By.cssSelector("#quotes tbody tr"))).hasSize(2);
        assertThat(text("#quotes tbody")).contains("binance", "kraken", "0.010");
        assertThat(text("#fair-value")).matches("\\d+\\.\\d+");
        assertThat(browser.findElements(By.cssSelector("#positions tbody tr"))).hasSize(2);
        assertThat(text("#positions tbody")).contains("0.020", "-1.25");
        assertThat(text("#total-pnl")).isEqualTo("-2.50");
        waiting().until(d -> !browser.findElements(By.cssSelector("#trades tbody tr")).isEmpty());
        assertThat(text("#trades tbody tr")).contains("binance", "BTCUSDT", "0.004");
        // the trading-state badges (the fake's scopes are all ACTIVE; TradingStateBadgesBrowserTest changes them)
        waiting().until(d -> "trading: all ACTIVE".equals(text("#trading")));
        assertThat(text("#trading-states")).contains("global ACTIVE", "venue binance ACTIVE", "venue kraken ACTIVE",
                "all 2 instruments ACTIVE");
        assertThat(text("#connection")).isEqualTo("stream connected");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

        // the token stays out of the address and in the tab's sessionStorage
        assertThat(browser.getCurrentUrl()).isEqualTo(pageUrl()).doesNotContain(TOKEN);
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('mme.apiToken')")).isEqualTo(TOKEN);
    }

    @Test
    void authenticatesFirstThenSubscribesEveryVenueBookThePairAndTheDeskChannels() {
        int before = stream.received().size();
        signIn(TOKEN);
        waiting().until(d -> "live".equals(connectionState()));
        waiting().until(d -> stream.received().size() - before >= 8);

        List<JsonNode> sent = stream.received().subList(before, before + 8);
        assertThat(sent.getFirst().path("op").asText()).isEqualTo("auth");
        assertThat(sent.getFirst().path("token").asText()).isEqualTo(TOKEN);
        assertThat(sent.subList(1, 8)).allSatisfy(m -> assertThat(m.path("op").asText()).isEqualTo("subscribe"));
        assertThat(sent.subList(1, 8).stream().map(WebPageBrowserTest::describe)).containsExactly(
                "l2Book binance BTCUSDT", "l2Book kraken XBTUSD", "l2Book pair BTC/USD", "quotes", "positions", "trades",
                "tradingStates");
    }

    @Test
    void booksAreBuiltFromASnapshotAndDeltasAndAGapIsRecoveredByResubscribing() {
        signIn(TOKEN);
        waiting().until(d -> "live".equals(connectionState()));
        String card = "[data-book='binance:BTCUSDT']";
        assertChanges(card + " .best-bid");
        assertLevelsWhole(card);

        int before = stream.received().size();
        stream.skipBookMessage();
        // the page sees the seq jump: it unsubscribes that book by its id and subscribes it again
        JsonNode unsubscribe = waiting().withMessage(() -> "no unsubscribe after the gap; " + stream.describe()).until(d -> {
            List<JsonNode> all = stream.received(); // one copy: the fake keeps receiving
            return all.subList(before, all.size()).stream().filter(m -> m.path("op").asText().equals("unsubscribe")).findFirst().orElse(null);
        });
        assertThat(unsubscribe.path("id").asText()).startsWith("l2Book:");
        String id = unsubscribe.path("id").asText();
        JsonNode again = waiting().until(d -> {
            List<JsonNode> all = stream.received();
            List<JsonNode> after = all.subList(before, all.size());
            int at = after.indexOf(unsubscribe);
            return after.subList(at + 1, after.size()).stream().filter(m -> m.path("op").asText().equals("subscribe")).findFirst().orElse(null);
        });
        assertThat(id).isEqualTo("l2Book:" + (again.has("venue") ? again.get("venue").asText() + ":" + again.get("symbol").asText()
                : "pair:" + again.get("pair").asText()) + ":10");
        assertThat(((JavascriptExecutor) browser).executeScript("return document.body.dataset.streamGaps")).isEqualTo("1");
        // every book moves on, whole: the resubscribed one from its new snapshot
        assertChanges(card + " .best-bid");
        assertChanges("[data-book='kraken:XBTUSD'] .best-bid");
        assertChanges("[data-book='pair:BTC/USD'] .best-bid");
        assertLevelsWhole(card);
        assertLevelsWhole("[data-book='kraken:XBTUSD']");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    }

    /** the fake's levels are 0.50 apart: a level a delta failed to remove would break the spacing */
    @SuppressWarnings("unchecked")
    private void assertLevelsWhole(String card) {
        List<String> bids = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0] + ' tbody td.bid')).map(e => e.innerText.trim());", card);
        assertThat(bids).as(card).hasSize(10);
        for (int i = 1; i < bids.size(); i++) {
            assertThat(new java.math.BigDecimal(bids.get(i - 1)).subtract(new java.math.BigDecimal(bids.get(i))))
                    .as(card + " " + bids).isEqualByComparingTo("0.50");
        }
    }

    private static String describe(JsonNode subscribe) {
        String channel = subscribe.path("channel").asText();
        if (subscribe.has("venue")) {
            return channel + " " + subscribe.get("venue").asText() + " " + subscribe.path("symbol").asText();
        }
        return subscribe.has("pair") ? channel + " pair " + subscribe.get("pair").asText() : channel;
    }

    @Test
    void reconnectsWhenTheServerDropsTheStreamAndTheBookMovesAgain() {
        signIn(TOKEN);
        waiting().until(d -> "live".equals(connectionState()));
        int connections = stream.authenticated();

        stream.dropAll();

        waiting().until(d -> stream.authenticated() > connections);
        waiting().until(d -> "live".equals(connectionState()));
        assertChanges("[data-book='binance:BTCUSDT'] .best-bid");
        // the trading states were forgotten with the old stream (no badge may claim a state it no longer follows)
        // and come back with the new one's first tradingStates message
        waiting().until(d -> "trading: all ACTIVE".equals(text("#trading")));
        assertThat(text("[data-scope='global']")).isEqualTo("global ACTIVE");
    }

    @Test
    void aRefusedTokenIsShownAndNotRetried() {
        int connections = stream.authenticated();
        signIn("wrong-token");

        waiting().until(d -> "unauthorized".equals(connectionState()));
        WebElement error = browser.findElement(By.id("error"));
        assertThat(error.isDisplayed()).isTrue();
        assertThat(error.getText()).contains("refused the token", "401");
        assertThat(stream.authenticated()).isEqualTo(connections);
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('mme.apiToken')")).isNull();
    }
}
