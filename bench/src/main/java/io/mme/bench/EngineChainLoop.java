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
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.mme.bench.EngineChainLoop ITEMS EVENTS [STRATEGIES]}
 * with ITEMS 1 (every update its own venue message) or 2 (a touch move's two updates one message,
 * interleaved across instruments), EVENTS per round, STRATEGIES pairs each quoted by its own
 * strategy on three venues (default 1; the walk takes every instrument in turn, as
 * {@code ./mme bench pipeline --strategies N}); prints the best of 7 rounds. Checks its
 * answer: with ITEMS 2 the strategy must have acted on exactly half the walk's events.
 *
 * <p>Thread: the main thread only.
 */
public final class EngineChainLoop {
    private EngineChainLoop() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || !(args[0].equals("1") || args[0].equals("2"))) {
            System.err.println("usage: EngineChainLoop 1|2 EVENTS [STRATEGIES]");
            System.exit(2);
        }
        boolean paired = args[0].equals("2");
        int events = Integer.parseInt(args[1]);
        int pairs = args.length == 3 ? (int) BenchArgs.number("STRATEGIES", args[2], 1, PipelineBenchmark.MAX_STRATEGIES) : 1;
        InstrumentRegistry registry = PipelineBenchmark.instruments(pairs);
        ConsolidatedView consolidated = new ConsolidatedView(registry, FairValueMethod.MID, null);
        MarketDataEngine md = new MarketDataEngine(registry, 64, Long.MAX_VALUE / 4, (id, why) -> { }, consolidated);
        StrategyEngine strategy = new StrategyEngine(PipelineBenchmark.strategies(registry, consolidated, pairs), registry);
        TouchWalkFeed feed = new TouchWalkFeed(registry, paired);
        InboundEvent event = new InboundEvent();
        long seq = 0;
        for (TouchWalkFeed.Update u : feed.snapshot()) {
            event.begin(seq, InboundEventType.MARKET_DATA, 1_000_000_000L + seq);
            TouchWalkFeed.WRITE.write(event, u);
            md.onEvent(event, seq, true);
            strategy.onEvent(event, seq, true);
            seq++;
        }
        TouchWalkFeed.Update u = new TouchWalkFeed.Update();
        long best = Long.MAX_VALUE;
        long intents = 0;
        long marketDataViews = 0;
        for (int round = 0; round < 7; round++) {
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
            long took = System.nanoTime() - start;
            best = Math.min(best, took);
        }
        long expected = 7L * events / (paired ? 2 : 1);
        if (Math.abs(marketDataViews - expected) > 7 * 3) { // a round may start inside a cycle of the three instruments
            System.err.printf("FAILED: %,d slots carried a book view, expected %,d%n", marketDataViews, expected);
            System.exit(1);
        }
        System.out.printf(java.util.Locale.ROOT, "message-items %s, %d strategies: best of 7 rounds of %,d events: %.1f ns per"
                + " market data event (%,d decisions, %,d intents)%n", args[0], pairs, events, best / (double) events, marketDataViews,
                intents);
    }
}
