package io.mme.connectors.hyperliquid;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The shared Hyperliquid capture ({@code ../shared/data/hftbacktest/hyperliquid/btcusd_20250126.gz},
 * read in place, or from $MME_SHARED_DIR through the build's {@code mme.shared.dir}) and the
 * instrument it needs: BTC with the tick and lot its {@code meta} entry gives (szDecimals 5: tick
 * 0.1, lot 0.00001). Shared with the app's tests (test-jar).
 */
public final class HyperliquidCapture {
    private HyperliquidCapture() {
    }

    /** the capture file; an AssertionError saying where it looked when it is missing */
    public static Path file() {
        Path path = Path.of(System.getProperty("mme.shared.dir", "../../shared"))
                .resolve("data/hftbacktest/hyperliquid/btcusd_20250126.gz");
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("the shared Hyperliquid capture is missing: looked for " + path.toAbsolutePath().normalize()
                    + " (set MME_SHARED_DIR to the shared directory; by default it is ../shared beside the project)");
        }
        return path;
    }

    /** the messages as the venue sent them, in order (the receive-time prefix cut off) */
    public static List<String> messages() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file())),
                StandardCharsets.UTF_8))) {
            return in.lines().filter(l -> !l.isBlank()).map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** BTC as {@code meta} describes it (szDecimals 5) */
    public static InstrumentSpec btc() {
        return new InstrumentSpec(Venue.HYPERLIQUID, "BTC", "BTC", "USD", HyperliquidTicks.tickSize(5, true),
                HyperliquidTicks.lotSize(5), null, null, null, null);
    }

    /** a registry holding only Hyperliquid BTC */
    public static InstrumentRegistry registry() {
        return InstrumentRegistry.builder().add(btc()).build();
    }
}
