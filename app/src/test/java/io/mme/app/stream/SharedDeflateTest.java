package io.mme.app.stream;

import io.mme.app.api.ApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream's permessage-deflate ({@link SharedDeflateExtension}, {@link MessageDeflater}) against
 * a real {@link ApiServer} with raw WebSocket clients: a message is compressed once and the same
 * bytes go to every compressing connection; a client's compressed request is understood; a client
 * that asks for a window the JDK's deflater cannot keep gets plain messages.
 */
class SharedDeflateTest {
    private static final String AUTH = "Authorization: Bearer " + StreamTestSupport.TOKEN;
    private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";

    private StreamServer stream;
    private ApiServer api;

    @BeforeEach
    void start() throws Exception {
        var registry = StreamTestSupport.registry();
        StreamTap tap = new StreamTap(registry, 1_000, 1_024);
        stream = new StreamServer(tap, new StreamTestSupport.Access(registry, null, null), StreamTestSupport.tokens(), null,
                StreamServer.Settings.defaults());
        api = new ApiServer(ApiServer.Settings.loopback(0)).install(stream::install).start();
    }

    @AfterEach
    void stop() {
        stream.close();
        api.close();
    }

    @Test
    void twoConnectionsAreSentTheSameCompressedBytesOfAMessageCompressedOnce() throws Exception {
        try (StreamTestSupport.RawClient a = new StreamTestSupport.RawClient(api.port(), 0, AUTH, OFFER);
             StreamTestSupport.RawClient b = new StreamTestSupport.RawClient(api.port(), 0, AUTH, OFFER)) {
            assertThat(a.response.toLowerCase(java.util.Locale.ROOT)).contains("permessage-deflate;server_no_context_takeover");
            // the status channel: each connection gets its latest message, then one a second; find a seq both got
            Map<Long, byte[]> fromA = new HashMap<>();
            Map<Long, byte[]> fromB = new HashMap<>();
            long common = -1;
            for (int i = 0; i < 4 && common < 0; i++) {
                byte[] fa = a.nextFrame();
                byte[] fb = b.nextFrame();
                assertThat(fa[0] & 0x40).as("RSV1 on a data message").isNotZero();
                assertThat(fb[0] & 0x40).as("RSV1 on a data message").isNotZero();
                fromA.put(seqOf(inflate(fa)), fa);
                fromB.put(seqOf(inflate(fb)), fb);
                for (Long seq : fromA.keySet()) {
                    if (fromB.containsKey(seq)) {
                        common = seq;
                    }
                }
            }
            assertThat(common).as("a status message both connections got").isPositive();
            assertThat(fromA.get(common)).as("the same compressed bytes on both connections").isEqualTo(fromB.get(common));
            StreamServer.Stats stats = stream.stats();
            assertThat(stats.messagesDeflated()).as("compressed once per message, not per connection")
                    .isLessThan(stats.messagesSent());
            assertThat(stats.deflatedBytesSent()).isPositive().isLessThan(stats.bytesSent());
        }
    }

    @Test
    void aCompressedRequestFromTheClientIsInflatedAndAnswered() throws Exception {
        try (StreamTestSupport.RawClient c = new StreamTestSupport.RawClient(api.port(), 0, AUTH, OFFER)) {
            sendCompressed(c, "{\"op\":\"subscribe\",\"channel\":\"positions\"}");
            String reply = null;
            for (int i = 0; i < 10 && reply == null; i++) {
                byte[] frame = c.nextFrame();
                String text = (frame[0] & 0x40) != 0 ? inflate(frame) : new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8);
                if (text.contains("\"subscribed\"")) {
                    reply = text;
                }
            }
            assertThat(reply).contains("\"channel\":\"positions\"");
        }
    }

    @Test
    void aClientAskingForASmallServerWindowGetsPlainMessages() throws Exception {
        try (StreamTestSupport.RawClient c = new StreamTestSupport.RawClient(api.port(), 0, AUTH,
                "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10")) {
            assertThat(c.response).startsWith("HTTP/1.1 101");
            byte[] frame = c.nextFrame();
            assertThat(frame[0] & 0x40).as("no RSV1: not compressed").isZero();
            assertThat(new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8)).startsWith("{\"type\":\"status\"");
        }
    }

    @Test
    void theDeflaterOutputStandsAloneAndEndsWithoutTheTail() throws Exception {
        MessageDeflater deflater = new MessageDeflater();
        byte[] first = "{\"type\":\"status\",\"seq\":1,\"padding\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"type\":\"status\",\"seq\":2,\"padding\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}".getBytes(StandardCharsets.UTF_8);
        deflater.deflate(java.nio.ByteBuffer.wrap(first));
        java.nio.ByteBuffer out = deflater.deflate(java.nio.ByteBuffer.wrap(second));
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        assertThat(Arrays.copyOfRange(bytes, Math.max(0, bytes.length - 4), bytes.length))
                .isNotEqualTo(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        // a fresh inflater (no history of the first message) reads the second alone
        byte[] frame = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, frame, 1, bytes.length);
        assertThat(inflate(frame)).isEqualTo(new String(second, StandardCharsets.UTF_8));
        assertThat(deflater.messages()).isEqualTo(2);
    }

    private static long seqOf(String json) {
        int at = json.indexOf("\"seq\":") + 6;
        int end = at;
        while (Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(at, end));
    }

    /** a frame as {@link StreamTestSupport.RawClient#nextFrame} gives it (header byte, payload), inflated alone */
    private static String inflate(byte[] frame) throws Exception {
        Inflater inflater = new Inflater(true);
        byte[] whole = Arrays.copyOf(Arrays.copyOfRange(frame, 1, frame.length), frame.length - 1 + 4);
        whole[whole.length - 2] = (byte) 0xff;
        whole[whole.length - 1] = (byte) 0xff;
        inflater.setInput(whole);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        inflater.end();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** a masked text frame with RSV1, its payload deflated as a browser would (tail removed) */
    private static void sendCompressed(StreamTestSupport.RawClient c, String text) throws IOException {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[1024];
        int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        deflater.end();
        byte[] payload = Arrays.copyOf(buf, n - 4);
        byte[] mask = {9, 8, 7, 6};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0xC1); // FIN, RSV1, text
        frame.write(0x80 | payload.length);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        OutputStream out = c.socket.getOutputStream();
        out.write(frame.toByteArray());
        out.flush();
    }
}
