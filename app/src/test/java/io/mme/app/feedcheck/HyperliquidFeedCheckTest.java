package io.mme.app.feedcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mme.app.Main;
import io.mme.connectors.hyperliquid.HyperliquidCapture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mme feed check --venue hyperliquid} on the shared capture, through the real feed over loopback. */
class HyperliquidFeedCheckTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void theCaptureEndsWithItsBookValidAndItsLastTouch() throws Exception {
        int code = run("feed", "check", "--venue", "hyperliquid", "--recording", HyperliquidCapture.file().toString());
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("venue").asText()).isEqualTo("hyperliquid");
        assertThat(json.get("complete").asBoolean()).isTrue();
        assertThat(json.get("messages").asLong()).isEqualTo(55);
        assertThat(json.get("snapshots_applied").asLong()).isEqualTo(46);
        assertThat(json.get("refused_crossed").asLong() + json.get("refused_older").asLong()).isZero();
        assertThat(json.get("malformed").asLong()).isZero();
        assertThat(json.get("crossed").asLong()).isZero();
        assertThat(json.get("trades").asLong()).isPositive();
        JsonNode btc = json.get("books").get("BTC");
        assertThat(btc.get("state").asText()).isEqualTo("VALID");
        assertThat(btc.get("went_invalid").asLong()).isZero();
        assertThat(btc.get("bid").asText()).isEqualTo("105050");
        assertThat(btc.get("ask").asText()).isEqualTo("105051");
    }

    @Test
    void theFaultMatrixPasses() {
        int code = run("feed", "check", "--venue", "hyperliquid", "--recording", HyperliquidCapture.file().toString(), "--faults");
        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("hyperliquid ws").contains("swap").doesNotContain("FAIL");
    }
}
