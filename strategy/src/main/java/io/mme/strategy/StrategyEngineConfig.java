package io.mme.strategy;

import java.util.List;

/**
 * How a {@link StrategyEngine} is set up. The last five fields are start-up values of parameters
 * the operator may change later (keys in {@link StrategyEngine}).
 *
 * @param pairId              the canonical pair id the market data engine uses for the fair value
 *                            (its ConsolidatedView's pairOf(instrument))
 * @param instrumentIds       the instruments to quote, one per venue, all of that pair
 * @param accountId           the owner id of our orders in execution reports (default 1)
 * @param maxLevels           quote slots per side and instrument (default 3, 1..16)
 * @param replaceTicks        a live quote is replaced only when its price is more than this many
 *                            ticks off the wanted one (default 1)
 * @param replaceSizePercent  ... or its size more than this percent off (default 10)
 * @param minQuoteLifeMillis  a quote is not replaced before it has lived this long (default 100)
 * @param maxQuoteAgeMillis   a quote older than this is re-priced even inside the tolerances when
 *                            it differs from the wanted one at all; 0 = never (default 5,000)
 * @param rejectBackoffMillis after a reject, the slot waits this long before trying again (default 1,000)
 * @param startQuoting        whether to quote from the start or wait for START_STRATEGY (default true)
 * @param bookDepth           book levels a side per venue the strategy's market view holds
 *                            (default {@value #DEFAULT_BOOK_DEPTH}, 1..{@value #MAX_BOOK_DEPTH})
 */
public record StrategyEngineConfig(int pairId, List<Integer> instrumentIds, long accountId, int maxLevels,
                                   long replaceTicks, long replaceSizePercent, long minQuoteLifeMillis,
                                   long maxQuoteAgeMillis, long rejectBackoffMillis, boolean startQuoting,
                                   int bookDepth) {
    public static final int DEFAULT_BOOK_DEPTH = 5;
    /** the most levels a ring slot carries ({@link io.mme.core.ring.BookView#MAX_DEPTH}) */
    public static final int MAX_BOOK_DEPTH = 20;

    public StrategyEngineConfig {
        instrumentIds = List.copyOf(instrumentIds);
        if (instrumentIds.isEmpty()) {
            throw new IllegalArgumentException("a strategy needs at least one instrument to quote");
        }
        if (maxLevels < 1 || maxLevels > 16) {
            throw new IllegalArgumentException("maxLevels " + maxLevels + " must be between 1 and 16");
        }
        if (bookDepth < 1 || bookDepth > MAX_BOOK_DEPTH) {
            throw new IllegalArgumentException("bookDepth " + bookDepth + " must be between 1 and " + MAX_BOOK_DEPTH);
        }
    }

    /** the fields above with the default book depth */
    public StrategyEngineConfig(int pairId, List<Integer> instrumentIds, long accountId, int maxLevels,
                                long replaceTicks, long replaceSizePercent, long minQuoteLifeMillis,
                                long maxQuoteAgeMillis, long rejectBackoffMillis, boolean startQuoting) {
        this(pairId, instrumentIds, accountId, maxLevels, replaceTicks, replaceSizePercent, minQuoteLifeMillis,
                maxQuoteAgeMillis, rejectBackoffMillis, startQuoting, DEFAULT_BOOK_DEPTH);
    }

    /** the defaults above for one pair */
    public static StrategyEngineConfig of(int pairId, List<Integer> instrumentIds) {
        return new StrategyEngineConfig(pairId, instrumentIds, 1, 3, 1, 10, 100, 5_000, 1_000, true);
    }

    public StrategyEngineConfig withMaxLevels(int levels) {
        return new StrategyEngineConfig(pairId, instrumentIds, accountId, levels, replaceTicks, replaceSizePercent,
                minQuoteLifeMillis, maxQuoteAgeMillis, rejectBackoffMillis, startQuoting, bookDepth);
    }

    public StrategyEngineConfig withAntiChurn(long ticks, long sizePercent, long minLifeMillis, long maxAgeMillis) {
        return new StrategyEngineConfig(pairId, instrumentIds, accountId, maxLevels, ticks, sizePercent,
                minLifeMillis, maxAgeMillis, rejectBackoffMillis, startQuoting, bookDepth);
    }

    public StrategyEngineConfig withRejectBackoffMillis(long millis) {
        return new StrategyEngineConfig(pairId, instrumentIds, accountId, maxLevels, replaceTicks, replaceSizePercent,
                minQuoteLifeMillis, maxQuoteAgeMillis, millis, startQuoting, bookDepth);
    }

    public StrategyEngineConfig withBookDepth(int levels) {
        return new StrategyEngineConfig(pairId, instrumentIds, accountId, maxLevels, replaceTicks, replaceSizePercent,
                minQuoteLifeMillis, maxQuoteAgeMillis, rejectBackoffMillis, startQuoting, levels);
    }

    public StrategyEngineConfig withStartQuoting(boolean start) {
        return new StrategyEngineConfig(pairId, instrumentIds, accountId, maxLevels, replaceTicks, replaceSizePercent,
                minQuoteLifeMillis, maxQuoteAgeMillis, rejectBackoffMillis, start, bookDepth);
    }
}
