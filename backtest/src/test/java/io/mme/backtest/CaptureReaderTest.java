package io.mme.backtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The capture reader gives every line back whole, wherever the read buffer's edges fall, and finds each newline. */
class CaptureReaderTest {
    @TempDir
    Path dir;

    @Test
    void linesOfEveryLengthComeBackWholeAcrossTheReadBuffersEdges() throws Exception {
        Random random = new Random(11);
        List<String> written = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int n = 0; n < 3_000; n++) {
            // mostly short lines, some longer than the 64 KiB read buffer
            int length = n % 500 == 7 ? 70_000 + random.nextInt(10_000) : random.nextInt(300);
            StringBuilder message = new StringBuilder();
            for (int i = 0; i < length; i++) {
                message.append((char) ('a' + random.nextInt(26)));
            }
            written.add(message.toString());
            file.append(1_700_000_000_000_000_000L + n).append(' ').append(message).append(n % 3 == 0 ? "\r\n" : "\n");
        }
        Path capture = dir.resolve("capture.txt");
        Files.writeString(capture, file.toString().substring(0, file.length() - 1), StandardCharsets.US_ASCII); // no final newline
        try (CaptureReader reader = new CaptureReader(capture)) {
            for (int n = 0; n < written.size(); n++) {
                assertThat(reader.next()).as("line %d", n + 1).isTrue();
                assertThat(reader.timestampValid()).isTrue();
                assertThat(reader.timestamp()).isEqualTo(1_700_000_000_000_000_000L + n);
                assertThat(reader.message().toString()).as("line %d", n + 1).isEqualTo(written.get(n));
                assertThat(reader.lineNumber()).isEqualTo(n + 1);
            }
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void theNewlineSearchFindsTheFirstNewlineAtEveryOffset() {
        for (int length = 0; length < 40; length++) {
            for (int at = -1; at < length; at++) {
                byte[] b = new byte[length + 3];
                java.util.Arrays.fill(b, (byte) 'x');
                if (at >= 0) {
                    b[at + 1] = '\n';
                    if (at + 5 < length) {
                        b[at + 5] = '\n'; // a later one is not the answer
                    }
                }
                b[length + 2] = '\n'; // outside the range searched
                assertThat(CaptureReader.indexOfNewline(b, 1, length + 1)).as("length %d at %d", length, at).isEqualTo(at < 0 ? -1 : at + 1);
            }
        }
    }
}
