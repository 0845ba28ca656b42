package io.mme.marketdata;

import io.mme.core.instrument.DecimalGrid;

/**
 * A pull scanner over JSON text that allocates nothing: it reports tokens and where their text is
 * ({@link #start()}, {@link #end()}) in the caller's CharSequence, which the decoders then compare
 * with field names and convert to ticks and lots in place. Hand-written because a general parser
 * allocates a parser and strings per message, and a feed decoder sees millions of messages.
 *
 * <p>{@link #reset(CharSequence)} copies the message into a character array that the scanner owns
 * (an intrinsic copy for a String) and scans that: an array load per character instead of a
 * {@code CharSequence.charAt} call. Decoders read values from the same array ({@link #chars()});
 * a second scanner over part of the message shares it ({@link #reset(JsonScanner, int, int)}).
 * The array grows, once, to the longest message seen; nothing else is allocated.
 *
 * <p>It is lenient about separators (commas and colons are skipped wherever they stand) and strict
 * about values: an unterminated string, a bad literal or a stray character throws
 * {@link MalformedMessageException} with the position. Strings are not unescaped; {@link #escaped()}
 * says whether the current one contained a backslash.
 *
 * <p>{@link #nextSteps} reads a quoted price or quantity and converts it to steps of its grid in
 * one pass over its characters: the feeds' book levels are mostly such strings, and scanning each
 * for its closing quote and then again for its digits was the largest single cost of decoding a
 * Binance or Coinbase level (docs/PERFORMANCE.md).
 *
 * <p>Thread: one scanner per decoding thread; reused for every message.
 */
public final class JsonScanner {
    private static final int INITIAL_CAPACITY = 1 << 14;
    /** digits that fit a long whatever they are (10^18 - 1 at most) */
    private static final int MAX_FAST_DIGITS = 18;
    private static final long[] POW10 = new long[MAX_FAST_DIGITS + 1];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** the kinds of token */
    public enum Token {
        BEGIN_OBJECT,
        END_OBJECT,
        BEGIN_ARRAY,
        END_ARRAY,
        /** a string followed by a colon: an object's key */
        FIELD,
        STRING,
        NUMBER,
        TRUE,
        FALSE,
        NULL,
        /** no more text */
        END
    }

    /** the message being scanned, for error messages and for the callers' own reading */
    private CharSequence text = "";
    /** this scanner's own copy of the characters (grown, i.e. allocated, only for a message longer than any before) */
    private char[] own = new char[INITIAL_CAPACITY];
    /**
     * The characters of {@code text} at the same indexes (those before the scanned range are not
     * copied): the scanner and the callers' conversions read this array, not the CharSequence, so
     * that a character costs an array load instead of an interface call and String's coder check.
     * {@link #own}, or another scanner's inside {@link #reset(JsonScanner, int, int)}.
     */
    private char[] buf = own;
    private int pos;
    private int limit;
    private int start;
    private int end;
    private boolean escaped;
    private Token token = Token.END;

    /** starts scanning {@code message} from its beginning */
    public JsonScanner reset(CharSequence message) {
        return reset(message, 0, message.length());
    }

    /** starts scanning {@code message[from, to)} */
    public JsonScanner reset(CharSequence message, int from, int to) {
        if (own.length < to) {
            own = new char[Math.max(to, 2 * own.length)];
        }
        if (message instanceof String s) {
            s.getChars(from, to, own, from); // an intrinsic copy (inflating a Latin-1 string)
        } else {
            for (int i = from; i < to; i++) {
                own[i] = message.charAt(i);
            }
        }
        this.buf = own;
        this.text = message;
        this.pos = from;
        this.limit = to;
        this.token = Token.END;
        this.start = from;
        this.end = from;
        return this;
    }

    /**
     * Starts scanning {@code whole}'s message in {@code [from, to)} without copying it: this scanner
     * reads {@code whole}'s characters, which stay valid until {@code whole} is reset. For a second
     * pass over part of a message (the levels once the symbol is known).
     */
    public JsonScanner reset(JsonScanner whole, int from, int to) {
        this.buf = whole.buf;
        this.text = whole.text;
        this.pos = from;
        this.limit = to;
        this.token = Token.END;
        this.start = from;
        this.end = from;
        return this;
    }

    /** advances to the next token */
    public Token next() {
        while (pos < limit) {
            char c = buf[pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == ':') {
                pos++;
                continue;
            }
            start = pos;
            switch (c) {
                case '{' -> {
                    pos++;
                    end = pos;
                    return token = Token.BEGIN_OBJECT;
                }
                case '}' -> {
                    pos++;
                    end = pos;
                    return token = Token.END_OBJECT;
                }
                case '[' -> {
                    pos++;
                    end = pos;
                    return token = Token.BEGIN_ARRAY;
                }
                case ']' -> {
                    pos++;
                    end = pos;
                    return token = Token.END_ARRAY;
                }
                case '"' -> {
                    return token = string();
                }
                case 't' -> {
                    return token = literal("true", Token.TRUE);
                }
                case 'f' -> {
                    return token = literal("false", Token.FALSE);
                }
                case 'n' -> {
                    return token = literal("null", Token.NULL);
                }
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return token = number();
                    }
                    throw new MalformedMessageException("unexpected character '" + c + "'", text, pos);
                }
            }
        }
        start = limit;
        end = limit;
        return token = Token.END;
    }

    /** the current token */
    public Token token() {
        return token;
    }

    /** start of the current token's text (a string's first character after the quote) */
    public int start() {
        return start;
    }

    /** end (exclusive) of the current token's text (a string's closing quote) */
    public int end() {
        return end;
    }

    /** the message being scanned */
    public CharSequence text() {
        return text;
    }

    /**
     * The message's characters at their indexes in {@link #text()}, valid in the scanned range until
     * the next {@code reset}: read values from here ({@link #start()}, {@link #end()}) rather than
     * from the CharSequence, which costs more per character. Do not write to it.
     */
    public char[] chars() {
        return buf;
    }

    /** whether the current string token contains escapes (then its raw text is not its value) */
    public boolean escaped() {
        return escaped;
    }

    /** true when the current FIELD or STRING token is exactly {@code value} */
    public boolean is(String value) {
        if ((token != Token.FIELD && token != Token.STRING) || escaped || end - start != value.length()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (buf[start + i] != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** true when the current token's text is exactly one character {@code c} (Binance's one-letter keys) */
    public boolean is(char c) {
        return (token == Token.FIELD || token == Token.STRING) && end - start == 1 && buf[start] == c;
    }

    /**
     * Advances to the next token and, when it is a STRING, returns its text in steps of
     * {@code grid}: the same token, positions and answer (or exception) as {@link #next()} followed
     * by {@code grid.toSteps(chars(), start(), end())}, in one pass over the characters for a plain
     * unsigned decimal such as {@code "0.35130000"} followed by {@code ,}, {@code ]} or {@code }}.
     * Anything else (a sign, an escape, more digits than a long holds whatever they are, digits
     * finer than the grid, a step that does not divide it, a key, white space after the string,
     * not a string at all) takes that two-step path, which throws where it would have.
     *
     * @return the steps; 0 when the token is not a STRING (the caller checks {@link #token()})
     * @throws io.mme.core.instrument.FixedPointException when the string is not a decimal on the grid
     */
    public long nextSteps(DecimalGrid grid) {
        char[] b = buf;
        int lim = limit;
        int p = pos;
        while (p < lim && (b[p] == ',' || b[p] == ':' || b[p] == ' ')) {
            p++;
        }
        if (p < lim && b[p] == '"') {
            int scale = grid.scale();
            int i = p + 1;
            long units = 0;
            int digits = 0;
            char c = 0;
            for (; i < lim; i++) {
                c = b[i];
                if (c < '0' || c > '9') {
                    break;
                }
                units = units * 10 + (c - '0');
                digits++;
            }
            boolean plain = digits > 0;
            int fracDigits = 0;
            if (plain && c == '.') {
                for (i++; i < lim; i++) {
                    c = b[i];
                    if (c < '0' || c > '9') {
                        break;
                    }
                    if (fracDigits < scale) {
                        units = units * 10 + (c - '0');
                        digits++;
                    } else if (c != '0') {
                        plain = false; // finer than the grid: the checked path says so
                    }
                    fracDigits++;
                }
                plain &= fracDigits > 0;
            }
            int missing = scale - Math.min(fracDigits, scale);
            // a closing quote that ends a value (not a key), and digits that cannot have overflowed
            if (plain && c == '"' && i + 1 < lim && digits + missing <= MAX_FAST_DIGITS) {
                char after = b[i + 1];
                long stepUnits = grid.stepUnits();
                long steps = units * POW10[missing];
                if ((after == ',' || after == ']' || after == '}') && (stepUnits == 1 || steps % stepUnits == 0)) {
                    start = p + 1;
                    end = i;
                    pos = i + 1;
                    escaped = false;
                    token = Token.STRING;
                    return stepUnits == 1 ? steps : steps / stepUnits;
                }
            }
        }
        if (next() != Token.STRING) {
            return 0;
        }
        return grid.toSteps(b, start, end);
    }

    /**
     * The current NUMBER (or a STRING holding one) as a long.
     *
     * @throws MalformedMessageException when it is not a whole number that fits a long
     */
    public long asLong() {
        if (token != Token.NUMBER && token != Token.STRING) {
            throw new MalformedMessageException("expected a whole number, found " + token, text, start);
        }
        int i = start;
        boolean negative = false;
        if (i < end && buf[i] == '-') {
            negative = true;
            i++;
        }
        if (i == end) {
            throw new MalformedMessageException("expected a whole number", text, start);
        }
        long value = 0;
        for (; i < end; i++) {
            char c = buf[i];
            if (c < '0' || c > '9') {
                throw new MalformedMessageException("expected a whole number", text, i);
            }
            int digit = c - '0';
            if (value < Long.MIN_VALUE / 10 || (value == Long.MIN_VALUE / 10 && digit > 8)) {
                throw new MalformedMessageException("whole number overflows a long", text, start);
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw new MalformedMessageException("whole number overflows a long", text, start);
            }
            return -value;
        }
        return value;
    }

    /**
     * Skips the value that follows the current FIELD (or the current value itself when the current
     * token begins an object or array): after it, the scanner stands on the value's last token.
     */
    public void skipValue() {
        Token t = token == Token.FIELD ? next() : token;
        if (t != Token.BEGIN_OBJECT && t != Token.BEGIN_ARRAY) {
            if (t == Token.END || t == Token.END_OBJECT || t == Token.END_ARRAY) {
                throw new MalformedMessageException("expected a value, found " + t, text, start);
            }
            return;
        }
        int depth = 1;
        while (depth > 0) {
            switch (next()) {
                case BEGIN_OBJECT, BEGIN_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case END -> throw new MalformedMessageException("unterminated object or array", text, limit);
                default -> {
                }
            }
        }
    }

    private Token string() {
        escaped = false;
        char[] b = buf;
        for (int i = pos + 1; i < limit; i++) {
            char c = b[i];
            if (c == '"') {
                start = pos + 1;
                end = i;
                pos = i + 1;
                return fieldOrString();
            }
            if (c == '\\') {
                escaped = true;
                i++;
            }
        }
        throw new MalformedMessageException("unterminated string", text, pos);
    }

    /** after a string: a colon (past white space) makes it a key */
    private Token fieldOrString() {
        int j = pos;
        if (j < limit) {
            char c = buf[j];
            if (c == ':') {
                return Token.FIELD;
            }
            if (c == ',' || c == ']' || c == '}') {
                return Token.STRING;
            }
        }
        while (j < limit && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\n' || buf[j] == '\r')) {
            j++;
        }
        return j < limit && buf[j] == ':' ? Token.FIELD : Token.STRING;
    }

    private Token number() {
        int i = pos;
        while (i < limit) {
            char c = buf[i];
            if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
                i++;
            } else {
                break;
            }
        }
        end = i;
        pos = i;
        return Token.NUMBER;
    }

    private Token literal(String word, Token kind) {
        if (pos + word.length() > limit) {
            throw new MalformedMessageException("expected " + word, text, pos);
        }
        for (int i = 0; i < word.length(); i++) {
            if (buf[pos + i] != word.charAt(i)) {
                throw new MalformedMessageException("expected " + word, text, pos);
            }
        }
        pos += word.length();
        end = pos;
        return kind;
    }
}
