package io.mme.core.venue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The venue trade ids (or execution ids) seen recently, so that a fill the private stream repeats
 * (a reconnect's snapshot, a duplicate, a fill also learnt by a status query) is reported once.
 * Remembers the last {@code capacity} keys. Thread-safe (synchronized: the stream's thread and the
 * query threads both report fills).
 */
public final class TradeIdWindow {
    private final Map<String, Boolean> seen;

    public TradeIdWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.seen = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** true the first time {@code key} is seen (and remembers it), false for a repeat */
    public synchronized boolean firstTime(String key) {
        return seen.put(key, Boolean.TRUE) == null;
    }

    public synchronized int size() {
        return seen.size();
    }
}
