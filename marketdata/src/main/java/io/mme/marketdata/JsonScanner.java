package io.mme.marketdata;

/**
 * A pull scanner over JSON text that allocates nothing: it reports tokens and where their text is
 * ({@link #start()}, {@link #end()}) in the caller's CharSequence, which the decoders then compare
 * with field names and convert to ticks and lots in place. Hand-written because a general parser
 * allocates a parser and strings per message, and a feed decoder sees millions of messages.
 *
 * <p>It is lenient about separators (commas and colons are skipped wherever they stand) and strict
 * about values: an unterminated string, a bad literal or a stray character throws
 * {@link MalformedMessageException} with the position. Strings are not unescaped; {@link #escaped()}
 * says whether the current one contained a backslash.
 *
 * <p>Thread: one scanner per decoding thread; reused for every message.
 */
public final class JsonScanner {
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

    private CharSequence text = "";
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
        this.text = message;
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
            char c = text.charAt(pos);
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
            if (text.charAt(start + i) != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** true when the current token's text is exactly one character {@code c} (Binance's one-letter keys) */
    public boolean is(char c) {
        return (token == Token.FIELD || token == Token.STRING) && end - start == 1 && text.charAt(start) == c;
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
        if (i < end && text.charAt(i) == '-') {
            negative = true;
            i++;
        }
        if (i == end) {
            throw new MalformedMessageException("expected a whole number", text, start);
        }
        long value = 0;
        for (; i < end; i++) {
            char c = text.charAt(i);
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
        if (text instanceof String s) {
            // the JDK's vectorised search finds the closing quote; a backslash before it sends the
            // string to the character loop, which handles escaped quotes
            int close = s.indexOf('"', pos + 1, limit);
            if (close >= 0 && s.indexOf('\\', pos + 1, close) < 0) {
                start = pos + 1;
                end = close;
                pos = close + 1;
                return fieldOrString();
            }
        }
        int i = pos + 1;
        while (i < limit) {
            char c = text.charAt(i);
            if (c == '\\') {
                escaped = true;
                i += 2;
                continue;
            }
            if (c == '"') {
                start = pos + 1;
                end = i;
                pos = i + 1;
                return fieldOrString();
            }
            i++;
        }
        throw new MalformedMessageException("unterminated string", text, pos);
    }

    /** after a string: a colon (past white space) makes it a key */
    private Token fieldOrString() {
        int j = pos;
        while (j < limit && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\n' || text.charAt(j) == '\r')) {
            j++;
        }
        return j < limit && text.charAt(j) == ':' ? Token.FIELD : Token.STRING;
    }

    private Token number() {
        int i = pos;
        while (i < limit) {
            char c = text.charAt(i);
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
            if (text.charAt(pos + i) != word.charAt(i)) {
                throw new MalformedMessageException("expected " + word, text, pos);
            }
        }
        pos += word.length();
        end = pos;
        return kind;
    }
}
