package io.mme.app.web;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the headless Chromium the browser tests drive: Debian's {@code chromium} and
 * {@code chromedriver} (or the paths in {@link WebPageBrowserTest#CHROMIUM_PROPERTY} and
 * {@link WebPageBrowserTest#CHROMEDRIVER_PROPERTY}), with no network of its own beyond loopback
 * (no background networking, component updates, sync, QUIC or proxy) and a fresh profile
 * ({@link BrowserProfile}). Test code only; the caller quits the driver.
 */
public final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /** a new driver; {@code extraArguments} (a window size, file access) go after the common ones */
    public static ChromeDriver start(String... extraArguments) {
        String chromium = System.getProperty(WebPageBrowserTest.CHROMIUM_PROPERTY, "/usr/bin/chromium");
        String chromedriver = System.getProperty(WebPageBrowserTest.CHROMEDRIVER_PROPERTY, "/usr/bin/chromedriver");
        assertThat(Files.isExecutable(Path.of(chromium)) && Files.isExecutable(Path.of(chromedriver)))
                .as("Chromium and chromedriver (apt-get install chromium chromium-driver; .ci/run does)").isTrue();
        List<String> arguments = new ArrayList<>(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--no-proxy-server", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + BrowserProfile.fresh()));
        arguments.addAll(List.of(extraArguments));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(arguments);
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().build(), options);
    }

    /** pixels of a screenshot within a small distance of an RGB colour (anti-aliasing blends the edges) */
    public static int pixelsNear(BufferedImage image, int rgb) {
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs((p >> 16 & 0xff) - r) + Math.abs((p >> 8 & 0xff) - g) + Math.abs((p & 0xff) - b) < 30) {
                    count++;
                }
            }
        }
        return count;
    }
}
