package io.mme.audit;

import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalFormatCheckTest {
    private static Bytes<?> written() {
        InboundEvent e = new InboundEvent();
        e.begin(7, InboundEventType.MARKET_DATA, 1_000);
        e.marketData().set(MarketDataKind.LEVEL, 0, 1, Side.BUY, 6_400_000, 25, 3, 4, 5, true);
        Bytes<?> bytes = Bytes.allocateElasticOnHeap(256);
        JournalFormat.write(e, bytes);
        return bytes;
    }

    @Test
    void anIntactRecordReadsBack() {
        InboundEvent back = new InboundEvent();
        JournalFormat.read(written(), back);
        assertThat(back.marketData().priceTicks()).isEqualTo(6_400_000);
    }

    @Test
    void anyByteChangedInsideARecordIsCaughtNotDecodedAsAnotherValue() {
        Bytes<?> original = written();
        long length = original.writePosition();
        for (long at = 1; at < length; at++) {
            Bytes<?> damaged = Bytes.allocateElasticOnHeap(256);
            damaged.write(original, 0, length);
            damaged.writeByte(at, (byte) (damaged.readByte(at) ^ 0x20));
            long where = at;
            assertThatThrownBy(() -> JournalFormat.read(damaged, new InboundEvent()))
                    .as("byte %d", where).isInstanceOf(RuntimeException.class);
        }
    }
}
