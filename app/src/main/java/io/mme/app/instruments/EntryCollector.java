package io.mme.app.instruments;

import io.mme.core.instrument.InstrumentConfigException;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one response's specs, putting each through {@link InstrumentRegistry.Builder#add} so that
 * only specs the engine accepts are kept; a rejected or unusable entry is skipped with its reason.
 * One per parse, on the parsing thread.
 */
final class EntryCollector {
    private final Venue venue;
    private final InstrumentRegistry.Builder registry = InstrumentRegistry.builder();
    private final List<InstrumentSpec> specs = new ArrayList<>();
    private final List<ParsedMetadata.Skipped> skipped = new ArrayList<>();
    private final Map<String, String> otherNames = new HashMap<>();

    EntryCollector(Venue venue) {
        this.venue = venue;
    }

    void add(InstrumentSpec spec) {
        try {
            registry.add(spec);
            specs.add(spec);
        } catch (InstrumentConfigException e) {
            skip(spec.venueSymbol(), "rejected by the instrument registry: " + e.getMessage());
        }
    }

    void skip(String symbol, String reason) {
        skipped.add(new ParsedMetadata.Skipped(symbol, reason));
    }

    /** records that the venue also calls {@code symbol} {@code otherName} (nothing when they are the same) */
    void otherName(String otherName, String symbol) {
        if (otherName != null && !otherName.equals(symbol)) {
            otherNames.putIfAbsent(otherName, symbol);
        }
    }

    ParsedMetadata result() {
        return new ParsedMetadata(venue, specs, skipped, otherNames);
    }
}
