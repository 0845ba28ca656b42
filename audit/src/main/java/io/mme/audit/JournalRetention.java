package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Removes (or archives) the old files of a run directory's three journals ({@code journal.retain}):
 * only whole roll-cycle files ({@link JournalRoll}), only a prefix of each journal, and only what
 * nothing still needs. A file of journal J (cycle c) goes when all of these hold:
 *
 * <ol>
 *   <li>it is older than the retention: the cycle ended at least {@code retain} ago;</li>
 *   <li>J has a record in a later cycle (the newest file with records, which the writer continues
 *       and whose last record a restart reads, always stays);</li>
 *   <li>restart does not need it: every record in it is of an event at or before the restart
 *       point, the oldest snapshot point a restart could resume from ({@link Needs#restartPoint()},
 *       the older of the state store's two generations), so the journal's tail after any state a
 *       restart may load is whole. Without saved states (snapshots off, or none yet) nothing goes;</li>
 *   <li>PostgreSQL does not need it: when the audit store is on, a later cycle of J holds the record
 *       the store committed last ({@link Needs#drainedIndex}); nothing goes while the store has
 *       committed nothing, or while a recovery's cut waits for the store to drop its rows past it.</li>
 * </ol>
 *
 * <p>A record's event is read from the first record of the next cycle with records (input and
 * decisions: one event per record, so a cycle's records are all before the next cycle's first;
 * orders: a cause may span two cycles, so its bound is the next cycle's first cause itself). What a
 * removal loses: the events before the journal's new first record can no longer be replayed from
 * event 0 ({@code mme replay} says so and names the archive), and the change history of
 * {@code mme audit} and the API's seed starts later. PostgreSQL has every row of them.
 *
 * <p>Threads: {@link #start} runs {@link #prune} on its own daemon thread ({@code mme-journal-retention})
 * every {@link #period}; tests call {@link #prune} directly. It opens its own view of each queue; the
 * writers and the store's cursors are always past what it removes, and removal is a file unlink (or
 * move) followed by a refresh of the queue's directory listing, which the writer's and readers'
 * queues share through the queue's metadata file.
 */
public final class JournalRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

    /** the three journals of a run directory, in the store's queue order */
    public static final List<String> JOURNALS = List.of("queue", "decisions", "orders");

    /** what the run still needs; read by the retention thread */
    public interface Needs {
        /** the oldest event after which a restart may resume (its states are saved at it); -1: none, keep the input whole */
        long restartPoint();

        /**
         * the queue index of the last record of journal {@code journal} (an index into {@link #JOURNALS})
         * whose rows PostgreSQL committed; -1: none (or a cut is pending); {@link Long#MAX_VALUE}: no audit store
         */
        long drainedIndex(int journal);
    }

    /**
     * {@code journal.retain} and where removed files go.
     *
     * @param retain  the youngest a removed file may be: a cycle is removed only once it ended this
     *                long ago; null: keep everything (retention off)
     * @param archive the directory removed files are moved to (under one sub-directory per journal),
     *                or null to delete them
     */
    public record Policy(Duration retain, Path archive) {
        /** retention off: nothing is removed */
        public static final Policy KEEP_ALL = new Policy(null, null);

        public boolean enabled() {
            return retain != null;
        }

        /** "all" or the duration, for messages */
        public String describe() {
            return retain == null ? "all" : formatDuration(retain) + (archive == null ? ", deleted" : ", archived to " + archive);
        }

        /**
         * Parses {@code journal.retain}: {@code all} (null, the default) or a duration, a whole
         * number with a unit {@code s}, {@code m}, {@code h} or {@code d} ({@code 0}, {@code 90m},
         * {@code 24h}, {@code 7d}); IllegalArgumentException otherwise.
         */
        public static Duration parseRetain(String value) {
            if (value == null || value.trim().equalsIgnoreCase("all")) {
                return null;
            }
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            if (v.length() < 2) {
                throw new IllegalArgumentException(value);
            }
            long n;
            try {
                n = Long.parseLong(v.substring(0, v.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(value, e);
            }
            if (n < 0 || n > 100_000) {
                throw new IllegalArgumentException(value);
            }
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException(value);
            };
        }

        private static String formatDuration(Duration d) {
            long s = d.toSeconds();
            if (s == 0) {
                return "0";
            }
            if (s % 86_400 == 0) {
                return s / 86_400 + "d";
            }
            if (s % 3_600 == 0) {
                return s / 3_600 + "h";
            }
            return s % 60 == 0 ? s / 60 + "m" : s + "s";
        }
    }

    /** one file removed (or archived) */
    public record Removed(String journal, Path file, Path archivedTo, long lastEvent) {
    }

    private final Path runDirectory;
    private final Policy policy;
    private final Needs needs;
    private final InboundEvent scratch = new InboundEvent();
    private ScheduledExecutorService thread;
    private volatile long filesRemoved;

    public JournalRetention(Path runDirectory, Policy policy, Needs needs) {
        this.runDirectory = runDirectory;
        this.policy = policy;
        this.needs = needs;
    }

    /** how often the thread looks: once per roll cycle, at most a minute apart (and at least a second) */
    public static Duration period(JournalRoll roll) {
        return Duration.ofMillis(Math.max(1_000, Math.min(60_000, roll.cycle().lengthInMillis())));
    }

    /** starts the retention thread; a no-op when retention is off */
    public synchronized JournalRetention start(Duration every) {
        if (!policy.enabled() || thread != null) {
            return this;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mme-journal-retention");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> {
            try {
                prune(System.currentTimeMillis());
            } catch (RuntimeException e) {
                LOG.warn("journal retention: {} (nothing more removed this time; it tries again in {} s)", e.toString(),
                        every.toSeconds());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** files removed so far (any thread) */
    public long filesRemoved() {
        return filesRemoved;
    }

    /**
     * Removes what the policy allows now ({@code nowMillis}, epoch millis) from each journal.
     *
     * @return the files removed, oldest first per journal
     */
    public synchronized List<Removed> prune(long nowMillis) {
        List<Removed> removed = new ArrayList<>();
        if (!policy.enabled()) {
            return removed;
        }
        long restartPoint = needs.restartPoint();
        if (restartPoint < 0) {
            return removed;
        }
        for (int j = 0; j < JOURNALS.size(); j++) {
            Path directory = runDirectory.resolve(JOURNALS.get(j));
            if (!hasQueueFile(directory)) {
                continue;
            }
            long drained = needs.drainedIndex(j);
            if (drained < 0) {
                continue;
            }
            pruneJournal(j, directory, restartPoint, drained, nowMillis, removed);
        }
        if (!removed.isEmpty()) {
            filesRemoved += removed.size();
            LOG.info("journal retention ({}): {} file(s) removed, the journals now begin after event {} or later; restart point {}: {}",
                    policy.describe(), removed.size(), removed.get(removed.size() - 1).lastEvent(), restartPoint,
                    removed.stream().map(r -> r.journal() + "/" + r.file().getFileName()).toList());
        }
        return removed;
    }

    private void pruneJournal(int journal, Path directory, long restartPoint, long drained, long nowMillis, List<Removed> removed) {
        String name = JOURNALS.get(journal);
        try (ChronicleQueue queue = Queues.open(directory, false)) {
            SingleChronicleQueue q = (SingleChronicleQueue) queue;
            q.refreshDirectoryListing();
            RollCycle roll = q.rollCycle();
            long lastIndex = q.lastIndex();
            if (lastIndex < 0) {
                return;
            }
            int lastCycle = roll.toCycle(lastIndex);
            int storeCycle = drained == Long.MAX_VALUE ? Integer.MAX_VALUE : roll.toCycle(drained);
            NavigableSet<Long> cycles = q.listCyclesBetween(q.firstCycle(), lastCycle);
            List<Long> ordered = new ArrayList<>(cycles);
            long epoch = ((RollingChronicleQueue) q).epoch();
            boolean any = false;
            try (ExcerptTailer tailer = q.createTailer()) {
                for (int i = 0; i < ordered.size(); i++) {
                    int cycle = ordered.get(i).intValue();
                    if (cycle >= lastCycle || cycle >= storeCycle) {
                        break;
                    }
                    long endMillis = epoch + (long) (cycle + 1) * roll.lengthInMillis();
                    if (endMillis > nowMillis - policy.retain().toMillis()) {
                        break;
                    }
                    // the bound of this cycle's events: the first record of the next cycle that has one
                    long nextFirst = -1;
                    for (int k = i + 1; k < ordered.size() && nextFirst < 0; k++) {
                        nextFirst = firstKey(tailer, roll.toIndex(ordered.get(k).intValue(), 0), journal);
                    }
                    if (nextFirst < 0) {
                        break; // cannot tell: keep it
                    }
                    long lastEvent = journal == 2 ? nextFirst : nextFirst - 1;
                    if (lastEvent > restartPoint) {
                        break;
                    }
                    Path file = directory.resolve(fileName(roll, epoch, cycle));
                    if (!Files.isRegularFile(file)) {
                        continue;
                    }
                    Path to = remove(name, file);
                    removed.add(new Removed(name, file, to, lastEvent));
                    any = true;
                }
            }
            if (any) {
                q.refreshDirectoryListing();
            }
        }
    }

    /** the key (event) of the record at {@code index}, its check verified; -1 when there is none there */
    private long firstKey(ExcerptTailer tailer, long index, int journal) {
        if (!tailer.moveToIndex(index)) {
            return -1;
        }
        try (DocumentContext document = tailer.readingDocument()) {
            if (!document.isPresent()) {
                return -1;
            }
            Bytes<?> in = document.wire().bytes();
            return switch (journal) {
                case 0 -> {
                    JournalFormat.read(in, scratch);
                    yield scratch.sequence();
                }
                case 1 -> DecisionRecord.read(in).sequence();
                default -> OrderRecord.read(in).causeSequence();
            };
        }
    }

    private Path remove(String journal, Path file) {
        try {
            if (policy.archive() == null) {
                Files.delete(file);
                return null;
            }
            Path dir = policy.archive().resolve(journal);
            Files.createDirectories(dir);
            Path to = dir.resolve(file.getFileName());
            Files.move(file, to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new JournalException("journal retention cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes a journal's queue see the files in its directory as they are now (after archived files
     * were put back, say): a queue opened read-only keeps the first and last cycle its metadata
     * recorded, so this opens it for writing once (no record is written).
     */
    public static void refreshListing(Path journal) {
        if (hasQueueFile(journal)) {
            Queues.open(journal, false).close();
        }
    }

    /**
     * Moves the files retention archived back into the run directory's journals (the engine
     * stopped), so that the journals begin at event 0 again and {@code mme replay} reads them whole.
     * A file of the same name already in a journal is replaced only when its cycle holds no record
     * (Chronicle can re-create an old cycle's file empty, to close it); otherwise nothing of that
     * journal is moved and a JournalException names the file.
     *
     * @return the files moved back
     */
    public static int restore(Path runDirectory, Path archive) {
        int moved = 0;
        for (String journal : JOURNALS) {
            Path from = archive.resolve(journal);
            Path to = runDirectory.resolve(journal);
            if (!hasQueueFile(from)) {
                continue;
            }
            List<Path> files;
            try (var list = Files.list(from)) {
                files = list.filter(f -> f.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX)).sorted().toList();
            } catch (IOException e) {
                throw new JournalException("cannot list the archive " + from + ": " + e.getMessage(), e);
            }
            List<Path> taken = new ArrayList<>();
            for (Path f : files) {
                Path there = to.resolve(f.getFileName());
                // an empty file holds no record (and would make Chronicle wait for a header it will never get)
                if (Files.exists(there) && size(there) > 0) {
                    taken.add(there);
                }
            }
            if (!taken.isEmpty()) {
                // writable: a read-only queue would not see the files added since its metadata was last written
                try (ChronicleQueue queue = Queues.open(to, false); ExcerptTailer tailer = queue.createTailer()) {
                    RollCycle roll = queue.rollCycle();
                    long epoch = ((RollingChronicleQueue) queue).epoch();
                    for (Path t : taken) {
                        int cycle = cycleOf(roll, epoch, t.getFileName().toString());
                        if (cycle == Integer.MIN_VALUE || tailer.moveToIndex(roll.toIndex(cycle, 0))) {
                            throw new JournalException("cannot put " + from.resolve(t.getFileName()) + " back: " + t
                                    + " exists and holds records");
                        }
                    }
                }
            }
            try {
                for (Path f : files) {
                    Files.move(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    moved++;
                }
            } catch (IOException e) {
                throw new JournalException("cannot put the archived files of " + from + " back into " + to + ": " + e.getMessage(), e);
            }
            refreshListing(to);
        }
        return moved;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 1; // cannot tell: checked like a file with contents
        }
    }

    /** the cycle of a file named as Chronicle names cycle files, or Integer.MIN_VALUE */
    private static int cycleOf(RollCycle roll, long epoch, String fileName) {
        try {
            String stem = fileName.substring(0, fileName.length() - SingleChronicleQueue.SUFFIX.length());
            java.time.temporal.TemporalAccessor t = DateTimeFormatter.ofPattern(roll.format()).withZone(ZoneOffset.UTC).parse(stem);
            java.time.LocalDateTime start = java.time.LocalDateTime.of(t.get(ChronoField.YEAR), t.get(ChronoField.MONTH_OF_YEAR),
                    t.get(ChronoField.DAY_OF_MONTH), field(t, ChronoField.HOUR_OF_DAY), field(t, ChronoField.MINUTE_OF_HOUR),
                    field(t, ChronoField.SECOND_OF_MINUTE));
            return (int) ((start.toInstant(ZoneOffset.UTC).toEpochMilli() - epoch) / roll.lengthInMillis());
        } catch (RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    private static int field(java.time.temporal.TemporalAccessor t, ChronoField field) {
        return t.isSupported(field) ? t.get(field) : 0;
    }

    /** the file name Chronicle gives cycle {@code cycle}: its start in UTC, in the roll's pattern, and .cq4 */
    public static String fileName(RollCycle roll, long epoch, int cycle) {
        long startMillis = epoch + (long) cycle * roll.lengthInMillis();
        return DateTimeFormatter.ofPattern(roll.format()).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(startMillis))
                + SingleChronicleQueue.SUFFIX;
    }

    private static boolean hasQueueFile(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX));
        } catch (IOException e) {
            return false;
        }
    }

    /** stops the thread, waiting for a prune under way (not under the prune's monitor, which that prune holds) */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.shutdown(); // no interrupt: it would close the channels of the queue a prune has open
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
