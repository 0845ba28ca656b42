package io.mme.strategy;

import io.mme.core.ring.BookState;
import io.mme.core.ring.ClientOrderIds;
import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class HotPathAllocationTest {
    private static final int QUEUE = 4096;
    private final InboundEvent event = new InboundEvent();
    private final InboundEvent ack = new InboundEvent();
    // the venue's answers still to send, preallocated so that the test itself allocates nothing
    private final ExecType[] queuedType = new ExecType[QUEUE];
    private final int[] queuedVenue = new int[QUEUE];
    private final int[] queuedInstrument = new int[QUEUE];
    private final long[] queuedId = new long[QUEUE];
    private final Side[] queuedSide = new Side[QUEUE];
    private final long[] queuedPrice = new long[QUEUE];
    private final long[] queuedLots = new long[QUEUE];
    private int head;
    private int tail;
    private long sequence;
    private long now = Fixture.T0;
    private int intents;
    /** levels a side each market data slot carries (the touch only when 0) */
    private int slotLevels;
    private int takers;
    private int takerReports;
    /** lots at each side's touch of the books the test sends */
    private long topLots = 1;

    /** market data moving the fair value, public trades, the venue acknowledging every intent, fills and timers: no allocation */
    @Test
    void steadyQuotingAllocatesNothing() {
        StrategyEngine engine = new StrategyEngine(Fixture.config().withMaxLevels(2), Fixture.registry(),
                new AvellanedaStoikovStrategy(AvellanedaStoikovStrategy.Parameters.defaults()));
        run(engine, 20_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        intents = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        run(engine, 20_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(intents).isGreaterThan(1_000);
        assertThat(engine.slotState(0, Side.BUY, 0)).isIn(SlotState.LIVE, SlotState.PENDING_REPLACE);
        assertThat(allocated).isLessThan(1_024);
    }

    /** the same with a desk: the BTC strategy's events dispatched past the ETH one, timers visiting both */
    @Test
    void aDeskDispatchingByInstrumentAllocatesNothing() {
        StrategyEngine engine = new StrategyEngine(java.util.List.of(
                new HostedStrategy("btc", Fixture.config().withMaxLevels(2),
                        new AvellanedaStoikovStrategy(AvellanedaStoikovStrategy.Parameters.defaults())),
                new HostedStrategy("eth", StrategyEngineConfig.of(1, java.util.List.of(Fixture.OTHER)),
                        Fixture.skew(4, 1_000_000, 1))), Fixture.registry());
        run(engine, 20_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        intents = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        run(engine, 20_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(intents).isGreaterThan(1_000);
        assertThat(engine.unit("btc").slotState(0, Side.BUY, 0)).isIn(SlotState.LIVE, SlotState.PENDING_REPLACE);
        assertThat(allocated).isLessThan(1_024);
    }

    /**
     * Avellaneda-Stoikov with a view 20 levels deep over slots carrying 20 levels a side, the whole
     * depth read on every book: no allocation
     */
    @Test
    void aTwentyLevelViewKeptCurrentAndReadWholeAllocatesNothing() {
        slotLevels = 20;
        DepthReadingStrategy reader = new DepthReadingStrategy(new AvellanedaStoikovStrategy(AvellanedaStoikovStrategy.Parameters.defaults()));
        StrategyEngine engine = new StrategyEngine(Fixture.config().withMaxLevels(2).withBookDepth(20), Fixture.registry(), reader);
        run(engine, 20_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        intents = 0;
        long levelsRead = reader.levelsRead;
        long before = threads.getCurrentThreadAllocatedBytes();
        run(engine, 20_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(intents).isGreaterThan(1_000);
        assertThat(reader.levelsRead - levelsRead).as("20 levels a side on each of 20,000 books").isEqualTo(20_000L * 40);
        assertThat(allocated).isLessThan(1_024);
    }

    /** a strategy that reads every level of both sides of its book on each onBook, then lets another one quote */
    private static final class DepthReadingStrategy implements io.mme.strategy.api.Strategy {
        /** values() clones its array on every call */
        private static final io.mme.strategy.api.Side[] SIDES = io.mme.strategy.api.Side.values();
        private final io.mme.strategy.api.Strategy quoting;
        private io.mme.strategy.api.MarketView view;
        long levelsRead;
        long checksum;

        DepthReadingStrategy(io.mme.strategy.api.Strategy quoting) {
            this.quoting = quoting;
        }

        @Override
        public String name() {
            return quoting.name();
        }

        @Override
        public void start(io.mme.strategy.api.MarketView market) {
            this.view = market;
            quoting.start(market);
        }

        @Override
        public void onBook(int instrument) {
            for (io.mme.strategy.api.Side side : SIDES) {
                for (int level = 0; level < view.depth(instrument, side); level++) {
                    checksum += view.levelPriceTicks(instrument, side, level) ^ view.levelQuantityLots(instrument, side, level);
                    levelsRead++;
                }
            }
            quoting.onBook(instrument);
        }

        @Override
        public void onFairValue(long timeNanos, long fairValueNanos) {
            quoting.onFairValue(timeNanos, fairValueNanos);
        }

        @Override
        public void onTimer(long timeNanos) {
            quoting.onTimer(timeNanos);
        }

        @Override
        public void quote(io.mme.strategy.api.Quotes out) {
            quoting.quote(out);
        }

        @Override
        public java.util.List<String> parameterKeys() {
            return quoting.parameterKeys();
        }

        @Override
        public String setParameter(String key, long value) {
            return quoting.setParameter(key, value);
        }

        @Override
        public long parameter(String key) {
            return quoting.parameter(key);
        }
    }

    /** XEMM quoting Kraken off Coinbase, its IOC hedges filled or expiring in turn: no allocation either */
    @Test
    void crossVenueMarketMakingWithItsHedgesAllocatesNothing() {
        XemmStrategy xemm = new XemmStrategy();
        assertThat(xemm.setParameter(XemmStrategy.HEDGE_RETRY_MILLIS, 0)).isNull();
        StrategyEngine engine = new StrategyEngine(Fixture.config(), Fixture.registry(), xemm);
        topLots = 100_000;
        run(engine, 20_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        intents = 0;
        takers = 0;
        long hedgesBefore = xemm.report(XemmStrategy.HEDGES_SENT);
        long before = threads.getCurrentThreadAllocatedBytes();
        run(engine, 20_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(intents).isGreaterThan(1_000);
        assertThat(takers).isGreaterThan(100);
        assertThat(xemm.report(XemmStrategy.HEDGES_SENT) - hedgesBefore).isEqualTo(takers);
        assertThat(xemm.report(XemmStrategy.ROUND_TRIPS)).isPositive();
        assertThat(allocated).isLessThan(1_024);
    }

    private void run(StrategyEngine engine, int events) {
        for (int i = 0; i < events; i++) {
            now += 50_000_000L;
            int instrument = i % 2;
            long fair = 50_000_000_000_000L + (i % 40) * 700_000_000L;
            event.begin(sequence++, i % 10 == 0 ? InboundEventType.TIMER : InboundEventType.MARKET_DATA, now);
            event.book().reset();
            long tick = instrument == Fixture.COINBASE ? 10_000_000L : 100_000_000L;
            event.book().top(instrument, BookState.VALID, fair / tick - 20_000, topLots, fair / tick + 20_000, topLots);
            for (int level = 0; level < slotLevels; level++) {
                event.book().level(Side.BUY, level, fair / tick - 20_000 - level, 1 + level);
                event.book().level(Side.SELL, level, fair / tick + 20_000 + level, 1 + level);
            }
            event.book().fairValue(Fixture.PAIR, fair);
            deliver(engine, event);
            if (i % 3 == 0) {
                // a public trade item inside a message: the strategy's onTrade and its view's last trade
                event.begin(sequence++, InboundEventType.MARKET_DATA, now);
                event.book().reset();
                event.marketData().set(io.mme.core.ring.MarketDataKind.TRADE, instrument == Fixture.KRAKEN ? 2 : 1, instrument,
                        i % 2 == 0 ? Side.BUY : Side.SELL, fair / tick, 1, i, now, now, false);
                deliver(engine, event);
            }
            boolean fill = i % 7 == 0;
            while (head != tail) {
                int k = head++ % QUEUE;
                ack.begin(sequence++, InboundEventType.EXECUTION_REPORT, now);
                ack.book().reset();
                ExecType type = queuedType[k];
                ack.executionReport().set(type, queuedVenue[k], queuedInstrument[k], queuedId[k], 1, queuedSide[k],
                        queuedPrice[k], type == ExecType.CANCELLED || type == ExecType.FILLED ? 0 : queuedLots[k], now).owner(1);
                if (type == ExecType.FILLED) {
                    // a taker order: filled whole, or (every third) its rest expires unfilled
                    if (takerReports++ % 3 == 0) {
                        ack.executionReport().set(ExecType.CANCELLED, queuedVenue[k], queuedInstrument[k], queuedId[k], 1,
                                queuedSide[k], queuedPrice[k], 0, now).owner(1).cancelledQuantity(queuedLots[k]);
                    } else {
                        ack.executionReport().fill(i, queuedPrice[k], queuedLots[k], false);
                    }
                }
                deliver(engine, ack);
                if (fill && type != ExecType.CANCELLED && queuedSide[k] == (i % 14 == 0 ? Side.BUY : Side.SELL)) {
                    // one lot of it trades, bought and sold in turn so that the inventory stays small
                    fill = false;
                    ack.begin(sequence++, InboundEventType.EXECUTION_REPORT, now);
                    ack.book().reset();
                    ack.executionReport().set(ExecType.PARTIALLY_FILLED, queuedVenue[k], queuedInstrument[k], queuedId[k], 1,
                            queuedSide[k], queuedPrice[k], queuedLots[k] - 1, now).owner(1).fill(i, queuedPrice[k], 1, true);
                    deliver(engine, ack);
                }
            }
        }
    }

    private void deliver(StrategyEngine engine, InboundEvent e) {
        engine.onEvent(e, e.sequence(), true);
        intents += e.intentCount();
        for (int k = 0; k < e.intentCount(); k++) {
            QuoteIntent q = e.intent(k);
            int slot = tail++ % QUEUE;
            if (q.isTaker()) {
                takers++;
            }
            queuedType[slot] = switch (q.action()) {
                case PLACE -> q.isTaker() ? ExecType.FILLED : ExecType.ACCEPTED;
                case REPLACE -> ExecType.REPLACED;
                case CANCEL -> ExecType.CANCELLED;
            };
            queuedVenue[slot] = q.venueId();
            queuedInstrument[slot] = q.instrumentId();
            queuedId[slot] = q.targetClientOrderId() == 0 ? ClientOrderIds.of(e.sequence(), k) : q.targetClientOrderId();
            queuedSide[slot] = q.side();
            queuedPrice[slot] = q.priceTicks();
            queuedLots[slot] = q.quantityLots();
        }
    }
}
