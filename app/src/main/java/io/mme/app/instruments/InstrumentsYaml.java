package io.mme.app.instruments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.mme.core.instrument.InstrumentSpec;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes instrument specs as the {@code instruments:} section of an mme configuration, in the keys
 * {@link io.mme.app.config.ConfigLoader} reads. Decimals are quoted strings, so no YAML reader turns
 * 0.00000001 into a float; absent values are left out (the loader's defaults apply). Stateless; any
 * thread.
 */
final class InstrumentsYaml {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private InstrumentsYaml() {
    }

    /** the fragment, opened by {@code comment} as YAML comment lines */
    static String write(List<InstrumentSpec> specs, String comment) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (InstrumentSpec spec : specs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("venue", spec.venue().configName());
            entry.put("symbol", spec.venueSymbol());
            entry.put("base", spec.base());
            entry.put("quote", spec.quote());
            entry.put("tickSize", spec.tickSize());
            entry.put("lotSize", spec.lotSize());
            putIfSet(entry, "minQuantity", spec.minQuantity());
            putIfSet(entry, "minNotional", spec.minNotional());
            putIfSet(entry, "priceDecimals", spec.priceDecimals());
            putIfSet(entry, "sizeDecimals", spec.sizeDecimals());
            entries.add(entry);
        }
        StringBuilder out = new StringBuilder();
        comment.lines().forEach(line -> out.append("# ").append(line).append('\n'));
        try {
            out.append(YAML.writeValueAsString(Map.of("instruments", entries)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("instrument specs cannot be written as YAML", e);
        }
        return out.toString();
    }

    private static void putIfSet(Map<String, Object> entry, String key, Object value) {
        if (value != null) {
            entry.put(key, value);
        }
    }
}
