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
import io.mme.marketdata.ConsolidatedView;
import io.mme.marketdata.FairValueMethod;
import io.mme.marketdata.MarketDataEngine;
import io.mme.strategy.api.MarketView;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static io.mme.strategy.Fixture.COINBASE;
import static io.mme.strategy.Fixture.KRAKEN;
import static io.mme.strategy.Fixture.OTHER;
import static io.mme.strategy.Fixture.PAIR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The venue message is the unit of decision: random multi-level venue messages on several
 * instruments (two venues of the quoted pair and one of another pair), each applied item by item
 * in its own ring slot, some interleaved with another instrument's message as several feeds'
 * messages interleave on the ring, many of them crossed halfway and some crossed at their end,
 * go through the real market data engine and the real strategy engine sharing one slot per event,
 * as the chain runs them. Every PLACE and REPLACE is acknowledged by the venue in the next slot
 * (so the strategy also decides on execution reports).
 *
 * <p>The oracle ({@link Oracle}) is a plain map per book side that keeps, per instrument, the book
 * as applied so far and the book as it stood at the end of its last complete message, with the
 * state the design gives it (SYNCING until a snapshot message ends, INVALID from a crossed end or a
 * venue-reported problem until the next snapshot). Asserted on every slot:
 * <ul>
 *   <li>a slot inside a message carries nothing from market data and no intent;</li>
 *   <li>a slot that ends a message carries exactly the oracle's complete top of that book (prices
 *       only when VALID) and the pair's fair value from the complete tops of its VALID books;</li>
 *   <li>every PLACE or REPLACE, on any slot, is for a book whose last complete message left it
 *       VALID and uncrossed, and is priced inside that book's complete top (a bid below its best
 *       ask, an ask above its best bid). A message of that book may be open meanwhile (another
 *       venue's message ended between its items and moved the fair value): the decision then uses
 *       the book as its last complete message left it, as if the open message came after.</li>
 *   <li>a slot that ends a message carries the top {@value #PUBLISHED_DEPTH} levels a side of that
 *       book's complete state (none when it is not VALID), and the strategy's market view then
 *       holds the top {@value #VIEW_DEPTH} of them: the view's levels are the market data
 *       engine's book, never more than configured, never of a book that is not VALID.</li>
 * </ul>
 *
 * <p>Thread: jqwik's test thread; the engines run on it as on the chain's thread.
 */
class VenueMessageDecisionProperties {
    private static final long SIZE = 1_000_000;
    private static final long T0 = Fixture.T0;
    private static final long MS = Fixture.MS;
    /** the instruments' centres, in their own ticks: BTC 50,000.00 on Coinbase and Kraken, ETH 3,000.00 */
    private static final long[] CENTRE = {5_000_000, 500_000, 300_000};
    private static final int CAPACITY = 64;
    /** levels a side the market data engine writes into a slot (the deepest strategy's bookDepth) */
    private static final int PUBLISHED_DEPTH = 6;
    /** the strategy's bookDepth: shallower than what the slot carries */
    private static final int VIEW_DEPTH = 4;

    /**
     * One generated venue message: which instrument, how its book moves (the touch shifts by
     * {@code shift} ticks and holds {@code depth} levels a side), what kind it is (0..5 a diff,
     * 6 a diff that ends crossed, 7 a snapshot, 8 a venue-reported problem), a seed for the
     * order of its items, and whether its items interleave with the next message's.
     */
    record Step(int instrument, int shift, int depth, int kind, long orderSeed, boolean interleave) {
    }

    @Provide
    Arbitrary<List<Step>> messages() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(-30, 30),
                        Arbitraries.integers().between(1, 9), Arbitraries.integers().between(0, 8), Arbitraries.longs(),
                        Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void noIntentIsWrittenFromAnIntermediateCrossedOrInvalidBook(@ForAll("messages") List<Step> steps) {
        Chain chain = new Chain();
        for (int id = 0; id < 3; id++) {
            chain.deliver(List.of(chain.oracle.snapshot(id, 0, 3, new Random(id))));
        }
        for (int s = 0; s < steps.size(); s++) {
            Step step = steps.get(s);
            List<Item> message = chain.oracle.message(step);
            if (step.interleave() && s + 1 < steps.size() && steps.get(s + 1).instrument() != step.instrument()) {
                List<Item> other = chain.oracle.message(steps.get(++s));
                chain.deliver(List.of(message, other));
            } else {
                chain.deliver(List.of(message));
            }
        }
        Statistics.label("crossed halfway").collect(chain.crossedHalfway > 0);
        Statistics.label("quoted").collect(chain.intents > 0);
        // the property means something only if the generator makes books that cross halfway and quotes
        Statistics.label("crossed halfway").coverage(c -> c.check(true).percentage(p -> p > 30));
        Statistics.label("quoted").coverage(c -> c.check(true).percentage(p -> p > 90));
    }

    /** the example the property generalises: a diff that moves both sides up is crossed after its first item */
    @Example
    void aDiffThatCrossesHalfwayIsQuotedOnlyFromItsEnd() {
        Chain chain = new Chain();
        // bids 4,999,990 / asks 5,000,010 on Coinbase, 499,999 / 500,001 on Kraken; ETH elsewhere
        chain.deliver(List.of(chain.oracle.snapshot(COINBASE, 0, 1, new Random(1))));
        chain.deliver(List.of(chain.oracle.snapshot(KRAKEN, 0, 1, new Random(2))));
        chain.deliver(List.of(chain.oracle.snapshot(OTHER, 0, 1, new Random(3))));
        int before = chain.intents;
        // up 40 ticks: the new bid first (crossing the old ask), then the old levels go, then the new ask
        List<Item> up = List.of(
                new Item(COINBASE, MarketDataKind.LEVEL, Side.BUY, 5_000_030, 5),
                new Item(COINBASE, MarketDataKind.LEVEL, Side.BUY, 4_999_990, 0),
                new Item(COINBASE, MarketDataKind.LEVEL, Side.SELL, 5_000_010, 0),
                new Item(COINBASE, MarketDataKind.LEVEL, Side.SELL, 5_000_050, 5));
        int mark = chain.slots.size();
        chain.deliver(List.of(up));
        assertThat(chain.crossedHalfway).isPositive();
        // the three slots inside the message carry nothing; its last carries the new top and the quotes
        for (int i = mark; i < mark + 3; i++) {
            assertThat(chain.slots.get(i)).as("slot %d inside the message", i).isEqualTo("md:0");
        }
        assertThat(chain.slots.get(mark + 3)).startsWith("md:top");
        assertThat(chain.intents).isGreaterThan(before);
    }

    /** one market data item of a message, as a venue connector would publish it */
    record Item(int instrument, MarketDataKind kind, Side side, long priceTicks, long quantityLots) {
    }

    /**
     * The real chain on one reused slot, the oracle beside it, and the assertions after every event.
     * Slots are described in {@link #slots} ("md:0" for an empty one) for the example test.
     */
    private static final class Chain {
        final InstrumentRegistry registry = Fixture.registry();
        final MarketDataEngine marketData = new MarketDataEngine(registry, CAPACITY, Long.MAX_VALUE / 4, (id, why) -> { },
                new ConsolidatedView(registry, FairValueMethod.MID, null), PUBLISHED_DEPTH);
        final StrategyEngine strategy = new StrategyEngine(Fixture.config().withBookDepth(VIEW_DEPTH), registry, Fixture.skew(4, SIZE, 1));
        final MarketView view = strategy.unit(StrategyEngine.DEFAULT_ID).market();
        final Oracle oracle = new Oracle(registry);
        final InboundEvent slot = new InboundEvent();
        final List<String> slots = new ArrayList<>();
        long sequence;
        long now = T0;
        long venueSequence;
        int intents;
        int crossedHalfway;

        /** publishes the messages' items, round-robin across the messages when there are several */
        void deliver(List<List<Item>> messages) {
            int[] next = new int[messages.size()];
            boolean more = true;
            while (more) {
                more = false;
                for (int m = 0; m < messages.size(); m++) {
                    List<Item> items = messages.get(m);
                    if (next[m] < items.size()) {
                        Item item = items.get(next[m]++);
                        marketData(item, next[m] == items.size());
                        more |= next[m] < items.size();
                    }
                }
            }
        }

        private void marketData(Item item, boolean end) {
            now += MS;
            slot.begin(sequence++, InboundEventType.MARKET_DATA, now);
            slot.marketData().set(item.kind(), registry.get(item.instrument()).venue().id(), item.instrument(), item.side(),
                    item.priceTicks(), item.quantityLots(), ++venueSequence, now, now, end);
            if (item.kind() == MarketDataKind.BOOK_STATE) {
                slot.marketData().bookValid(false);
            }
            oracle.apply(item, end);
            if (oracle.crossedNow(item.instrument()) && !end) {
                crossedHalfway++;
            }
            run();
            if (!end) {
                assertThat(slot.book().instrumentId()).as("a slot inside a message publishes no top").isEqualTo(-1);
                assertThat(slot.book().changes()).as("a slot inside a message publishes no state change").isZero();
                assertThat(slot.book().pair()).as("a slot inside a message publishes no fair value").isEqualTo(-1);
                assertThat(slot.intentCount()).as("no decision inside a message").isZero();
                slots.add("md:0");
            } else {
                int id = item.instrument();
                assertThat(slot.book().instrumentId()).isEqualTo(id);
                assertThat(slot.book().state()).isEqualTo(oracle.committedState[id]);
                if (oracle.committedState[id] == BookState.VALID) {
                    assertThat(slot.book().bidTicks()).isEqualTo(oracle.committedBest(id, Side.BUY));
                    assertThat(slot.book().askTicks()).isEqualTo(oracle.committedBest(id, Side.SELL));
                } else {
                    assertThat(slot.book().bidTicks()).isEqualTo(Long.MIN_VALUE);
                    assertThat(slot.book().askTicks()).isEqualTo(Long.MIN_VALUE);
                }
                int pair = id == OTHER ? 1 : PAIR;
                assertThat(slot.book().pair()).isEqualTo(pair);
                assertThat(slot.book().fairValue()).as("fair value from complete messages only").isEqualTo(oracle.fairValue(pair));
                assertLevels(id);
                slots.add("md:top " + slot.intentCount());
            }
            acknowledge();
        }

        /** the slot's levels and the strategy's view of the book whose message just ended, against the oracle */
        private void assertLevels(int id) {
            boolean valid = oracle.committedState[id] == BookState.VALID;
            for (Side side : Side.values()) {
                List<long[]> expected = oracle.committedLevels(id, side);
                int published = valid ? Math.min(PUBLISHED_DEPTH, expected.size()) : 0;
                assertThat(slot.book().depth(side)).as("levels of %s in the slot of book %d", side, id).isEqualTo(published);
                for (int level = 0; level < published; level++) {
                    assertThat(slot.book().levelTicks(side, level)).isEqualTo(expected.get(level)[0]);
                    assertThat(slot.book().levelLots(side, level)).isEqualTo(expected.get(level)[1]);
                }
                if (id == OTHER) {
                    continue;
                }
                io.mme.strategy.api.Side viewSide = io.mme.strategy.api.Side.values()[side.ordinal()];
                int held = valid ? Math.min(VIEW_DEPTH, expected.size()) : 0;
                assertThat(view.depth(id, viewSide)).as("levels of %s in the view of book %d", side, id).isEqualTo(held);
                for (int level = 0; level < VIEW_DEPTH + 1; level++) {
                    assertThat(view.levelPriceTicks(id, viewSide, level))
                            .isEqualTo(level < held ? expected.get(level)[0] : MarketView.NONE);
                    assertThat(view.levelQuantityLots(id, viewSide, level)).isEqualTo(level < held ? expected.get(level)[1] : 0);
                }
            }
        }

        /** the chain's order on one slot: market data, then strategy; then the intents are checked */
        private void run() {
            marketData.onEvent(slot, slot.sequence(), true);
            strategy.onEvent(slot, slot.sequence(), true);
            for (int i = 0; i < slot.intentCount(); i++) {
                QuoteIntent q = slot.intent(i);
                intents++;
                if (q.action() == QuoteAction.CANCEL) {
                    continue;
                }
                int id = q.instrumentId();
                assertThat(oracle.committedState[id]).as("%s on slot %d from a book not VALID", q.action(), slot.sequence())
                        .isEqualTo(BookState.VALID);
                long bid = oracle.committedBest(id, Side.BUY);
                long ask = oracle.committedBest(id, Side.SELL);
                assertThat(bid).as("a VALID book is not crossed").isLessThan(ask);
                if (q.side() == Side.BUY) {
                    assertThat(q.priceTicks()).as("bid inside the complete book").isLessThan(ask);
                } else {
                    assertThat(q.priceTicks()).as("ask inside the complete book").isGreaterThan(bid);
                }
            }
        }

        /** the venue accepts each PLACE and REPLACE of the slot just decided, each in a slot of its own */
        private void acknowledge() {
            int n = slot.intentCount();
            if (n == 0) {
                return;
            }
            long decidedBy = slot.sequence();
            QuoteIntent[] copies = new QuoteIntent[n];
            for (int i = 0; i < n; i++) {
                QuoteIntent q = slot.intent(i);
                copies[i] = new QuoteIntent();
                copies[i].set(q.action(), q.venueId(), q.instrumentId(), q.side(), q.level(), q.priceTicks(), q.quantityLots(),
                        q.targetClientOrderId());
            }
            for (int i = 0; i < n; i++) {
                QuoteIntent q = copies[i];
                ExecType type = switch (q.action()) {
                    case PLACE -> ExecType.ACCEPTED;
                    case REPLACE -> ExecType.REPLACED;
                    case CANCEL -> ExecType.CANCELLED;
                };
                long clientOrderId = q.action() == QuoteAction.PLACE ? ClientOrderIds.of(decidedBy, i) : q.targetClientOrderId();
                now += MS;
                slot.begin(sequence++, InboundEventType.EXECUTION_REPORT, now);
                slot.executionReport().set(type, q.venueId(), q.instrumentId(), clientOrderId, 99, q.side(), q.priceTicks(),
                        q.action() == QuoteAction.CANCEL ? 0 : q.quantityLots(), now).owner(1);
                run();
                slots.add("report " + slot.intentCount());
            }
        }
    }

    /** the books as plain sorted maps, and what the design says each is worth */
    private static final class Oracle {
        final InstrumentRegistry registry;
        final List<NavigableMap<Long, Long>> live = new ArrayList<>();
        final List<NavigableMap<Long, Long>> committed = new ArrayList<>();
        /** as applied so far (a CLEAR inside an open message already made it SYNCING) */
        final BookState[] state = {BookState.SYNCING, BookState.SYNCING, BookState.SYNCING};
        /** as the last complete message left it: what the strategies may know */
        final BookState[] committedState = state.clone();
        /** the touch each instrument's generated diffs move around, in its ticks */
        final long[] touchBid = new long[3];

        Oracle(InstrumentRegistry registry) {
            this.registry = registry;
            for (int i = 0; i < 6; i++) {
                live.add(new TreeMap<>());
                committed.add(new TreeMap<>());
            }
        }

        private NavigableMap<Long, Long> side(List<NavigableMap<Long, Long>> books, int id, Side side) {
            return books.get(2 * id + (side == Side.BUY ? 0 : 1));
        }

        void apply(Item item, boolean end) {
            int id = item.instrument();
            switch (item.kind()) {
                case CLEAR -> {
                    side(live, id, Side.BUY).clear();
                    side(live, id, Side.SELL).clear();
                    state[id] = BookState.SYNCING;
                }
                case LEVEL -> {
                    if (item.quantityLots() == 0) {
                        side(live, id, item.side()).remove(item.priceTicks());
                    } else {
                        side(live, id, item.side()).put(item.priceTicks(), item.quantityLots());
                    }
                }
                case BOOK_STATE -> state[id] = BookState.INVALID;
                default -> throw new IllegalArgumentException(item.toString());
            }
            if (end) {
                if (state[id] != BookState.INVALID) {
                    state[id] = crossedNow(id) ? BookState.INVALID : BookState.VALID;
                }
                committedState[id] = state[id];
                for (Side s : Side.values()) {
                    side(committed, id, s).clear();
                    side(committed, id, s).putAll(side(live, id, s));
                }
            }
        }

        boolean crossedNow(int id) {
            NavigableMap<Long, Long> bids = side(live, id, Side.BUY);
            NavigableMap<Long, Long> asks = side(live, id, Side.SELL);
            return !bids.isEmpty() && !asks.isEmpty() && bids.lastKey() >= asks.firstKey();
        }

        /** the complete book's levels of a side, best first: {price, quantity} */
        List<long[]> committedLevels(int id, Side s) {
            NavigableMap<Long, Long> levels = side(committed, id, s);
            List<long[]> out = new ArrayList<>();
            for (Map.Entry<Long, Long> e : (s == Side.BUY ? levels.descendingMap() : levels).entrySet()) {
                out.add(new long[]{e.getKey(), e.getValue()});
            }
            return out;
        }

        long committedBest(int id, Side s) {
            NavigableMap<Long, Long> levels = side(committed, id, s);
            if (levels.isEmpty()) {
                return Long.MIN_VALUE;
            }
            return s == Side.BUY ? levels.lastKey() : levels.firstKey();
        }

        /** MID of the best bid and best ask over the pair's VALID complete books, 10^-9 quote units */
        long fairValue(int pair) {
            long bestBid = Long.MIN_VALUE;
            long bestAsk = Long.MIN_VALUE;
            for (int id = 0; id < 3; id++) {
                if ((id == OTHER ? 1 : PAIR) != pair || committedState[id] != BookState.VALID) {
                    continue;
                }
                long bid = committedBest(id, Side.BUY);
                long ask = committedBest(id, Side.SELL);
                if (bid == Long.MIN_VALUE || ask == Long.MIN_VALUE) {
                    continue;
                }
                long tick = registry.get(id).nanosPerTick();
                bestBid = Math.max(bestBid, bid * tick);
                bestAsk = bestAsk == Long.MIN_VALUE ? ask * tick : Math.min(bestAsk, ask * tick);
            }
            if (bestBid == Long.MIN_VALUE || bestAsk == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            return bestBid + (bestAsk - bestBid) / 2;
        }

        /** a snapshot message: CLEAR, then {@code depth} levels a side around the touch */
        List<Item> snapshot(int id, long shift, int depth, Random order) {
            touchBid[id] = (touchBid[id] == 0 ? CENTRE[id] - 10 : touchBid[id]) + shift;
            List<Item> items = new ArrayList<>();
            items.add(new Item(id, MarketDataKind.CLEAR, null, 0, 0));
            List<Item> levels = levels(id, depth, 1 + order.nextInt(9));
            Collections.shuffle(levels, order);
            items.addAll(levels);
            return items;
        }

        private List<Item> levels(int id, int depth, long quantity) {
            List<Item> items = new ArrayList<>();
            for (int d = 0; d < depth; d++) {
                // sizes differ by level, so that a level shown with another's size is seen
                items.add(new Item(id, MarketDataKind.LEVEL, Side.BUY, touchBid[id] - d, quantity + d));
                items.add(new Item(id, MarketDataKind.LEVEL, Side.SELL, touchBid[id] + 20 + d, quantity + 2L * d));
            }
            return items;
        }

        /**
         * The message of a step against the book as the venue has sent it so far (the live maps: a
         * message of this instrument that is still open is not, since the generator never opens
         * two of one instrument at once). A diff replaces the book by one shifted by
         * {@code shift} ticks, in a random item order, so an upward shift whose new bids come
         * before the old asks go is crossed halfway.
         */
        List<Item> message(Step step) {
            int id = step.instrument();
            Random order = new Random(step.orderSeed());
            if (step.kind() == 7 || state[id] == BookState.INVALID) {
                // a venue resynchronises a book that went bad with a snapshot
                return snapshot(id, step.shift(), step.depth(), order);
            }
            if (step.kind() == 8) {
                return List.of(new Item(id, MarketDataKind.BOOK_STATE, null, 0, 0));
            }
            touchBid[id] += step.shift();
            List<Item> items = new ArrayList<>();
            for (Side s : Side.values()) {
                for (Map.Entry<Long, Long> level : side(live, id, s).entrySet()) {
                    items.add(new Item(id, MarketDataKind.LEVEL, s, level.getKey(), 0));
                }
            }
            List<Item> wanted = levels(id, step.depth(), 1 + order.nextInt(9));
            // a removal of a level the new book holds again would undo it: drop those removals
            items.removeIf(removal -> wanted.stream().anyMatch(w -> w.side() == removal.side() && w.priceTicks() == removal.priceTicks()));
            items.addAll(wanted);
            if (step.kind() == 6) {
                // ends crossed: a bid at the best ask
                items.add(new Item(id, MarketDataKind.LEVEL, Side.BUY, touchBid[id] + 20, 1));
            }
            Collections.shuffle(items, order);
            if (step.kind() == 6) {
                // the crossing bid last, after any removal of an ask at its price
                items.removeIf(i -> i.side() == Side.BUY && i.priceTicks() == touchBid[id] + 20 && i.quantityLots() == 1);
                items.add(new Item(id, MarketDataKind.LEVEL, Side.BUY, touchBid[id] + 20, 1));
            }
            return items;
        }
    }
}
