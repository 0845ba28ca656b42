package io.mme.audit.state;

import io.mme.core.state.SnapshotSink;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * The L1 state files: each engine's whole state at the latest snapshot points, in a Chronicle Map
 * persisted next to the journal (memory-mapped, so what was written survives {@code kill -9}).
 * Every engine keeps two generations (the current and the one before) so that a crash in the middle
 * of a snapshot, when some engines wrote the new one and others not yet, still leaves a point at
 * which all engines have a state: {@link #load} picks the latest such point whose entries are
 * intact (a CRC-32 over each state).
 *
 * <p>Entry: long sequence, int version, long crc32, int length, the state bytes.
 *
 * <p>Thread-safe: engine threads save concurrently (different keys); load runs before they start.
 */
// Chronicle Map compares CharSequence keys by their serialized bytes, not by equals()
@SuppressWarnings("UndefinedEquals")
public final class StateStore implements SnapshotSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final String CURRENT = ":cur";
    private static final String PREVIOUS = ":prev";
    private static final int HEADER = 8 + 4 + 8 + 4;

    private final Path file;
    private final ChronicleMap<CharSequence, byte[]> map;
    private final List<String> problems = new ArrayList<>();

    /**
     * Opens (or creates) the state file. A file that cannot be opened (corrupted) is moved aside,
     * reported in {@link #problems()}, and a new one started: the restart then replays the journal
     * from its start.
     */
    public StateStore(Path file) {
        this.file = file;
        ChronicleMap<CharSequence, byte[]> opened;
        try {
            opened = open(file, problems);
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
            problems.add("the state file " + file + " cannot be opened (" + e.getMessage() + "); moved to " + aside
                    + " and recovery replays the whole journal");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                opened = open(file, problems);
            } catch (IOException | RuntimeException again) {
                throw new IllegalStateException("cannot start a new state file " + file + ": " + again.getMessage(), again);
            }
        }
        this.map = opened;
    }

    /**
     * Creates the file, or opens an existing one with Chronicle Map's recovery (the previous process
     * may have been killed in the middle of a write, holding a segment lock): what recovery had to
     * repair is reported; the CRC of each state then decides whether the state itself is usable.
     */
    private static ChronicleMap<CharSequence, byte[]> open(Path file, List<String> problems) throws IOException {
        Files.createDirectories(file.getParent());
        var builder = ChronicleMap.of(CharSequence.class, byte[].class)
                .name("mme-engine-state")
                .entries(64)
                .averageKeySize(24)
                .averageValueSize(1 << 20)
                .maxBloatFactor(8);
        if (!Files.exists(file)) {
            return builder.createPersistedTo(file.toFile());
        }
        return builder.recoverPersistedTo(file.toFile(), true,
                corruption -> problems.add("the state file " + file + " needed repair: " + corruption.message()));
    }

    @Override
    public void save(String engine, long sequence, int version, byte[] state) {
        CRC32 crc = new CRC32();
        crc.update(state);
        ByteBuffer entry = ByteBuffer.allocate(HEADER + state.length);
        entry.putLong(sequence).putInt(version).putLong(crc.getValue()).putInt(state.length).put(state);
        byte[] current = map.get(engine + CURRENT);
        if (current != null) {
            map.put(engine + PREVIOUS, current);
        }
        map.put(engine + CURRENT, entry.array());
    }

    /** one engine's state as found in the file */
    public record Saved(long sequence, int version, byte[] state) {
    }

    /**
     * The latest snapshot point at which every one of {@code engines} has an intact state.
     *
     * @return the states by engine name (all at one sequence), or an empty map when there is no
     *         such point (recovery replays the journal from its start); what was found unusable is
     *         added to {@link #problems()}
     */
    public Map<String, Saved> load(List<String> engines) {
        return load(engines, Long.MAX_VALUE);
    }

    /**
     * The latest snapshot point at or before event {@code atMost} at which every one of {@code engines}
     * has an intact state (a journal cut before the newer generation can still resume from the older).
     */
    public Map<String, Saved> load(List<String> engines, long atMost) {
        Map<String, List<Saved>> byEngine = new LinkedHashMap<>();
        TreeSet<Long> common = null;
        for (String engine : engines) {
            List<Saved> found = new ArrayList<>();
            for (String generation : new String[]{CURRENT, PREVIOUS}) {
                byte[] entry = map.get(engine + generation);
                if (entry == null) {
                    continue;
                }
                Saved saved = parse(engine + generation, entry);
                if (saved != null) {
                    found.add(saved);
                }
            }
            byEngine.put(engine, found);
            TreeSet<Long> sequences = new TreeSet<>();
            found.forEach(s -> sequences.add(s.sequence()));
            if (common == null) {
                common = sequences;
            } else {
                common.retainAll(sequences);
            }
        }
        if (common != null) {
            common.removeIf(sequence -> sequence > atMost);
        }
        if (common == null || common.isEmpty()) {
            return Map.of();
        }
        long point = common.last();
        Map<String, Saved> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Saved>> e : byEngine.entrySet()) {
            for (Saved s : e.getValue()) {
                if (s.sequence() == point) {
                    out.put(e.getKey(), s);
                }
            }
        }
        return out;
    }

    /**
     * The oldest snapshot point any of {@code engines} still holds a state at (either generation,
     * intact or not): no restart resumes from an earlier event, so the input journal up to it is not
     * needed by one ({@code JournalRetention}). -1 when an engine has no state at all. Any thread.
     */
    public long oldestPoint(List<String> engines) {
        long oldest = Long.MAX_VALUE;
        for (String engine : engines) {
            boolean any = false;
            for (String generation : new String[]{CURRENT, PREVIOUS}) {
                byte[] entry = map.get(engine + generation);
                if (entry == null || entry.length < Long.BYTES) {
                    continue;
                }
                any = true;
                oldest = Math.min(oldest, ByteBuffer.wrap(entry).getLong());
            }
            if (!any) {
                return -1;
            }
        }
        return oldest == Long.MAX_VALUE ? -1 : oldest;
    }

    private Saved parse(String key, byte[] entry) {
        if (entry.length < HEADER) {
            problems.add("state " + key + " is truncated (" + entry.length + " bytes)");
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(entry);
        long sequence = in.getLong();
        int version = in.getInt();
        long crc = in.getLong();
        int length = in.getInt();
        if (length != entry.length - HEADER) {
            problems.add("state " + key + " at event " + sequence + " is truncated: " + (entry.length - HEADER) + " of " + length + " bytes");
            return null;
        }
        byte[] state = new byte[length];
        in.get(state);
        CRC32 check = new CRC32();
        check.update(state);
        if (check.getValue() != crc) {
            problems.add("state " + key + " at event " + sequence + " is corrupted (CRC-32 mismatch)");
            return null;
        }
        return new Saved(sequence, version, state);
    }

    /** what load or open found unusable, for the start-up report */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    /** for tests of corruption: the raw entry of an engine's generation ("cur" or "prev") */
    byte[] raw(String engine, boolean current) {
        return map.get(engine + (current ? CURRENT : PREVIOUS));
    }

    void putRaw(String engine, boolean current, byte[] entry) {
        map.put(engine + (current ? CURRENT : PREVIOUS), entry);
    }

    @Override
    public void close() {
        map.close();
        if (!problems.isEmpty()) {
            LOG.debug("state store {} closed; problems seen: {}", file, problems);
        }
    }
}
