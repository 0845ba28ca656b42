package io.mme.app.api.rest;

import java.lang.reflect.RecordComponent;

/**
 * The rule for text a caller sends (request body strings, path parameters): no control characters
 * (C0, DEL, C1, and the Unicode line and paragraph separators), so that nothing a caller writes can
 * start a new line in a log or a terminal, and at most {@link #MAX_REASON} characters for a
 * {@code reason}, {@link #MAX_NAME} for every other string (names, symbols, keys). A violation is a
 * 400 naming the field. Stateless; any thread.
 */
final class FreeText {
    /** the longest {@code reason}, in characters (UTF-16 units) */
    static final int MAX_REASON = 1_000;
    /** the longest other string: venue, symbol, scope, state, limit name, parameter key */
    static final int MAX_NAME = 64;
    /** the same rule as an ECMA-262 regular expression, for the OpenAPI document */
    static final String PATTERN = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$";

    private FreeText() {
    }

    /** the longest value a field may have */
    static int maxLength(String field) {
        return "reason".equals(field) ? MAX_REASON : MAX_NAME;
    }

    /** throws a 400 naming {@code field} when {@code value} (may be null) breaks the rule */
    static void check(String field, String what, String value) {
        if (value == null) {
            return;
        }
        int max = maxLength(field);
        if (value.length() > max) {
            throw ApiError.badRequest(field, what + " '" + field + "' is " + value.length() + " characters long; at most " + max
                    + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                throw ApiError.badRequest(field, what + " '" + field + "' holds a control character (U+"
                        + String.format("%04X", (int) c) + " at position " + i + "); newlines, tabs and other control "
                        + "characters are not allowed");
            }
        }
    }

    /** checks every String component of a request body record */
    static void checkBody(Record body) {
        for (RecordComponent component : body.getClass().getRecordComponents()) {
            if (component.getType() == String.class) {
                try {
                    check(component.getName(), "field", (String) component.getAccessor().invoke(body));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component, e);
                }
            }
        }
    }

    static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    /** {@code text} cut to {@code max} characters with control characters escaped, to quote it back safely */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("...");
        }
        return out.toString();
    }
}
