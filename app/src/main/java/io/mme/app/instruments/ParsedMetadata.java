package io.mme.app.instruments;

import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one metadata response gave: the usable instruments in the venue's order, each already
 * accepted by {@link io.mme.core.instrument.InstrumentRegistry}, and the entries left out with the
 * reason. Immutable; any thread.
 *
 * @param venue       the venue that answered
 * @param instruments the tradable entries with usable values
 * @param skipped     the entries left out (not tradable, or values the registry cannot use)
 * @param otherNames  other spellings the venue uses for a kept or skipped entry, to its symbol:
 *                    Kraken's REST pair key and altname (XXBTZUSD, XBTUSD) to the wsname (XBT/USD)
 */
public record ParsedMetadata(Venue venue, List<InstrumentSpec> instruments, List<Skipped> skipped,
                             Map<String, String> otherNames) {

    public ParsedMetadata {
        instruments = List.copyOf(instruments);
        skipped = List.copyOf(skipped);
        otherNames = Map.copyOf(otherNames);
    }

    /**
     * One entry that is not in {@link #instruments()}.
     *
     * @param symbol the venue's name for it (or its key when it has no usable name)
     * @param reason why, for a person: "status BREAK, not TRADING"
     */
    public record Skipped(String symbol, String reason) {
    }

    /** the skipped entries counted by reason, most frequent first */
    public Map<String, Integer> skippedByReason() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Skipped s : skipped) {
            counts.merge(s.reason(), 1, Integer::sum);
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEachOrdered(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
