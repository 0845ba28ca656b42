package io.mme.backtest;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.ExecutionReport;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.matching.QueueModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated exchange on hand-made markets: where a resting order joins the queue, how trades
 * and level decreases advance it, when it fills, and what a post-only or marketable order meets.
 * Prices are ticks and quantities lots of a test instrument.
 */
class SimulatedExchangeTest {
    private static final int ID = 0;
    private static final long OWNER = 1;

    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00000001", null, null, null, null)).build();
    private final EventClock clock = new EventClock(1_000_000_000L);
    private final Schedule schedule = new Schedule();
    private final List<String> fills = new ArrayList<>();

    private SimulatedExchange exchange(QueueModel model) {
        SimulatedExchange exchange = new SimulatedExchange(registry, new boolean[]{true}, 100, model, LatencyModel.constant(0, 0), clock,
                schedule, new SimulatedExchange.Listener() {
            @Override
            public void commandSent(int instrumentId, OrderCommandType type, long quantityLots) {
            }

            @Override
            public void fill(long timeNanos, int instrumentId, Side side, long priceTicks, long quantityLots, boolean maker) {
                fills.add(side + " " + quantityLots + "@" + priceTicks + (maker ? " maker" : " taker"));
            }

            @Override
            public void rejected(int instrumentId) {
            }
        });
        // the recorded book: bids 100 x 5, 99 x 10; asks 101 x 2, 102 x 3
        exchange.marketClear(ID);
        exchange.marketLevel(ID, Side.BUY, 100, 5);
        exchange.marketLevel(ID, Side.BUY, 99, 10);
        exchange.marketLevel(ID, Side.SELL, 101, 2);
        exchange.marketLevel(ID, Side.SELL, 102, 3);
        exchange.marketEnd(ID);
        return exchange;
    }

    private void send(SimulatedExchange exchange, long id, Side side, long price, long qty, TimeInForce tif, boolean postOnly) {
        Schedule.Item c = schedule.obtain();
        c.kind = Schedule.Kind.ORDER;
        c.type = OrderCommandType.NEW;
        c.venueId = Venue.BINANCE.id();
        c.instrumentId = ID;
        c.ownerId = OWNER;
        c.clientOrderId = id;
        c.side = side;
        c.priceTicks = price;
        c.quantityLots = qty;
        c.timeInForce = tif;
        c.postOnly = postOnly;
        exchange.arrive(c);
    }

    /** the answers the exchange has sent so far, in order, as "TYPE leaves" lines */
    private List<String> answers() {
        List<String> out = new ArrayList<>();
        while (!schedule.isEmpty()) {
            Schedule.Item item = schedule.poll();
            ExecutionReport r = item.report;
            out.add(r.execType() + " " + r.clientOrderId() + " leaves " + r.leavesQuantityLots()
                    + (r.lastQuantityLots() > 0 && r.execType() != ExecType.CANCELLED ? " last " + r.lastQuantityLots() + "@" + r.lastPriceTicks() : "")
                    + (r.reasonCode() != 0 ? " reason " + r.reasonCode() : ""));
            schedule.release(item);
        }
        return out;
    }

    @Test
    void aRestingOrderJoinsBehindTheDisplayedQuantityAndFillsWhenTradesExhaustIt() {
        SimulatedExchange exchange = exchange(QueueModel.riskAverse());
        send(exchange, 7, Side.BUY, 100, 2, TimeInForce.GTC, true);
        assertThat(answers()).containsExactly("ACCEPTED 7 leaves 2");
        assertThat(exchange.aheadOf(OWNER, 7)).isEqualTo(5);

        // a sell of 3 at our price: 5 ahead becomes 2
        exchange.marketTrade(ID, Side.SELL, 100, 3);
        assertThat(exchange.aheadOf(OWNER, 7)).isEqualTo(2);
        assertThat(answers()).isEmpty();
        // the depth update that follows shows the level at 2: the decrease of 3 is the trade's, nothing more moves
        exchange.marketLevel(ID, Side.BUY, 100, 2);
        exchange.marketEnd(ID);
        assertThat(exchange.aheadOf(OWNER, 7)).isEqualTo(2);

        // a sell of 3: 2 go to the order ahead, 1 fills us
        exchange.marketTrade(ID, Side.SELL, 100, 3);
        assertThat(answers()).containsExactly("PARTIALLY_FILLED 7 leaves 1 last 1@100");
        assertThat(fills).containsExactly("BUY 1@100 maker");
        // a trade through our price fills the rest
        exchange.marketTrade(ID, Side.SELL, 99, 4);
        assertThat(answers()).containsExactly("FILLED 7 leaves 0 last 1@100");
        assertThat(exchange.openOrders()).isZero();
    }

    @Test
    void anUnexplainedDecreaseMovesUsOnlyAsTheModelSays() {
        // level 100 shows 5; we join behind it; 15 more join behind us; then 10 leave without a trade
        SimulatedExchange averse = exchange(QueueModel.riskAverse());
        send(averse, 7, Side.BUY, 100, 1, TimeInForce.GTC, true);
        averse.marketLevel(ID, Side.BUY, 100, 20);
        averse.marketLevel(ID, Side.BUY, 100, 10);
        // risk-averse: the 10 that left were behind (15 were)
        assertThat(averse.aheadOf(OWNER, 7)).isEqualTo(5);

        schedule.clearForTest();
        SimulatedExchange power = exchange(QueueModel.power(1));
        send(power, 7, Side.BUY, 100, 1, TimeInForce.GTC, true);
        power.marketLevel(ID, Side.BUY, 100, 20);
        power.marketLevel(ID, Side.BUY, 100, 10);
        // power 1: p = 5 / (5 + 15) = 0.25; 0.25 x 10 = 2.5, rounded to 3 (half up): 2 ahead
        assertThat(power.aheadOf(OWNER, 7)).isEqualTo(2);
    }

    @Test
    void aPostOnlyOrderThatWouldCrossIsRejectedAndAMarketableIocWalksTheLevels() {
        SimulatedExchange exchange = exchange(QueueModel.riskAverse());
        send(exchange, 8, Side.BUY, 101, 1, TimeInForce.GTC, true);
        assertThat(answers()).containsExactly("REJECTED 8 leaves 0 reason " + SimulatedExchange.POST_ONLY_WOULD_CROSS);

        // buy 6 IOC up to 102: 2 at 101, 3 at 102, the last one cancelled
        send(exchange, 9, Side.BUY, 102, 6, TimeInForce.IOC, false);
        assertThat(answers()).containsExactly("ACCEPTED 9 leaves 6", "PARTIALLY_FILLED 9 leaves 4 last 2@101",
                "PARTIALLY_FILLED 9 leaves 1 last 3@102", "CANCELLED 9 leaves 0 reason " + SimulatedExchange.CANCEL_IOC_REMAINDER);
        assertThat(fills).containsExactly("BUY 2@101 taker", "BUY 3@102 taker");
        assertThat(exchange.openOrders()).isZero();
    }

    @Test
    void theOppositeBestReachingARestingOrderFillsIt() {
        SimulatedExchange exchange = exchange(QueueModel.riskAverse());
        send(exchange, 7, Side.SELL, 103, 2, TimeInForce.GTC, true);
        assertThat(exchange.aheadOf(OWNER, 7)).isZero();
        answers();
        exchange.marketBestBidOffer(ID, 103, 104);
        assertThat(answers()).containsExactly("FILLED 7 leaves 0 last 2@103");
    }
}
