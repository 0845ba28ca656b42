package io.mme.backtest;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.matching.BookConfig;
import io.mme.matching.BookListener;
import io.mme.matching.L3Kind;
import io.mme.matching.OrderBook;
import io.mme.matching.OrderType;
import io.mme.matching.QueueModel;
import io.mme.matching.SelfTradePrevention;
import io.mme.matching.SimulatedMarket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The queue models against ground truth. Our own L3 matching engine ({@link OrderBook}) runs the
 * simulated market's order flow ({@link SimulatedMarket}); a fixed quoting schedule puts small
 * post-only orders of ours at the best bid and ask every few seconds, each cancelled after a
 * while. The book's FIFO gives the truth: which of our orders filled, and when. At the same time
 * the book's public output (level quantities without our own orders, and trades) is fed to a
 * {@link SimulatedExchange} per queue model, which gets the same orders at the same instants (no
 * latency, so only the queue model differs). Per model: the share of our orders whose fill (any
 * quantity, or none) the model got right, its false fills and missed fills, and the mean error of
 * the first fill's time where both filled.
 *
 * <p>Deterministic (the market's seed); single-threaded. Thread: the caller's.
 */
public final class QueueModelCheck {
    /** one model's score */
    public record Score(String model, int orders, int truthFilled, int modelFilled, int agree, int falseFills, int missedFills,
                        double meanFillTimeErrorMillis) {
        public double agreement() {
            return orders == 0 ? 0 : agree / (double) orders;
        }
    }

    /**
     * @param seconds           of simulated market
     * @param quoteEveryMillis  a new pair of our orders every so often
     * @param orderLifeMillis   each is cancelled after this long if not filled
     */
    public record Setup(long seed, int seconds, long quoteEveryMillis, long orderLifeMillis, long orderLots) {
        public static Setup defaults() {
            return new Setup(7, 600, 1_000, 1_500, 1);
        }
    }

    private static final int ID = 0;
    private static final long OURS = 0;

    private QueueModelCheck() {
    }

    /** runs the market once per model (the flow is the same each time: same seed) and scores each */
    public static List<Score> run(Setup setup, List<QueueModel> models) {
        List<Score> scores = new ArrayList<>();
        for (QueueModel model : models) {
            scores.add(runOne(setup, model));
        }
        return scores;
    }

    /** the default models: risk-averse, power 1, 2 and 3, log */
    public static List<QueueModel> defaultModels() {
        return List.of(QueueModel.riskAverse(), QueueModel.power(1), QueueModel.power(2), QueueModel.power(3), QueueModel.log());
    }

    private static Score runOne(Setup setup, QueueModel model) {
        InstrumentRegistry registry = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "SIMUSDT", "SIM", "USDT", "0.01", "1", null, null, null, null)).build();
        EventClock clock = new EventClock(0);
        Schedule schedule = new Schedule();
        SimulatedExchange exchange = new SimulatedExchange(registry, new boolean[]{true}, 4096, model, LatencyModel.constant(0, 0),
                clock, schedule, new NoListener());
        Truth truth = new Truth(exchange);
        OrderBook book = new OrderBook(BookConfig.of(Venue.BINANCE.id(), ID).withCapacity(1 << 16), truth);
        SimulatedMarket market = new SimulatedMarket(new SimulatedMarket.Params(ID, setup.seed(), 10_000, 1.0, 40, 35, 2, 3, 5, 40, 50),
                0);
        market.startAt(0);
        book.setTime(0);
        market.seed(book, () -> exchange.marketEnd(ID));
        long end = setup.seconds() * 1_000_000_000L;
        long nextQuote = setup.quoteEveryMillis() * 1_000_000L;
        long nextId = 1;
        Map<Long, Long> cancelAt = new HashMap<>();
        Map<Long, Long> modelFirstFill = new HashMap<>();
        List<Long> ours = new ArrayList<>();
        while (market.nextArrivalNanos() <= end) {
            long t = market.nextArrivalNanos();
            while (nextQuote <= t) {
                clock.advanceTo(nextQuote);
                book.setTime(nextQuote);
                // cancels due first, then a new pair at the touch
                for (var it = cancelAt.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue() <= nextQuote) {
                        book.cancel(OURS, e.getKey());
                        exchange.arrive(command(schedule, OrderCommandType.CANCEL, e.getKey(), null, 0, 0));
                        it.remove();
                    }
                }
                exchange.marketEnd(ID);
                for (Side side : Side.values()) {
                    long price = book.bestPrice(side);
                    if (price == OrderBook.NO_PRICE) {
                        continue;
                    }
                    long id = nextId++;
                    truth.expect(id, side, price);
                    book.newOrder(id, OURS, side, OrderType.LIMIT, TimeInForce.GTC, true, SelfTradePrevention.NONE, price, setup.orderLots());
                    exchange.arrive(command(schedule, OrderCommandType.NEW, id, side, price, setup.orderLots()));
                    cancelAt.put(id, nextQuote + setup.orderLifeMillis() * 1_000_000L);
                    ours.add(id);
                }
                exchange.marketEnd(ID);
                drain(schedule, modelFirstFill, clock);
                nextQuote += setup.quoteEveryMillis() * 1_000_000L;
            }
            clock.advanceTo(t);
            book.setTime(t);
            market.fireNext(book);
            exchange.marketEnd(ID);
            drain(schedule, modelFirstFill, clock);
        }
        int truthFilled = 0;
        int modelFilled = 0;
        int agree = 0;
        int falseFills = 0;
        int missed = 0;
        double errorSum = 0;
        int errorCount = 0;
        for (long id : ours) {
            Long real = truth.firstFill.get(id);
            Long simulated = modelFirstFill.get(id);
            truthFilled += real != null ? 1 : 0;
            modelFilled += simulated != null ? 1 : 0;
            if ((real != null) == (simulated != null)) {
                agree++;
            } else if (simulated != null) {
                falseFills++;
            } else {
                missed++;
            }
            if (real != null && simulated != null) {
                errorSum += Math.abs(simulated - real) / 1e6;
                errorCount++;
            }
        }
        return new Score(model.name(), ours.size(), truthFilled, modelFilled, agree, falseFills, missed,
                errorCount == 0 ? Double.NaN : errorSum / errorCount);
    }

    private static Schedule.Item command(Schedule schedule, OrderCommandType type, long id, Side side, long price, long lots) {
        Schedule.Item c = schedule.obtain();
        c.kind = Schedule.Kind.ORDER;
        c.type = type;
        c.venueId = Venue.BINANCE.id();
        c.instrumentId = ID;
        c.ownerId = OURS;
        c.clientOrderId = id;
        c.targetClientOrderId = id;
        c.side = side;
        c.priceTicks = price;
        c.quantityLots = lots;
        c.timeInForce = TimeInForce.GTC;
        c.postOnly = true;
        return c;
    }

    /** the simulated exchange's answers (no latency: due now); records each order's first fill time */
    private static void drain(Schedule schedule, Map<Long, Long> firstFill, EventClock clock) {
        while (!schedule.isEmpty()) {
            Schedule.Item item = schedule.poll();
            if (item.kind == Schedule.Kind.ORDER) {
                throw new IllegalStateException("no order is in flight without latency");
            }
            ExecutionReport r = item.report;
            if (r.execType() == ExecType.FILLED || r.execType() == ExecType.PARTIALLY_FILLED) {
                firstFill.putIfAbsent(r.clientOrderId(), clock.epochNanos());
            }
            schedule.release(item);
        }
    }

    /**
     * The L3 book's output: our orders' true fills, and the public view (levels without our own
     * quantity, trades) passed to the simulated exchange.
     */
    private static final class Truth implements BookListener {
        final Map<Long, Long> firstFill = new HashMap<>();
        private final Map<Long, Long> ourRemaining = new HashMap<>();
        private final Map<Long, Side> ourSide = new HashMap<>();
        private final Map<Long, Long> ourPrice = new HashMap<>();
        private final SimulatedExchange exchange;
        private long now;

        Truth(SimulatedExchange exchange) {
            this.exchange = exchange;
        }

        void expect(long id, Side side, long price) {
            ourSide.put(id, side);
            ourPrice.put(id, price);
        }

        @Override
        public void onExecution(long bookSequence, ExecutionReport report) {
            now = report.venueTimestampNanos();
            if (report.ownerId() != OURS) {
                return;
            }
            long id = report.clientOrderId();
            switch (report.execType()) {
                case ACCEPTED -> ourRemaining.put(id, report.leavesQuantityLots());
                case PARTIALLY_FILLED, FILLED -> {
                    firstFill.putIfAbsent(id, now);
                    ourRemaining.put(id, report.leavesQuantityLots());
                }
                case CANCELLED, REJECTED -> ourRemaining.remove(id);
                default -> { }
            }
        }

        @Override
        public void onTrade(long bookSequence, long tradeId, Side aggressor, long priceTicks, long quantityLots, long makerOrderId,
                            long takerOrderId) {
            exchange.marketTrade(ID, aggressor, priceTicks, quantityLots);
        }

        @Override
        public void onLevel(long bookSequence, Side side, long priceTicks, long quantityLots, int orderCount) {
            long ours = 0;
            for (Map.Entry<Long, Long> e : ourRemaining.entrySet()) {
                if (ourSide.get(e.getKey()) == side && ourPrice.get(e.getKey()) == priceTicks) {
                    ours += e.getValue();
                }
            }
            exchange.marketLevel(ID, side, priceTicks, Math.max(0, quantityLots - ours));
        }

        @Override
        public void onOrder(long bookSequence, L3Kind kind, long orderId, Side side, long priceTicks, long quantityLots) {
        }
    }

    private static final class NoListener implements SimulatedExchange.Listener {
        @Override
        public void commandSent(int instrumentId, OrderCommandType type, long quantityLots) {
        }

        @Override
        public void fill(long timeNanos, int instrumentId, Side side, long priceTicks, long quantityLots, boolean maker) {
        }

        @Override
        public void rejected(int instrumentId) {
        }
    }

    /** the scores as a Markdown table */
    public static String table(Setup setup, List<Score> scores) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d s of simulated flow (seed %d), a post-only pair of %d lot at the touch every %d ms,"
                        + " each cancelled after %d ms unless filled%n%n", setup.seconds(), setup.seed(), setup.orderLots(),
                setup.quoteEveryMillis(), setup.orderLifeMillis()));
        out.append("| model | orders | filled (truth) | filled (model) | fill or not right | false fills | missed fills | mean first-fill time error |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Score s : scores) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f%% | %d | %d | %s |%n", s.model(), s.orders(), s.truthFilled(),
                    s.modelFilled(), s.agreement() * 100, s.falseFills(), s.missedFills(),
                    Double.isNaN(s.meanFillTimeErrorMillis()) ? "-" : String.format(Locale.ROOT, "%.0f ms", s.meanFillTimeErrorMillis())));
        }
        return out.toString();
    }
}
