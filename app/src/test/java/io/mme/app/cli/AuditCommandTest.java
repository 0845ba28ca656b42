package io.mme.app.cli;

import io.mme.app.api.ChangeLog;
import io.mme.app.config.ConfigLoader;
import io.mme.audit.AuditedChange;
import io.mme.audit.DecisionJournalEngine;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.TradingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mme audit} and the API's change log read a decisions journal written by the audit stage:
 * every change kind with names, the risk engine's own changes, filters, a forged newline from an
 * old journal printed escaped, bad options refused naming the option.
 */
class AuditCommandTest {
    static final long T0 = 1_765_000_000_000_000_000L; // 2025-12-06T05:46:40Z

    @TempDir
    Path dir;

    /** a run directory: the demo configuration and a decisions journal of six changes and a snapshot */
    private Path run() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        try (var config = AuditCommandTest.class.getResourceAsStream("/demo.yaml")) {
            Files.copy(config, run.resolve("mme-config.yaml"));
        }
        DecisionJournalEngine journal = new DecisionJournalEngine(run.resolve("decisions"));
        journal.onStart(null);
        long seq = 10;
        journal.onEvent(control(seq++, ControlCommands.SET_LIMIT, "rita", "tighter", 0, 0, "maxPosition", 500, true, 900, null), 0, true);
        journal.onEvent(control(seq++, ControlCommands.SET_TRADING_STATE, "rita", "venue down\n05:00:00 INFO forged line", 2, -1, null,
                TradingState.HALTED.ordinal(), true, TradingState.ACTIVE.ordinal(), null), 1, true);
        journal.onEvent(control(seq++, ControlCommands.START_STRATEGY, "tom", "go", -1, -1, null, 0, true, 1, null), 2, true);
        journal.onEvent(control(seq++, ControlCommands.SET_STRATEGY_PARAMETER, "tom", "wider", -1, -1, "levels", 99, false, 2,
                "levels=99 refused: must be between 1 and 16"), 3, true);
        journal.onEvent(control(seq++, ControlCommands.SNAPSHOT, "engine", "periodic", -1, -1, null, 0, false, 0, null), 4, true);
        InboundEvent fill = new InboundEvent();
        fill.begin(seq++, InboundEventType.MARKET_DATA, T0 + 3_600_000_000_000L);
        fill.recordAutomaticChange().set(ControlCommands.SET_TRADING_STATE, 0, "risk", "daily loss").target(-1, -1).argument(null, 1);
        fill.automaticChange().answer(true, 0, null);
        journal.onEvent(fill, 5, true);
        journal.onEvent(control(seq, ControlCommands.KILL_SWITCH, "ada", "stop everything", -1, -1, null, 0, true, 1, null), 6, true);
        journal.onShutdown();
        return run;
    }

    private static InboundEvent control(long seq, String command, String who, String why, int venue, int instrument, String key,
                                        long value, boolean applied, long old, String message) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.CONTROL, T0 + seq * 1_000_000_000L);
        e.control().set(command, 100 + seq, who, why).target(venue, instrument).argument(key, value);
        if (!command.equals(ControlCommands.SNAPSHOT)) {
            e.control().answer(applied, old, message);
        }
        return e;
    }

    private static Result audit(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new AuditCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString().lines().toList(), err.toString());
    }

    record Result(int code, List<String> lines, String err) {
    }

    @Test
    void printsEveryChangeWithNamesOneLineEachAndTheForgedNewlineEscaped() throws Exception {
        Path run = run();

        Result all = audit("--journal", run.toString());

        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.lines()).hasSize(1 + 6 + 1);
        assertThat(all.lines().get(1)).contains("limit").contains("rita").contains("binance BTCUSDT").contains("maxPosition")
                .contains("900").contains("500").contains("applied").contains("reason: \"tighter\"");
        assertThat(all.lines().get(2)).contains("trading-state").contains("kraken").contains("ACTIVE     -> HALTED")
                .contains("venue down\\n05:00:00 INFO forged line");
        assertThat(all.lines().get(3)).contains("strategy-start").contains("true       -> true");
        assertThat(all.lines().get(4)).contains("strategy-parameter").contains("REFUSED").contains("?          -> 99")
                .contains("refused: \"levels=99 refused: must be between 1 and 16\"");
        assertThat(all.lines().get(5)).contains("trading-state").contains(" risk ").contains("global").contains("ACTIVE     -> REDUCING");
        assertThat(all.lines().get(6)).contains("kill-switch").contains("ada").contains("REDUCING   -> HALTED");
        assertThat(all.lines()).noneMatch(l -> l.startsWith("05:00:00"));
        assertThat(all.lines().get(7)).isEqualTo("6 changes");
    }

    @Test
    void filtersByKindAndTime() throws Exception {
        Path run = run();

        Result states = audit("--journal", run.toString(), "--kind", "TRADING-STATE");
        Result late = audit("--journal", run.toString(), "--since", "2025-12-06T06:00:00Z");

        assertThat(states.lines()).hasSize(1 + 2 + 1).last().isEqualTo("2 changes of kind trading-state");
        assertThat(late.lines()).hasSize(1 + 1 + 1);
        assertThat(late.lines().get(1)).contains(" risk ");
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() throws Exception {
        Path run = run();

        Result kind = audit("--journal", run.toString(), "--kind", "limits");
        Result since = audit("--journal", run.toString(), "--since", "yesterday");
        Result notARun = audit("--journal", dir.toString());

        assertThat(kind.code()).isEqualTo(2);
        assertThat(kind.err()).contains("--kind 'limits' is not one of limit, trading-state");
        assertThat(since.code()).isEqualTo(2);
        assertThat(since.err()).contains("--since 'yesterday'");
        assertThat(notARun.code()).isEqualTo(2);
        assertThat(String.join("\n", notARun.lines())).contains("is not a journal directory");
    }

    @Test
    void theApiChangeLogSeedsItselfFromTheJournalUpToTheStatePoint() throws Exception {
        Path run = run();
        InstrumentRegistry instruments = new ConfigLoader().load(run.resolve("mme-config.yaml"), Map.of()).instruments();
        ChangeLog log = new ChangeLog(instruments, 3);

        int read = log.seed(run.resolve("decisions"), 14);

        List<AuditedChange> last = new ArrayList<>(log.last(10, null));
        assertThat(read).as("changes up to sequence 14; the snapshot is none").isEqualTo(4);
        assertThat(last).as("the capacity keeps the newest").extracting(AuditedChange::sequence).containsExactly(11L, 12L, 13L);
        assertThat(last.get(0).venue()).isEqualTo("kraken");
        assertThat(last.get(0).oldValue()).isEqualTo("ACTIVE");
        assertThat(log.last(10, AuditedChange.PARAMETER)).singleElement().extracting(AuditedChange::applied).isEqualTo(false);
    }
}
