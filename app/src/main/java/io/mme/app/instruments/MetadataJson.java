package io.mme.app.instruments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;

/**
 * Reading the venues' JSON for the metadata parsers: the body as a tree whose non-integer numbers
 * are exact {@link BigDecimal}s, and decimal fields as normalised plain text ("0.01000000" becomes
 * "0.01", "10.00000000" becomes "10"), never through {@code double}. Stateless; any thread.
 */
final class MetadataJson {
    /** the finest step the engine's fixed-point grids take ({@link io.mme.core.instrument.DecimalGrid#MAX_SCALE}) */
    private static final int MAX_SCALE = io.mme.core.instrument.DecimalGrid.MAX_SCALE;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private MetadataJson() {
    }

    /** the body as a tree, or a {@link MetadataFormatException} naming {@code what} was expected */
    static JsonNode read(String body, String what) {
        if (body == null || body.isBlank()) {
            throw new MetadataFormatException(what + ": the body is empty");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MetadataFormatException(what + ": the body is not JSON (" + e.getOriginalMessage()
                    + "); it starts: " + preview(body));
        }
    }

    /** the first characters of {@code body} on one line, for error messages */
    static String preview(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    /** a required text field of an entry */
    static String text(JsonNode entry, String field) throws UnusableEntry {
        JsonNode node = entry.path(field);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new UnusableEntry(node.isMissingNode() ? "no " + field : field + " " + node + " is not a name");
        }
        return node.asText().trim();
    }

    /** an optional text field: null when absent, null or blank */
    static String optionalText(JsonNode entry, String field) {
        JsonNode node = entry.path(field);
        return node.isTextual() && !node.asText().isBlank() ? node.asText().trim() : null;
    }

    /**
     * The decimal in {@code entry.field} (a JSON string or number) as normalised plain text: no
     * exponent, no trailing fractional zeros, no point when whole. "0.00000100" gives "0.000001",
     * "5.0" gives "5", "0.00000000" gives "0". Null when the field is absent or null.
     *
     * @throws UnusableEntry when the value is not a decimal, is negative or is finer than 10^-18
     */
    static String decimal(JsonNode entry, String field) throws UnusableEntry {
        JsonNode node = entry.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                value = new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                throw new UnusableEntry(field + " " + node + " is not a decimal");
            }
        } else {
            throw new UnusableEntry(field + " " + node + " is not a decimal");
        }
        if (value.signum() < 0) {
            throw new UnusableEntry(field + " " + node + " is negative");
        }
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > MAX_SCALE) {
            throw new UnusableEntry(field + " " + node + " is finer than 10^-" + MAX_SCALE);
        }
        if (stripped.precision() - stripped.scale() > MAX_SCALE) {
            throw new UnusableEntry(field + " " + node + " is too large");
        }
        return stripped.toPlainString();
    }

    /** a required step (tick or lot): a decimal greater than zero */
    static String positiveDecimal(JsonNode entry, String field) throws UnusableEntry {
        String value = decimal(entry, field);
        if (value == null) {
            throw new UnusableEntry("no " + field);
        }
        if (value.equals("0")) {
            throw new UnusableEntry(field + " is zero");
        }
        return value;
    }

    /** an optional value where zero means none (a zero minimum is no minimum): null when absent or zero */
    static String optionalNonZero(JsonNode entry, String field) throws UnusableEntry {
        String value = decimal(entry, field);
        return value == null || value.equals("0") ? null : value;
    }

    /** a required whole number of decimal places, 0 to 18 */
    static int decimalPlaces(JsonNode entry, String field) throws UnusableEntry {
        JsonNode node = entry.path(field);
        if (!node.canConvertToExactIntegral() || !node.canConvertToInt()) {
            throw new UnusableEntry(node.isMissingNode() ? "no " + field : field + " " + node + " is not a whole number");
        }
        int places = node.intValue();
        if (places < 0 || places > MAX_SCALE) {
            throw new UnusableEntry(field + " " + places + " is not between 0 and " + MAX_SCALE);
        }
        return places;
    }

    /** the step of {@code places} decimal places: 2 gives "0.01", 0 gives "1" */
    static String stepOfPlaces(int places) {
        return places == 0 ? "1" : "0." + "0".repeat(places - 1) + "1";
    }

    /** An entry's values cannot make an instrument; the message is the reason it is skipped. */
    static final class UnusableEntry extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableEntry(String reason) {
            super(reason, null, false, false);
        }
    }
}
