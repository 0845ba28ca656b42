package io.mme.venuegateway;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.matching.BookConfig;
import io.mme.matching.BookListener;
import io.mme.matching.L3Kind;
import io.mme.matching.OrderBook;
import io.mme.matching.OrderType;
import io.mme.matching.SelfTradePrevention;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.List;

import static io.mme.venuegateway.VenueProtocol.*;

/**
 * The venue's matching thread: takes validated commands from the command ring, runs them on the
 * books, and writes every execution report, market data message and snapshot to the output ring.
 * It never touches a socket; the only thing it ever waits for is room in the output ring, which the
 * I/O thread empties without waiting on any client (a client that does not read is disconnected).
 *
 * <p>Thread: the matching thread owns everything here (books, id maps, the market data sequence);
 * {@link #stop()} may be called from any thread.
 *
 * <p>Ids: the book knows an order by a venue order id this loop hands out (1, 2, ...), owned by
 * {@code sessionIndex + 1}; each session's client order ids map to venue order ids, and back, until
 * the order is done. A session's end cancels its orders (cancel on disconnect).
 */
final class MatchingLoop implements Runnable {
    /** output room kept free before a command is taken: a command's output rarely exceeds it */
    private static final int HEADROOM = 64 * 1024;
    /** levels per side a snapshot carries at most */
    static final int SNAPSHOT_DEPTH = 1024;
    private static final long MISSING = 0;

    private final RingBuffer commands;
    private final RingBuffer output;
    private final IdleStrategy idle;
    /** tells the I/O thread that output is waiting (it may sleep in select) */
    private final Runnable outputWritten;
    private final Int2ObjectHashMap<OrderBook> books = new Int2ObjectHashMap<>();
    private final OrderBook[] bookList;
    private final int[] generation;
    private final long[] sessionId;
    private final Long2LongHashMap[] venueIdByClientId;
    private final Long2LongHashMap clientIdByVenueId = new Long2LongHashMap(1 << 16, 0.5f, MISSING);
    private final long[] snapPrices = new long[SNAPSHOT_DEPTH];
    private final long[] snapQuantities = new long[SNAPSHOT_DEPTH];
    private final int[] snapCounts = new int[SNAPSHOT_DEPTH];
    private long nextVenueOrderId = 1;
    private long marketDataSequence;
    /** the command being run: who sent it (for gateway rejects) */
    private int currentSession;
    private volatile boolean running = true;
    private final org.agrona.concurrent.MessageHandler commandHandler = this::onCommand;

    MatchingLoop(List<BookConfig> bookConfigs, int maxSessions, RingBuffer commands, RingBuffer output, IdleStrategy idle,
                 Runnable outputWritten) {
        this.outputWritten = outputWritten;
        this.commands = commands;
        this.output = output;
        this.idle = idle;
        this.bookList = new OrderBook[bookConfigs.size()];
        for (int i = 0; i < bookList.length; i++) {
            BookConfig c = bookConfigs.get(i);
            OrderBook book = new OrderBook(c, new Publisher(c.instrumentId()));
            bookList[i] = book;
            if (books.put(c.instrumentId(), book) != null) {
                throw new IllegalArgumentException("venue: two books for instrument " + c.instrumentId());
            }
        }
        this.generation = new int[maxSessions];
        this.sessionId = new long[maxSessions];
        this.venueIdByClientId = new Long2LongHashMap[maxSessions];
        for (int i = 0; i < maxSessions; i++) {
            venueIdByClientId[i] = new Long2LongHashMap(1024, 0.5f, MISSING);
        }
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (IllegalStateException e) {
            if (running) {
                throw e;
            }
            // stopped while the I/O thread no longer empties the output ring: nothing is lost that anyone reads
        }
    }

    private void loop() {
        while (running) {
            int work = 0;
            if (output.capacity() - output.size() >= HEADROOM) {
                work = commands.read(commandHandler, 64);
                if (work > 0) {
                    outputWritten.run();
                }
            }
            idle.idle(work);
        }
    }

    void stop() {
        running = false;
    }

    /** the last market data sequence given out (matching thread; tests read it after a barrier) */
    long marketDataSequence() {
        return marketDataSequence;
    }

    private void onCommand(int kind, MutableDirectBuffer buffer, int index, int length) {
        int session = buffer.getInt(index + VenueRings.CMD_SESSION_INDEX);
        currentSession = session;
        switch (kind) {
            case VenueRings.CMD_SESSION_OPENED -> {
                generation[session] = buffer.getInt(index + VenueRings.CMD_GENERATION);
                sessionId[session] = buffer.getLong(index + VenueRings.CMD_SESSION_ID);
                venueIdByClientId[session].clear();
            }
            case VenueRings.CMD_SESSION_CLOSED -> {
                long now = System.nanoTime();
                for (OrderBook book : bookList) {
                    book.setTime(now);
                    book.massCancel(session + 1L);
                }
                venueIdByClientId[session].clear();
                generation[session] = -1;
            }
            case VenueRings.CMD_WIRE -> onWire(buffer, index + VenueRings.CMD_HEADER, session);
            default -> throw new IllegalStateException("venue: unknown command record " + kind);
        }
    }

    private void onWire(DirectBuffer m, int at, int session) {
        byte type = m.getByte(at + TYPE);
        int instrument = m.getInt(at + 4); // every command's instrument is at offset 4
        long now = System.nanoTime();
        if (type == SNAPSHOT_REQUEST) {
            if (instrument == 0) {
                for (int i = 0; i < bookList.length; i++) {
                    snapshot(session, bookList[i], i == bookList.length - 1);
                }
            } else {
                snapshot(session, books.get(instrument), true);
            }
            return;
        }
        OrderBook book = books.get(instrument); // the I/O thread checked that it exists
        book.setTime(now);
        long owner = session + 1L;
        Long2LongHashMap ids = venueIdByClientId[session];
        switch (type) {
            case NEW_ORDER -> {
                long clientId = m.getLong(at + NEW_CLIENT_ORDER_ID);
                Side side = m.getByte(at + NEW_SIDE) == 0 ? Side.BUY : Side.SELL;
                long price = m.getLong(at + NEW_PRICE);
                if (ids.containsKey(clientId)) {
                    gatewayReject(EXEC_REJECTED, instrument, clientId, side, price, GatewayReason.DUPLICATE_CLIENT_ORDER_ID, now);
                    return;
                }
                long venueId = nextVenueOrderId++;
                ids.put(clientId, venueId);
                clientIdByVenueId.put(venueId, clientId);
                book.newOrder(venueId, owner, side, OrderType.LIMIT, TIF[m.getByte(at + NEW_TIF)],
                        (m.getByte(at + NEW_FLAGS) & FLAG_POST_ONLY) != 0, SelfTradePrevention.NONE,
                        price, m.getLong(at + NEW_QUANTITY));
            }
            case CANCEL -> {
                long clientId = m.getLong(at + CANCEL_CLIENT_ORDER_ID);
                long venueId = ids.get(clientId);
                if (venueId == MISSING) {
                    gatewayReject(EXEC_CANCEL_REJECTED, instrument, clientId, null, 0, GatewayReason.UNKNOWN_CLIENT_ORDER_ID, now);
                    return;
                }
                book.cancel(owner, venueId);
            }
            case REPLACE -> {
                long clientId = m.getLong(at + REPLACE_CLIENT_ORDER_ID);
                long venueId = ids.get(clientId);
                if (venueId == MISSING) {
                    gatewayReject(EXEC_CANCEL_REJECTED, instrument, clientId, null, m.getLong(at + REPLACE_PRICE),
                            GatewayReason.UNKNOWN_CLIENT_ORDER_ID, now);
                    return;
                }
                book.replace(owner, venueId, m.getLong(at + REPLACE_PRICE), m.getLong(at + REPLACE_QUANTITY));
            }
            default -> throw new IllegalStateException("venue: the I/O thread passed message type " + type);
        }
    }

    private static final TimeInForce[] TIF = TimeInForce.values();

    private void snapshot(int session, OrderBook book, boolean last) {
        int instrument = book.config().instrumentId();
        int bids = Math.min(book.levels(Side.BUY), SNAPSHOT_DEPTH);
        int asks = Math.min(book.levels(Side.SELL), SNAPSHOT_DEPTH);
        MutableDirectBuffer b = output.buffer();
        int beginAt = claimSession(session, SNAPSHOT_BEGIN_SIZE);
        b.setMemory(beginAt, SNAPSHOT_BEGIN_SIZE, (byte) 0);
        b.putByte(beginAt + TYPE, SNAPSHOT_BEGIN);
        b.putInt(beginAt + SNAPSHOT_INSTRUMENT, instrument);
        b.putLong(beginAt + SNAPSHOT_SEQUENCE, marketDataSequence);
        b.putInt(beginAt + SNAPSHOT_BIDS, bids);
        b.putInt(beginAt + SNAPSHOT_ASKS, asks);
        output.commit(beginAt - VenueRings.OUT_HEADER);
        writeLevels(session, instrument, Side.BUY, book.depth(Side.BUY, bids, snapPrices, snapQuantities, snapCounts));
        writeLevels(session, instrument, Side.SELL, book.depth(Side.SELL, asks, snapPrices, snapQuantities, snapCounts));
        int endAt = claimSession(session, SNAPSHOT_END_SIZE);
        b.setMemory(endAt, SNAPSHOT_END_SIZE, (byte) 0);
        b.putByte(endAt + TYPE, SNAPSHOT_END);
        b.putInt(endAt + SNAPSHOT_INSTRUMENT, instrument);
        b.putLong(endAt + SNAPSHOT_SEQUENCE, marketDataSequence);
        b.putByte(endAt + SNAPSHOT_END_LAST, last ? (byte) 1 : 0);
        output.commit(endAt - VenueRings.OUT_HEADER);
    }

    private void writeLevels(int session, int instrument, Side side, int n) {
        MutableDirectBuffer b = output.buffer();
        for (int i = 0; i < n; i++) {
            int at = claimSession(session, SNAPSHOT_LEVEL_SIZE);
            b.setMemory(at, SNAPSHOT_LEVEL_SIZE, (byte) 0);
            b.putByte(at + TYPE, SNAPSHOT_LEVEL);
            b.putByte(at + SNAPSHOT_LEVEL_SIDE, (byte) side.ordinal());
            b.putInt(at + SNAPSHOT_LEVEL_COUNT, snapCounts[i]);
            b.putLong(at + SNAPSHOT_LEVEL_PRICE, snapPrices[i]);
            b.putLong(at + SNAPSHOT_LEVEL_QUANTITY, snapQuantities[i]);
            b.putInt(at + SNAPSHOT_LEVEL_INSTRUMENT, instrument);
            output.commit(at - VenueRings.OUT_HEADER);
        }
    }

    private void gatewayReject(byte execType, int instrument, long clientId, Side side, long price, GatewayReason reason, long now) {
        int at = claimSession(currentSession, REPORT_SIZE);
        MutableDirectBuffer b = output.buffer();
        b.setMemory(at, REPORT_SIZE, (byte) 0);
        b.putByte(at + TYPE, EXECUTION_REPORT);
        b.putByte(at + REPORT_EXEC_TYPE, execType);
        b.putByte(at + REPORT_SIDE, side == null ? (byte) 255 : (byte) side.ordinal());
        b.putInt(at + REPORT_INSTRUMENT, instrument);
        b.putLong(at + REPORT_CLIENT_ORDER_ID, clientId);
        b.putLong(at + REPORT_PRICE, price);
        b.putLong(at + REPORT_TIMESTAMP, now);
        b.putInt(at + REPORT_REASON, reason.code());
        b.putLong(at + REPORT_SESSION_ID, sessionId[currentSession]);
        output.commit(at - VenueRings.OUT_HEADER);
    }

    /**
     * Claims a session record of {@code size} message bytes and returns where the message starts;
     * waits (spinning) only while the I/O thread frees room, which it does without waiting on clients.
     */
    private int claimSession(int session, int size) {
        int index = claim(VenueRings.OUT_SESSION, VenueRings.OUT_HEADER + size);
        output.buffer().putInt(index + VenueRings.OUT_SESSION_INDEX, session);
        output.buffer().putInt(index + VenueRings.OUT_GENERATION, generation[session]);
        return index + VenueRings.OUT_HEADER;
    }

    private int claim(int kind, int length) {
        int index;
        while ((index = output.tryClaim(kind, length)) < 0) {
            if (!running) {
                throw new IllegalStateException("venue: stopped while waiting for room in the output ring");
            }
            Thread.onSpinWait();
        }
        return index;
    }

    private static byte execCode(ExecType t) {
        return switch (t) {
            case ACCEPTED -> EXEC_ACCEPTED;
            case REJECTED -> EXEC_REJECTED;
            case PARTIALLY_FILLED -> EXEC_PARTIALLY_FILLED;
            case FILLED -> EXEC_FILLED;
            case CANCELLED -> EXEC_CANCELLED;
            case REPLACED -> EXEC_REPLACED;
            case CANCEL_REJECTED, ORDER_STATUS -> EXEC_CANCEL_REJECTED;
        };
    }

    /** One book's voice: its reports go to the owner session, its levels and trades to market data. */
    private final class Publisher implements BookListener {
        private final int instrument;

        Publisher(int instrument) {
            this.instrument = instrument;
        }

        @Override
        public void onExecution(long bookSequence, ExecutionReport r) {
            int session = (int) (r.ownerId() - 1);
            long venueId = r.clientOrderId();
            long clientId = clientIdByVenueId.get(venueId);
            ExecType t = r.execType();
            boolean done = t == ExecType.FILLED || t == ExecType.REJECTED
                    || (t == ExecType.CANCELLED && r.leavesQuantityLots() == 0);
            int at = claimSession(session, REPORT_SIZE);
            MutableDirectBuffer b = output.buffer();
            b.putByte(at + TYPE, EXECUTION_REPORT);
            b.putByte(at + REPORT_EXEC_TYPE, execCode(t));
            b.putByte(at + REPORT_SIDE, r.side() == null ? (byte) 255 : (byte) r.side().ordinal());
            b.putByte(at + REPORT_FLAGS, r.maker() ? (byte) FLAG_MAKER : 0);
            b.putInt(at + REPORT_INSTRUMENT, instrument);
            b.putLong(at + REPORT_CLIENT_ORDER_ID, clientId);
            b.putLong(at + REPORT_VENUE_ORDER_ID, t == ExecType.REJECTED ? 0 : venueId);
            b.putLong(at + REPORT_PRICE, r.priceTicks());
            b.putLong(at + REPORT_LAST_QUANTITY, r.lastQuantityLots());
            b.putLong(at + REPORT_LAST_PRICE, r.lastPriceTicks());
            b.putLong(at + REPORT_LEAVES, r.leavesQuantityLots());
            b.putLong(at + REPORT_TRADE_ID, r.tradeId());
            b.putLong(at + REPORT_TIMESTAMP, r.venueTimestampNanos());
            b.putInt(at + REPORT_REASON, r.reasonCode());
            b.putInt(at + REPORT_REASON + 4, 0);
            b.putLong(at + REPORT_SESSION_ID, sessionId[session]);
            output.commit(at - VenueRings.OUT_HEADER);
            if (done) {
                clientIdByVenueId.remove(venueId);
                venueIdByClientId[session].remove(clientId);
            }
        }

        @Override
        public void onTrade(long bookSequence, long tradeId, Side aggressor, long priceTicks, long quantityLots,
                            long makerOrderId, long takerOrderId) {
            int at = claimMarketData(TRADE_SIZE);
            MutableDirectBuffer b = output.buffer();
            b.putByte(at + TYPE, TRADE);
            b.putByte(at + TRADE_AGGRESSOR, (byte) aggressor.ordinal());
            b.putShort(at + 2, (short) 0);
            b.putInt(at + TRADE_INSTRUMENT, instrument);
            b.putLong(at + TRADE_ID, tradeId);
            b.putLong(at + TRADE_PRICE, priceTicks);
            b.putLong(at + TRADE_QUANTITY, quantityLots);
            output.commit(at - VenueRings.OUT_HEADER);
        }

        @Override
        public void onLevel(long bookSequence, Side side, long priceTicks, long quantityLots, int orderCount) {
            int at = claimMarketData(LEVEL_SIZE);
            MutableDirectBuffer b = output.buffer();
            b.putByte(at + TYPE, LEVEL);
            b.putByte(at + LEVEL_SIDE, (byte) side.ordinal());
            b.putShort(at + 2, (short) 0);
            b.putInt(at + LEVEL_INSTRUMENT, instrument);
            b.putLong(at + LEVEL_PRICE, priceTicks);
            b.putLong(at + LEVEL_QUANTITY, quantityLots);
            b.putInt(at + LEVEL_COUNT, orderCount);
            b.putInt(at + LEVEL_COUNT + 4, 0);
            output.commit(at - VenueRings.OUT_HEADER);
        }

        @Override
        public void onOrder(long bookSequence, L3Kind kind, long orderId, Side side, long priceTicks, long quantityLots) {
            // order-level events stay inside the venue: the public stream is L2 and trades
        }

        private int claimMarketData(int size) {
            int index = claim(VenueRings.OUT_MARKET_DATA, VenueRings.OUT_HEADER + size);
            output.buffer().putLong(index + VenueRings.OUT_SEQUENCE, ++marketDataSequence);
            return index + VenueRings.OUT_HEADER;
        }
    }
}
