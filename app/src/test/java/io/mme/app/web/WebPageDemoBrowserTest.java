package io.mme.app.web;

import io.mme.app.api.rest.TokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page against a running demo (the real engine, REST API and streaming API): in headless
 * Chromium it shows books that change (a snapshot, then deltas, with no gap), our quotes, positions,
 * every venue's trades and the feed states.
 */
class WebPageDemoBrowserTest {
    @TempDir
    Path dir;

    @Test
    void thePageShowsTheRunningDemosLiveBooks() throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, "desk viewer " + TokenStore.sha256Hex("desk-token") + "\n");
        io.mme.app.config.MmeSettings settings = new io.mme.app.config.ConfigLoader().loadResource("/demo.yaml", Map.of(
                "MME_API_ENABLED", "true", "MME_API_PORT", "0", "MME_API_TOKENS_FILE", tokens.toString()));
        io.mme.app.EngineAssemblyAccess engine = io.mme.app.EngineAssemblyAccess.startLive(settings, dir.resolve("run"));
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get("http://127.0.0.1:" + engine.apiPort() + "/");
            browser.findElement(By.id("token")).sendKeys("desk-token");
            browser.findElement(By.id("connect")).click();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(50));
            wait.until(d -> "live".equals(browser.findElement(By.id("connection")).getDomAttribute("data-state")));
            String bestBid = "[data-book='pair:BTC/USD'] .best-bid";
            String first = wait.until(d -> {
                String t = text(browser, bestBid);
                return t == null || t.isBlank() || t.equals("–") ? null : t;
            });
            // the simulated markets move: the consolidated best bid changes
            String second = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50)).until(d -> {
                String t = text(browser, bestBid);
                return t != null && !t.equals(first) && !t.equals("–") ? t : null;
            });
            assertThat(second).isNotEqualTo(first).matches("\\d+\\.\\d+");
            assertThat(text(browser, "[data-book='binance:BTCUSDT'] .book-state")).isEqualTo("VALID");
            wait.until(d -> {
                String feeds = text(browser, "#feeds tbody");
                return feeds != null && feeds.contains("binance") && feeds.contains("coinbase") && feeds.contains("kraken");
            });
            wait.until(d -> browser.findElements(By.cssSelector("#positions tbody tr")).size() == 8);
            // the desk: a row per strategy from GET /api/v1/strategies
            wait.until(d -> {
                String desk = text(browser, "#strategies tbody");
                return desk != null && desk.contains("btc-skew") && desk.contains("eth-skew") && desk.contains("sol-as")
                        && desk.contains("SOL/USD");
            });
            // our quotes of every strategy, each row naming its strategy (eight instruments), and each
            // strategy's fair value named beside it
            wait.until(d -> browser.findElements(By.cssSelector("#quotes tbody tr")).size() == 8);
            wait.until(d -> {
                String quotes = text(browser, "#quotes tbody");
                String fairValue = text(browser, "#fair-value");
                return quotes != null && quotes.contains("btc-skew") && quotes.contains("eth-skew") && quotes.contains("sol-as")
                        && fairValue != null && fairValue.contains("sol-as");
            });
            // tick-to-quote of the last seconds, with nobody scraping /metrics: a figure that moves on its own
            String latency = wait.until(d -> {
                String t = text(browser, "#latency-p50");
                return t != null && (t.endsWith("µs") || t.endsWith("ms")) ? t : null;
            });
            String laterLatency = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50)).until(d -> {
                String t = text(browser, "#latency-p50");
                return t != null && !t.equals(latency) && !t.equals("–") ? t : null;
            });
            assertThat(laterLatency).isNotEqualTo(latency);
            // the trades subscription across venues brings every venue's trades
            wait.until(d -> {
                String t = text(browser, "#trades tbody");
                return t != null && t.contains("binance") && t.contains("coinbase") && t.contains("kraken");
            });
            // every delta followed its predecessor: no gap, so no resubscribe
            assertThat(((JavascriptExecutor) browser).executeScript("return document.body.dataset.streamGaps")).isNull();
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        } finally {
            browser.quit();
            engine.stop();
        }
    }

    private static String text(ChromeDriver browser, String css) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e === null ? null : e.innerText.trim();", css);
    }
}
