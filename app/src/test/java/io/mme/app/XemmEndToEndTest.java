package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Venue;
import io.mme.execution.ExecutionCounter;
import io.mme.strategy.StrategyUnit;
import io.mme.strategy.StrategyView;
import io.mme.strategy.XemmStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cross-venue market making end to end on the paper venue: one XEMM strategy quotes BTC/USD on
 * Kraken and hedges on Binance ({@code xemm-desk.yaml}), both venues our matching engine against
 * simulated flow. A Kraken quote trades (a maker fill), the strategy's IOC hedge trades on Binance
 * (a taker fill), the two positions net to at most one quote's size, and the journal replays to the
 * live digest.
 */
class XemmEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BINANCE_BTC = 0;
    private static final int KRAKEN_BTC = 1;
    private static final long BINANCE_LOT_NANOS = 10_000;
    private static final long KRAKEN_LOT_NANOS = 10;

    @TempDir
    Path dir;

    private static long report(StrategyView view, String key) {
        return view.report(view.reportKeys().indexOf(key));
    }

    @Test
    void aKrakenMakerFillIsHedgedWithAnIocFilledOnBinanceThePositionsNetToAboutZeroAndTheReplayReachesTheLiveDigest() {
        MmeSettings settings = new ConfigLoader().loadResource("/xemm-desk.yaml", Map.of());
        Path run = dir.resolve("run");
        EngineAssembly engine = EngineAssembly.live(settings, run).start();
        String liveDigest;
        StrategyUnit unit = engine.strategy().units().getFirst();
        try {
            // hedges go out and complete round trips (the view is published on timers, any thread may read it)
            await().atMost(WAIT).until(() -> report(unit.view(), XemmStrategy.ROUND_TRIPS) >= 1);
            // nothing is ever quoted on the hedge venue: every order sent there is a hedge
            assertThat(engine.execution().view().get(Venue.BINANCE.id(), ExecutionCounter.ORDERS_SENT))
                    .isEqualTo(report(unit.view(), XemmStrategy.HEDGES_SENT));
        } finally {
            engine.stop();
        }
        liveDigest = engine.digest();

        XemmStrategy xemm = (XemmStrategy) unit.strategy();
        assertThat(engine.execution().view().get(Venue.KRAKEN.id(), ExecutionCounter.FILLS)).as("maker fills on kraken").isPositive();
        assertThat(engine.execution().view().get(Venue.BINANCE.id(), ExecutionCounter.FILLS)).as("hedge fills on binance").isPositive();
        assertThat(xemm.report(XemmStrategy.HEDGES_SENT)).isPositive();
        long binance = engine.risk().positions().positionLots(BINANCE_BTC) * BINANCE_LOT_NANOS;
        long kraken = engine.risk().positions().positionLots(KRAKEN_BTC) * KRAKEN_LOT_NANOS;
        assertThat(kraken).as("kraken position").isNotZero();
        assertThat(binance).as("binance position, the hedge").isNotZero();
        // at most one quote's fill (max.unhedged.nanos) may be waiting for its hedge when the run stops
        assertThat(Math.abs(binance + kraken)).as("net position, 1e-9 BTC").isLessThanOrEqualTo(1_000_000);
        assertThat(xemm.report(XemmStrategy.UNHEDGED_NANOS)).isEqualTo(binance + kraken);

        try (EngineAssembly replay = EngineAssembly.replay(settings).start()) {
            long last = replay.feedJournal(run.resolve(EngineRunner.JOURNAL_QUEUE), 0, Long.MAX_VALUE, n -> { });
            replay.awaitChain(last);
            replay.stop();
            assertThat(replay.digest()).isEqualTo(liveDigest);
        }
    }
}
