package io.mme.app.backtest;

import io.mme.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backtest's HTML report as a quant opens it: a file, offline, in headless Chromium. The page
 * must draw its charts from what is inlined in it (no network: the browser is told to use no proxy
 * and the page names no remote script); a screenshot must show each chart's series in its colour:
 * the equity curve, the mid, our bid and ask, and the inventory.
 */
class BacktestReportBrowserTest {
    @TempDir
    Path dir;

    @Test
    void theReportOpensOfflineAndItsScreenshotShowsTheChartsDrawn() throws Exception {
        Path slice = CaptureSlices.slice("btcusdt_20240808.gz", 8_000, dir);
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("backtest", "--no-progress", "--config", CaptureSlices.CONFIG.toString(), "--data", slice.toString(),
                "--report", dir.resolve("report").toString());
        assertThat(code).as(out.toString()).isZero();
        Path html = dir.resolve("report/report.html");
        assertThat(Files.readString(html)).doesNotContain("<script src=", "<link ");

        ChromeDriver browser = startBrowser();
        try {
            browser.get(html.toUri().toString());
            new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(50))
                    .until(d -> "3".equals(browser.findElement(org.openqa.selenium.By.tagName("body")).getDomAttribute("data-charts")));
            Object canvases = ((JavascriptExecutor) browser).executeScript("return document.querySelectorAll('canvas').length;");
            assertThat(((Number) canvases).intValue()).isEqualTo(3);
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            Files.write(dir.resolve("screenshot.png"), png);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(io.mme.app.web.HeadlessChromium.pixelsNear(image, 0x1f77b4)).as("equity curve (blue)").isGreaterThan(300);
            assertThat(io.mme.app.web.HeadlessChromium.pixelsNear(image, 0x444444)).as("mid (dark grey)").isGreaterThan(300);
            assertThat(io.mme.app.web.HeadlessChromium.pixelsNear(image, 0x2ca02c)).as("our bid (green)").isGreaterThan(100);
            assertThat(io.mme.app.web.HeadlessChromium.pixelsNear(image, 0xd62728)).as("our ask (red)").isGreaterThan(100);
            assertThat(io.mme.app.web.HeadlessChromium.pixelsNear(image, 0x9467bd)).as("inventory (purple)").isGreaterThan(100);
        } finally {
            browser.quit();
        }
    }

    private ChromeDriver startBrowser() {
        return io.mme.app.web.HeadlessChromium.start("--window-size=1300,2000", "--allow-file-access-from-files");
    }
}
