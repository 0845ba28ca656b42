package io.mme.app.cli;

import io.mme.app.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo trades, keeps its journal where asked, and a replay of that journal reaches the same digest. */
class DemoReplayTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void theReplayOfADemoJournalPrintsTheLiveRunsDigest() throws Exception {
        Path journal = dir.resolve("journal");
        Run live = run("demo", "--seconds", "4", "--report-every", "2", "--seed", "7", "--journal", journal.toString());
        assertThat(live.code()).as(live.out() + live.err()).isZero();
        String digestLine = lastLine(live.out());
        assertThat(digestLine).matches("digest: [0-9a-f]{64}");
        // the periodic table: quotes, position, PnL, fills, orders, tick-to-quote per venue
        assertThat(live.out()).contains("  2 s  events through the chain").contains("our bid").contains("our ask")
                .contains("position").contains("pnl").contains("fills").contains("tick-to-quote (this interval)");
        assertThat(live.out()).contains("kill switch published as event");
        // the desk: a line per strategy, each instrument's row naming its strategy
        assertThat(live.out()).contains("strategy btc-skew (inventory-skew)").contains("strategy eth-skew (inventory-skew)")
                .contains("strategy sol-as (avellaneda-stoikov)").containsPattern("sol-as +kraken +SOL/USD");
        // the strategy's orders reached the venue and some traded
        Matcher orders = Pattern.compile("orders: ([0-9,]+) sent, ([0-9,]+) acked, ([0-9,]+) fills").matcher(live.out());
        assertThat(orders.find()).isTrue();
        assertThat(Long.parseLong(orders.group(1).replace(",", ""))).isPositive();
        assertThat(Long.parseLong(orders.group(3).replace(",", ""))).isPositive();
        assertThat(Files.isRegularFile(journal.resolve("mme-config.yaml"))).isTrue();

        Run replay = run("replay", "--journal", journal.toString());
        assertThat(replay.code()).as(replay.out() + replay.err()).isZero();
        assertThat(replay.out()).contains("replayed");
        assertThat(lastLine(replay.out())).isEqualTo(digestLine);

        // and a second replay of the same journal again
        assertThat(lastLine(run("replay", "--journal", journal.toString()).out())).isEqualTo(digestLine);
    }

    @Test
    void aRunDirectoryThatHoldsARunIsRestartedFromItsStatesAndAMissingOneIsNamed() throws Exception {
        Path journal = dir.resolve("j");
        assertThat(run("demo", "--seconds", "3", "--journal", journal.toString()).code()).isZero();
        Run again = run("demo", "--seconds", "2", "--journal", journal.toString());
        assertThat(again.code()).as(again.out()).isZero();
        assertThat(again.out()).contains("holds a journal: restarting that run").contains("restart: the journal holds events 0..")
                .contains("resuming it");
        // the restarted run and a replay of the whole journal end in the same state
        assertThat(lastLine(run("replay", "--journal", journal.toString()).out())).isEqualTo(lastLine(again.out()));

        Run missing = run("replay", "--journal", dir.resolve("nothing-here").toString());
        assertThat(missing.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(missing.out()).contains("nothing-here").contains("is not a journal directory");
    }

    @Test
    void aDamagedJournalIsReportedAndTheRunGoesOnFromItsLastGoodRecord() throws Exception {
        Path journal = dir.resolve("damaged");
        assertThat(run("demo", "--seconds", "2", "--journal", journal.toString()).code()).isZero();
        // damage the queue file in the middle of what was written
        Path file;
        try (var files = java.nio.file.Files.list(journal.resolve("queue"))) {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        int at = end / 2;
        for (int i = 0; i < 64; i++) {
            bytes[at + i] = (byte) 0xA5;
        }
        java.nio.file.Files.write(file, bytes);

        // a replay of it: one line naming the file, the last good event and the remedy; exit 1, no stack trace
        Run replay = run("replay", "--journal", journal.toString());
        assertThat(replay.code()).as(replay.out() + replay.err()).isEqualTo(Main.EXIT_FAILED);
        assertThat(replay.err().lines().filter(l -> !l.isBlank()).toList()).singleElement().asString()
                .startsWith("mme: the journal " + file + " is damaged after event ")
                .contains("replay stopped there").contains("--journal " + journal).contains("repairs it")
                .doesNotContain("\tat ");
        assertThat(replay.out()).doesNotContain("digest:");

        Run restarted = run("demo", "--seconds", "2", "--journal", journal.toString());
        assertThat(restarted.code()).as(restarted.out() + restarted.err()).isZero();
        assertThat(restarted.out()).contains("recovery: the input journal is damaged after event")
                .contains("the journals are cut at event").contains("were kept, what followed is lost");
        // the repaired journal replays to the state the run ended in
        assertThat(lastLine(run("replay", "--journal", journal.toString()).out())).isEqualTo(lastLine(restarted.out()));
    }

    @Test
    void theAvellanedaStoikovSimulationPrintsATableAndOneJsonLinePerStrategy() {
        Run sim = run("sim", "avellaneda-stoikov", "--gamma", "0.1", "--runs", "200", "--seed", "3");
        assertThat(sim.code()).as(sim.err()).isZero();
        assertThat(sim.out()).contains("strategy").contains("spread").contains("std(q)");
        List<String> json = sim.out().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(json).hasSize(2);
        Pattern line = Pattern.compile("\\{\"strategy\":\"(inventory|symmetric)\",\"gamma\":0\\.1,\"runs\":200,\"avg_spread\":[-0-9.E]+,"
                + "\"profit_mean\":[-0-9.E]+,\"profit_std\":[-0-9.E]+,\"final_q_mean\":[-0-9.E]+,\"final_q_std\":([-0-9.E]+)}");
        Matcher inventory = line.matcher(json.get(0));
        Matcher symmetric = line.matcher(json.get(1));
        assertThat(inventory.matches()).as(json.get(0)).isTrue();
        assertThat(symmetric.matches()).as(json.get(1)).isTrue();
        assertThat(inventory.group(1)).isEqualTo("inventory");
        assertThat(symmetric.group(1)).isEqualTo("symmetric");
        // the inventory strategy holds far less inventory at the end than the symmetric benchmark
        assertThat(Double.parseDouble(inventory.group(2))).isLessThan(Double.parseDouble(symmetric.group(2)) / 2);
    }

    @Test
    void theSimulationRefusesBadArguments() {
        Run oneRun = run("sim", "avellaneda-stoikov", "--runs", "1");
        assertThat(oneRun.code()).isEqualTo(2);
        assertThat(oneRun.err()).contains("--runs 1");
        Run gamma = run("sim", "avellaneda-stoikov", "--gamma", "-1");
        assertThat(gamma.code()).isEqualTo(2);
        assertThat(gamma.err()).contains("--gamma");
    }
}
