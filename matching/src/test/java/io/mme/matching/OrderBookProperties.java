package io.mme.matching;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import static net.jqwik.api.Tuple.Tuple2;
import static net.jqwik.api.Tuple.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * OrderBook against ReferenceBook on the same random command streams: identical listener calls and
 * identical books after every command, plus the book's own invariants (never crossed, quantity
 * conserved, FIFO within a level, gap-free sequence, L2/L3 events that rebuild the book).
 */
class OrderBookProperties {
    private static final long MID = 10_000;
    private static final int BAND_STEPS = 25;
    private static final int VENUE = 3;
    private static final int INSTRUMENT = 7;
    private static final long NEVER_USED_ID = 1_000_000;

    private static Resolved gtc(long id, long owner, Side side, SelfTradePrevention stp, long price, long quantity) {
        return new Resolved.Submit(id, owner, side, OrderType.LIMIT, TimeInForce.GTC, false, stp, price, quantity);
    }

    /** what the main property's streams must produce in at least 1% of the runs: exec types, reasons and a few paths */
    private static final List<String> EXPECTED_OUTCOMES = List.of(
            "ACCEPTED", "REPLACED", "FILLED", "PARTIALLY_FILLED", "replace kept priority", "replace lost priority",
            "REJECTED INVALID_QUANTITY", "REJECTED PRICE_OUTSIDE_BAND", "REJECTED PRICE_OFF_GRID",
            "REJECTED DUPLICATE_ORDER_ID", "REJECTED BOOK_FULL", "REJECTED POST_ONLY_WOULD_CROSS", "REJECTED INVALID_ORDER",
            "CANCEL_REJECTED UNKNOWN_ORDER", "CANCEL_REJECTED INVALID_QUANTITY", "CANCEL_REJECTED PRICE_OUTSIDE_BAND",
            "CANCEL_REJECTED PRICE_OFF_GRID", "CANCEL_REJECTED POST_ONLY_WOULD_CROSS",
            "CANCELLED USER", "CANCELLED MASS_CANCEL", "CANCELLED IOC_REMAINDER", "CANCELLED MARKET_REMAINDER",
            "CANCELLED FOK_UNFILLED", "CANCELLED SELF_TRADE", "self trade decremented the resting order",
            "self trade left the incoming order partly");

    // ------------------------------------------------------------------ properties

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
    void matchingCommandsBehaveExactlyLikeTheReference(@ForAll("setups") Setup setup,
                                                       @ForAll("matchingStreams") List<Command> commands) {
        Run run = new Run(setup.config(), setup.drift());
        for (Command command : commands) {
            run.step(command);
            run.assertNotCrossed();
        }
        run.reportOutcomes();
        Statistics.label("outcomes").coverage(coverage -> {
            for (String outcome : EXPECTED_OUTCOMES) {
                coverage.check(outcome).count(runs -> runs >= 100);
            }
        });
    }

    @Property(tries = 2_000, shrinking = ShrinkingMode.BOUNDED)
    void replicaCommandsMixedWithMatchingBehaveExactlyLikeTheReference(@ForAll("setups") Setup setup,
                                                                       @ForAll("mixedStreams") List<Command> commands) {
        // the replica applies what a venue says, so this book may cross: everything but that is checked
        Run run = new Run(setup.config(), setup.drift());
        for (Command command : commands) {
            run.step(command);
        }
    }

    /**
     * Every combination of an incoming order's kind, side, price and size, for both owners, against
     * the same small book with orders of both owners on both sides, followed by a crossing replace
     * and a mass cancel: exhaustive, so every run checks the same cases whatever the seed.
     */
    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 10_000)
    void everyOrderKindAgainstOwnAndForeignOrdersBehavesLikeTheReference(
            @ForAll OrderType type, @ForAll TimeInForce tif, @ForAll boolean postOnly, @ForAll SelfTradePrevention stp,
            @ForAll Side side, @ForAll @IntRange(min = -1, max = 3) int steps,
            @ForAll @IntRange(min = 0, max = 4) int size, @ForAll @IntRange(min = 1, max = 2) int owner) {
        Run run = new Run(BookConfig.of(VENUE, INSTRUMENT).withCapacity(64).withBand(1, 1_000_000), 0);
        long id = 1;
        for (Side s : Side.values()) {
            for (int level = 1; level <= 2; level++) {
                long price = s == Side.SELL ? MID + level : MID - level;
                // two owners at each level, the first in the queue alternating
                run.step(gtc(id++, level, s, stp, price, level + 1));
                run.step(gtc(id++, 3 - level, s, stp, price, level + 3));
            }
        }
        long price = side == Side.BUY ? MID + steps : MID - steps;
        long quantity = new long[]{1, 2, 4, 9, 20}[size];
        run.step(new Resolved.Submit(100, owner, side, type, tif, postOnly, stp, price, quantity));
        run.assertNotCrossed();
        // owner 1's bid at MID-1 (order 1, if still there) jumps across the asks with its own STP mode
        run.step(new Resolved.Replace(1, 1, MID + 2, 6));
        run.assertNotCrossed();
        run.step(new Resolved.MassCancel(owner));
        run.assertNotCrossed();
    }

    // ------------------------------------------------------------------ generated commands

    /**
     * A book configuration: a small arena sometimes (BOOK_FULL), a coarser grid and a narrow band
     * sometimes; {@code drift} grid steps added to every price's distance from the mid make some
     * streams mostly passive, so that their books grow deep.
     */
    record Setup(int capacity, long increment, boolean narrowBand, int drift) {
        BookConfig config() {
            BookConfig config = BookConfig.of(VENUE, INSTRUMENT).withCapacity(capacity).withPriceIncrement(increment);
            return narrowBand ? config.withBand(MID - BAND_STEPS * increment, MID + BAND_STEPS * increment) : config;
        }
    }

    /** how a new order picks its id: a fresh one, the id of a resting order, or any id used before */
    enum IdKind { FRESH, RESTING, USED }

    record NewId(IdKind kind, int pick) {
    }

    /** how a cancel, replace or replica command picks its order */
    enum TargetKind { RESTING, USED, NEVER_USED }

    record Target(TargetKind kind, int pick, boolean wrongOwner) {
    }

    /**
     * A price in grid steps from the mid towards the order's own side (a buy at 2 steps bids 2 steps
     * below the mid, a sell asks 2 above; negative steps cross the mid); FAR spreads the steps four
     * times wider (deep books, narrow-band rejects); SAME is the order's own price for a replace and
     * the best price of its side for a new order (the mid when that side is empty), to build queues.
     */
    enum PriceKind { ON_GRID, FAR, OFF_GRID, OUTSIDE_BAND, SAME }

    record Price(PriceKind kind, int steps) {
    }

    record Kind(OrderType type, TimeInForce tif, boolean postOnly, SelfTradePrevention stp) {
    }

    /** a command as generated: ids and prices are resolved against the book when it runs */
    sealed interface Command {
    }

    record NewOrder(NewId id, int owner, Side side, Kind kind, Price price, long quantity) implements Command {
    }

    record Cancel(Target target) implements Command {
    }

    record Replace(Target target, Price price, long quantity) implements Command {
    }

    record MassCancel(int owner) implements Command {
    }

    record AddResting(NewId id, int owner, Side side, Price price, long quantity) implements Command {
    }

    record Reduce(Target target, long by) implements Command {
    }

    record Delete(Target target) implements Command {
    }

    record Execute(Target target, long quantity) implements Command {
    }

    @Provide
    Arbitrary<Setup> setups() {
        Arbitrary<Integer> capacity = Arbitraries.frequencyOf(
                of(2, Arbitraries.just(1024)), of(1, Arbitraries.integers().between(1, 32)));
        Arbitrary<Long> increment = Arbitraries.frequencyOf(of(3, Arbitraries.just(1L)), of(1, Arbitraries.of(2L, 5L, 10L)));
        Arbitrary<Boolean> narrowBand = Arbitraries.frequency(of(3, false), of(2, true));
        Arbitrary<Integer> drift = Arbitraries.frequency(of(2, 0), of(1, 3));
        return Combinators.combine(capacity, increment, narrowBand, drift).as(Setup::new);
    }

    /** what a generated command does */
    enum Op { NEW, CANCEL, REPLACE, MASS_CANCEL, ADD_RESTING, REDUCE, DELETE, EXECUTE }

    @Provide
    Arbitrary<List<Command>> matchingStreams() {
        return commands(List.of(of(60, Op.NEW), of(10, Op.CANCEL), of(20, Op.REPLACE), of(2, Op.MASS_CANCEL)))
                .list().ofMinSize(20).ofMaxSize(150);
    }

    @Provide
    Arbitrary<List<Command>> mixedStreams() {
        return commands(List.of(of(25, Op.ADD_RESTING), of(10, Op.REDUCE), of(8, Op.DELETE), of(10, Op.EXECUTE),
                of(25, Op.NEW), of(8, Op.CANCEL), of(10, Op.REPLACE), of(2, Op.MASS_CANCEL)))
                .list().ofMinSize(20).ofMaxSize(150);
    }

    /**
     * One command: every field is generated and the operation keeps the ones it needs (a single
     * combination generates several times faster than a choice between arbitraries). Edge cases are
     * off: they would skew the weights below towards the ends of every range.
     */
    private Arbitrary<Command> commands(List<Tuple2<Integer, Op>> ops) {
        Arbitrary<Kind> kinds = Combinators.combine(
                Arbitraries.frequency(of(12, OrderType.LIMIT), of(1, OrderType.MARKET)),
                Arbitraries.frequency(of(8, TimeInForce.GTC), of(1, TimeInForce.IOC), of(1, TimeInForce.FOK)),
                Arbitraries.frequency(of(6, false), of(1, true)),
                Arbitraries.frequency(of(6, SelfTradePrevention.NONE), of(2, SelfTradePrevention.CANCEL_RESTING),
                        of(2, SelfTradePrevention.CANCEL_INCOMING), of(2, SelfTradePrevention.CANCEL_BOTH),
                        of(2, SelfTradePrevention.DECREMENT_AND_CANCEL))).as(Kind::new);
        return Combinators.combine(Arbitraries.frequency(ops), newIds(), owners(), Arbitraries.of(Side.class), kinds,
                        prices(), targets(), quantities())
                .as((op, id, owner, side, kind, price, target, quantity) -> switch (op) {
                    case NEW -> (Command) new NewOrder(id, owner, side, kind, price, quantity);
                    case CANCEL -> new Cancel(target);
                    case REPLACE -> new Replace(target, price, quantity);
                    case MASS_CANCEL -> new MassCancel(owner);
                    case ADD_RESTING -> new AddResting(id, owner, side, price, quantity);
                    case REDUCE -> new Reduce(target, quantity);
                    case DELETE -> new Delete(target);
                    case EXECUTE -> new Execute(target, quantity);
                })
                .withoutEdgeCases();
    }

    private Arbitrary<NewId> newIds() {
        return Combinators.combine(
                Arbitraries.frequency(of(20, IdKind.FRESH), of(1, IdKind.RESTING), of(1, IdKind.USED)),
                Arbitraries.integers().between(0, 1000)).as(NewId::new);
    }

    private Arbitrary<Target> targets() {
        return Combinators.combine(
                Arbitraries.frequency(of(12, TargetKind.RESTING), of(2, TargetKind.USED), of(1, TargetKind.NEVER_USED)),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.frequency(of(15, false), of(1, true))).as(Target::new);
    }

    /** a few owners, two of them busy, so that self trades are frequent */
    private Arbitrary<Integer> owners() {
        return Arbitraries.frequency(of(4, 1), of(4, 2), of(1, 3), of(1, 4));
    }

    /** mostly within a few steps of the mid, more often passive than aggressive, so that orders both rest and cross */
    private Arbitrary<Price> prices() {
        Arbitrary<PriceKind> kinds = Arbitraries.frequency(of(30, PriceKind.ON_GRID), of(6, PriceKind.FAR),
                of(2, PriceKind.OFF_GRID), of(2, PriceKind.OUTSIDE_BAND), of(15, PriceKind.SAME));
        return Combinators.combine(kinds, Arbitraries.integers().between(-3, 8)).as(Price::new);
    }

    /**
     * Mostly small (partial fills), sometimes large (sweeps), sometimes zero or negative. One weighted
     * list of values, which generates much faster than a choice of ranges; it shrinks towards 1.
     */
    private Arbitrary<Long> quantities() {
        List<Tuple2<Integer, Long>> weighted = new ArrayList<>();
        for (long q = 1; q <= 60; q++) {
            weighted.add(of(q <= 10 ? 28 : 1, q));
        }
        for (long q = 0; q >= -3; q--) {
            weighted.add(of(5, q));
        }
        return Arbitraries.frequency(weighted);
    }

    // ------------------------------------------------------------------ resolved commands

    /** a command with concrete ids and prices, applied the same way to both books */
    sealed interface Resolved {
        Object on(OrderBook book);

        Object on(ReferenceBook book);

        record Submit(long id, long owner, Side side, OrderType type, TimeInForce tif, boolean postOnly,
                      SelfTradePrevention stp, long price, long quantity) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.newOrder(id, owner, side, type, tif, postOnly, stp, price, quantity);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.newOrder(id, owner, side, type, tif, postOnly, stp, price, quantity);
            }
        }

        record Cancel(long owner, long id) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.cancel(owner, id);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.cancel(owner, id);
            }
        }

        record Replace(long owner, long id, long price, long quantity) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.replace(owner, id, price, quantity);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.replace(owner, id, price, quantity);
            }
        }

        record MassCancel(long owner) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.massCancel(owner);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.massCancel(owner);
            }
        }

        record AddResting(long id, long owner, Side side, long price, long quantity) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.addResting(id, owner, side, price, quantity);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.addResting(id, owner, side, price, quantity);
            }
        }

        record Reduce(long id, long by) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.reduce(id, by);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.reduce(id, by);
            }
        }

        record Delete(long id) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.delete(id);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.delete(id);
            }
        }

        record Execute(long id, long quantity) implements Resolved {
            @Override
            public Object on(OrderBook book) {
                return book.execute(id, quantity);
            }

            @Override
            public Object on(ReferenceBook book) {
                return book.execute(id, quantity);
            }
        }
    }

    // ------------------------------------------------------------------ running and checking

    /** the fields of an execution report that RecordingListener does not keep */
    record Stamp(int venueId, int instrumentId, long venueOrderId, long clientOrderId, long timestamp) {
    }

    /** RecordingListener plus the remaining report fields */
    static final class Recorder implements BookListener {
        final RecordingListener events = new RecordingListener();
        final List<Stamp> stamps = new ArrayList<>();

        @Override
        public void onExecution(long seq, ExecutionReport r) {
            events.onExecution(seq, r);
            stamps.add(new Stamp(r.venueId(), r.instrumentId(), r.venueOrderId(), r.clientOrderId(),
                    r.venueTimestampNanos()));
        }

        @Override
        public void onTrade(long seq, long tradeId, Side aggressor, long price, long qty, long makerId, long takerId) {
            events.onTrade(seq, tradeId, aggressor, price, qty, makerId, takerId);
        }

        @Override
        public void onLevel(long seq, Side side, long price, long qty, int count) {
            events.onLevel(seq, side, price, qty, count);
        }

        @Override
        public void onOrder(long seq, L3Kind kind, long orderId, Side side, long price, long qty) {
            events.onOrder(seq, kind, orderId, side, price, qty);
        }

        void clear() {
            events.clear();
            stamps.clear();
        }
    }

    record OrderView(long id, long qty) {
    }

    /** one level of a book as comparable values, with its orders first to fill first */
    record LevelView(Side side, long price, long qty, int count, List<OrderView> orders) {
    }

    /** both books fed the same commands, and everything the test keeps from their events */
    static final class Run {
        private final BookConfig config;
        private final int drift;
        private final Recorder bookEvents = new Recorder();
        private final Recorder refEvents = new Recorder();
        private final OrderBook book;
        private final ReferenceBook ref;
        private final List<Long> usedIds = new ArrayList<>();
        private long nextId = 1;
        private int step;
        private long lastSequence;
        private long restingQuantity;
        /**
         * The book as a consumer of the L3 events alone would rebuild it: per side, best price first,
         * each level's orders (id to quantity) in the order of their ADD events.
         */
        private final Map<Side, TreeMap<Long, LinkedHashMap<Long, Long>>> l3 = Map.of(
                Side.BUY, new TreeMap<>(Comparator.reverseOrder()), Side.SELL, new TreeMap<>());
        /** the levels as a consumer of the L2 events alone would rebuild them: price to {quantity, count} */
        private final Map<Side, TreeMap<Long, long[]>> l2 = Map.of(
                Side.BUY, new TreeMap<>(Comparator.reverseOrder()), Side.SELL, new TreeMap<>());
        private final Set<String> outcomes = new TreeSet<>();
        private final long[] prices;
        private final long[] quantities;
        private final int[] counts;
        private final long[] ids;
        private final long[] orderQuantities;

        Run(BookConfig config, int drift) {
            this.config = config;
            this.drift = drift;
            book = new OrderBook(config, bookEvents);
            ref = new ReferenceBook(config, refEvents);
            int n = config.capacity();
            prices = new long[n];
            quantities = new long[n];
            counts = new int[n];
            ids = new long[n];
            orderQuantities = new long[n];
        }

        void step(Command command) {
            step(resolve(command), command);
        }

        void step(Resolved command) {
            step(command, command);
        }

        private void step(Resolved command, Object generated) {
            step++;
            Supplier<String> where = () -> "step " + step + ": " + command + " (generated as " + generated + ")";
            long replacedQuantity = command instanceof Resolved.Replace r ? ref.remaining(r.id()) : 0;
            long now = step * 1_000L;
            book.setTime(now);
            ref.setTime(now);
            Object bookResult = command.on(book);
            Object refResult = command.on(ref);

            assertThat(bookEvents.events.events).as(where).isEqualTo(refEvents.events.events);
            assertThat(bookEvents.stamps).as(where).isEqualTo(refEvents.stamps)
                    .isEqualTo(bookEvents.stamps.stream()
                            .map(s -> new Stamp(VENUE, INSTRUMENT, s.clientOrderId(), s.clientOrderId(), now)).toList());
            assertThat(bookResult).as(where).isEqualTo(refResult);
            assertGapFreeSequence(where);
            applyToShadows(where);
            List<LevelView> levels = snapshot(book::depth, book::ordersAt);
            assertThat(levels).as(where).isEqualTo(snapshot(ref::depth, ref::ordersAt)).isEqualTo(shadowSnapshot(where));
            assertSameQueries(where, levels);
            long restingAfter = levels.stream().mapToLong(LevelView::qty).sum();
            if (!(command instanceof Resolved.AddResting || command instanceof Resolved.Reduce
                    || command instanceof Resolved.Delete || command instanceof Resolved.Execute)) {
                assertQuantityConserved(where, replacedQuantity, restingAfter);
            }
            restingQuantity = restingAfter;
            collectOutcomes(command);
            bookEvents.clear();
            refEvents.clear();
        }

        void assertNotCrossed() {
            long bid = book.bestPrice(Side.BUY);
            long ask = book.bestPrice(Side.SELL);
            if (bid != OrderBook.NO_PRICE && ask != OrderBook.NO_PRICE) {
                assertThat(bid).as("best bid below best ask after step %d", step).isLessThan(ask);
            }
        }

        void reportOutcomes() {
            outcomes.forEach(o -> Statistics.label("outcomes").collect(o));
        }

        // -------------------------------------------------------------- resolution

        private Resolved resolve(Command command) {
            return switch (command) {
                case NewOrder n -> new Resolved.Submit(newId(n.id()), n.owner(), n.side(), n.kind().type(), n.kind().tif(),
                        n.kind().postOnly(), n.kind().stp(), price(n.price(), n.side(), best(n.side())), n.quantity());
                case Cancel c -> {
                    long id = id(c.target());
                    yield new Resolved.Cancel(owner(c.target(), id), id);
                }
                case Replace r -> {
                    long id = id(r.target());
                    long price = ref.contains(id)
                            ? price(r.price(), ref.sideOf(id), ref.priceOf(id)) : price(r.price(), Side.BUY, MID);
                    yield new Resolved.Replace(owner(r.target(), id), id, price, r.quantity());
                }
                case MassCancel m -> new Resolved.MassCancel(m.owner());
                case AddResting a -> new Resolved.AddResting(newId(a.id()), a.owner(), a.side(),
                        price(a.price(), a.side(), best(a.side())), a.quantity());
                case Reduce r -> new Resolved.Reduce(id(r.target()), r.by());
                case Delete d -> new Resolved.Delete(id(d.target()));
                case Execute e -> new Resolved.Execute(id(e.target()), e.quantity());
            };
        }

        private long newId(NewId choice) {
            long id = switch (choice.kind()) {
                case RESTING -> ref.restingOrders() == 0 ? nextId++ : pick(ref.restingIds(), choice.pick());
                case USED -> usedIds.isEmpty() ? nextId++ : pick(usedIds, choice.pick());
                case FRESH -> nextId++;
            };
            usedIds.add(id);
            return id;
        }

        private long id(Target target) {
            return switch (target.kind()) {
                case RESTING -> ref.restingOrders() == 0 ? NEVER_USED_ID : pick(ref.restingIds(), target.pick());
                case USED -> usedIds.isEmpty() ? NEVER_USED_ID : pick(usedIds, target.pick());
                case NEVER_USED -> NEVER_USED_ID + target.pick();
            };
        }

        private long best(Side side) {
            long best = ref.bestPrice(side);
            return best == OrderBook.NO_PRICE ? MID : best;
        }

        private static long pick(List<Long> ids, int pick) {
            return ids.get(pick % ids.size());
        }

        /** the order's owner (another owner when the target says so); owner 1 for an order not in the book */
        private long owner(Target target, long id) {
            long owner = ref.contains(id) ? ref.ownerOf(id) : 1;
            return target.wrongOwner() ? owner % 4 + 1 : owner;
        }

        private long price(Price price, Side side, long current) {
            long inc = config.priceIncrement();
            long away = (price.steps() * (price.kind() == PriceKind.FAR ? 4 : 1) + drift) * inc;
            long onGrid = side == Side.BUY ? MID - away : MID + away;
            return switch (price.kind()) {
                case ON_GRID, FAR -> onGrid;
                case OFF_GRID -> onGrid + 1;
                case OUTSIDE_BAND -> {
                    long beyond = (1 + Math.abs(price.steps())) * inc;
                    boolean above = price.steps() >= 0 && config.maxPriceTicks() < Long.MAX_VALUE / 4;
                    yield above ? config.maxPriceTicks() + beyond : config.minPriceTicks() - beyond;
                }
                case SAME -> current;
            };
        }

        // -------------------------------------------------------------- checks

        private void assertGapFreeSequence(Supplier<String> where) {
            List<Long> seqs = bookEvents.events.events.stream().map(event -> switch (event) {
                case RecordingListener.Exec e -> e.seq();
                case RecordingListener.Trade t -> t.seq();
                case RecordingListener.Level l -> l.seq();
                case RecordingListener.Order o -> o.seq();
                default -> throw new IllegalStateException("unexpected event " + event);
            }).toList();
            long first = lastSequence + 1;
            lastSequence += seqs.size();
            assertThat(seqs).as(where).isEqualTo(LongStream.rangeClosed(first, lastSequence).boxed().toList());
            assertThat(book.sequence()).as(where).isEqualTo(ref.sequence()).isEqualTo(lastSequence);
        }

        private void applyToShadows(Supplier<String> where) {
            for (Object event : bookEvents.events.events) {
                if (event instanceof RecordingListener.Order o) {
                    TreeMap<Long, LinkedHashMap<Long, Long>> side = l3.get(o.side());
                    LinkedHashMap<Long, Long> level = side.computeIfAbsent(o.price(), p -> new LinkedHashMap<>());
                    boolean stays = o.kind() == L3Kind.ADD || o.qty() > 0;
                    Long before = stays ? level.put(o.orderId(), o.qty()) : level.remove(o.orderId());
                    if ((before == null) != (o.kind() == L3Kind.ADD)) {
                        fail("%s: %s for an order %s its level", where.get(), o, before == null ? "not in" : "already in");
                    }
                    if (level.isEmpty()) {
                        side.remove(o.price());
                    }
                } else if (event instanceof RecordingListener.Level l) {
                    if (l.count() == 0) {
                        l2.get(l.side()).remove(l.price());
                    } else {
                        l2.get(l.side()).put(l.price(), new long[]{l.qty(), l.count()});
                    }
                }
            }
        }

        interface Depth {
            int depth(Side side, int maxLevels, long[] prices, long[] quantities, int[] counts);
        }

        interface OrdersAt {
            int ordersAt(Side side, long price, long[] ids, long[] quantities);
        }

        /** every level of both sides, best first, through a book's depth and ordersAt queries */
        private List<LevelView> snapshot(Depth depth, OrdersAt ordersAt) {
            List<LevelView> levels = new ArrayList<>();
            for (Side side : Side.values()) {
                int n = depth.depth(side, prices.length, prices, quantities, counts);
                for (int level = 0; level < n; level++) {
                    int orders = ordersAt.ordersAt(side, prices[level], ids, orderQuantities);
                    List<OrderView> fifo = new ArrayList<>(orders);
                    for (int i = 0; i < orders; i++) {
                        fifo.add(new OrderView(ids[i], orderQuantities[i]));
                    }
                    levels.add(new LevelView(side, prices[level], quantities[level], counts[level], fifo));
                }
            }
            return levels;
        }

        /** the book as the events alone describe it: the levels of the L2 events, the orders of the L3 events */
        private List<LevelView> shadowSnapshot(Supplier<String> where) {
            List<LevelView> levels = new ArrayList<>();
            for (Side side : Side.values()) {
                assertThat(l3.get(side).keySet()).as(where).isEqualTo(l2.get(side).keySet());
                for (Map.Entry<Long, long[]> level : l2.get(side).entrySet()) {
                    List<OrderView> fifo = new ArrayList<>();
                    l3.get(side).get(level.getKey()).forEach((id, qty) -> fifo.add(new OrderView(id, qty)));
                    levels.add(new LevelView(side, level.getKey(), level.getValue()[0], (int) level.getValue()[1], fifo));
                }
            }
            return levels;
        }

        /** the other queries agree with the levels in both books, and every level is consistent */
        private void assertSameQueries(Supplier<String> where, List<LevelView> levels) {
            for (Side side : Side.values()) {
                List<LevelView> ofSide = levels.stream().filter(l -> l.side() == side).toList();
                assertThat(book.levels(side)).as(where).isEqualTo(ref.levels(side)).isEqualTo(ofSide.size());
                assertThat(book.bestPrice(side)).as(where).isEqualTo(ref.bestPrice(side))
                        .isEqualTo(ofSide.isEmpty() ? OrderBook.NO_PRICE : ofSide.getFirst().price());
                assertThat(book.bestQuantity(side)).as(where).isEqualTo(ref.bestQuantity(side))
                        .isEqualTo(ofSide.isEmpty() ? 0 : ofSide.getFirst().qty());
            }
            int orders = 0;
            for (LevelView level : levels) {
                long sum = 0;
                for (OrderView o : level.orders()) {
                    if (o.qty() <= 0 || book.remaining(o.id()) != o.qty() || !book.contains(o.id())) {
                        fail("%s: order %s, remaining %d", where.get(), o, book.remaining(o.id()));
                    }
                    sum += o.qty();
                }
                if (level.qty() != sum || level.count() != level.orders().size()) {
                    fail("%s: level %s does not add up", where.get(), level);
                }
                orders += level.count();
            }
            assertThat(book.restingOrders()).as(where).isEqualTo(ref.restingOrders()).isEqualTo(orders);
        }

        /** resting before + accepted (and replace deltas) = resting after + filled + cancelled */
        private void assertQuantityConserved(Supplier<String> where, long replacedQuantity, long restingAfter) {
            long in = 0;
            long out = 0;
            for (RecordingListener.Exec e : bookEvents.events.of(RecordingListener.Exec.class)) {
                switch (e.type()) {
                    case ACCEPTED -> in += e.leaves();
                    case REPLACED -> in += e.leaves() - replacedQuantity;
                    case FILLED, PARTIALLY_FILLED, CANCELLED -> out += e.lastQty();
                    case REJECTED, CANCEL_REJECTED -> {
                    }
                }
            }
            assertThat(restingQuantity + in).as(where).isEqualTo(restingAfter + out);
        }

        private void collectOutcomes(Resolved command) {
            for (RecordingListener.Exec e : bookEvents.events.of(RecordingListener.Exec.class)) {
                String reason = switch (e.type()) {
                    case REJECTED, CANCEL_REJECTED -> " " + RejectReason.ofCode(e.reason());
                    case CANCELLED -> " " + CancelReason.ofCode(e.reason());
                    default -> "";
                };
                outcomes.add(e.type() + reason);
                if (e.type() == ExecType.CANCELLED && e.reason() == CancelReason.SELF_TRADE.code() && e.leaves() > 0) {
                    outcomes.add(e.orderId() == incomingId(command)
                            ? "self trade left the incoming order partly" : "self trade decremented the resting order");
                }
                if (e.type() == ExecType.REPLACED) {
                    boolean kept = bookEvents.events.of(RecordingListener.Order.class).stream()
                            .noneMatch(o -> o.kind() == L3Kind.DELETE && o.orderId() == e.orderId());
                    outcomes.add(kept ? "replace kept priority" : "replace lost priority");
                }
            }
        }

        private static long incomingId(Resolved command) {
            return switch (command) {
                case Resolved.Submit s -> s.id();
                case Resolved.Replace r -> r.id();
                default -> -1;
            };
        }
    }
}
