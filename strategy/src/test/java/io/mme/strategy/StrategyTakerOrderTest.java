package io.mme.strategy;

import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.QuoteAction;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderUpdate;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.TakerOrders;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Taker (IOC) orders through the strategy engine: rounding, their place in the slot, fills and updates. */
class StrategyTakerOrderTest {
    private static final long FV = 50_000L * 1_000_000_000L;

    /** asks for one taker order when armed, quotes one bid per venue, and records what it hears */
    static final class TakingStrategy implements Strategy {
        io.mme.strategy.api.Side side;
        double limitNanos;
        long sizeNanos;
        int instrument;
        long lastId = -1;
        final List<String> heard = new ArrayList<>();
        private MarketView market;

        @Override
        public String name() {
            return "taking";
        }

        @Override
        public void start(MarketView market) {
            this.market = market;
        }

        @Override
        public void take(TakerOrders out) {
            if (side != null) {
                lastId = out.take(instrument, side, limitNanos, sizeNanos);
                side = null;
            }
        }

        @Override
        public void onFill(int instrument, io.mme.strategy.api.Side side, long priceTicks, long quantityLots, boolean taker,
                           long timeNanos) {
            heard.add((taker ? "taker" : "quote") + " fill " + side + " " + quantityLots + "@" + priceTicks);
        }

        @Override
        public void onTakerUpdate(long takerOrderId, int instrument, io.mme.strategy.api.Side side, OrderUpdate update,
                                  long filledLots, long unfilledLots, int reasonCode, long timeNanos) {
            heard.add(update + " " + (takerOrderId == lastId ? "ours" : "other") + " filled " + filledLots + " unfilled "
                    + unfilledLots + " reason " + reasonCode);
        }

        @Override
        public void quote(Quotes out) {
            out.set(0, io.mme.strategy.api.Side.BUY, 0, market.fairValueNanos() - 1e9, 1_000_000);
        }

        @Override
        public List<String> parameterKeys() {
            return List.of();
        }

        @Override
        public String setParameter(String key, long value) {
            return "none";
        }

        @Override
        public long parameter(String key) {
            throw new IllegalArgumentException(key);
        }
    }

    private final TakingStrategy strategy = new TakingStrategy();
    private final Fixture f = new Fixture(Fixture.config(), strategy);

    private void arm(io.mme.strategy.api.Side side, double limitNanos, long sizeNanos) {
        strategy.side = side;
        strategy.limitNanos = limitNanos;
        strategy.sizeNanos = sizeNanos;
        strategy.instrument = 0;
    }

    @Test
    void aTakerOrderGoesFirstInTheSlotAsAnIocWithABuyLimitRoundedDownAndTheSizeDownToTheLot() {
        f.wideBooks(FV);
        arm(io.mme.strategy.api.Side.BUY, FV + 5_000_000.0, 150_000);
        List<QuoteIntent> intents = f.timer();
        QuoteIntent taker = intents.get(0);
        assertThat(taker.timeInForce()).isEqualTo(TimeInForce.IOC);
        assertThat(taker.action()).isEqualTo(QuoteAction.PLACE);
        assertThat(taker.level()).isEqualTo(QuoteIntent.TAKER_LEVEL);
        assertThat(taker.side()).isEqualTo(Side.BUY);
        // 50,000.005 on a 0.01 tick: a buy never pays more than asked
        assertThat(taker.priceTicks()).isEqualTo(5_000_000);
        // 0.00015 on a 0.0001 lot
        assertThat(taker.quantityLots()).isEqualTo(1);
        assertThat(strategy.lastId).isEqualTo(ClientOrderIds.of(f.lastSequence, 0));
    }

    @Test
    void aSellLimitRoundsUp() {
        f.wideBooks(FV);
        arm(io.mme.strategy.api.Side.SELL, FV + 5_000_000.0, 100_000);
        assertThat(f.timer().get(0).priceTicks()).isEqualTo(5_000_001);
    }

    @Test
    void aTakerOrderUnderALotOrOnABookThatIsNotValidIsNotSent() {
        f.wideBooks(FV);
        arm(io.mme.strategy.api.Side.BUY, FV, 99_999);
        assertThat(f.timer()).noneMatch(QuoteIntent::isTaker);
        assertThat(strategy.lastId).isEqualTo(TakerOrders.NOT_SENT);
        f.stateChange(0, io.mme.core.ring.BookState.INVALID);
        arm(io.mme.strategy.api.Side.BUY, FV, 1_000_000);
        assertThat(f.timer()).noneMatch(QuoteIntent::isTaker);
        assertThat(strategy.lastId).isEqualTo(TakerOrders.NOT_SENT);
    }

    @Test
    void theStrategyHearsItsTakerFillsAsTakerAndTheExpiryOfTheUnfilledRest() {
        f.wideBooks(FV);
        arm(io.mme.strategy.api.Side.BUY, FV, 300_000);
        f.timer();
        long id = strategy.lastId;
        f.report(ExecType.ACCEPTED, 0, id, Side.BUY, 5_000_000, 3);
        f.fill(ExecType.PARTIALLY_FILLED, 0, id, Side.BUY, 4_999_990, 1, 2);
        f.report(ExecType.CANCELLED, 0, id, Side.BUY, 5_000_000, 0, 2, 1);
        // done: a late report of the same id is no longer a taker's
        f.report(ExecType.CANCELLED, 0, id, Side.BUY, 5_000_000, 0, 0, 1);
        assertThat(strategy.heard).containsExactly(
                "ACKNOWLEDGED ours filled 0 unfilled 0 reason 0",
                "taker fill BUY 1@4999990",
                "EXPIRED ours filled 1 unfilled 2 reason 0");
        assertThat(f.engine.units().get(0).inventoryNanos()).isEqualTo(100_000);
    }

    @Test
    void aRejectedTakerOrderIsReportedWithItsReasonAndNothingFilled() {
        f.wideBooks(FV);
        arm(io.mme.strategy.api.Side.SELL, FV, 200_000);
        f.timer();
        f.report(ExecType.REJECTED, 0, strategy.lastId, Side.SELL, 5_000_000, 0);
        assertThat(strategy.heard).containsExactly("REJECTED ours filled 0 unfilled 2 reason 0");
    }

    @Test
    void aTakerOrderInFlightSurvivesASnapshotAndItsFillIsStillATakersAfterTheRestore() {
        f.wideBooks(FV);
        arm(io.mme.strategy.api.Side.BUY, FV, 200_000);
        f.timer();
        long id = strategy.lastId;
        io.mme.core.state.StateWriter out = new io.mme.core.state.StateWriter(64);
        f.engine.writeState(out);

        TakingStrategy restored = new TakingStrategy();
        Fixture g = new Fixture(Fixture.config(), restored);
        g.engine.readState(new io.mme.core.state.StateReader(out.toBytes()));
        g.sequence = f.sequence;
        g.now = f.now;
        g.fill(ExecType.FILLED, 0, id, Side.BUY, 5_000_000, 2, 0);
        assertThat(restored.heard).containsExactly("taker fill BUY 2@5000000");
    }

    @Test
    void aFullyFilledTakerOrderEndsWithItsFillAndNoUpdate() {
        f.wideBooks(FV);
        arm(io.mme.strategy.api.Side.SELL, FV, 200_000);
        f.timer();
        f.fill(ExecType.FILLED, 0, strategy.lastId, Side.SELL, 5_000_000, 2, 0);
        assertThat(strategy.heard).containsExactly("taker fill SELL 2@5000000");
    }
}
