package io.mme.analytics.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's shared hot state as the app's collector last saw it: entries keyed by their key
 * suffix ({@code position:<venue>:<symbol>}, ...; the publisher puts {@code <prefix>:} in front),
 * each an ordered list of fields holding a string or a long.
 *
 * <p>Built to be refilled every collector cycle with little allocation: an entry is created once
 * per key and reused (the typed lookups {@link #position}, {@link #book}, ... find it through
 * nested maps by their parts, so no key string is built after the first cycle); a field is added
 * once and then overwritten in place; a long value is stored as a primitive and only turned into
 * text by the publisher, for fields that changed. Setting a field to the value it already holds
 * changes nothing (not even {@link Entry#version()}), which is what lets the publisher skip
 * unchanged entries cheaply. Fields are never removed from an entry; remove the entry instead.
 *
 * <p>Threads: not thread safe. One thread, the app's collector, fills it and hands it to
 * {@link RedisHotStatePublisher#publish} on that same thread. One snapshot per publisher.
 */
public final class HotStateSnapshot {
    public static final String POSITION = "position";
    public static final String LIMIT = "limit";
    public static final String STATE = "state";
    public static final String BOOK = "book";
    public static final String ENGINE = "engine";
    private static final String NO_PART = "";

    private final Map<String, Entry> byKey = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    // kind -> first part -> second part (NO_PART for one-part keys) -> entry
    private final Map<String, Map<String, Map<String, Entry>>> byParts = new HashMap<>();
    private long modifications;

    /** {@code position:<venue>:<symbol>}: the position of one venue and symbol. */
    public Entry position(String venue, String symbol) {
        return entry(POSITION, venue, symbol);
    }

    /** {@code limit:<scope>:<target>}: a risk limit and its usage (scope e.g. global/venue/symbol). */
    public Entry limit(String scope, String target) {
        return entry(LIMIT, scope, target);
    }

    /** {@code state:<scope>:<target>}: a trading state (RUNNING, HALTED, ...) of a scope's target. */
    public Entry state(String scope, String target) {
        return entry(STATE, scope, target);
    }

    /** {@code book:<venue>:<symbol>}: top of book of one venue and symbol. */
    public Entry book(String venue, String symbol) {
        return entry(BOOK, venue, symbol);
    }

    /** {@code engine:<name>}: status of one engine (sequence, lag, faults, ...). */
    public Entry engine(String name) {
        return entry(ENGINE, name, NO_PART);
    }

    /** The entry of {@code <kind>:<a>:<b>}, created on first use; no allocation once it exists. */
    public Entry entry(String kind, String a, String b) {
        Map<String, Map<String, Entry>> ofKind = byParts.get(kind);
        if (ofKind == null) {
            ofKind = new HashMap<>();
            byParts.put(kind, ofKind);
        }
        Map<String, Entry> ofA = ofKind.get(a);
        if (ofA == null) {
            ofA = new HashMap<>();
            ofKind.put(a, ofA);
        }
        Entry e = ofA.get(b);
        if (e == null) {
            checkPart(kind);
            checkPart(a);
            if (!NO_PART.equals(b)) {
                checkPart(b);
            }
            String suffix = NO_PART.equals(b) ? kind + ':' + a : kind + ':' + a + ':' + b;
            e = entry(suffix);
            e.kind = kind;
            e.a = a;
            e.b = b;
            ofA.put(b, e);
        }
        return e;
    }

    /** The entry of a free-form key suffix, created on first use. */
    public Entry entry(String keySuffix) {
        Entry e = byKey.get(keySuffix);
        if (e == null) {
            checkPart(keySuffix);
            e = new Entry(this, keySuffix);
            byKey.put(keySuffix, e);
            entries.add(e);
        }
        return e;
    }

    /** Removes the entry of {@code keySuffix}; the publisher deletes its key. Returns whether it existed. */
    public boolean remove(String keySuffix) {
        Entry e = byKey.remove(keySuffix);
        if (e == null) {
            return false;
        }
        entries.remove(e);
        if (e.kind != null) {
            byParts.get(e.kind).get(e.a).remove(e.b);
        }
        e.owner = null;
        return true;
    }

    public boolean contains(String keySuffix) {
        return byKey.containsKey(keySuffix);
    }

    /** The entry of {@code keySuffix}, or null. */
    public Entry get(String keySuffix) {
        return byKey.get(keySuffix);
    }

    public int size() {
        return entries.size();
    }

    /** The i-th entry in creation order. */
    public Entry entryAt(int i) {
        return entries.get(i);
    }

    private long nextVersion() {
        return ++modifications;
    }

    private static void checkPart(String part) {
        Objects.requireNonNull(part, "key part");
        if (part.isEmpty() || part.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("key part must be non-empty without blanks: '" + part + "'");
        }
    }

    /**
     * One hash: ordered fields, each a long or a string. Owned by the snapshot's thread.
     */
    public static final class Entry {
        private HotStateSnapshot owner;
        private final String keySuffix;
        private String kind;
        private String a;
        private String b;
        private String[] names = new String[8];
        private long[] longs = new long[8];
        private String[] strings = new String[8]; // null: the field holds longs[i]
        private int count;
        private long version;

        private Entry(HotStateSnapshot owner, String keySuffix) {
            this.owner = owner;
            this.keySuffix = keySuffix;
        }

        /** A detached copy holder (the publisher's record of what it wrote). */
        Entry(String keySuffix) {
            this(null, keySuffix);
        }

        public String keySuffix() {
            return keySuffix;
        }

        /** Snapshot-wide counter value of this entry's last change; equal versions mean equal contents. */
        public long version() {
            return version;
        }

        public Entry set(String field, long value) {
            int i = indexOf(field, count);
            if (i < 0) {
                i = add(field);
            } else if (strings[i] == null && longs[i] == value) {
                return this;
            }
            longs[i] = value;
            strings[i] = null;
            changed();
            return this;
        }

        public Entry set(String field, String value) {
            Objects.requireNonNull(value, "value");
            int i = indexOf(field, count);
            if (i < 0) {
                i = add(field);
            } else if (value.equals(strings[i])) {
                return this;
            }
            strings[i] = value;
            changed();
            return this;
        }

        public int fieldCount() {
            return count;
        }

        public String fieldName(int i) {
            return names[i];
        }

        public boolean isLong(int i) {
            return strings[i] == null;
        }

        public long longValue(int i) {
            return longs[i];
        }

        public String stringValue(int i) {
            return strings[i];
        }

        /** The value as Redis stores it: a long in decimal. Allocates for longs. */
        public String valueAsString(int i) {
            return strings[i] != null ? strings[i] : Long.toString(longs[i]);
        }

        /** The value of {@code field} as Redis stores it, or null if the entry has no such field. */
        public String value(String field) {
            int i = indexOf(field, count);
            return i < 0 ? null : valueAsString(i);
        }

        /** Index of {@code field}, trying {@code hint} first (fields keep their order), or -1. */
        int indexOf(String field, int hint) {
            if (hint < count && names[hint].equals(field)) {
                return hint;
            }
            for (int i = 0; i < count; i++) {
                if (names[i].equals(field)) {
                    return i;
                }
            }
            return -1;
        }

        /** Whether field i holds the same value as {@code other}'s field j. */
        boolean sameValue(int i, Entry other, int j) {
            return strings[i] == null
                    ? other.strings[j] == null && longs[i] == other.longs[j]
                    : strings[i].equals(other.strings[j]);
        }

        /** Becomes a copy of {@code source}'s fields and version. */
        void copyFrom(Entry source) {
            if (names.length < source.count) {
                names = new String[source.names.length];
                longs = new long[source.names.length];
                strings = new String[source.names.length];
            }
            System.arraycopy(source.names, 0, names, 0, source.count);
            System.arraycopy(source.longs, 0, longs, 0, source.count);
            System.arraycopy(source.strings, 0, strings, 0, source.count);
            Arrays.fill(names, source.count, count > source.count ? count : source.count, null);
            count = source.count;
            version = source.version;
        }

        private int add(String field) {
            Objects.requireNonNull(field, "field");
            if (count == names.length) {
                names = Arrays.copyOf(names, count * 2);
                longs = Arrays.copyOf(longs, count * 2);
                strings = Arrays.copyOf(strings, count * 2);
            }
            names[count] = field;
            return count++;
        }

        private void changed() {
            if (owner != null) {
                version = owner.nextVersion();
            }
        }
    }
}
