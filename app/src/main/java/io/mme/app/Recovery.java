package io.mme.app;

import io.mme.audit.JournalCut;
import io.mme.audit.JournalEngine;
import io.mme.audit.JournalReader;
import io.mme.audit.state.StateStore;
import io.mme.audit.store.AuditStore;
import io.mme.core.ring.InboundEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a restart finds in a run directory and what it will do about it: how far the input journal
 * goes (repairing a journal whose tail cannot be read: the good records are kept, the rest moved
 * aside and reported), and the latest point at which every engine's state was saved. The engines
 * then start from those states (or from nothing) and the journal's tail after that point is fed
 * through them before the engine goes live. CLI thread, before the pipeline starts.
 *
 * @param lastJournaled the last event in the (repaired) journal, -1 when there is none
 * @param states        each engine's saved state at one snapshot point, or empty: replay it all
 * @param report        what was found and done, for the start-up output
 */
record Recovery(long lastJournaled, Map<String, StateStore.Saved> states, List<String> report) {

    /**
     * A restart that cannot be done: the input journal begins after the event the engines' states
     * would resume from (retention removed its first files, and the saved states that made that
     * safe cannot be read). Refused before anything starts; the message says what to do.
     */
    static final class PrunedJournalException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PrunedJournalException(String message) {
            super(message);
        }
    }

    /** the snapshot point the states are at, -1 when there are none */
    long statePoint() {
        return states.isEmpty() ? -1 : states.values().iterator().next().sequence();
    }

    boolean isRestart() {
        return lastJournaled >= 0;
    }

    static Recovery prepare(Path inputJournal, StateStore store, List<String> engines) {
        return prepare(inputJournal, store, engines, io.mme.audit.JournalRoll.DEFAULT);
    }

    /**
     * The same; a journal cut and copied back rolls as {@code roll} says.
     *
     * @throws PrunedJournalException when retention removed the journal's beginning and no saved state
     *                                 is late enough to resume from what is left
     */
    static Recovery prepare(Path inputJournal, StateStore store, List<String> engines, io.mme.audit.JournalRoll roll) {
        List<String> report = new ArrayList<>();
        long last = -1;
        if (Files.isDirectory(inputJournal)) {
            last = checkJournals(inputJournal, report, roll);
        }
        Map<String, StateStore.Saved> states = last < 0 ? Map.of() : store.load(engines);
        report.addAll(store.problems());
        if (!states.isEmpty()) {
            long point = states.values().iterator().next().sequence();
            if (point > last) {
                // the journal was cut before the newer states: the older generation may be within it
                states = store.load(engines, last);
                report.add("the saved states are at event " + point + ", past the journal's end at " + last + ": "
                        + (states.isEmpty() ? "they are not used, the journal is replayed from its start"
                        : "the older ones, at event " + states.values().iterator().next().sequence() + ", are used"));
            }
        }
        long first = last < 0 ? -1 : JournalReader.firstSequence(inputJournal);
        long point = states.isEmpty() ? -1 : states.values().iterator().next().sequence();
        if (first > point + 1) {
            throw new PrunedJournalException("the input journal " + inputJournal + " begins at event " + first
                    + " (journal.retain removed the files before it), but " + (point < 0 ? "no saved state can be read" : "the saved states are at event " + point)
                    + ": a restart needs the events after its state; " + String.join("; ", report)
                    + ". Put the archived journal files back (journal.archive) to replay from an earlier state, or start a new run directory");
        }
        return new Recovery(last, states, List.copyOf(report));
    }

    /**
     * Verifies the three journals (every record's check) and cuts them at one point: the last event
     * whose input, decisions and orders are all intact. What follows it in any of the three is moved
     * aside (each journal whole to a {@code .corrupt-<millis>} sibling, its records up to the cut
     * copied back), and the audit store is told to drop its rows past the cut, so the restarted run's
     * decisions and orders for the events after it are journaled and audited. Returns the cut.
     */
    private static long checkJournals(Path journal, List<String> report, io.mme.audit.JournalRoll roll) {
        Path run = journal.toAbsolutePath().getParent();
        Path decisions = run.resolve(EngineRunner.JOURNAL_DECISIONS);
        Path orders = run.resolve(EngineRunner.JOURNAL_ORDERS);
        long[] input = new long[1];
        String inputFailure = scanInput(journal, input);
        long last = input[0];
        JournalCut.Scan decisionScan = JournalCut.scan(decisions, JournalCut.Kind.DECISIONS);
        JournalCut.Scan orderScan = JournalCut.scan(orders, JournalCut.Kind.ORDERS);
        long cut = Math.min(last, Math.min(decisionScan.intactTo(), orderScan.intactTo()));
        boolean cutInput = inputFailure != null || cut < last;
        boolean cutDecisions = decisionScan.damaged() || decisionScan.lastKey() > cut;
        boolean cutOrders = orderScan.damaged() || orderScan.lastKey() > cut;
        if (!cutInput && !cutDecisions && !cutOrders) {
            return last;
        }
        String stamp = ".corrupt-" + System.currentTimeMillis();
        List<String> damage = new ArrayList<>();
        if (inputFailure != null) {
            damage.add("the input journal is damaged after event " + last + " (" + inputFailure + ")");
        }
        if (decisionScan.damaged()) {
            damage.add(decisionScan.damage());
        }
        if (orderScan.damaged()) {
            damage.add(orderScan.damage());
        }
        if (damage.isEmpty()) {
            damage.add("the decisions or orders journal holds records past the input journal's last event " + last);
        }
        // the store first: should the cut be interrupted, its rows past the cut are dropped all the same at its next start
        AuditStore.markCut(run, cut);
        long kept = cut;
        int summary = report.size(); // the summary goes first, once the cut is known
        if (cutInput) {
            Path aside = journal.resolveSibling(journal.getFileName() + stamp);
            try {
                Files.move(journal, aside);
            } catch (IOException e) {
                throw new IllegalStateException("the journal " + journal + " is damaged after event " + last + " (" + inputFailure
                        + ") and cannot be moved aside: " + e.getMessage(), e);
            }
            kept = copyPrefix(aside, journal, cut, roll);
            report.add("the input journal is cut after event " + kept + ": events up to it were kept, what followed is lost;"
                    + " the whole input journal is in " + aside);
        }
        if (cutDecisions) {
            Path aside = decisions.resolveSibling(decisions.getFileName() + stamp);
            long n = JournalCut.cut(decisions, aside, kept, JournalCut.Kind.DECISIONS, roll);
            report.add("the decisions journal is cut after event " + kept + " (" + n + " records kept); the whole of it is in " + aside);
        }
        if (cutOrders) {
            Path aside = orders.resolveSibling(orders.getFileName() + stamp);
            long n = JournalCut.cut(orders, aside, kept, JournalCut.Kind.ORDERS, roll);
            report.add("the orders journal is cut after event " + kept + " (" + n + " records kept); the whole of it is in " + aside);
        }
        report.add(summary, String.join("; ", damage) + ": the journals are cut at event " + kept
                + ", the last one whose input, decisions and orders are all intact; the restarted run decides again from there,"
                + " and the audit store drops its rows past it");
        return kept;
    }

    /** reads the input journal through (verifying every record's check); returns what is damaged, or null, and its last good event in {@code last[0]} */
    private static String scanInput(Path journal, long[] last) {
        last[0] = -1;
        String failure = null;
        try (JournalReader reader = new JournalReader(journal)) {
            InboundEvent e;
            while ((e = reader.next()) != null) {
                last[0] = e.sequence();
            }
        } catch (RuntimeException e) {
            // JournalException for a record we cannot decode; Chronicle's own exceptions for a damaged frame
            failure = e.toString();
        }
        if (failure == null) {
            long end;
            try {
                end = JournalReader.lastSequenceFromEnd(journal);
            } catch (RuntimeException e) {
                end = Long.MAX_VALUE;
            }
            if (end <= last[0]) {
                return null;
            }
            failure = "reading stops after event " + last[0] + " but the journal's last record is "
                    + (end == Long.MAX_VALUE ? "unreadable" : "event " + end) + ": the records between are damaged";
        }
        return failure;
    }

    /**
     * copies the records of {@code from} up to event {@code last} into a new journal at {@code to}
     * (from its first record: 0, or later when retention removed the first files); returns the last copied
     */
    private static long copyPrefix(Path from, Path to, long last, io.mme.audit.JournalRoll roll) {
        JournalEngine copy = new JournalEngine(to, io.mme.audit.JournalSync.NONE, roll);
        copy.onStart(null);
        long copied = -1;
        try (JournalReader reader = new JournalReader(from)) {
            InboundEvent e;
            while (copied < last && (e = reader.next()) != null) {
                if (copied < 0 && e.sequence() > 0) {
                    copy.continuingAfter(e.sequence() - 1);
                }
                copy.onEvent(e, e.sequence(), false);
                copied = e.sequence();
            }
        } catch (RuntimeException stop) {
            // the damage again: everything before it is copied
        } finally {
            copy.onShutdown();
        }
        return copied;
    }
}
