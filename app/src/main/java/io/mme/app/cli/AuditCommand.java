package io.mme.app.cli;

import io.mme.app.EngineRunner;
import io.mme.app.Main;
import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.audit.AuditedChange;
import io.mme.audit.DecisionRecord;
import io.mme.audit.JournalException;
import io.mme.audit.RecordCursor;
import io.mme.audit.RunId;
import io.mme.core.instrument.InstrumentRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mme audit --journal DIR [--kind K] [--since T]}: the change history of a run from its
 * decisions journal (every control command with its owning engine's answer, and the engines' own
 * changes), one line per change: when, the journal sequence, kind, who, target by name, key, old
 * and new value, whether it applied, why and the engine's message. The first line names the run id
 * (the directory's {@code run-id} file), the {@code run_id} of this run's rows in the PostgreSQL
 * audit trail. A journal directory is one run, so there is no {@code --run} filter: a run id is
 * found in PostgreSQL's {@code audit_runs}, which names each run's directory. Text from the
 * journal is printed with control characters escaped, so a journal written before the API refused
 * them cannot forge a line. Reads only (a missing run id is reported, not made); runs on the CLI
 * thread.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Print the who / when / why / old / new history of a run's changes (limits, trading states, kill switch,",
                "strategy parameters, start/stop, venue back-offs, the risk engine's own changes) from its journal directory."})
public final class AuditCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-j", "--journal"}, required = true, paramLabel = "DIR", description = "the journal directory of a run")
    Path journal;

    @Option(names = "--kind", paramLabel = "K", description = "only changes of this kind: ${COMPLETION-CANDIDATES}",
            completionCandidates = Kinds.class)
    String kind;

    @Option(names = "--since", paramLabel = "T",
            description = "only changes at or after T: an ISO-8601 instant (2026-12-07T15:00:00Z) or a UTC date (2026-12-07)")
    String since;

    private String sinceLabel;

    /** the kinds, for the help text */
    static final class Kinds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return AuditedChange.KINDS.iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String onlyKind = null;
        if (kind != null) {
            onlyKind = AuditedChange.kind(kind);
            if (onlyKind == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--kind '" + kind + "' is not one of "
                        + String.join(", ", AuditedChange.KINDS));
            }
        }
        long sinceNanos = since == null ? Long.MIN_VALUE : parseSince(since);
        Path config = journal.resolve(EngineRunner.JOURNAL_CONFIG);
        Path decisions = journal.resolve(EngineRunner.JOURNAL_DECISIONS);
        if (!Files.isRegularFile(config) || !Files.isDirectory(decisions)) {
            out.printf("mme: %s is not a journal directory (expected %s and %s/ in it)%n", journal, EngineRunner.JOURNAL_CONFIG,
                    EngineRunner.JOURNAL_DECISIONS);
            out.flush();
            return Main.EXIT_CONFIG;
        }
        MmeSettings settings = new ConfigLoader().load(config, Map.of());
        out.println(runLine(journal));
        return print(decisions, settings.instruments(), settings.strategyOfInstrument(), onlyKind, sinceNanos, sinceLabel, out);
    }

    /** the line naming the run directory's run id, or why there is none */
    static String runLine(Path runDirectory) {
        try {
            String id = RunId.existing(runDirectory);
            return id != null ? "run " + id + " (run_id of its rows in the PostgreSQL audit trail)"
                    : "run id: none (no " + RunId.FILE + " file: the engine makes one when it next starts this run; rows it stored "
                    + "before run ids are under '" + RunId.LEGACY + "')";
        } catch (java.io.UncheckedIOException e) {
            return "run id: unreadable (" + text(e.getMessage()) + ")";
        }
    }

    /** prints the changes of a decisions journal; the exit code */
    static int print(Path decisions, InstrumentRegistry instruments, String[] strategyOfInstrument, String onlyKind, long sinceNanos, String sinceLabel,
                     PrintWriter out) {
        out.printf("%-30s %8s  %-18s %-12s %-20s %-26s %-10s -> %-10s %-8s %s%n", "TIME (UTC)", "SEQ", "KIND", "WHO", "TARGET", "KEY",
                "OLD", "NEW", "RESULT", "WHY / MESSAGE");
        int shown = 0;
        try (RecordCursor<DecisionRecord> cursor = RecordCursor.decisions(decisions)) {
            DecisionRecord d;
            while ((d = cursor.next()) != null) {
                if (d.control() == null || d.timestampNanos() < sinceNanos) {
                    continue;
                }
                AuditedChange c = AuditedChange.of(d.sequence(), d.timestampNanos(), d.control(), instruments, strategyOfInstrument);
                if (c == null || (onlyKind != null && !onlyKind.equals(c.kind()))) {
                    continue;
                }
                String result = c.applied() == null ? "UNANSWERED" : c.applied() ? "applied" : "REFUSED";
                StringBuilder why = new StringBuilder("reason: ").append(quote(c.reason()));
                if (c.message() != null) {
                    why.append("; ").append(Boolean.FALSE.equals(c.applied()) ? "refused: " : "note: ").append(quote(c.message()));
                }
                out.printf("%-30s %8d  %-18s %-12s %-20s %-26s %-10s -> %-10s %-8s %s%n", c.time(), c.sequence(), text(c.kind()),
                        text(c.principal()), text(c.target()), c.key() == null ? "-" : text(c.key()),
                        c.oldValue() == null ? "?" : text(String.valueOf(c.oldValue())), text(String.valueOf(c.newValue())), result,
                        why);
                shown++;
            }
        } catch (JournalException e) {
            out.println("mme: " + e.getMessage());
            out.flush();
            return Main.EXIT_FAILED;
        }
        out.printf("%d change%s%s%s%n", shown, shown == 1 ? "" : "s", onlyKind == null ? "" : " of kind " + onlyKind,
                sinceLabel == null ? "" : " since " + sinceLabel);
        out.flush();
        return Main.EXIT_OK;
    }

    private long parseSince(String text) {
        String t = text.trim();
        try {
            Instant instant = t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
            sinceLabel = instant.toString();
            try {
                return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
            } catch (ArithmeticException beyondNanos) {
                // past 2262 (or before 1677): after (before) every journal's epoch-nanosecond timestamps
                return instant.getEpochSecond() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            }
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--since '" + text
                    + "' is not an ISO-8601 instant (2026-12-07T15:00:00Z) or a date (2026-12-07)");
        }
    }

    /** journal text with control characters escaped (\n, \t, \\uXXXX) */
    static String text(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String quote(String s) {
        return s == null ? "-" : "\"" + text(s).replace("\"", "\\\"") + "\"";
    }
}
