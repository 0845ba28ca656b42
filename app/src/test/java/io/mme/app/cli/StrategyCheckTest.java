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

    /**
     * With a view 20 levels deep (the most a slot carries) every callback the built-in strategies
     * got allocated nothing at p50 and p99; the bytes come from the JVM's per-thread counter, exact
     * enough to assert (timing is not asserted).
     */
    @Test
    void theBuiltInStrategiesAllocateNothingInAnyCallbackWithATwentyLevelView() {
        Path journal = dir.resolve("journal");
        run(0, "demo", "--seconds", "3", "--seed", "11", "--journal", journal.toString(), "--report-every", "3");
        for (String type : new String[]{"inventory-skew", "avellaneda-stoikov"}) {
            String out = run(0, "strategy", "check", "--journal", journal.toString(), "--type", type, "--book-depth", "20");
            assertThat(out).contains("strategy check of " + type + " (built in)").contains("book depth 20");
            Matcher row = Pattern.compile("(on[A-Za-z]+|quote) +([0-9,]+) +[0-9,]+ +[0-9,]+ +([0-9,]+) +([0-9,]+) ").matcher(out);
            int rows = 0;
            while (row.find()) {
                rows++;
                assertThat(row.group(3)).as("%s p50 bytes of %s: %s", row.group(1), type, out).isEqualTo("0");
                assertThat(row.group(4)).as("%s p99 bytes of %s: %s", row.group(1), type, out).isEqualTo("0");
            }
            // at least onBook, onFairValue, onTimer and quote were called
            assertThat(rows).as(out).isGreaterThanOrEqualTo(4);
        }
        assertThat(run(Main.EXIT_CONFIG, "strategy", "check", "--journal", journal.toString(), "--type", "inventory-skew",
                "--book-depth", "21")).contains("--book-depth 21: 1 to 20 book levels a side");
    }

    /** --in-place-of picks which recorded strategy the checked one replaces: xemm where the desk ran its cross-venue strategy */
    @Test
    void aStrategyCheckedInPlaceOfANamedStrategyTakesItsPairAndVenues() {
        Path journal = dir.resolve("journal");
        run(0, "demo", "--seconds", "3", "--seed", "5", "--journal", journal.toString(), "--report-every", "3");
        String out = run(0, "strategy", "check", "--journal", journal.toString(), "--type", "xemm", "--in-place-of", "btc-xemm");
        assertThat(out).contains("strategy check of xemm (built in)").contains("in place of strategy btc-xemm on BTC/USD");
        Matcher quote = Pattern.compile("quote +([0-9,]+) +[0-9,]+ +[0-9,]+ +([0-9,]+) +([0-9,]+) ").matcher(out);
        assertThat(quote.find()).as(out).isTrue();
        assertThat(Long.parseLong(quote.group(1).replace(",", ""))).isPositive();
        assertThat(run(0, "strategy", "check", "--journal", journal.toString(), "--type", "avellaneda-stoikov",
                "--in-place-of", "sol-as")).contains("in place of strategy sol-as on SOL/USD");
        assertThat(run(Main.EXIT_CONFIG, "strategy", "check", "--journal", journal.toString(), "--type", "xemm",
                "--in-place-of", "btc-nope")).contains("--in-place-of btc-nope: the run in " + journal + " has no strategy with that id")
                .contains("btc-skew, btc-xemm, eth-skew, sol-as");
    }

    @Test
    void anUnknownTypeAndAMissingJournalAreNamed() {
        Path journal = dir.resolve("none");
        assertThat(run(Main.EXIT_CONFIG, "strategy", "check", "--journal", journal.toString(), "--type", "inventory-skew"))
                .contains(journal + " is not a journal directory");
    }
}
