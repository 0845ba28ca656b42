package io.mme.app.instruments;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A saved metadata response for {@code mme instruments parse}: either the body itself or a
 * recorder file ({@code *.rec}) whose REST lines read {@code URL -> TS: BODY}, from which the body
 * of the first such line is taken. Stateless; any thread.
 */
final class SavedResponse {
    /** URL (no spaces), the arrow, unix seconds, then the body */
    private static final Pattern RECORDED = Pattern.compile("^\\S+ -> [0-9]+(?:\\.[0-9]+)?: (.*)$");

    private SavedResponse() {
    }

    /** the response body held in {@code text} */
    static String body(String text) {
        for (String line : text.lines().toList()) {
            Matcher m = RECORDED.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return text;
    }
}
