package io.mme.app;

import io.mme.audit.JournalEngine;
import io.mme.audit.JournalReader;
import io.mme.audit.state.StateStore;
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

    /** the snapshot point the states are at, -1 when there are none */
    long statePoint() {
        return states.isEmpty() ? -1 : states.values().iterator().next().sequence();
    }

    boolean isRestart() {
        return lastJournaled >= 0;
    }

    static Recovery prepare(Path inputJournal, StateStore store, List<String> engines) {
        List<String> report = new ArrayList<>();
        long last = -1;
        if (Files.isDirectory(inputJournal)) {
            last = checkJournal(inputJournal, report);
        }
        Map<String, StateStore.Saved> states = last < 0 ? Map.of() : store.load(engines);
        report.addAll(store.problems());
        if (!states.isEmpty()) {
            long point = states.values().iterator().next().sequence();
            if (point > last) {
                report.add("the saved states are at event " + point + ", past the journal's end at " + last
                        + ": they are not used, the journal is replayed from its start");
                states = Map.of();
            }
        }
        return new Recovery(last, states, List.copyOf(report));
    }

    /** reads the journal through; returns its last good event, repairing it when a record cannot be read */
    private static long checkJournal(Path journal, List<String> report) {
        long last = -1;
        String failure = null;
        try (JournalReader reader = new JournalReader(journal)) {
            InboundEvent e;
            while ((e = reader.next()) != null) {
                last = e.sequence();
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
            if (end <= last) {
                return last;
            }
            failure = "reading stops after event " + last + " but the journal's last record is "
                    + (end == Long.MAX_VALUE ? "unreadable" : "event " + end) + ": the records between are damaged";
        }
        Path aside = journal.resolveSibling(journal.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(journal, aside);
        } catch (IOException e) {
            throw new IllegalStateException("the journal " + journal + " is damaged after event " + last + " (" + failure
                    + ") and cannot be moved aside: " + e.getMessage(), e);
        }
        long kept = copyPrefix(aside, journal, last);
        report.add("the journal is damaged after event " + last + " (" + failure + "): events 0.." + kept
                + " were kept, what followed is lost; the damaged journal is in " + aside);
        return kept;
    }

    /** copies records 0..last of {@code from} into a new journal at {@code to}; returns the last copied */
    private static long copyPrefix(Path from, Path to, long last) {
        JournalEngine copy = new JournalEngine(to);
        copy.onStart(null);
        long copied = -1;
        try (JournalReader reader = new JournalReader(from)) {
            InboundEvent e;
            while (copied < last && (e = reader.next()) != null) {
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
