package io.mme.risk;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the risk engine is built with. Arrays are indexed by instrument id and copied by the engine.
 *
 * @param accountId         our owner id in execution reports (execution's account); default 1
 * @param pairOfInstrument  instrument id → canonical pair id, the ids the market data engine puts
 *                          into {@code BookView.pair()}; default {@link #pairIds}
 * @param makerFeeBps       maker fee per instrument in basis points (negative = rebate); default by
 *                          venue: Binance 10, Coinbase 40, Kraken 25 (base tiers, secondary sources)
 * @param takerFeeBps       taker fee per instrument in basis points; default Binance 10, Coinbase 60,
 *                          Kraken 40
 * @param limits            initial limits; default {@link RiskLimits#defaults}
 * @param maxTrackedOrders  open orders risk can track at once (preallocated); default 4096
 * @param tradeIdRing       recent fills remembered per instrument to drop a redelivered fill; default 64
 * @param changeLogCapacity control outcomes kept in the change log and the lookup by request id;
 *                          default 4096 (older ones are dropped, the count of all is kept)
 */
public record RiskConfig(long accountId, int[] pairOfInstrument, long[] makerFeeBps, long[] takerFeeBps,
                         RiskLimits limits, int maxTrackedOrders, int tradeIdRing, int changeLogCapacity) {

    public RiskConfig {
        if (maxTrackedOrders <= 0 || tradeIdRing <= 0 || changeLogCapacity <= 0) {
            throw new IllegalArgumentException("maxTrackedOrders " + maxTrackedOrders + ", tradeIdRing " + tradeIdRing
                    + " and changeLogCapacity " + changeLogCapacity + " must be positive");
        }
        if (pairOfInstrument.length != makerFeeBps.length || makerFeeBps.length != takerFeeBps.length) {
            throw new IllegalArgumentException("pairOfInstrument, makerFeeBps and takerFeeBps need one entry per instrument");
        }
    }

    /** every default of the parameter list, for the instruments of {@code registry} */
    public static RiskConfig defaults(InstrumentRegistry registry) {
        int n = registry.size();
        long[] maker = new long[n];
        long[] taker = new long[n];
        for (Instrument instrument : registry.all()) {
            Venue venue = instrument.venue();
            maker[instrument.id()] = switch (venue) {
                case BINANCE -> 10;
                case COINBASE -> 40;
                case KRAKEN -> 25;
                // Hyperliquid perpetuals, base tier: 0.015 % maker, 0.045 % taker, rounded up to whole bps
                case HYPERLIQUID -> 2;
            };
            taker[instrument.id()] = switch (venue) {
                case BINANCE -> 10;
                case COINBASE -> 60;
                case KRAKEN -> 40;
                case HYPERLIQUID -> 5;
            };
        }
        return new RiskConfig(1, pairIds(registry), maker, taker, RiskLimits.defaults(registry), 4096, 64, 4096);
    }

    /**
     * Pair ids as the market data engine's consolidated view numbers them: canonical pairs
     * ({@link Instrument#pair()}) in registry order of first appearance.
     */
    public static int[] pairIds(InstrumentRegistry registry) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        int[] pairOf = new int[registry.size()];
        for (Instrument instrument : registry.all()) {
            pairOf[instrument.id()] = ids.computeIfAbsent(instrument.pair(), p -> ids.size());
        }
        return pairOf;
    }

    public RiskConfig withFees(long[] makerFeeBps, long[] takerFeeBps) {
        return new RiskConfig(accountId, pairOfInstrument, makerFeeBps, takerFeeBps, limits, maxTrackedOrders, tradeIdRing,
                changeLogCapacity);
    }

    public RiskConfig withLimits(RiskLimits limits) {
        return new RiskConfig(accountId, pairOfInstrument, makerFeeBps, takerFeeBps, limits, maxTrackedOrders, tradeIdRing,
                changeLogCapacity);
    }

    public RiskConfig withCapacities(int maxTrackedOrders, int tradeIdRing, int changeLogCapacity) {
        return new RiskConfig(accountId, pairOfInstrument, makerFeeBps, takerFeeBps, limits, maxTrackedOrders, tradeIdRing,
                changeLogCapacity);
    }
}
