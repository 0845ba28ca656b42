package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.app.config.TradingSettings;
import io.mme.risk.PositionLedger;
import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderStatus;
import io.mme.strategy.api.OrderUpdate;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Side;
import io.mme.strategy.api.StateIn;
import io.mme.strategy.api.StateOut;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The strategy's {@link MarketView} read from inside a strategy hosted by the real engine chain (the
 * demo: market data from the paper venue's simulated flow, strategy, risk, execution, the paper
 * venue): the demo's BTC strategy is wrapped in a {@link ViewProbe} that checks, in each callback,
 * what the view says against what the callback was told and against the engine's rules (top levels
 * ordered and only of a VALID book, the last trade, our slot's order after an acknowledgement, our
 * position per venue and in total after each fill, the touch net of the taker fee); after the run the
 * view's positions and PnL are compared with risk's ledger, and a replay of the journal with the
 * same probe ends with the live digest (which holds every view's levels).
 */
class StrategyViewEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int BOOK_DEPTH = 10;

    @TempDir
    Path dir;

    @Test
    void theViewTellsTheStrategyItsBooksTradesOrdersPositionsAndPnlAsTheEngineKnowsThem() throws Exception {
        MmeSettings demo = new ConfigLoader().loadResource("/demo.yaml", Map.of());
        List<ViewProbe> probes = new ArrayList<>();
        MmeSettings settings = withProbe(demo, probes);
        TradingSettings.StrategySetup btc = settings.trading().strategies().getFirst();
        Path run = dir.resolve("run");

        String liveDigest;
        EngineAssembly engine = EngineAssembly.live(settings, run).start();
        ViewProbe probe = probes.getFirst();
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> probe.fills >= 5 && probe.trades >= 20
                    && probe.deepBooks >= 20 && probe.acknowledged >= 5);
            engine.endTrading("test", "end of the test", Duration.ofSeconds(30).toNanos());
        } finally {
            engine.stop();
        }
        liveDigest = engine.digest();
        assertThat(probe.problems).as("what the view said against what the engine did").isEmpty();

        // after the stop (the engine's threads are joined): the view against risk's ledger
        MarketView view = probe.view;
        PositionLedger ledger = engine.risk().positions();
        long total = 0;
        double realised = 0;
        for (int i = 0; i < view.instruments(); i++) {
            int id = btc.engine().instrumentIds().get(i);
            long position = ledger.positionLots(id) * view.nanosPerLot(i);
            assertThat(view.positionNanos(i)).as("position on %s", view.venue(i)).isEqualTo(position);
            total += position;
            // risk deducts fees from its realised PnL, the view does not (the demo's maker fee is 0 anyway)
            realised += ledger.realizedNanos(id) + ledger.feesNanos(id);
            assertThat(view.takerFeeBps(i)).isEqualTo(settings.trading().risk().takerFeeBps()[id]);
        }
        assertThat(view.positionNanos()).isEqualTo(total);
        assertThat(probe.fills).isPositive();
        assertThat((double) view.realisedPnlNanos()).as("realised PnL, 10^-9 USD").isCloseTo(realised, within(1_000.0));
        double unrealised = 0;
        for (int i = 0; i < view.instruments(); i++) {
            unrealised += engine.risk().unrealizedNanos(btc.engine().instrumentIds().get(i));
        }
        assertThat((double) view.unrealisedPnlNanos()).as("unrealised PnL, 10^-9 USD").isCloseTo(unrealised, within(1_000.0));

        // the journal replays to the same digest, the views' levels included
        List<ViewProbe> replayProbes = new ArrayList<>();
        try (EngineAssembly replay = EngineAssembly.replay(withProbe(demo, replayProbes)).start()) {
            long last = replay.feedJournal(run.resolve(EngineRunner.JOURNAL_QUEUE), 0, Long.MAX_VALUE, n -> { });
            replay.awaitChain(last);
            replay.stop();
            assertThat(replay.digest()).isEqualTo(liveDigest);
        }
        assertThat(replayProbes.getFirst().deepBooks).isEqualTo(probe.deepBooks);
        assertThat(replayProbes.getFirst().problems).isEmpty();
    }

    /** the demo with its first strategy (btc-skew) wrapped in a probe, its view {@value #BOOK_DEPTH} levels deep */
    private static MmeSettings withProbe(MmeSettings demo, List<ViewProbe> probes) {
        List<TradingSettings.StrategySetup> setups = new ArrayList<>(demo.trading().strategies());
        TradingSettings.StrategySetup first = setups.getFirst();
        StrategyFactory probing = new StrategyFactory() {
            @Override
            public String type() {
                return first.type();
            }

            @Override
            public Strategy newStrategy() {
                ViewProbe probe = new ViewProbe(first.factory().newStrategy());
                probes.add(probe);
                return probe;
            }
        };
        setups.set(0, new TradingSettings.StrategySetup(first.id(), first.type(), probing, first.pair(),
                first.engine().withBookDepth(BOOK_DEPTH), first.parameters()));
        return demo.withTrading(new TradingSettings(setups, demo.trading().risk(), demo.trading().execution()));
    }

    /**
     * Passes every callback to the demo's strategy and checks the view in it. Thread: the strategy
     * engine's; the test reads the counters while it runs (a stale read only delays the wait) and
     * everything else after the engine stopped.
     */
    private static final class ViewProbe implements Strategy {
        private final Strategy quoting;
        final List<String> problems = new ArrayList<>();
        MarketView view;
        volatile int fills;
        volatile int trades;
        volatile int deepBooks;
        volatile int acknowledged;
        private long[] positionLots;

        ViewProbe(Strategy quoting) {
            this.quoting = quoting;
        }

        private void check(boolean ok, String what) {
            if (!ok && problems.size() < 20) {
                problems.add(what + " at " + view.timeNanos());
            }
        }

        @Override
        public String name() {
            return quoting.name();
        }

        @Override
        public void start(MarketView market) {
            this.view = market;
            this.positionLots = new long[market.instruments()];
            check(market.maxDepth() == BOOK_DEPTH, "maxDepth " + market.maxDepth());
            quoting.start(market);
        }

        @Override
        public void onBook(int i) {
            boolean valid = view.bookStatus(i) == BookStatus.VALID;
            for (Side side : Side.values()) {
                int depth = view.depth(i, side);
                check(depth <= BOOK_DEPTH, "depth " + depth + " over the view's");
                check(valid || depth == 0, view.venue(i) + " shows " + depth + " levels of a book that is " + view.bookStatus(i));
                for (int level = 0; level < depth; level++) {
                    long price = view.levelPriceTicks(i, side, level);
                    check(view.levelQuantityLots(i, side, level) > 0, "an empty level");
                    if (level > 0) {
                        long better = view.levelPriceTicks(i, side, level - 1);
                        check(side == Side.BUY ? price < better : price > better, side + " levels out of order");
                    }
                }
                check(view.levelPriceTicks(i, side, depth) == MarketView.NONE, "a price beyond the depth");
            }
            if (view.depth(i, Side.BUY) > 1 && view.depth(i, Side.SELL) > 1) {
                deepBooks++;
            }
            long bid = view.bidTicks(i);
            long ask = view.askTicks(i);
            check(bid == view.levelPriceTicks(i, Side.BUY, 0), "the best bid is not level 0");
            if (bid != MarketView.NONE && ask != MarketView.NONE) {
                check(bid < ask, "crossed " + bid + " / " + ask);
                double fee = view.takerFeeBps(i) / 10_000.0;
                check(view.touchNetOfFeesNanos(i, Side.BUY) == Math.round(bid * view.nanosPerTick(i) * (1 - fee)), "bid net of fees");
                check(view.touchNetOfFeesNanos(i, Side.SELL) == Math.round(ask * view.nanosPerTick(i) * (1 + fee)), "ask net of fees");
            } else if (bid == MarketView.NONE) {
                check(view.touchNetOfFeesNanos(i, Side.BUY) == MarketView.NONE, "a net bid of no bid");
            }
            quoting.onBook(i);
        }

        @Override
        public void onFairValue(long timeNanos, long fairValueNanos) {
            check(view.fairValueNanos() == fairValueNanos, "fair value");
            quoting.onFairValue(timeNanos, fairValueNanos);
        }

        @Override
        public void onTrade(int i, long priceTicks, long quantityLots, Side aggressor, long timeNanos) {
            trades++;
            check(view.lastTradePriceTicks(i) == priceTicks && view.lastTradeQuantityLots(i) == quantityLots
                    && view.lastTradeAggressor(i) == aggressor && view.lastTradeTimeNanos(i) == timeNanos
                    && view.timeNanos() == timeNanos, "last trade");
            quoting.onTrade(i, priceTicks, quantityLots, aggressor, timeNanos);
        }

        @Override
        public void onFill(int i, Side side, long priceTicks, long quantityLots, long timeNanos) {
            fills++;
            positionLots[i] += side == Side.BUY ? quantityLots : -quantityLots;
            long total = 0;
            for (int k = 0; k < positionLots.length; k++) {
                check(view.positionNanos(k) == positionLots[k] * view.nanosPerLot(k), "position on " + view.venue(k));
                total += positionLots[k] * view.nanosPerLot(k);
            }
            check(view.positionNanos() == total, "total position");
            quoting.onFill(i, side, priceTicks, quantityLots, timeNanos);
        }

        @Override
        public void onOrderUpdate(int i, Side side, int level, OrderUpdate update, int reasonCode, long timeNanos) {
            if (update == OrderUpdate.ACKNOWLEDGED) {
                acknowledged++;
                check(view.orderStatus(i, side, level) == OrderStatus.LIVE, "an acknowledged order is " + view.orderStatus(i, side, level));
                check(view.orderPriceTicks(i, side, level) > 0 && view.orderQuantityLots(i, side, level) > 0,
                        "an acknowledged order without price or size");
            } else if (update == OrderUpdate.CANCELLED || update == OrderUpdate.EXPIRED) {
                check(view.orderStatus(i, side, level) == OrderStatus.NONE, "a cancelled order is " + view.orderStatus(i, side, level));
            }
            quoting.onOrderUpdate(i, side, level, update, reasonCode, timeNanos);
        }

        @Override
        public void onTimer(long timeNanos) {
            check(view.timeNanos() == timeNanos, "time");
            quoting.onTimer(timeNanos);
        }

        @Override
        public void quote(Quotes out) {
            quoting.quote(out);
        }

        @Override
        public List<String> parameterKeys() {
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

        @Override
        public void writeState(StateOut out) {
            quoting.writeState(out);
        }

        @Override
        public void readState(StateIn in) {
            quoting.readState(in);
        }
    }
}
