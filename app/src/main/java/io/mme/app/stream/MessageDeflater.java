package io.mme.app.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses one stream message for {@code permessage-deflate} without context takeover: a fresh
 * deflate context per message, flushed with SYNC_FLUSH and the 4-byte tail {@code 00 00 ff ff}
 * taken off (RFC 7692 7.2.1), so the bytes stand alone and any connection that negotiated
 * {@link SharedDeflateExtension} can send them. A message is compressed once, when its first
 * compressed subscriber is due ({@link StreamChannel.Encoded#deflated}).
 *
 * <p>Threads: the stream's dispatcher only (the deflater and its buffer are reused).
 */
final class MessageDeflater {
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private byte[] out = new byte[16 * 1024];
    private long messages;
    private long bytesIn;
    private long bytesOut;

    /** the compressed bytes of {@code message} (read-only, shared by every connection that sends them) */
    ByteBuffer deflate(ByteBuffer message) {
        ByteBuffer in = message.duplicate();
        deflater.reset();
        deflater.setInput(in);
        int n = 0;
        while (true) {
            n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        // SYNC_FLUSH ends with an empty stored block: 00 00 ff ff, which the receiver adds back
        int length = n >= 4 && out[n - 4] == 0 && out[n - 3] == 0 && out[n - 2] == (byte) 0xff && out[n - 1] == (byte) 0xff ? n - 4 : n;
        messages++;
        bytesIn += message.remaining();
        bytesOut += length;
        return ByteBuffer.wrap(Arrays.copyOf(out, length)).asReadOnlyBuffer();
    }

    /** messages compressed so far (dispatcher thread, or after it stopped) */
    long messages() {
        return messages;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }
}
