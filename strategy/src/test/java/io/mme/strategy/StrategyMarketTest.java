package io.mme.strategy;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderStatus;
import io.mme.strategy.api.OrderUpdate;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Strategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.mme.strategy.Fixture.COINBASE;
import static io.mme.strategy.Fixture.KRAKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** What a hosted strategy hears and reads through the API: its callbacks and the view's numbers. */
class StrategyMarketTest {
    /** 50,000 USD */
    private static final long FV = 50_000_000_000_000L;
    private static final io.mme.strategy.api.Side BUY = io.mme.strategy.api.Side.BUY;
    private static final io.mme.strategy.api.Side SELL = io.mme.strategy.api.Side.SELL;

    /** quotes like {@link ScriptedStrategy} (5 USD either side) and records what it hears */
    private static final class Listener implements Strategy {
        final ScriptedStrategy quotes = new ScriptedStrategy(5_000_000_000.0, 5_000_000_000.0, 1_000_000);
        final List<String> heard = new ArrayList<>();
        MarketView market;

        @Override
        public String name() {
            return "listener";
        }

        @Override
        public void start(MarketView view) {
            market = view;
            quotes.start(view);
        }

        @Override
        public void onBook(int instrument) {
            heard.add("book " + instrument + " " + market.bookStatus(instrument));
        }

        @Override
        public void onTrade(int instrument, long priceTicks, long quantityLots, io.mme.strategy.api.Side aggressor, long timeNanos) {
            heard.add("trade " + instrument + " " + aggressor + " " + priceTicks + " x " + quantityLots);
        }

        @Override
        public void onFill(int instrument, io.mme.strategy.api.Side side, long priceTicks, long quantityLots, long timeNanos) {
            heard.add("fill " + instrument + " " + side + " " + priceTicks + " x " + quantityLots + ", position "
                    + market.positionNanos(instrument));
        }

        @Override
        public void onOrderUpdate(int instrument, io.mme.strategy.api.Side side, int level, OrderUpdate update, int reasonCode,
                                  long timeNanos) {
            heard.add(update + " " + instrument + " " + side + " " + level + " " + reasonCode);
        }

        @Override
        public void quote(Quotes out) {
            quotes.quote(out);
        }

        @Override
        public List<String> parameterKeys() {
            return List.of();
        }

        @Override
        public String setParameter(String key, long value) {
            return "no parameters";
        }

        @Override
        public long parameter(String key) {
            throw new IllegalArgumentException(key);
        }
    }

    private final Listener strategy = new Listener();
    private final Fixture f = new Fixture(Fixture.config(), strategy);

    @Test
    void theViewHoldsEachVenuesTouchStateAndTheFairValueAfterEachMessage() {
        f.book(COINBASE, 4_999_000, 5_001_000, FV);
        MarketView m = strategy.market;
        assertThat(strategy.heard).containsExactly("book 0 VALID");
        assertThat(m.bidTicks(COINBASE)).isEqualTo(4_999_000);
        assertThat(m.askTicks(COINBASE)).isEqualTo(5_001_000);
        assertThat(m.levelQuantityLots(COINBASE, BUY, 0)).isEqualTo(1);
        assertThat(m.depth(COINBASE, SELL)).isEqualTo(1);
        assertThat(m.priceNanos(COINBASE, m.bidTicks(COINBASE))).isEqualTo(49_990_000_000_000L);
        assertThat(m.fairValueNanos()).isEqualTo(FV);
        assertThat(m.bookStatus(KRAKEN)).isEqualTo(BookStatus.SYNCING);
        assertThat(m.bidTicks(KRAKEN)).isEqualTo(MarketView.NONE);
        assertThat(m.depth(KRAKEN, BUY)).isZero();
        assertThat(m.timeNanos()).isEqualTo(Fixture.T0);
    }

    @Test
    void aPublicTradeIsHeardAndKeptButDoesNotMakeTheStrategyDecide() {
        f.book(COINBASE, 4_999_000, 5_001_000, FV);
        List<QuoteIntent> intents = f.trade(COINBASE, Side.SELL, 4_999_000, 3);
        assertThat(intents).isEmpty();
        assertThat(strategy.heard).endsWith("trade 0 SELL 4999000 x 3");
        assertThat(strategy.market.lastTradePriceTicks(COINBASE)).isEqualTo(4_999_000);
        assertThat(strategy.market.lastTradeQuantityLots(COINBASE)).isEqualTo(3);
        assertThat(strategy.market.lastTradeAggressor(COINBASE)).isEqualTo(SELL);
        assertThat(strategy.market.lastTradePriceTicks(KRAKEN)).isEqualTo(MarketView.NONE);
    }

    @Test
    void ourOrdersAreAcknowledgedRejectedAndCancelledThroughOrderUpdatesAndTheSlotsShowThem() {
        List<QuoteIntent> placed = f.book(COINBASE, 4_900_000, 5_100_000, FV);
        assertThat(placed).hasSize(2);
        assertThat(strategy.market.orderStatus(COINBASE, BUY, 0)).isEqualTo(OrderStatus.PENDING_NEW);
        long bidId = f.engine.slotOrderId(0, Side.BUY, 0);
        long askId = f.engine.slotOrderId(0, Side.SELL, 0);
        f.report(ExecType.ACCEPTED, COINBASE, bidId, Side.BUY, placed.get(0).priceTicks(), placed.get(0).quantityLots());
        assertThat(strategy.heard).contains("ACKNOWLEDGED 0 BUY 0 0");
        assertThat(strategy.market.orderStatus(COINBASE, BUY, 0)).isEqualTo(OrderStatus.LIVE);
        assertThat(strategy.market.orderPriceTicks(COINBASE, BUY, 0)).isEqualTo(placed.get(0).priceTicks());
        assertThat(strategy.market.orderQuantityLots(COINBASE, BUY, 0)).isEqualTo(placed.get(0).quantityLots());

        f.report(ExecType.REJECTED, COINBASE, askId, Side.SELL, 0, 0, 0, 1);
        assertThat(strategy.heard).contains("REJECTED 0 SELL 0 0");
        assertThat(strategy.market.orderStatus(COINBASE, SELL, 0)).isEqualTo(OrderStatus.NONE);

        // the venue cancels the live bid on its own: the strategy hears an expiry
        f.report(ExecType.CANCELLED, COINBASE, bidId, Side.BUY, placed.get(0).priceTicks(), 0);
        assertThat(strategy.heard).contains("EXPIRED 0 BUY 0 0");
    }

    @Test
    void fillsMoveThePositionPerVenueAndRealiseTheirEdgeAgainstTheAveragePrice() {
        List<QuoteIntent> placed = f.book(COINBASE, 4_900_000, 5_100_000, FV);
        f.acceptAll(placed);
        long bid = placed.get(0).priceTicks();
        // bought 0.001 BTC (10 lots) at the bid
        f.fill(ExecType.FILLED, COINBASE, f.engine.slotOrderId(0, Side.BUY, 0), Side.BUY, bid, 10, 0);
        MarketView m = strategy.market;
        assertThat(strategy.heard).contains("fill 0 BUY " + bid + " x 10, position 1000000");
        assertThat(m.positionNanos(COINBASE)).isEqualTo(1_000_000);
        assertThat(m.positionNanos()).isEqualTo(1_000_000);
        assertThat(m.realisedPnlNanos()).isZero();
        // marked at the fair value: 0.001 × (50,000 − bid price)
        long bidNanos = bid * 10_000_000L;
        assertThat(m.unrealisedPnlNanos()).isEqualTo((FV - bidNanos) / 1000);
        // sold half (5 lots) 100 ticks (1 USD) above the buying price: 0.0005 × 1 USD realised
        long askId = f.engine.slotOrderId(0, Side.SELL, 0);
        f.fill(ExecType.PARTIALLY_FILLED, COINBASE, askId, Side.SELL, bid + 100, 5, 5);
        assertThat(m.positionNanos(COINBASE)).isEqualTo(500_000);
        assertThat(m.realisedPnlNanos()).isEqualTo(500_000);
        assertThat(m.unrealisedPnlNanos()).isEqualTo((FV - bidNanos) / 2000);
    }

    @Test
    void eachVenuesTouchNetOfItsTakerFeeIsWhatCrossingItYieldsOrCosts() {
        io.mme.core.instrument.Instrument coinbase = Fixture.registry().get(COINBASE);
        SlotState[] slots = new SlotState[2];
        java.util.Arrays.fill(slots, SlotState.EMPTY);
        StrategyMarket m = new StrategyMarket("fees", new io.mme.core.instrument.Instrument[]{coinbase}, new long[]{-1},
                new long[]{60}, 1, slots, new long[2], new long[2]);
        m.book(0, io.mme.core.ring.BookState.VALID, 5_000_000, 2, 5_000_100, 3);
        assertThat(m.makerFeeBps(0)).isEqualTo(-1);
        assertThat(m.takerFeeBps(0)).isEqualTo(60);
        // selling into the 50,000.00 bid yields 0.6 % less; buying at the 50,001.00 ask costs 0.6 % more
        assertThat(m.touchNetOfFeesNanos(0, BUY)).isEqualTo(49_700_000_000_000L);
        assertThat(m.touchNetOfFeesNanos(0, SELL)).isEqualTo(50_301_006_000_000L);
        m.book(0, io.mme.core.ring.BookState.INVALID, MarketView.NONE, 0, MarketView.NONE, 0);
        assertThat(m.touchNetOfFeesNanos(0, BUY)).isEqualTo(MarketView.NONE);
        assertThat(m.bookStatus(0)).isEqualTo(BookStatus.INVALID);
    }

    private static StrategyMarket deepMarket(int bookDepth) {
        io.mme.core.instrument.Instrument coinbase = Fixture.registry().get(COINBASE);
        SlotState[] slots = new SlotState[2];
        java.util.Arrays.fill(slots, SlotState.EMPTY);
        return new StrategyMarket("deep", new io.mme.core.instrument.Instrument[]{coinbase}, new long[1], new long[1], 1, slots,
                new long[2], new long[2], bookDepth);
    }

    /** a slot as the market data engine writes it at a message end: the top and {@code levels} levels a side */
    private static io.mme.core.ring.BookView slotWith(io.mme.core.ring.BookState state, int levels) {
        io.mme.core.ring.BookView view = new io.mme.core.ring.BookView();
        view.reset();
        boolean valid = state == io.mme.core.ring.BookState.VALID;
        view.top(0, state, valid ? 5_000_000 : MarketView.NONE, valid ? 10 : 0, valid ? 5_000_100 : MarketView.NONE, valid ? 20 : 0);
        for (int level = 0; valid && level < levels; level++) {
            view.level(io.mme.core.ring.Side.BUY, level, 5_000_000 - level, 10 + level);
            view.level(io.mme.core.ring.Side.SELL, level, 5_000_100 + level, 20 + level);
        }
        return view;
    }

    @Test
    void theViewHoldsTheSlotsLevelsBestFirstUpToItsBookDepth() {
        StrategyMarket m = deepMarket(5);
        m.book(0, slotWith(io.mme.core.ring.BookState.VALID, 8));
        assertThat(m.maxDepth()).isEqualTo(5);
        assertThat(m.depth(0, BUY)).isEqualTo(5);
        assertThat(m.depth(0, SELL)).isEqualTo(5);
        for (int level = 0; level < 5; level++) {
            assertThat(m.levelPriceTicks(0, BUY, level)).isEqualTo(5_000_000 - level);
            assertThat(m.levelQuantityLots(0, BUY, level)).isEqualTo(10 + level);
            assertThat(m.levelPriceTicks(0, SELL, level)).isEqualTo(5_000_100 + level);
            assertThat(m.levelQuantityLots(0, SELL, level)).isEqualTo(20 + level);
        }
        assertThat(m.levelPriceTicks(0, BUY, 5)).isEqualTo(MarketView.NONE);
        assertThat(m.levelQuantityLots(0, SELL, 5)).isZero();
        assertThat(m.levelPriceTicks(0, BUY, -1)).isEqualTo(MarketView.NONE);
        // a shallower book after a deeper one: the levels it no longer has are gone
        m.book(0, slotWith(io.mme.core.ring.BookState.VALID, 2));
        assertThat(m.depth(0, BUY)).isEqualTo(2);
        assertThat(m.levelPriceTicks(0, BUY, 2)).isEqualTo(MarketView.NONE);
    }

    @Test
    void aDeepViewHoldsAllTwentyLevelsOfADeepSlot() {
        StrategyMarket m = deepMarket(20);
        m.book(0, slotWith(io.mme.core.ring.BookState.VALID, 20));
        assertThat(m.depth(0, SELL)).isEqualTo(20);
        assertThat(m.levelPriceTicks(0, SELL, 19)).isEqualTo(5_000_119);
        assertThat(m.levelQuantityLots(0, BUY, 19)).isEqualTo(29);
    }

    @Test
    void aBookThatIsNotValidShowsNoLevels() {
        StrategyMarket m = deepMarket(5);
        m.book(0, slotWith(io.mme.core.ring.BookState.VALID, 5));
        assertThat(m.depth(0, BUY)).isEqualTo(5);
        m.book(0, slotWith(io.mme.core.ring.BookState.INVALID, 5));
        assertThat(m.bookStatus(0)).isEqualTo(BookStatus.INVALID);
        assertThat(m.depth(0, BUY)).isZero();
        assertThat(m.depth(0, SELL)).isZero();
        assertThat(m.levelPriceTicks(0, BUY, 0)).isEqualTo(MarketView.NONE);
        assertThat(m.bidTicks(0)).isEqualTo(MarketView.NONE);
        // and a state change alone (a TIMER's stale check) empties it as well
        m.book(0, slotWith(io.mme.core.ring.BookState.VALID, 5));
        m.book(0, io.mme.core.ring.BookState.INVALID, MarketView.NONE, 0, MarketView.NONE, 0);
        assertThat(m.depth(0, SELL)).isZero();
    }

    @Test
    void aBookDepthOutsideOneToTwentyIsRefusedNamingTheStrategy() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deepMarket(21))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strategy deep: bookDepth 21");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fixture.config().withBookDepth(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bookDepth 0");
    }
}
