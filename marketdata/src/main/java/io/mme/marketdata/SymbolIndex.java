package io.mme.marketdata;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;

/**
 * One venue's symbols to instrument ids, looked up from a slice of a message without building a
 * String: open addressing over the slice's characters. Built at start-up, read-only afterwards.
 */
public final class SymbolIndex {
    private final String[] symbols;
    private final int[] ids;
    private final int mask;

    private SymbolIndex(String[] symbols, int[] ids) {
        this.symbols = symbols;
        this.ids = ids;
        this.mask = symbols.length - 1;
    }

    /** every instrument of {@code venue} in the registry, by its venue symbol */
    public static SymbolIndex of(InstrumentRegistry registry, Venue venue) {
        Builder b = new Builder();
        for (Instrument instrument : registry.ofVenue(venue)) {
            b.add(instrument.venueSymbol(), instrument.id());
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** the instrument id of {@code text[start, end)}, or -1 */
    public int find(CharSequence text, int start, int end) {
        int h = hash(text, start, end) & mask;
        while (symbols[h] != null) {
            if (equal(symbols[h], text, start, end)) {
                return ids[h];
            }
            h = (h + 1) & mask;
        }
        return -1;
    }

    /** the instrument id of {@code text[start, end)}, or -1: the decoders' fast path over a scanner's characters */
    public int find(char[] text, int start, int end) {
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + text[i];
        }
        int h = (hash ^ (hash >>> 16)) & mask;
        while (symbols[h] != null) {
            String symbol = symbols[h];
            if (symbol.length() == end - start) {
                int i = 0;
                while (i < symbol.length() && symbol.charAt(i) == text[start + i]) {
                    i++;
                }
                if (i == symbol.length()) {
                    return ids[h];
                }
            }
            h = (h + 1) & mask;
        }
        return -1;
    }

    public int find(CharSequence symbol) {
        return find(symbol, 0, symbol.length());
    }

    private static int hash(CharSequence text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    private static boolean equal(String symbol, CharSequence text, int start, int end) {
        if (symbol.length() != end - start) {
            return false;
        }
        for (int i = 0; i < symbol.length(); i++) {
            if (symbol.charAt(i) != text.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    /** collects symbols at start-up */
    public static final class Builder {
        private final java.util.Map<String, Integer> entries = new java.util.LinkedHashMap<>();

        public Builder add(String symbol, int id) {
            if (entries.putIfAbsent(symbol, id) != null) {
                throw new IllegalArgumentException("symbol " + symbol + " added twice");
            }
            return this;
        }

        public SymbolIndex build() {
            int size = Integer.highestOneBit(Math.max(4, entries.size() * 4 - 1)) << 1;
            String[] symbols = new String[size];
            int[] ids = new int[size];
            for (var e : entries.entrySet()) {
                int h = hash(e.getKey(), 0, e.getKey().length()) & (size - 1);
                while (symbols[h] != null) {
                    h = (h + 1) & (size - 1);
                }
                symbols[h] = e.getKey();
                ids[h] = e.getValue();
            }
            return new SymbolIndex(symbols, ids);
        }
    }
}
