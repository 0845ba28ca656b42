package io.mme.backtest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads one capture file of the hftbacktest data collector: one event per line,
 * {@code <local receive time, unix nanoseconds> <the raw venue message>}, gzip or plain text. The
 * line is offered as {@link AsciiText} over the read buffer itself when it lies whole in it, or over
 * a reused line buffer when it spans two reads; nothing is allocated per line. Newlines are found
 * eight bytes at a time.
 * A line without a leading timestamp is still returned, with {@link #timestampValid()} false, so
 * the driver can report it with its file and line.
 *
 * <p>Thread: the backtest's thread.
 */
final class CaptureReader implements AutoCloseable {
    private final Path path;
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private byte[] line = new byte[1 << 16];
    /** the current line: {@code lineLength} bytes of {@code lineBytes} from {@code lineStart} (the chunk or {@code line}) */
    private byte[] lineBytes;
    private int lineStart;
    private int lineLength;
    private final AsciiText message = new AsciiText();
    private long lineNumber;
    private long timestamp;
    private boolean timestampValid;
    private boolean eof;

    /** bytes of the file read so far (compressed, for a gzip file): the progress bar's measure */
    private final long[] fileBytesRead = new long[1];

    CaptureReader(Path path) {
        this.path = path;
        try {
            InputStream counted = new java.io.FilterInputStream(Files.newInputStream(path)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        fileBytesRead[0] += n;
                    }
                    return n;
                }
            };
            InputStream raw = new BufferedInputStream(counted, 1 << 16);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            this.in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            throw new BacktestInputException(path + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    Path path() {
        return path;
    }

    /** bytes of the file read so far (ahead of the current line by up to a buffer) */
    long fileBytesRead() {
        return fileBytesRead[0];
    }

    /** reads the next non-empty line; false at the end of the file */
    boolean next() {
        while (true) {
            if (!readLine()) {
                return false;
            }
            if (lineLength > 0) {
                break;
            }
        }
        byte[] b = lineBytes;
        int start = lineStart;
        int space = -1;
        for (int i = 0; i < lineLength; i++) {
            if (b[start + i] == ' ') {
                space = i;
                break;
            }
        }
        timestampValid = false;
        if (space > 0 && space <= 19) {
            long t = 0;
            boolean digits = true;
            for (int i = 0; i < space; i++) {
                int d = b[start + i] - '0';
                if (d < 0 || d > 9) {
                    digits = false;
                    break;
                }
                t = t * 10 + d;
            }
            if (digits) {
                timestamp = t;
                timestampValid = true;
            }
        }
        int from = timestampValid ? space + 1 : 0;
        int end = lineLength;
        if (end > from && b[start + end - 1] == '\r') {
            end--;
        }
        message.wrap(b, start + from, end - from);
        return true;
    }

    private boolean readLine() {
        lineLength = 0;
        lineBytes = line;
        lineStart = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkEnd) {
                if (eof || !fill()) {
                    return any;
                }
            }
            int newline = indexOfNewline(chunk, chunkPos, chunkEnd);
            if (newline >= 0) {
                if (!any) {
                    // the whole line lies in the chunk: no copy
                    lineBytes = chunk;
                    lineStart = chunkPos;
                    lineLength = newline - chunkPos;
                } else {
                    append(chunkPos, newline - chunkPos);
                }
                chunkPos = newline + 1;
                lineNumber++;
                return true;
            }
            any = true;
            append(chunkPos, chunkEnd - chunkPos);
            chunkPos = chunkEnd;
        }
    }

    /** the first '\n' in [from, to), or -1: eight bytes at a time, the lowest byte that is zero after XOR with newlines */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i) ^ NEWLINES;
            long zero = (w - ONES) & ~w & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean fill() {
        try {
            int n = in.read(chunk);
            if (n <= 0) {
                eof = true;
                if (lineLength > 0) {
                    lineNumber++;
                }
                return false;
            }
            chunkPos = 0;
            chunkEnd = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(path + " line " + (lineNumber + 1) + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private void append(int from, int n) {
        if (lineLength + n > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
            lineBytes = line;
        }
        System.arraycopy(chunk, from, line, lineLength, n);
        lineLength += n;
    }

    /** the current line's local receive time, unix nanoseconds (valid when {@link #timestampValid()}) */
    long timestamp() {
        return timestamp;
    }

    boolean timestampValid() {
        return timestampValid;
    }

    /** the current line's venue message (the whole line when it has no timestamp) */
    AsciiText message() {
        return message;
    }

    /** the current line's number in the file, from 1 */
    long lineNumber() {
        return lineNumber;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // reading is over; nothing to lose
        }
    }
}
