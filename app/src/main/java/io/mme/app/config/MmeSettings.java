package io.mme.app.config;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.runtime.PipelineConfig;
import io.mme.marketdata.FairValueMethod;
import io.mme.matching.PaperVenue;
import io.mme.matching.SimulatedMarket;

import java.time.Duration;
import java.util.List;

/**
 * The validated configuration in the types the engine is built from. Immutable.
 *
 * @param pipeline    ring sizes, engine placement and wait strategies, shutdown timeout
 * @param instruments every configured instrument with its dense id
 * @param timerPeriod period of the TIMER events
 * @param snapshotEvery how often the engines write their state files (zero: never)
 * @param bookLevelsPerSide levels each market data book holds per side
 * @param staleAfter       how long a silent feed stays VALID
 * @param fairValue        how the consolidated fair value is derived
 * @param takerFeeBps      per instrument id, the taker fee netted off in the fair value
 * @param bookCapacity     orders each paper venue book holds
 * @param paper            what the paper venue publishes and its self-trade prevention
 * @param simulatedMarkets the simulated order flow per instrument (empty when switched off)
 * @param sharedMidSeed    seed of the one random path every simulated market's mid follows, or null
 *                         when each market walks on its own
 * @param trading          the strategy, risk and execution settings
 * @param venues           per venue: paper, testnet or live order entry and the public feed
 * @param stores           the Redis and PostgreSQL tiers
 * @param journalSync      how the journals an engine writes are synced to the disk ({@code journal.sync})
 * @param journalRoll      how often the journals start a new file ({@code journal.roll})
 * @param journalRetention what of the journals is removed or archived ({@code journal.retain}, {@code journal.archive};
 *                         a relative archive is relative to the run directory)
 * @param api              the HTTP surfaces (REST, metrics, health)
 * @param apiTokensFile    the API tokens file, or null
 * @param demoSeconds      how long the demo runs
 * @param raw              the configuration as merged from defaults, file and environment
 */
public record MmeSettings(PipelineConfig pipeline, InstrumentRegistry instruments, Duration timerPeriod, Duration snapshotEvery,
                          int bookLevelsPerSide, Duration staleAfter, FairValueMethod fairValue, long[] takerFeeBps, int bookCapacity, PaperVenue.Options paper, List<SimulatedMarket.Params> simulatedMarkets,
                          Long sharedMidSeed, TradingSettings trading, VenueSettings venues, StoreSettings stores, io.mme.audit.JournalSync journalSync,
                          io.mme.audit.JournalRoll journalRoll, io.mme.audit.JournalRetention.Policy journalRetention,
                          io.mme.app.api.ApiServer.Settings api, java.nio.file.Path apiTokensFile, int demoSeconds, MmeConfig raw) {

    /** these settings with another trading part (the strategies, risk and execution) */
    public MmeSettings withTrading(TradingSettings other) {
        return new MmeSettings(pipeline, instruments, timerPeriod, snapshotEvery, bookLevelsPerSide, staleAfter, fairValue,
                takerFeeBps, bookCapacity, paper, simulatedMarkets, sharedMidSeed, other, venues, stores, journalSync, journalRoll,
                journalRetention, api, apiTokensFile, demoSeconds, raw);
    }

    /** the id of the strategy quoting each instrument, by instrument id (null where none quotes); a new array */
    public String[] strategyOfInstrument() {
        String[] strategyOf = new String[instruments.size()];
        for (var strategy : trading.strategies()) {
            for (int instrument : strategy.engine().instrumentIds()) {
                strategyOf[instrument] = strategy.id();
            }
        }
        return strategyOf;
    }
}
