package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.Side;
import io.mme.core.runtime.EngineContext;
import io.mme.core.runtime.Engine;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.runtime.MarketDataPublisher;
import io.mme.core.runtime.PipelineHealth;

import java.util.List;

/**
 * The paper venue: our own matching engine standing in for a venue. It runs as an engine on the
 * outbound ring, keeps one {@link OrderBook} per instrument, executes the order commands it
 * consumes, and publishes back into the inbound ring what a venue would send: execution reports
 * for the engine's own orders, and public market data (L2 levels, L3 order events, trades) for
 * everyone's. Optionally a {@link SimulatedMarket} per instrument adds the order flow of other
 * participants, so the engine has a live market with no network. Or, in live paper, our orders fill
 * against a live venue's public trades ({@link #liveFeeds}), behind the venue's displayed queue at
 * their price.
 *
 * <p>Accounts: owner ids of 0 and above are the engine's accounts and get execution reports;
 * negative owner ids are the simulated participants, whose orders show only as market data.
 * A command's {@code clientOrderId} is the order's id in the book; cancel and replace name the
 * order by {@code targetClientOrderId} (a replace keeps the order's id).
 *
 * <p>Thread: everything here is owned by the paper venue's engine thread. The venue clock is only
 * read to advance the simulated markets: the venue is outside the engine's deterministic core, like
 * a real exchange. Publishing never blocks (the engine's own inbound publisher holds events back
 * when the ring is full), so the venue can never deadlock with the execution engine.
 */
public final class PaperVenue implements Engine<OrderCommand> {
    /**
     * @param publishLevels   publish L2 level changes
     * @param publishOrders   publish L3 order events
     * @param stp             self-trade prevention applied to the engine's orders
     * @param idleWakeUpNanos how often the simulated markets advance while no command arrives
     * @param queueModel      live paper: how the queue ahead of our orders on a live book shrinks, or
     *                        null for the optimistic rule (no queue; see {@link #liveFeeds})
     */
    public record Options(boolean publishLevels, boolean publishOrders, SelfTradePrevention stp, long idleWakeUpNanos,
                          QueueModel queueModel) {
        public static final Options DEFAULT = new Options(true, true, SelfTradePrevention.CANCEL_RESTING, 1_000_000L);

        /** live paper with the risk-averse queue model (only trades advance our orders) */
        public Options(boolean publishLevels, boolean publishOrders, SelfTradePrevention stp, long idleWakeUpNanos) {
            this(publishLevels, publishOrders, stp, idleWakeUpNanos, QueueModel.riskAverse());
        }
    }

    private final Options options;
    private final OrderBook[] books;
    private final BookPublisher[] publishers;
    private final SimulatedMarket[] markets;
    private final EpochClock venueClock;
    private final ExecutionReport scratch = new ExecutionReport();
    private final boolean anyMarket;
    /** live public feeds the paper orders fill against (live paper), one tape per feed; null without */
    private FeedTape[] tapes;
    /** the queue position of our orders on the live books; null: the optimistic rule (no queue) */
    private LiveQueues queues;
    /** ids of the takers of the tape's trades; negative, as other participants' are */
    private long tapeOrderId = -1L << 40;
    private final FeedTape.Reader tapeReader = new TapeReader();
    private boolean open;
    private InboundPublisher inbound;
    private PipelineHealth health;

    /**
     * @param books      one book configuration per instrument (instrument ids need not be dense)
     * @param markets    a simulated market per instrument id, or null entries / an empty list for none
     * @param venueClock the clock the simulated markets follow
     */
    public PaperVenue(List<BookConfig> books, List<SimulatedMarket> markets, Options options, EpochClock venueClock) {
        this.options = options;
        this.venueClock = venueClock;
        int size = 0;
        for (BookConfig b : books) {
            size = Math.max(size, b.instrumentId() + 1);
        }
        this.books = new OrderBook[size];
        this.publishers = new BookPublisher[size];
        this.markets = new SimulatedMarket[size];
        for (BookConfig b : books) {
            if (this.books[b.instrumentId()] != null) {
                throw new IllegalArgumentException("instrument " + b.instrumentId() + " has two books");
            }
            BookPublisher publisher = new BookPublisher(b.venueId(), b.instrumentId(), options);
            publishers[b.instrumentId()] = publisher;
            this.books[b.instrumentId()] = new OrderBook(b, publisher);
        }
        boolean any = false;
        for (SimulatedMarket market : markets) {
            int id = market.instrumentId();
            if (id >= size || this.books[id] == null) {
                throw new IllegalArgumentException("simulated market for instrument " + id + " has no book");
            }
            this.markets[id] = market;
            any = true;
        }
        this.anyMarket = any;
    }

    /**
     * Fills the paper orders against live venues' public feeds (called before the pipeline starts).
     *
     * <p>With a queue model, each of our resting orders joins the real queue at its price behind the
     * displayed quantity (the tapes carry the feeds' levels as well as their trades) and fills when
     * the public trades that reach its price exceed the quantity ahead of it ({@link LiveQueues}).
     *
     * <p>Without one (configuration {@code paper.queueModel: none}), the optimistic
     * rule: each trade becomes an immediate-or-cancel order of another participant at the trade's
     * price and quantity, on the taker's side, so that our orders at that price or better fill as the
     * real market trades through them, before the real orders that were ahead of them.
     *
     * <p>The queue model is {@link Options#queueModel}; the tapes must carry levels when there is one.
     */
    public PaperVenue liveFeeds(FeedTape... liveFeeds) {
        this.tapes = liveFeeds.length == 0 ? null : liveFeeds.clone();
        this.queues = tapes == null || options.queueModel() == null ? null : new LiveQueues(options.queueModel(), books.length);
        for (BookPublisher publisher : publishers) {
            if (publisher != null) {
                // the live feed already published the trade: the paper venue's copy would count it twice
                publisher.publishTrades = false;
            }
        }
        return this;
    }

    /** a venue without simulated markets */
    public PaperVenue(List<BookConfig> books) {
        this(books, List.of(), Options.DEFAULT, () -> 0L);
    }

    @Override
    public void onStart(EngineContext context) {
        inbound = context.inbound();
        health = context.health();
        for (BookPublisher publisher : publishers) {
            if (publisher != null) {
                publisher.attach(inbound);
            }
        }
        openIfLive();
    }

    /**
     * Opens the venue once the pipeline is live (not while a restarted engine re-runs its journal,
     * when the inbound ring's sequences belong to the journaled events): every book starts with a
     * snapshot (a CLEAR, so that books the engine kept from before a restart are rebuilt from this
     * venue's), then the simulated markets place their first orders and their clocks start.
     */
    private void openIfLive() {
        if (open || health.isRecovering() || health.isShuttingDown()) {
            return;
        }
        open = true;
        long now = venueClock.epochNanos();
        for (int id = 0; id < books.length; id++) {
            if (books[id] != null) {
                publishers[id].clear(now);
            }
        }
        for (int id = 0; id < markets.length; id++) {
            if (markets[id] != null) {
                books[id].setTime(now);
                markets[id].startAt(now);
                markets[id].seed(books[id], publishers[id]::endOfCommand);
            }
        }
    }

    @Override
    public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) {
        openIfLive();
        if (command.recovered()) {
            // decided again while the engine recovered: it was decided before the restart and may or
            // may not have arrived; the engine reconciles by status queries, so it is not executed
            return;
        }
        advanceMarkets();
        switch (command.type()) {
            case NEW, CANCEL, REPLACE -> execute(command);
            case CANCEL_ALL -> {
                if (command.instrumentId() < 0) {
                    for (int id = 0; id < books.length; id++) {
                        if (books[id] != null) {
                            books[id].setTime(command.timestampNanos());
                            books[id].massCancel(command.ownerId());
                            forgetGone(id);
                            publishers[id].endOfCommand();
                        }
                    }
                } else if (bookFor(command) != null) {
                    OrderBook book = books[command.instrumentId()];
                    book.setTime(command.timestampNanos());
                    book.massCancel(command.ownerId());
                    forgetGone(command.instrumentId());
                    publishers[command.instrumentId()].endOfCommand();
                }
            }
            case STATUS -> status(command);
        }
    }

    /**
     * Answers a status query with an ORDER_STATUS report: the order's remaining quantity, 0 when it
     * is not in the book (done, never arrived, belongs to another owner, or an instrument without a
     * book), and its price in the book (the price the query named when it is not there). Only the
     * engine's accounts (owner ids of 0 and above) get reports.
     */
    private void status(OrderCommand c) {
        if (c.ownerId() < 0) {
            return;
        }
        int id = c.instrumentId();
        long target = c.targetClientOrderId();
        boolean hasBook = id >= 0 && id < books.length && books[id] != null;
        boolean ours = hasBook && books[id].contains(target) && books[id].ownerOf(target, Long.MIN_VALUE) == c.ownerId();
        long leaves = ours ? books[id].remaining(target) : 0;
        long price = ours ? books[id].priceOf(target, c.priceTicks()) : c.priceTicks();
        scratch.set(ExecType.ORDER_STATUS, c.venueId(), id, target, target, c.side(), price, leaves,
                c.timestampNanos()).owner(c.ownerId());
        if (hasBook) {
            publishers[id].publishReport(scratch);
        } else {
            inbound.publish(InboundEventType.EXECUTION_REPORT, BookPublisher.WRITE_EXECUTION, scratch);
        }
    }

    private void execute(OrderCommand c) {
        OrderBook book = bookFor(c);
        if (book == null) {
            return;
        }
        book.setTime(c.timestampNanos());
        switch (c.type()) {
            case NEW -> {
                book.newOrder(c.clientOrderId(), c.ownerId(), c.side(),
                        c.market() ? OrderType.MARKET : OrderType.LIMIT, c.timeInForce(), c.postOnly(), options.stp(),
                        c.priceTicks(), c.quantityLots());
                if (queues != null && book.contains(c.clientOrderId())) {
                    queues.join(c.instrumentId(), c.clientOrderId(), c.side(), book.priceOf(c.clientOrderId(), c.priceTicks()));
                }
            }
            case CANCEL -> book.cancel(c.ownerId(), c.targetClientOrderId());
            case REPLACE -> replace(book, c);
            default -> throw new IllegalStateException("not an order command: " + c.type());
        }
        forgetGone(c.instrumentId());
        publishers[c.instrumentId()].endOfCommand();
    }

    /** the queues follow the book: orders cancelled or filled by the command leave them */
    private void forgetGone(int instrumentId) {
        if (queues != null) {
            queues.forgetGone(books[instrumentId], instrumentId);
        }
    }

    /** a replace; with queues, an order that loses its place (new price, more quantity) joins the back of its queue */
    private void replace(OrderBook book, OrderCommand c) {
        long id = c.targetClientOrderId();
        long oldPrice = book.priceOf(id, OrderBook.NO_PRICE);
        long oldQuantity = book.remaining(id);
        boolean replaced = book.replace(c.ownerId(), id, c.priceTicks(), c.quantityLots());
        boolean keptPlace = c.priceTicks() == oldPrice && c.quantityLots() <= oldQuantity;
        if (queues != null && replaced && !keptPlace && book.contains(id)) {
            queues.join(c.instrumentId(), id, c.side(), book.priceOf(id, c.priceTicks()));
        }
    }

    /** the book of the command's instrument; a command for an instrument without a book is rejected */
    private OrderBook bookFor(OrderCommand c) {
        int id = c.instrumentId();
        if (id >= 0 && id < books.length && books[id] != null) {
            return books[id];
        }
        boolean isNew = c.type() == io.mme.core.ring.OrderCommandType.NEW;
        long orderId = isNew ? c.clientOrderId() : c.targetClientOrderId();
        scratch.set(isNew ? ExecType.REJECTED : ExecType.CANCEL_REJECTED, c.venueId(), id, orderId, orderId, c.side(),
                c.priceTicks(), 0, c.timestampNanos()).owner(c.ownerId()).reason(RejectReason.INVALID_ORDER.code());
        inbound.publish(InboundEventType.EXECUTION_REPORT, BookPublisher.WRITE_EXECUTION, scratch);
        return null;
    }

    @Override
    public long idleWakeUpNanos() {
        return anyMarket || tapes != null ? options.idleWakeUpNanos() : 0;
    }

    @Override
    public void onIdle() {
        openIfLive();
        advanceMarkets();
    }

    /**
     * Lets every simulated market catch up with the venue clock, in arrival order per market. The
     * markets stop once the pipeline shuts down, so that the rings can drain.
     */
    private void advanceMarkets() {
        if (tapes != null && open && !health.isShuttingDown()) {
            for (FeedTape tape : tapes) {
                tape.drain(tapeReader);
            }
        }
        if (!anyMarket || !open || health.isShuttingDown()) {
            return;
        }
        long now = venueClock.epochNanos();
        for (int id = 0; id < markets.length; id++) {
            SimulatedMarket market = markets[id];
            if (market == null) {
                continue;
            }
            OrderBook book = books[id];
            while (market.nextArrivalNanos() <= now) {
                book.setTime(market.nextArrivalNanos());
                market.fireNext(book);
                publishers[id].endOfCommand();
            }
        }
    }

    /** the live feeds' items, on the venue's thread: trades fill our orders, levels move their queues */
    private final class TapeReader implements FeedTape.Reader {
        @Override
        public void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots) {
            if (instrumentId < 0 || instrumentId >= books.length || books[instrumentId] == null || quantityLots <= 0) {
                return;
            }
            OrderBook book = books[instrumentId];
            book.setTime(venueClock.epochNanos());
            if (queues != null) {
                queues.trade(book, instrumentId, aggressor, priceTicks, quantityLots, tapeOrderId--);
            } else {
                book.newOrder(tapeOrderId--, -1, aggressor, OrderType.LIMIT, io.mme.core.ring.TimeInForce.IOC, false,
                        SelfTradePrevention.NONE, priceTicks, quantityLots);
            }
            publishers[instrumentId].endOfCommand();
        }

        @Override
        public void level(int instrumentId, Side side, long priceTicks, long quantityLots) {
            if (queues != null) {
                queues.level(instrumentId, side, priceTicks, quantityLots);
            }
        }

        @Override
        public void clear(int instrumentId) {
            if (queues != null) {
                queues.clear(instrumentId);
            }
        }
    }

    /** the book of an instrument, for tests and the demo's report; owned by the venue thread */
    public OrderBook book(int instrumentId) {
        return books[instrumentId];
    }

    /**
     * Turns one book's output into inbound events: execution reports for the engine's accounts,
     * market data for everyone, through a {@link MarketDataPublisher} so that each command's last
     * event carries {@code endOfMessage}; a report first flushes the held event, so the inbound ring
     * sees everything in book-sequence order.
     */
    static final class BookPublisher implements BookListener {
        static final InboundPublisher.Writer<ExecutionReport> WRITE_EXECUTION =
                (event, report) -> event.executionReport().copyFrom(report);

        private final int venueId;
        private final int instrumentId;
        private final Options options;
        private InboundPublisher inbound;
        private MarketDataPublisher marketData;
        private long timestamp;
        boolean publishTrades = true;

        BookPublisher(int venueId, int instrumentId, Options options) {
            this.venueId = venueId;
            this.instrumentId = instrumentId;
            this.options = options;
        }

        void attach(InboundPublisher publisher) {
            inbound = publisher;
            marketData = new MarketDataPublisher(publisher);
        }

        @Override
        public void onExecution(long seq, ExecutionReport report) {
            timestamp = report.venueTimestampNanos();
            if (report.ownerId() < 0) {
                return;
            }
            marketData.flush();
            inbound.publish(InboundEventType.EXECUTION_REPORT, WRITE_EXECUTION, report);
        }

        @Override
        public void onTrade(long seq, long tradeId, Side aggressor, long priceTicks, long quantityLots, long makerOrderId, long takerOrderId) {
            if (!publishTrades) {
                return;
            }
            marketData.add(MarketDataKind.TRADE, venueId, instrumentId, aggressor, priceTicks, quantityLots, 0, seq, timestamp, timestamp);
        }

        @Override
        public void onLevel(long seq, Side levelSide, long priceTicks, long quantityLots, int orderCount) {
            if (options.publishLevels()) {
                marketData.add(MarketDataKind.LEVEL, venueId, instrumentId, levelSide, priceTicks, quantityLots, 0, seq, timestamp, timestamp);
            }
        }

        @Override
        public void onOrder(long seq, L3Kind l3, long id, Side orderSide, long priceTicks, long quantityLots) {
            if (options.publishOrders()) {
                MarketDataKind k = switch (l3) {
                    case ADD -> MarketDataKind.ORDER_ADDED;
                    case REDUCE -> MarketDataKind.ORDER_REDUCED;
                    case EXECUTE -> MarketDataKind.ORDER_EXECUTED;
                    case DELETE -> MarketDataKind.ORDER_DELETED;
                };
                marketData.add(k, venueId, instrumentId, orderSide, priceTicks, quantityLots, id, seq, timestamp, timestamp);
            }
        }

        /** publishes a report that is not the book's own output (a status answer), after anything held */
        void publishReport(ExecutionReport report) {
            marketData.flush();
            inbound.publish(InboundEventType.EXECUTION_REPORT, WRITE_EXECUTION, report);
        }

        /** a snapshot of an empty book: the venue's books start here */
        void clear(long timestampNanos) {
            if (options.publishLevels()) {
                marketData.add(MarketDataKind.CLEAR, venueId, instrumentId, Side.BUY, 0, 0, 0, 0, timestampNanos, timestampNanos);
                marketData.endOfMessage();
            }
        }

        /** the command is complete: its last market data event carries endOfMessage */
        void endOfCommand() {
            marketData.endOfMessage();
        }
    }
}
