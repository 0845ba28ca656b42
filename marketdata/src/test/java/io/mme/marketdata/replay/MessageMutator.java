package io.mme.marketdata.replay;

import java.util.SplittableRandom;

/**
 * Seeded damage to one venue message's text, of the kinds a broken connection, a venue bug or a
 * hostile peer could produce, for the decoders' fuzz tests; {@link #last()} says what the last
 * call did. Not thread-safe; control path (it allocates).
 */
public final class MessageMutator {
    private static final String NOISE = "{}[]\":,.-+eE0123456789 \t\n\\/abefnrstuABUZ\u00e9\u20ac\u0000\uffff";
    private static final String STRUCTURE = "{}[]\":,";
    private static final String[] NUMBERS = {"0", "-0", "00", "0.0", ".5", "5.", "-1", "1e3", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "18446744073709551616", "99999999999999999999999999999999",
            "1" + "0".repeat(400), "0." + "0".repeat(30) + "1", "1E-400", "1e308", "NaN", "Infinity", ""};
    private static final String[] WHOLE = {"", " ", "null", "true", "0", "\"\"", "{}", "[]", "{", "[", "}", "]", "\"", "{\"\":\"\"}",
            "[[[[[[[[", "{\"a\":{\"b\":{\"c\":[]}}}"};
    private static final int KINDS = 17;

    private final SplittableRandom random;
    private String last;

    public MessageMutator(SplittableRandom random) {
        this.random = random;
    }

    /** what the last {@link #mutate} did */
    public String last() {
        return last;
    }

    /** {@code text} damaged in one way; {@code other} is another message, for splices */
    public String mutate(String text, String other) {
        StringBuilder s = new StringBuilder(text);
        int kind = s.isEmpty() ? 1 : random.nextInt(KINDS);
        switch (kind) {
            case 0 -> {
                int at = random.nextInt(s.length());
                char c = noise();
                last = "character " + at + " flipped to U+" + Integer.toHexString(c);
                s.setCharAt(at, c);
            }
            case 1 -> {
                int at = random.nextInt(s.length() + 1);
                int n = 1 + random.nextInt(4);
                StringBuilder inserted = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    inserted.append(noise());
                }
                last = n + " characters inserted at " + at;
                s.insert(at, inserted);
            }
            case 2 -> {
                int at = random.nextInt(s.length());
                int end = Math.min(s.length(), at + 1 + random.nextInt(16));
                last = "characters " + at + ".." + end + " deleted";
                s.delete(at, end);
            }
            case 3 -> {
                int at = random.nextInt(s.length());
                last = "truncated to " + at + " characters";
                s.setLength(at);
            }
            case 4 -> {
                if (random.nextInt(4) == 0) {
                    last = "the whole text twice";
                    s.append(text);
                } else {
                    int at = random.nextInt(s.length());
                    int end = Math.min(s.length(), at + 1 + random.nextInt(200));
                    last = "characters " + at + ".." + end + " duplicated";
                    s.insert(end, text, at, end);
                }
            }
            case 5 -> {
                int at = random.nextInt(s.length() + 1);
                int from = other.isEmpty() ? 0 : random.nextInt(other.length());
                last = "spliced: the first " + at + " characters, then another message from its character " + from;
                s.setLength(at);
                s.append(other, from, other.length());
            }
            case 6 -> {
                int[] number = run(s, true);
                if (number == null) {
                    return mutate(text, other);
                }
                for (int i = number[0]; i < number[1]; i++) {
                    if (Character.isDigit(s.charAt(i))) {
                        s.setCharAt(i, (char) ('0' + random.nextInt(10)));
                    }
                }
                last = "digits " + number[0] + ".." + number[1] + " replaced";
            }
            case 7 -> {
                int a = structure(s);
                if (a < 0) {
                    return mutate(text, other);
                }
                if (random.nextBoolean()) {
                    char c = STRUCTURE.charAt(random.nextInt(STRUCTURE.length()));
                    last = "'" + s.charAt(a) + "' at " + a + " replaced by '" + c + "'";
                    s.setCharAt(a, c);
                } else {
                    int b = structure(s);
                    char ca = s.charAt(a);
                    last = "'" + ca + "' at " + a + " swapped with '" + s.charAt(b) + "' at " + b;
                    s.setCharAt(a, s.charAt(b));
                    s.setCharAt(b, ca);
                }
            }
            case 8 -> {
                int[] number = run(s, true);
                if (number == null) {
                    return mutate(text, other);
                }
                if (number[0] > 0 && s.charAt(number[0] - 1) == '-') {
                    last = "the minus before the number at " + number[0] + " removed";
                    s.deleteCharAt(number[0] - 1);
                } else {
                    last = "the number at " + number[0] + " made negative";
                    s.insert(number[0], '-');
                }
            }
            case 9 -> {
                int[] number = run(s, true);
                if (number == null) {
                    return mutate(text, other);
                }
                String[] exponents = {"e5", "E-7", "e+400", "e", "E0", "e-2147483648"};
                String e = exponents[random.nextInt(exponents.length)];
                last = "exponent " + e + " after the number at " + number[0];
                s.insert(number[1], e);
            }
            case 10 -> {
                int[] number = run(s, true);
                if (number == null) {
                    return mutate(text, other);
                }
                String n = NUMBERS[random.nextInt(NUMBERS.length)];
                last = "the number at " + number[0] + " replaced by " + (n.length() > 40 ? n.length() + " characters" : "'" + n + "'");
                s.replace(number[0], number[1], n);
            }
            case 11 -> {
                int[] string = run(s, false);
                if (string == null) {
                    return mutate(text, other);
                }
                last = "the string at " + string[0] + " emptied";
                s.delete(string[0], string[1]);
            }
            case 12 -> {
                int[] from = run(s, true);
                int[] to = run(s, true);
                if (from == null) {
                    return mutate(text, other);
                }
                String n = s.substring(from[0], from[1]);
                last = "the number at " + to[0] + " replaced by the one at " + from[0] + " (" + n + ")";
                s.replace(to[0], to[1], n);
            }
            case 13 -> {
                int at = s.indexOf("\":", random.nextInt(s.length()));
                if (at < 0) {
                    return mutate(text, other);
                }
                int start = s.lastIndexOf("\"", at - 1);
                int end = at + 2;
                while (end < s.length() && s.charAt(end) != ',' && s.charAt(end) != '}') {
                    end++;
                }
                start = Math.max(0, start);
                last = "the field at " + start + ".." + end + " removed";
                s.delete(start, end);
            }
            case 14 -> {
                String[] escapes = {"\\", "\\u00", "\\\"", "\\n", "\\uD800", " \n\t"};
                String e = escapes[random.nextInt(escapes.length)];
                int at = random.nextInt(s.length() + 1);
                last = "'" + e.replace("\n", "\\n").replace("\t", "\\t") + "' inserted at " + at;
                s.insert(at, e);
            }
            case 15 -> {
                String w = WHOLE[random.nextInt(WHOLE.length)];
                last = "the whole text replaced by '" + w + "'";
                return w;
            }
            default -> {
                int at = random.nextInt(s.length() + 1);
                int depth = 1 + random.nextInt(random.nextBoolean() ? 8 : 2_000);
                last = depth + " nested brackets inserted at " + at;
                s.insert(at, "[".repeat(depth) + "]".repeat(random.nextInt(depth + 1)));
            }
        }
        return s.toString();
    }

    private char noise() {
        return random.nextInt(8) == 0 ? (char) random.nextInt(0x10000) : NOISE.charAt(random.nextInt(NOISE.length()));
    }

    /** a random structural character's position, or -1 */
    private int structure(StringBuilder s) {
        int from = random.nextInt(s.length());
        for (int i = 0; i < s.length(); i++) {
            int at = (from + i) % s.length();
            if (STRUCTURE.indexOf(s.charAt(at)) >= 0) {
                return at;
            }
        }
        return -1;
    }

    /**
     * From a random position on: the next run of digits (and points), or the next string's
     * content ({@code number} false); null when there is none.
     */
    private int[] run(StringBuilder s, boolean number) {
        int from = random.nextInt(s.length());
        for (int i = 0; i < s.length(); i++) {
            int at = (from + i) % s.length();
            char c = s.charAt(at);
            if (number && Character.isDigit(c)) {
                int start = at;
                while (start > 0 && (Character.isDigit(s.charAt(start - 1)) || s.charAt(start - 1) == '.')) {
                    start--;
                }
                int end = at;
                while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
                    end++;
                }
                return new int[]{start, end};
            }
            if (!number && c == '"') {
                int end = s.indexOf("\"", at + 1);
                if (end > at) {
                    return new int[]{at + 1, end};
                }
            }
        }
        return null;
    }
}
