package io.mme.bench;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.marketdata.ConsolidatedView;
import io.mme.marketdata.FairValueMethod;
import io.mme.marketdata.MarketDataEngine;
import io.mme.strategy.StrategyEngine;


/**
 * The market data and strategy engines alone, on the calling thread, over {@link TouchWalkFeed}'s
 * walk: nanoseconds of engine work per market data event, without rings, other threads or the
 * scheduler (which dominate {@code ./mme bench pipeline} on a shared machine). The strategy's
 * orders are never acknowledged, so after the snapshots it decides on every event it acts on but
 * writes no intent: the figure is the cost of the books, the fair value and the decision.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.mme.bench.EngineChainLoop ITEMS EVENTS [STRATEGIES [DEPTHS]]}
 * with ITEMS 1 (every update its own venue message) or 2 (a touch move's two updates one message,
 * interleaved across instruments), EVENTS per round, STRATEGIES pairs each quoted by its own
 * strategy on three venues (default 1; the walk takes every instrument in turn, as
 * {@code ./mme bench pipeline --strategies N}), DEPTHS the book depths to compare, comma-separated
 * (default 5: the levels a side the market data engine copies into the slot and each strategy's
 * view holds; the walk's books hold 6 to 10 levels a side). Each depth has its own engines; their
 * rounds alternate, so the machine's load falls on each alike; prints per depth the best of 7
 * rounds in wall time and in the thread's CPU time (ThreadMXBean), which other processes on the
 * machine do not inflate. Checks its answer: with ITEMS 2 the strategy must have acted on exactly
 * half the walk's events.
 *
 * <p>Thread: the main thread only.
 */
public final class EngineChainLoop {
    private EngineChainLoop() {
    }

    /** one depth's market data and strategy engines over their own walk */
    private static final class Chain {
        final int depth;
        final MarketDataEngine md;
        final StrategyEngine strategy;
        final TouchWalkFeed feed;
        final InboundEvent event;
        final TouchWalkFeed.Update u = new TouchWalkFeed.Update();
        long seq;
        long bestWall = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        long intents;
        long marketDataViews;

        Chain(InstrumentRegistry registry, int pairs, boolean paired, int depth) {
            this.depth = depth;
            ConsolidatedView consolidated = new ConsolidatedView(registry, FairValueMethod.MID, null);
            md = new MarketDataEngine(registry, 64, Long.MAX_VALUE / 4, (id, why) -> { }, consolidated, depth);
            strategy = new StrategyEngine(PipelineBenchmark.strategies(registry, consolidated, pairs, depth), registry);
            feed = new TouchWalkFeed(registry, paired);
            event = new InboundEvent(depth);
            for (TouchWalkFeed.Update update : feed.snapshot()) {
                event.begin(seq, InboundEventType.MARKET_DATA, 1_000_000_000L + seq);
                TouchWalkFeed.WRITE.write(event, update);
                md.onEvent(event, seq, true);
                strategy.onEvent(event, seq, true);
                seq++;
            }
        }

        void round(int events, com.sun.management.ThreadMXBean threads) {
            long startCpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                event.begin(seq, InboundEventType.MARKET_DATA, 1_000_000_000L + seq * 1000);
                TouchWalkFeed.WRITE.write(event, feed.next(u));
                md.onEvent(event, seq, true);
                strategy.onEvent(event, seq, true);
                intents += event.intentCount();
                if (event.book().instrumentId() >= 0) {
                    marketDataViews++;
                }
                seq++;
            }
            bestWall = Math.min(bestWall, System.nanoTime() - start);
            bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - startCpu);
        }
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 4 || !(args[0].equals("1") || args[0].equals("2"))) {
            System.err.println("usage: EngineChainLoop 1|2 EVENTS [STRATEGIES [DEPTHS]]");
            System.exit(2);
        }
        boolean paired = args[0].equals("2");
        int events = Integer.parseInt(args[1]);
        int pairs = args.length >= 3 ? (int) BenchArgs.number("STRATEGIES", args[2], 1, PipelineBenchmark.MAX_STRATEGIES) : 1;
        String[] depths = (args.length == 4 ? args[3] : "5").split(",");
        InstrumentRegistry registry = PipelineBenchmark.instruments(pairs);
        Chain[] chains = new Chain[depths.length];
        for (int d = 0; d < depths.length; d++) {
            chains[d] = new Chain(registry, pairs, paired, (int) BenchArgs.number("DEPTHS", depths[d], 1, 20));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 7; round++) {
            for (Chain chain : chains) {
                chain.round(events, threads);
            }
        }
        long expected = 7L * events / (paired ? 2 : 1);
        for (Chain chain : chains) {
            if (Math.abs(chain.marketDataViews - expected) > 7 * 3) { // a round may start inside a cycle of the three instruments
                System.err.printf("FAILED: %,d slots carried a book view, expected %,d%n", chain.marketDataViews, expected);
                System.exit(1);
            }
            int last = chain.event.book().instrumentId();
            if (last >= 0 && chain.event.book().depth(io.mme.core.ring.Side.BUY) != Math.min(chain.depth, chain.md.book(last)
                    .levels(io.mme.core.ring.Side.BUY))) {
                System.err.printf("FAILED: the last slot carries %d bid levels at depth %d%n", chain.event.book().depth(io.mme.core.ring.Side.BUY),
                        chain.depth);
                System.exit(1);
            }
            System.out.printf(java.util.Locale.ROOT, "message-items %s, %d strategies, book depth %d: best of 7 rounds of %,d events:"
                            + " %.1f ns wall, %.1f ns CPU per market data event (%,d decisions, %,d intents)%n", args[0], pairs, chain.depth,
                    events, chain.bestWall / (double) events, chain.bestCpu / (double) events, chain.marketDataViews, chain.intents);
        }
    }
}
