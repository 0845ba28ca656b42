package io.mme.app;

import io.mme.app.config.MmeSettings;
import io.mme.core.instrument.Instrument;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.TimerSource;
import io.mme.marketdata.ConsolidatedView;
import io.mme.marketdata.MarketDataEngine;
import io.mme.matching.BookConfig;
import io.mme.matching.PaperVenue;
import io.mme.matching.SimulatedMarket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the running engine from validated settings: the pipeline with an engine at every stage,
 * the paper venue (a book per configured instrument, with the simulated markets switched on in
 * config) on the outbound ring, and the timer source that feeds the inbound ring TIMER events.
 * The market data stage is the {@link MarketDataEngine}; stages whose modules do not exist yet are
 * held by an {@link EventCountingEngine}. Owned by the
 * thread that runs the CLI command.
 */
final class EngineAssembly implements AutoCloseable {
    /** the paper venue's engine name; config places it under engine.engines.paper */
    static final String PAPER_VENUE = "paper";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineAssembly.class);

    private final Pipeline pipeline;
    private final MarketDataEngine marketData;
    private final TimerSource timer;
    private final Map<String, EventCountingEngine> stages = new LinkedHashMap<>();

    EngineAssembly(MmeSettings settings) {
        Pipeline.Builder builder = Pipeline.builder(settings.pipeline());
        marketData = new MarketDataEngine(settings.instruments(), settings.bookLevelsPerSide(), settings.staleAfter().toNanos(),
                (id, reason) -> LOG.warn("{}: book invalid ({}); the paper venue republishes every change, nothing to resync",
                        settings.instruments().get(id), reason),
                new ConsolidatedView(settings.instruments(), settings.fairValue(), settings.takerFeeBps()));
        builder.stage(Pipeline.MARKETDATA, marketData);
        for (String stage : Pipeline.CHAIN) {
            if (!stage.equals(Pipeline.MARKETDATA)) {
                builder.stage(stage, counting(stage));
            }
        }
        for (String stage : Pipeline.AFTER_CHAIN) {
            builder.stage(stage, counting(stage));
        }
        List<BookConfig> books = new ArrayList<>();
        for (Instrument instrument : settings.instruments().all()) {
            books.add(BookConfig.of(instrument.venue().id(), instrument.id()).withCapacity(settings.bookCapacity()));
        }
        if (!books.isEmpty()) {
            EpochClock venueClock = EpochClock.system();
            long start = venueClock.epochNanos();
            List<SimulatedMarket> markets = new ArrayList<>();
            for (SimulatedMarket.Params params : settings.simulatedMarkets()) {
                markets.add(new SimulatedMarket(params, start));
            }
            builder.outbound(PAPER_VENUE, new PaperVenue(books, markets, settings.paper(), venueClock));
        }
        pipeline = builder.build();
        timer = new TimerSource(pipeline.inbound(), settings.timerPeriod());
    }

    private EventCountingEngine counting(String stage) {
        EventCountingEngine engine = new EventCountingEngine();
        stages.put(stage, engine);
        return engine;
    }

    EngineAssembly start() {
        pipeline.start();
        timer.start();
        return this;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** public trades the strategy stage has seen in the market data */
    long trades() {
        return stages.get(Pipeline.STRATEGY).trades();
    }

    /** the market data engine; read its books only after {@link #stop()} (its thread owns them) */
    MarketDataEngine marketData() {
        return marketData;
    }

    /** events seen by the last engine of the chain */
    long eventsThroughChain() {
        return stages.get(Pipeline.EXECUTION).total();
    }

    /** stops the timer, drains the rings; returns events left unprocessed */
    long stop() {
        timer.close();
        return pipeline.shutdown();
    }

    @Override
    public void close() {
        stop();
    }
}
