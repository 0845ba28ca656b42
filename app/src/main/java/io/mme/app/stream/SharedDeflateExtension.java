package io.mme.app.stream;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.AbstractExtension;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The stream's {@code permessage-deflate} (RFC 7692), registered in place of Jetty's own so that a
 * message is compressed once for all its subscribers, not once per connection. Jetty's extension
 * deflates every frame on the thread that sends it, with a context per connection: at 1,000
 * clients that was more than two cores of the dispatcher (docs/PERFORMANCE.md). Here the
 * dispatcher deflates each stream message once, with a fresh context ({@link MessageDeflater}), and
 * every subscriber's connection sends those same bytes with RSV1 set; this extension only
 * negotiates, passes outgoing frames through untouched (compressed ones arrive with RSV1 already
 * set, the rest go uncompressed, which RFC 7692 allows per message), and inflates what the client
 * sends compressed.
 *
 * <p>Negotiation: the answer always carries {@code server_no_context_takeover} (a server may add it
 * to any offer: RFC 7692 7.1.1.1), since messages shared between connections cannot depend on one
 * connection's history; {@code client_no_context_takeover} is accepted when offered (the inflater
 * is then reset after each message); {@code client_max_window_bits} is ignored (the inflater takes
 * any window). An offer of {@code server_max_window_bits} below 15 cannot be met by
 * {@link java.util.zip.Deflater} (its window is always 32 KiB), so that connection is sent every
 * message uncompressed ({@link #sendsCompressed()} false).
 *
 * <p>Threads: Jetty's, one connection's frames in order; {@link #sendsCompressed()} is fixed at
 * negotiation, before any frame.
 */
public final class SharedDeflateExtension extends AbstractExtension {
    public static final String NAME = "permessage-deflate";
    /** the RFC 7692 tail a sender removes from each compressed message and a receiver puts back */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
    /** largest message a client may send inflated (subscriptions are well below 1 KiB) */
    static final int MAX_INFLATED_BYTES = 64 * 1024;

    private Inflater inflater;
    private boolean clientNoContextTakeover;
    private boolean sendsCompressed = true;
    /** the message being received is compressed (its first frame had RSV1) */
    private boolean incomingCompressed;
    private int incomingBytes;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean isRsv1User() {
        return true;
    }

    /** whether this connection may be sent shared compressed messages (false: uncompressed ones) */
    public boolean sendsCompressed() {
        return sendsCompressed;
    }

    @Override
    public void init(ExtensionConfig offer, WebSocketComponents components) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("server_no_context_takeover", null);
        for (String key : offer.getParameterKeys()) {
            switch (key.trim()) {
                case "client_no_context_takeover" -> {
                    clientNoContextTakeover = true;
                    answer.put("client_no_context_takeover", null);
                }
                case "server_max_window_bits" -> {
                    if (offer.getParameter(key, 15) < 15) {
                        sendsCompressed = false;
                    }
                }
                default -> {
                    // client_max_window_bits (with or without a value) and unknown parameters: nothing to answer
                }
            }
        }
        inflater = new Inflater(true);
        super.init(new ExtensionConfig(NAME, answer), components);
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        if (frame.isControlFrame()) {
            nextIncomingFrame(frame, callback);
            return;
        }
        if (frame.getOpCode() != OpCode.CONTINUATION) {
            incomingCompressed = frame.isRsv1();
            incomingBytes = 0;
        }
        if (!incomingCompressed) {
            nextIncomingFrame(frame, callback);
            return;
        }
        byte[] inflated;
        try {
            inflated = inflate(frame.getPayload(), frame.isFin());
        } catch (DataFormatException e) {
            callback.failed(new BadPayloadException("permessage-deflate: the client's message does not inflate: " + e.getMessage()));
            return;
        } catch (MessageTooLargeException e) {
            callback.failed(e);
            return;
        }
        Frame plain = new Frame(frame.getOpCode(), frame.isFin(), ByteBuffer.wrap(inflated));
        nextIncomingFrame(plain, callback);
    }

    private byte[] inflate(ByteBuffer payload, boolean fin) throws DataFormatException {
        int length = payload == null ? 0 : payload.remaining();
        byte[] input = new byte[length + (fin ? TAIL.length : 0)];
        if (length > 0) {
            payload.slice().get(input, 0, length);
        }
        if (fin) {
            System.arraycopy(TAIL, 0, input, length, TAIL.length);
        }
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length * 4));
        byte[] chunk = new byte[4096];
        while (true) {
            int n = inflater.inflate(chunk);
            if (n > 0) {
                incomingBytes += n;
                if (incomingBytes > MAX_INFLATED_BYTES) {
                    throw new MessageTooLargeException("permessage-deflate: the client's message inflates past "
                            + MAX_INFLATED_BYTES + " bytes");
                }
                out.write(chunk, 0, n);
            } else if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                break;
            }
        }
        if (fin && clientNoContextTakeover) {
            inflater.reset();
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
        }
    }
}
