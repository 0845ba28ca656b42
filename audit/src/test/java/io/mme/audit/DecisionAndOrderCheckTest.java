package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decision and order records carry the input journal's check: any byte changed inside one is
 * caught by every reader (never decoded as another price); the cut keeps exactly the intact records
 * of the events up to a point.
 */
class DecisionAndOrderCheckTest {
    @TempDir
    Path dir;

    private static InboundEvent quoted(long seq) {
        InboundEvent e = new InboundEvent();
        e.begin(seq, InboundEventType.MARKET_DATA, 1_000 + seq);
        e.addIntent().set(QuoteAction.PLACE, 1, 2, Side.BUY, 0, 640_000, 100, 0).approve();
        e.addIntent().set(QuoteAction.REPLACE, 1, 2, Side.SELL, 1, 640_100, 50, 77).reject(1004);
        return e;
    }

    private static OrderCommand command(long cause, long id) {
        OrderCommand c = new OrderCommand();
        c.begin(0, OrderCommandType.NEW);
        c.set(5, cause, 1, 2, 1, id, 0, Side.BUY, 6_399_983, 100, TimeInForce.GTC, true);
        return c;
    }

    private Path decisions(int events) {
        Path d = dir.resolve("decisions");
        DecisionJournalEngine journal = new DecisionJournalEngine(d);
        journal.onStart(null);
        for (int i = 0; i < events; i++) {
            journal.onEvent(quoted(i), i, true);
        }
        journal.onShutdown();
        return d;
    }

    private Path orders(int events) {
        Path d = dir.resolve("orders");
        OrderJournalEngine journal = new OrderJournalEngine(d);
        journal.onStart(null);
        for (int i = 0; i < events; i++) {
            journal.onEvent(command(i, 100 + 2 * i), 0, true);
            journal.onEvent(command(i, 101 + 2 * i), 0, true);
        }
        journal.onShutdown();
        return d;
    }

    /** the bytes of the first record of a queue, on the heap */
    private static Bytes<?> firstRecord(Path queueDir) {
        try (ChronicleQueue q = Queues.open(queueDir, true); ExcerptTailer t = q.createTailer(); DocumentContext d = t.readingDocument()) {
            Bytes<?> in = d.wire().bytes();
            Bytes<?> copy = Bytes.allocateElasticOnHeap(256);
            copy.write(in, in.readPosition(), in.readRemaining());
            return copy;
        }
    }

    private static void everyByteFlippedIsCaught(Bytes<?> original, Function<Bytes<?>, ?> reader) {
        long length = original.writePosition();
        assertThat(reader.apply(original.bytesForRead())).isNotNull();
        for (long at = 0; at < length; at++) {
            Bytes<?> damaged = Bytes.allocateElasticOnHeap(256);
            damaged.write(original, 0, length);
            damaged.writeByte(at, (byte) (damaged.readByte(at) ^ 0x10));
            long where = at;
            assertThatThrownBy(() -> reader.apply(damaged)).as("byte %d", where).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void anyByteChangedInADecisionOrOrderRecordIsCaught() {
        everyByteFlippedIsCaught(firstRecord(decisions(1)), DecisionRecord::read);
        everyByteFlippedIsCaught(firstRecord(orders(1)), OrderRecord::read);
    }

    @Test
    void aJournalOfTheFormatWithoutChecksIsRefusedNotCut() {
        Path old = dir.resolve("old-orders");
        try (ChronicleQueue q = Queues.open(old, false); var appender = q.createAppender(); DocumentContext d = appender.writingDocument()) {
            d.wire().bytes().writeByte((byte) 1).writeLong(0).writeInt(0);
        }
        assertThatThrownBy(() -> JournalCut.scan(old, JournalCut.Kind.ORDERS)).isInstanceOf(JournalCut.FormatTooOld.class)
                .hasMessageContaining("record format 1, without checks");
    }

    @Test
    void intactJournalsScanWholeAndACutKeepsTheRecordsOfEventsUpToIt() {
        Path d = decisions(10);
        Path o = orders(10);
        assertThat(JournalCut.scan(d, JournalCut.Kind.DECISIONS)).isEqualTo(new JournalCut.Scan(9, Long.MAX_VALUE, null));
        assertThat(JournalCut.scan(o, JournalCut.Kind.ORDERS)).isEqualTo(new JournalCut.Scan(9, Long.MAX_VALUE, null));
        assertThat(JournalCut.scan(dir.resolve("none"), JournalCut.Kind.ORDERS).damaged()).isFalse();

        assertThat(JournalCut.cut(d, dir.resolve("decisions.aside"), 4, JournalCut.Kind.DECISIONS)).isEqualTo(5);
        assertThat(JournalCut.cut(o, dir.resolve("orders.aside"), 4, JournalCut.Kind.ORDERS)).isEqualTo(10);
        assertThat(JournalCut.scan(d, JournalCut.Kind.DECISIONS)).isEqualTo(new JournalCut.Scan(4, Long.MAX_VALUE, null));
        assertThat(JournalCut.scan(o, JournalCut.Kind.ORDERS)).isEqualTo(new JournalCut.Scan(4, Long.MAX_VALUE, null));
        // the aside copies are whole
        assertThat(JournalCut.scan(dir.resolve("orders.aside"), JournalCut.Kind.ORDERS).lastKey()).isEqualTo(9);

        // a reopened writer continues after the cut
        OrderJournalEngine reopened = new OrderJournalEngine(o);
        reopened.onStart(null);
        reopened.onEvent(command(5, 500), 0, true);
        reopened.onShutdown();
        try (RecordCursor<OrderRecord> cursor = RecordCursor.orders(o)) {
            OrderRecord r;
            long last = -1;
            while ((r = cursor.next()) != null) {
                last = r.clientOrderId();
            }
            assertThat(last).isEqualTo(500);
        }
    }
}
