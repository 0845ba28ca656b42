package io.mme.app.cli;

import io.mme.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code strategy check} runs a strategy type over a recorded demo and reports each callback's calls, time and bytes. */
class StrategyCheckTest {
    @TempDir
    Path dir;

    private static String run(int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute(args);
        assertThat(code).as(out.toString()).isEqualTo(expectedCode);
        return out.toString();
    }

    @Test
    void theBuiltInStrategiesAllocateNothingInTheirHotCallbacksOverARecordedDemo() {
        Path journal = dir.resolve("journal");
        run(0, "demo", "--seconds", "3", "--seed", "7", "--journal", journal.toString(), "--report-every", "3");
        for (String type : new String[]{"inventory-skew", "avellaneda-stoikov"}) {
            String out = run(0, "strategy", "check", "--journal", journal.toString(), "--type", type);
            assertThat(out).contains("strategy check of " + type + " (built in)");
            // the quote row: calls, p50 and p99 ns, p50 and p99 bytes, mean bytes
            Matcher quote = Pattern.compile("quote +([0-9,]+) +[0-9,]+ +[0-9,]+ +([0-9,]+) +([0-9,]+) ").matcher(out);
            assertThat(quote.find()).as(out).isTrue();
            assertThat(Long.parseLong(quote.group(1).replace(",", ""))).isPositive();
            assertThat(quote.group(2)).isEqualTo("0");
            assertThat(quote.group(3)).isEqualTo("0");
        }
    }

    @Test
    void anUnknownTypeAndAMissingJournalAreNamed() {
        Path journal = dir.resolve("none");
        assertThat(run(Main.EXIT_CONFIG, "strategy", "check", "--journal", journal.toString(), "--type", "inventory-skew"))
                .contains(journal + " is not a journal directory");
    }
}
