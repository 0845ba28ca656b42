package io.mme.strategy;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.BookState;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.L2Book;
import io.mme.marketdata.MarketDataEngine;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FeedSink} that runs what the feed says through the real market data and strategy
 * engines, one reused slot per item as the ring would carry them (published one item behind, so
 * the last item of each message carries {@code endOfMessage}, as {@code MarketDataPublisher}
 * does), after passing every call on to a delegate sink. A strategy engine quotes each instrument
 * of the registry (every instrument is its own pair here), so every book is quoted.
 *
 * <p>Beside the engines it keeps its own view of each book as the venue's complete messages left
 * it (the oracle: valid from a snapshot's end until the feed reports a problem or a message ends
 * crossed) and records as a violation any slot inside a message that carries a book view or an
 * intent, and any PLACE or REPLACE for a book the oracle does not hold VALID and uncrossed, or
 * priced through that book's complete top. It also counts, per book, the slots during which the
 * strategies were told the book was VALID: the share of the run the book could be quoted.
 *
 * <p>Shared by the connectors' recorded-feed fault tests (this module's test-jar); each gives the
 * book capacity its venue's books need.
 *
 * <p>Thread: the feed's reader thread calls it; the test reads the results after the feed closed.
 * Every method is synchronized, which is what makes those reads safe.
 */
public final class ChainSink implements FeedSink {
    private static final long SIZE_NANOS = 1_000_000_000L;

    private final FeedSink delegate;
    private final int instruments;
    private final MarketDataEngine marketData;
    private final StrategyEngine[] strategies;
    private final InboundEvent slot = new InboundEvent();
    private final L2Book[] live;
    private final boolean[] snapshotOpen;
    private final boolean[] valid;
    private final long[] committedBid;
    private final long[] committedAsk;
    private final boolean[] publishedValid;
    private final long[] validSlots;
    private final List<String> violations = new ArrayList<>();
    private long sequence;
    private long now = 1_700_000_000_000_000_000L;
    private long intents;

    private boolean pending;
    private MarketDataKind kind;
    private int instrument;
    private Side side;
    private long price;
    private long quantity;

    /** {@code capacityPerSide}: the levels a side of each book holds, as the venue's feed test sizes them */
    public ChainSink(InstrumentRegistry registry, int capacityPerSide, FeedSink delegate) {
        this.delegate = delegate;
        this.instruments = registry.size();
        this.marketData = new MarketDataEngine(registry, capacityPerSide,
                Long.MAX_VALUE / 4, (id, why) -> { });
        strategies = new StrategyEngine[instruments];
        live = new L2Book[instruments];
        snapshotOpen = new boolean[instruments];
        valid = new boolean[instruments];
        committedBid = new long[instruments];
        committedAsk = new long[instruments];
        publishedValid = new boolean[instruments];
        validSlots = new long[instruments];
        for (int id = 0; id < instruments; id++) {
            StrategyEngineConfig config = StrategyEngineConfig.of(marketData.consolidated().pairOf(id), List.of(id))
                    .withAntiChurn(0, 0, 0, 0);
            strategies[id] = new StrategyEngine(config, registry,
                    new InventorySkewStrategy(new InventorySkewStrategy.Parameters(4, SIZE_NANOS, 1, 2, 0, 0)));
            live[id] = new L2Book(capacityPerSide);
        }
    }

    @Override
    public synchronized void clear(int id, long seq) {
        delegate.clear(id, seq);
        add(MarketDataKind.CLEAR, id, null, 0, 0);
    }

    @Override
    public synchronized void level(int id, Side side, long priceTicks, long quantityLots, long seq) {
        delegate.level(id, side, priceTicks, quantityLots, seq);
        add(MarketDataKind.LEVEL, id, side, priceTicks, quantityLots);
    }

    @Override
    public synchronized void endOfMessage(int id, long seq) {
        delegate.endOfMessage(id, seq);
        publish(true);
    }

    @Override
    public synchronized void invalid(int id, String reason) {
        delegate.invalid(id, reason);
        add(MarketDataKind.BOOK_STATE, id, null, 0, 0);
        publish(true);
    }

    @Override
    public synchronized void bestBidOffer(int id, long bid, long bidQty, long ask, long askQty, long seq) {
        delegate.bestBidOffer(id, bid, bidQty, ask, askQty, seq);
    }

    @Override
    public synchronized void trade(int id, Side aggressor, long priceTicks, long quantityLots, long tradeId, long ts) {
        delegate.trade(id, aggressor, priceTicks, quantityLots, tradeId, ts);
    }

    private void add(MarketDataKind kind, int id, Side side, long priceTicks, long quantityLots) {
        publish(false);
        this.kind = kind;
        this.instrument = id;
        this.side = side;
        this.price = priceTicks;
        this.quantity = quantityLots;
        pending = true;
    }

    private void publish(boolean end) {
        if (!pending) {
            return;
        }
        pending = false;
        now += 1_000_000;
        slot.begin(sequence++, InboundEventType.MARKET_DATA, now);
        slot.marketData().set(kind, 0, instrument, side, price, quantity, sequence, now, now, end)
                .bookValid(kind != MarketDataKind.BOOK_STATE);
        applyToOracle(end);
        marketData.onEvent(slot, slot.sequence(), true);
        for (StrategyEngine strategy : strategies) {
            strategy.onEvent(slot, slot.sequence(), true);
        }
        check(end);
        acknowledge();
    }

    /**
     * The venue accepts every intent at once, each answer in a slot of its own through both
     * engines (so the strategies also decide on execution reports, and re-quote as books move);
     * the intents written on those slots are checked and answered in turn.
     */
    private void acknowledge() {
        List<QuoteIntent> open = new ArrayList<>();
        List<Long> placedBy = new ArrayList<>();
        collect(open, placedBy);
        while (!open.isEmpty()) {
            QuoteIntent q = open.remove(0);
            long decidedBy = placedBy.remove(0);
            ExecType type = switch (q.action()) {
                case PLACE -> ExecType.ACCEPTED;
                case REPLACE -> ExecType.REPLACED;
                case CANCEL -> ExecType.CANCELLED;
            };
            long clientOrderId = q.action() == QuoteAction.PLACE ? decidedBy : q.targetClientOrderId();
            now += 1_000_000;
            slot.begin(sequence++, InboundEventType.EXECUTION_REPORT, now);
            slot.executionReport().set(type, q.venueId(), q.instrumentId(), clientOrderId, 99, q.side(), q.priceTicks(),
                    q.action() == QuoteAction.CANCEL ? 0 : q.quantityLots(), now).owner(1);
            marketData.onEvent(slot, slot.sequence(), true);
            for (StrategyEngine strategy : strategies) {
                strategy.onEvent(slot, slot.sequence(), true);
            }
            check(true);
            collect(open, placedBy);
        }
    }

    /** copies the slot's intents, with the client order id a PLACE gets from its slot */
    private void collect(List<QuoteIntent> open, List<Long> placedBy) {
        for (int i = 0; i < slot.intentCount(); i++) {
            QuoteIntent q = slot.intent(i);
            QuoteIntent copy = new QuoteIntent();
            copy.set(q.action(), q.venueId(), q.instrumentId(), q.side(), q.level(), q.priceTicks(), q.quantityLots(),
                    q.targetClientOrderId());
            open.add(copy);
            placedBy.add(ClientOrderIds.of(slot.sequence(), i));
        }
    }

    private void applyToOracle(boolean end) {
        int id = instrument;
        switch (kind) {
            case CLEAR -> {
                live[id].clear();
                snapshotOpen[id] = true;
                valid[id] = false;
            }
            case LEVEL -> live[id].set(side, price, quantity);
            case BOOK_STATE -> {
                valid[id] = false;
                snapshotOpen[id] = false;
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        if (end) {
            if (snapshotOpen[id]) {
                snapshotOpen[id] = false;
                valid[id] = true;
            }
            if (live[id].crossed() || live[id].overflowed()) {
                valid[id] = false;
            }
            committedBid[id] = live[id].bestPrice(Side.BUY);
            committedAsk[id] = live[id].bestPrice(Side.SELL);
        }
    }

    private void check(boolean end) {
        if (!end && (slot.book().instrumentId() >= 0 || slot.book().changes() > 0 || slot.book().pair() >= 0)) {
            violations.add("slot " + slot.sequence() + " inside a message carries a book view");
        }
        if (!end && slot.intentCount() > 0) {
            violations.add("slot " + slot.sequence() + " inside a message carries " + slot.intentCount() + " intents");
        }
        for (int i = 0; i < slot.intentCount(); i++) {
            QuoteIntent q = slot.intent(i);
            intents++;
            if (q.action() == QuoteAction.CANCEL) {
                continue;
            }
            int id = q.instrumentId();
            if (!valid[id]) {
                violations.add("slot " + slot.sequence() + ": " + q.action() + " on instrument " + id + " whose book is not VALID");
            } else if (committedBid[id] >= committedAsk[id] && committedBid[id] != L2Book.NO_PRICE && committedAsk[id] != L2Book.NO_PRICE) {
                violations.add("slot " + slot.sequence() + ": " + q.action() + " on a crossed book");
            } else if (q.side() == Side.BUY ? committedAsk[id] != L2Book.NO_PRICE && q.priceTicks() >= committedAsk[id]
                    : committedBid[id] != L2Book.NO_PRICE && q.priceTicks() <= committedBid[id]) {
                violations.add("slot " + slot.sequence() + ": " + q.side() + " " + q.priceTicks() + " through the complete book "
                        + committedBid[id] + " / " + committedAsk[id]);
            }
        }
        for (int c = 0; c < slot.book().changes(); c++) {
            publishedValid[slot.book().changedInstrument(c)] = slot.book().changedState(c) == BookState.VALID;
        }
        for (int id = 0; id < instruments; id++) {
            if (publishedValid[id]) {
                validSlots[id]++;
            }
        }
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized long intents() {
        return intents;
    }

    /** per book, the share of the slots during which the strategies were told the book was VALID */
    public synchronized double validShare(int id) {
        return sequence == 0 ? 0 : validSlots[id] / (double) sequence;
    }
}
