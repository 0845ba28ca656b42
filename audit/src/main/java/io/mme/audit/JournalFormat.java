package io.mme.audit;

import io.mme.core.ring.ControlCommand;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.MarketDataUpdate;
import io.mme.core.ring.Side;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The binary layout of one journal record: the input part of an inbound event (never the
 * decisions the engines wrote into the slot: a replay makes those again). Fixed-width fields
 * except the strings of control commands, so writing a market data event allocates nothing.
 *
 * <pre>
 *  byte version, long sequence, byte type, long timestampNanos, byte flags (1: faulted by its publisher)
 *  [utf8 faultedBy when flagged]
 *  MARKET_DATA:      byte kind, int venue, int instrument, byte side, long price, long qty,
 *                    long otherPrice, long otherQty, long orderId, long venueSeq, long venueTs,
 *                    long receiveTs, bool endOfMessage, bool bookValid
 *  EXECUTION_REPORT: byte execType, int venue, int instrument, long clOrdId, long venueOrderId,
 *                    byte side, long price, long leaves, long venueTs, long tradeId, long lastPrice,
 *                    long lastQty, bool maker, int reason, long owner
 *  CONTROL:          utf8 command, long requestId, utf8 principal, utf8 reason, int venue,
 *                    int instrument, utf8 key, long value
 *  TIMER:            nothing more
 *  then long check: a 64-bit hash of every byte of the record before it
 * </pre>
 *
 * The check makes damage inside a record visible: Chronicle Queue frames records, but a byte
 * changed inside one would otherwise decode as a wrong price.
 *
 * Stateless; any thread.
 */
final class JournalFormat {
    static final byte VERSION = 2;
    private static final byte FAULTED = 1;
    private static final InboundEventType[] TYPES = InboundEventType.values();
    private static final MarketDataKind[] KINDS = MarketDataKind.values();
    private static final ExecType[] EXEC_TYPES = ExecType.values();
    private static final Side[] SIDES = Side.values();

    private JournalFormat() {
    }

    static void write(InboundEvent event, Bytes<?> out) {
        long start = out.writePosition();
        out.writeByte(VERSION);
        out.writeLong(event.sequence());
        out.writeByte((byte) event.type().ordinal());
        out.writeLong(event.timestampNanos());
        // Only a publisher's fault mark is input; an engine's fault is reproduced by the replay itself.
        boolean publisherFault = event.faultedByPublisher();
        out.writeByte(publisherFault ? FAULTED : 0);
        if (publisherFault) {
            out.writeUtf8(event.faultedBy());
        }
        switch (event.type()) {
            case MARKET_DATA -> writeMarketData(event.marketData(), out);
            case EXECUTION_REPORT -> writeExecution(event.executionReport(), out);
            case CONTROL -> writeControl(event.control(), out);
            case TIMER -> { }
        }
        out.writeLong(check(out, start, out.writePosition()));
    }

    /** a hash of bytes [from, to), 8 at a time; allocation-free */
    static long check(Bytes<?> bytes, long from, long to) {
        long h = 0x6A09E667F3BCC909L;
        long p = from;
        for (; p + 8 <= to; p += 8) {
            h = io.mme.core.digest.StateDigest.mix(h, bytes.readLong(p));
        }
        for (; p < to; p++) {
            h = io.mme.core.digest.StateDigest.mix(h, bytes.readByte(p));
        }
        return io.mme.core.digest.StateDigest.mix(h, to - from);
    }

    /**
     * Reads the check that follows bytes [start, readPosition) and compares it with theirs: the
     * check of decision and order records (the same one as input records').
     *
     * @throws JournalException naming {@code what} when it is missing or differs: the record is damaged
     */
    static void verify(Bytes<?> in, long start, String what) {
        long expected = check(in, start, in.readPosition());
        if (in.readRemaining() < 8 || in.readLong() != expected) {
            throw new JournalException(what + " fails its check: it is damaged");
        }
    }

    private static void writeMarketData(MarketDataUpdate m, Bytes<?> out) {
        out.writeByte((byte) m.kind().ordinal());
        out.writeInt(m.venueId());
        out.writeInt(m.instrumentId());
        out.writeByte(side(m.side()));
        out.writeLong(m.priceTicks());
        out.writeLong(m.quantityLots());
        out.writeLong(m.otherPriceTicks());
        out.writeLong(m.otherQuantityLots());
        out.writeLong(m.orderId());
        out.writeLong(m.venueSequence());
        out.writeLong(m.venueTimestampNanos());
        out.writeLong(m.receiveTimestampNanos());
        out.writeBoolean(m.endOfMessage());
        out.writeBoolean(m.bookValid());
    }

    private static void writeExecution(ExecutionReport r, Bytes<?> out) {
        out.writeByte((byte) r.execType().ordinal());
        out.writeInt(r.venueId());
        out.writeInt(r.instrumentId());
        out.writeLong(r.clientOrderId());
        out.writeLong(r.venueOrderId());
        out.writeByte(side(r.side()));
        out.writeLong(r.priceTicks());
        out.writeLong(r.leavesQuantityLots());
        out.writeLong(r.venueTimestampNanos());
        out.writeLong(r.tradeId());
        out.writeLong(r.lastPriceTicks());
        out.writeLong(r.lastQuantityLots());
        out.writeBoolean(r.maker());
        out.writeInt(r.reasonCode());
        out.writeLong(r.ownerId());
    }

    private static void writeControl(ControlCommand c, Bytes<?> out) {
        out.writeUtf8(c.command());
        out.writeLong(c.requestId());
        out.writeUtf8(c.principal());
        out.writeUtf8(c.reason());
        out.writeInt(c.venueId());
        out.writeInt(c.instrumentId());
        out.writeUtf8(c.key());
        out.writeLong(c.value());
    }

    /** the sequence of a record, without reading the rest */
    static long sequenceOf(Bytes<?> in) {
        byte version = in.readByte();
        if (version != VERSION) {
            throw new JournalException("journal record version " + version + ", expected " + VERSION);
        }
        return in.readLong();
    }

    /**
     * Fills {@code event} from one record.
     *
     * @throws JournalException when the record is not one this format wrote
     */
    static void read(Bytes<?> in, InboundEvent event) {
        long start = in.readPosition();
        byte version = in.readByte();
        if (version != VERSION) {
            throw new JournalException("journal record version " + version + ", expected " + VERSION);
        }
        long sequence = in.readLong();
        int type = in.readByte();
        if (type < 0 || type >= TYPES.length) {
            throw new JournalException("journal record " + sequence + " has event type " + type);
        }
        event.begin(sequence, TYPES[type], in.readLong());
        if ((in.readByte() & FAULTED) != 0) {
            event.restorePublisherFault(in.readUtf8());
        }
        switch (TYPES[type]) {
            case MARKET_DATA -> readMarketData(in, event.marketData(), sequence);
            case EXECUTION_REPORT -> readExecution(in, event.executionReport(), sequence);
            case CONTROL -> readControl(in, event.control());
            case TIMER -> { }
        }
        long end = in.readPosition();
        long expected = check(in, start, end);
        if (in.readRemaining() < 8 || in.readLong() != expected) {
            throw new JournalException("journal record " + sequence + " fails its check: it is damaged");
        }
    }

    private static void readMarketData(Bytes<?> in, MarketDataUpdate m, long sequence) {
        MarketDataKind kind = KINDS[index(in.readByte(), KINDS.length, "market data kind", sequence)];
        int venue = in.readInt();
        int instrument = in.readInt();
        Side side = side(in.readByte(), sequence);
        long price = in.readLong();
        long qty = in.readLong();
        long otherPrice = in.readLong();
        long otherQty = in.readLong();
        long orderId = in.readLong();
        long venueSeq = in.readLong();
        long venueTs = in.readLong();
        long receiveTs = in.readLong();
        boolean endOfMessage = in.readBoolean();
        boolean bookValid = in.readBoolean();
        m.set(kind, venue, instrument, side, price, qty, venueSeq, venueTs, receiveTs, endOfMessage)
                .otherSide(otherPrice, otherQty).orderId(orderId).bookValid(bookValid);
    }

    private static void readExecution(Bytes<?> in, ExecutionReport r, long sequence) {
        ExecType execType = EXEC_TYPES[index(in.readByte(), EXEC_TYPES.length, "exec type", sequence)];
        int venue = in.readInt();
        int instrument = in.readInt();
        long clOrdId = in.readLong();
        long venueOrderId = in.readLong();
        Side side = side(in.readByte(), sequence);
        long price = in.readLong();
        long leaves = in.readLong();
        long venueTs = in.readLong();
        long tradeId = in.readLong();
        long lastPrice = in.readLong();
        long lastQty = in.readLong();
        boolean maker = in.readBoolean();
        int reason = in.readInt();
        long owner = in.readLong();
        r.set(execType, venue, instrument, clOrdId, venueOrderId, side, price, leaves, venueTs)
                .fill(tradeId, lastPrice, lastQty, maker).reason(reason).owner(owner);
    }

    private static void readControl(Bytes<?> in, ControlCommand c) {
        String command = in.readUtf8();
        long requestId = in.readLong();
        String principal = in.readUtf8();
        String reason = in.readUtf8();
        int venue = in.readInt();
        int instrument = in.readInt();
        String key = in.readUtf8();
        long value = in.readLong();
        c.set(command, requestId, principal, reason).target(venue, instrument).argument(key, value);
    }

    private static byte side(Side side) {
        return side == null ? -1 : (byte) side.ordinal();
    }

    private static Side side(byte b, long sequence) {
        return b < 0 ? null : SIDES[index(b, SIDES.length, "side", sequence)];
    }

    private static int index(int value, int size, String what, long sequence) {
        if (value < 0 || value >= size) {
            throw new JournalException("journal record " + sequence + " has " + what + " " + value);
        }
        return value;
    }
}
