package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import net.openhft.chronicle.queue.RollCycle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention over an input journal that rolls every second: four cycles of events, then the rules
 * of what may go (restart point, the store's drain, age, the newest file) one at a time.
 */
class JournalRetentionTest {
    private static final long LATER = Long.MAX_VALUE / 4; // "now" far after every cycle ended

    /** the four cycles, written once (they take four seconds of wall clock); each test works on a copy */
    @TempDir
    static Path template;
    /** the first event of each cycle written */
    private static final List<Long> cycleFirst = new ArrayList<>();
    private static long next;

    @TempDir
    Path run;

    @BeforeAll
    static void fourCyclesOfInput() {
        JournalEngine journal = new JournalEngine(template.resolve("queue"), JournalSync.NONE, JournalRoll.SECONDLY);
        journal.onStart(null);
        RollCycle roll = JournalRoll.SECONDLY.cycle();
        for (int c = 0; c < 4; c++) {
            awaitNextCycle(roll);
            cycleFirst.add(next);
            for (int i = 0; i < 10; i++) {
                InboundEvent e = new InboundEvent();
                e.begin(next, InboundEventType.TIMER, 1_700_000_000_000_000_000L + next);
                journal.onEvent(e, next, true);
                next++;
            }
        }
        journal.onShutdown();
        assertThat(cq4Files(template.resolve("queue"))).hasSize(4);
    }

    @BeforeEach
    void aCopyOfTheFourCycles() throws IOException {
        Files.createDirectories(run.resolve("queue"));
        try (Stream<Path> files = Files.list(template.resolve("queue"))) {
            for (Path f : files.toList()) {
                Files.copy(f, run.resolve("queue").resolve(f.getFileName()));
            }
        }
    }

    private static void awaitNextCycle(RollCycle roll) {
        long cycle = System.currentTimeMillis() / roll.lengthInMillis();
        while (System.currentTimeMillis() / roll.lengthInMillis() == cycle) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    private static JournalRetention.Needs needs(long restartPoint, long drainedIndex) {
        return new JournalRetention.Needs() {
            @Override
            public long restartPoint() {
                return restartPoint;
            }

            @Override
            public long drainedIndex(int journal) {
                return drainedIndex;
            }
        };
    }

    private JournalRetention retention(Duration retain, Path archive, JournalRetention.Needs needs) {
        return new JournalRetention(run, new JournalRetention.Policy(retain, archive), needs);
    }

    @Test
    void filesWhoseEventsAreAllAtOrBeforeTheRestartPointGoAndTheRestReadsOnWithoutAGap() {
        long restartPoint = cycleFirst.get(2) + 3; // inside the third cycle
        List<JournalRetention.Removed> removed = retention(Duration.ZERO, null, needs(restartPoint, Long.MAX_VALUE)).prune(LATER);

        assertThat(removed).hasSize(2);
        assertThat(removed.get(1).lastEvent()).isEqualTo(cycleFirst.get(2) - 1);
        assertThat(cq4Files(run.resolve("queue"))).hasSize(2);
        assertThat(JournalReader.firstSequence(run.resolve("queue"))).isEqualTo(cycleFirst.get(2));
        List<Long> read = new ArrayList<>();
        JournalReader.checkWhole(run.resolve("queue"), e -> read.add(e.sequence()));
        assertThat(read).hasSize((int) (next - cycleFirst.get(2))).startsWith(cycleFirst.get(2)).endsWith(next - 1);
    }

    @Test
    void theNewestFileStaysWhateverTheRestartPoint() {
        retention(Duration.ZERO, null, needs(next + 100, Long.MAX_VALUE)).prune(LATER);

        assertThat(cq4Files(run.resolve("queue"))).hasSize(1);
        assertThat(JournalReader.firstSequence(run.resolve("queue"))).isEqualTo(cycleFirst.get(3));
    }

    @Test
    void nothingGoesWithoutSavedStatesOrBeforeTheStoreCommittedAnything() {
        assertThat(retention(Duration.ZERO, null, needs(-1, Long.MAX_VALUE)).prune(LATER)).isEmpty();
        assertThat(retention(Duration.ZERO, null, needs(next, -1)).prune(LATER)).isEmpty();
        assertThat(cq4Files(run.resolve("queue"))).hasSize(4);
    }

    @Test
    void aFileThePostgresDrainHasNotPassedStays() {
        RollCycle roll = JournalRoll.SECONDLY.cycle();
        long secondCycle = roll.toCycle(queueIndexOfFirstRecordInCycle(1));
        long drainedInSecondCycle = roll.toIndex((int) secondCycle, 5); // the store committed up to the 6th record of cycle 2

        List<JournalRetention.Removed> removed = retention(Duration.ZERO, null, needs(next, drainedInSecondCycle)).prune(LATER);

        assertThat(removed).hasSize(1); // the first cycle only: the drain is still inside the second
        assertThat(JournalReader.firstSequence(run.resolve("queue"))).isEqualTo(cycleFirst.get(1));
    }

    @Test
    void aFileYoungerThanTheRetentionStays() {
        long now = System.currentTimeMillis();
        assertThat(retention(Duration.ofHours(1), null, needs(next, Long.MAX_VALUE)).prune(now)).isEmpty();
        assertThat(retention(Duration.ofHours(1), null, needs(next, Long.MAX_VALUE)).prune(now + 3_600_000 + 10_000)).hasSize(3);
    }

    @Test
    void retentionOffRemovesNothing() {
        assertThat(new JournalRetention(run, JournalRetention.Policy.KEEP_ALL, needs(next, Long.MAX_VALUE)).prune(LATER)).isEmpty();
    }

    @Test
    void archivedFilesPutBackMakeTheJournalWholeAgain() throws IOException {
        Path archive = run.resolve("archive");
        List<JournalRetention.Removed> removed = retention(Duration.ZERO, archive, needs(next, Long.MAX_VALUE)).prune(LATER);
        assertThat(removed).hasSize(3).allSatisfy(r -> assertThat(r.archivedTo()).exists());
        assertThat(JournalReader.firstSequence(run.resolve("queue"))).isEqualTo(cycleFirst.get(3));

        assertThat(JournalRetention.restore(run, archive)).isEqualTo(3);
        List<Long> read = new ArrayList<>();
        JournalReader.checkWhole(run.resolve("queue"), e -> read.add(e.sequence()));
        assertThat(read).hasSize((int) next).startsWith(0L);
    }

    @Test
    void aRestoreReplacesAnEmptyFileOfTheSameNameButNeverOneWithRecords() throws IOException {
        Path archive = run.resolve("archive");
        List<JournalRetention.Removed> removed = retention(Duration.ZERO, archive, needs(next, Long.MAX_VALUE)).prune(LATER);
        // a file of a removed cycle that holds records: never overwritten
        Files.copy(removed.get(0).archivedTo(), removed.get(0).file());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalRetention.restore(run, archive))
                .isInstanceOf(JournalException.class).hasMessageContaining("exists and holds records");
        // an empty file of that name (a cycle without records): replaced
        Files.delete(removed.get(0).file());
        JournalRetention.refreshListing(run.resolve("queue"));
        Files.write(removed.get(0).file(), new byte[0]);
        assertThat(JournalRetention.restore(run, archive)).isEqualTo(3);
        assertThat(JournalReader.firstSequence(run.resolve("queue"))).isZero();
    }

    @Test
    void retainParsesDurationsAndAll() {
        assertThat(JournalRetention.Policy.parseRetain("all")).isNull();
        assertThat(JournalRetention.Policy.parseRetain(null)).isNull();
        assertThat(JournalRetention.Policy.parseRetain("0")).isEqualTo(Duration.ZERO);
        assertThat(JournalRetention.Policy.parseRetain("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(JournalRetention.Policy.parseRetain(" 7D ")).isEqualTo(Duration.ofDays(7));
        for (String bad : new String[]{"", "h", "-1h", "12", "1w", "1.5h"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalRetention.Policy.parseRetain(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private long queueIndexOfFirstRecordInCycle(int cycleOrdinal) {
        long wanted = cycleFirst.get(cycleOrdinal);
        try (var queue = Queues.open(run.resolve("queue"), true); var tailer = queue.createTailer()) {
            while (true) {
                try (var document = tailer.readingDocument()) {
                    if (!document.isPresent()) {
                        throw new AssertionError("no record " + wanted);
                    }
                    if (JournalFormat.sequenceOf(document.wire().bytes()) == wanted) {
                        return document.index();
                    }
                }
            }
        }
    }

    private static List<Path> cq4Files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
