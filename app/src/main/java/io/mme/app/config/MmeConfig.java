package io.mme.app.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration file as written: YAML bound to these records after the defaults and the
 * {@code MME_…} environment overrides were merged in (see {@link ConfigLoader}). Decimals stay text
 * here; {@link MmeSettings} holds the validated, typed form the engine is built from.
 *
 * @param engine       rings, engine threads and the timer
 * @param instruments  the instruments to trade, in the order that gives their ids
 * @param assetAliases extra venue spellings of assets (alias: canonical), on top of XBT=BTC and the like
 * @param demo         the offline demo
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MmeConfig(EngineConfig engine, List<InstrumentConfig> instruments, Map<String, String> assetAliases,
                        MarketDataConfig marketData, PaperConfig paper, SimulationConfig simulation, DemoConfig demo) {

    /** the configuration with nothing set: every default */
    public static MmeConfig defaults() {
        Map<String, EngineThreadConfig> engines = new LinkedHashMap<>();
        for (String name : List.of("marketdata", "strategy", "risk", "execution", "audit", "analytics", "paper")) {
            engines.put(name, new EngineThreadConfig(null, null));
        }
        return new MmeConfig(new EngineConfig(65_536, 16_384, 10_000, 100, engines), List.of(), Map.of(),
                new MarketDataConfig(100_000, 5_000, "mid"),
                new PaperConfig(1 << 20, true, true, "cancel-resting"), new SimulationConfig(false, 1, List.of()),
                new DemoConfig(5));
    }

    /**
     * @param inboundRingSize       slots of the inbound ring (power of two)
     * @param outboundRingSize      slots of the outbound ring (power of two)
     * @param shutdownTimeoutMillis how long a shutdown may take to drain the rings
     * @param timerPeriodMillis     period of the TIMER events that are the engines' clock
     * @param engines               per engine: CPU to pin to and wait strategy
     */
    public record EngineConfig(int inboundRingSize, int outboundRingSize, long shutdownTimeoutMillis,
                               long timerPeriodMillis, Map<String, EngineThreadConfig> engines) {
    }

    /**
     * @param cpu          CPU to pin the engine thread to; null: not pinned
     * @param waitStrategy busy-spin, yielding, sleeping or blocking; null: chosen from the cores
     */
    public record EngineThreadConfig(Integer cpu, String waitStrategy) {
    }

    /**
     * One instrument; see {@link io.mme.core.instrument.InstrumentSpec} for the fields, plus
     * {@code takerFeeBps}: the venue's taker fee in basis points, netted off the venue's touch when
     * the consolidated fair value is computed (null: none).
     */
    public record InstrumentConfig(String venue, String symbol, String base, String quote, String tickSize,
                                   String lotSize, String minQuantity, String minNotional,
                                   Integer priceDecimals, Integer sizeDecimals, Long takerFeeBps) {
    }

    /**
     * The market data engine.
     *
     * @param bookCapacityPerSide levels each venue book holds per side
     * @param staleAfterMillis    a book whose feed is silent this long goes INVALID and is resynced
     * @param fairValue           mid, micro-price or size-weighted-mid, across the valid venues of a pair
     */
    public record MarketDataConfig(int bookCapacityPerSide, long staleAfterMillis, String fairValue) {
    }

    /**
     * The paper venue: our matching engine standing in for the venues.
     *
     * @param bookCapacity        orders each instrument's book can hold
     * @param publishLevels       publish L2 level changes
     * @param publishOrders       publish L3 order events
     * @param selfTradePrevention none, cancel-resting, cancel-incoming, cancel-both, decrement-and-cancel
     */
    public record PaperConfig(int bookCapacity, boolean publishLevels, boolean publishOrders, String selfTradePrevention) {
    }

    /**
     * Simulated order flow of other participants in the paper venue.
     *
     * @param enabled switch
     * @param seed    seed of the first market; each further market adds one
     * @param markets one entry per simulated instrument
     */
    public record SimulationConfig(boolean enabled, long seed, List<SimulatedMarketConfig> markets) {
    }

    /**
     * @param venue                venue of the instrument
     * @param symbol               the instrument's venue symbol
     * @param mid                  starting mid price, decimal on the tick grid
     * @param volatilityTicks      standard deviation of the mid's move over one second, in ticks
     * @param limitsPerSecond      limit order arrivals
     * @param cancelsPerSecond     cancel arrivals
     * @param marketsPerSecond     market order arrivals
     * @param meanDistanceTicks    mean distance of a limit order from the mid
     * @param meanSizeLots         mean order size in lots
     * @param initialOrdersPerSide orders placed on each side at start
     */
    public record SimulatedMarketConfig(String venue, String symbol, String mid, double volatilityTicks,
                                        double limitsPerSecond, double cancelsPerSecond, double marketsPerSecond,
                                        double meanDistanceTicks, double meanSizeLots, int initialOrdersPerSide) {
    }

    /** @param seconds how long {@code mme demo} runs */
    public record DemoConfig(int seconds) {
    }
}
