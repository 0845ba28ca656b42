package io.mme.audit;

import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import net.openhft.chronicle.bytes.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * One decision record as {@link DecisionJournalEngine} wrote it. Immutable; for the audit writers
 * (off the hot path: reading allocates).
 *
 * @param sequence  the inbound event's number: the idempotency key of the rows made from it
 * @param control   the control command with its answer, or null
 */
public record DecisionRecord(long sequence, long timestampNanos, InboundEventType type, List<Intent> intents, Control control) {

    /** a quote intent and its verdict; {@code index} is its place in the slot (its order id's intent part) */
    public record Intent(int index, QuoteAction action, int venueId, int instrumentId, Side side, int level, long priceTicks,
                         long quantityLots, long targetClientOrderId, RiskVerdict verdict, int rejectCode) {
    }

    /** a control command and the owning engine's answer */
    public record Control(String command, long requestId, String principal, String reason, int venueId, int instrumentId,
                          String key, long value, boolean answered, boolean applied, long oldValue, String message) {
    }

    static DecisionRecord read(Bytes<?> in) {
        long start = in.readPosition();
        long sequence = DecisionJournalEngine.sequenceOf(in);
        long timestamp = in.readLong();
        InboundEventType type = InboundEventType.values()[in.readByte()];
        int count = in.readByte();
        List<Intent> intents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            intents.add(new Intent(i, QuoteAction.values()[in.readByte()], in.readInt(), in.readInt(), Side.values()[in.readByte()],
                    in.readInt(), in.readLong(), in.readLong(), in.readLong(), RiskVerdict.values()[in.readByte()], in.readInt()));
        }
        Control control = null;
        if (in.readBoolean()) {
            control = new Control(in.readUtf8(), in.readLong(), in.readUtf8(), in.readUtf8(), in.readInt(), in.readInt(),
                    in.readUtf8(), in.readLong(), in.readBoolean(), in.readBoolean(), in.readLong(), in.readUtf8());
        }
        JournalFormat.verify(in, start, "decision record of event " + sequence);
        return new DecisionRecord(sequence, timestamp, type, List.copyOf(intents), control);
    }
}
