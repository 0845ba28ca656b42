package io.mme.matching;

/**
 * Limits of one book.
 *
 * @param venueId          venue id carried in the execution reports
 * @param instrumentId     instrument id carried in the execution reports
 * @param capacity         orders the arena holds (resting orders at most); 1M by default, 2^24 at most
 * @param priceIncrement   prices must be multiples of this many ticks (1: every tick)
 * @param minPriceTicks    lowest limit price accepted
 * @param maxPriceTicks    highest limit price accepted
 */
public record BookConfig(int venueId, int instrumentId, int capacity, long priceIncrement,
                         long minPriceTicks, long maxPriceTicks) {
    public static final int DEFAULT_CAPACITY = 1 << 20;
    /** the most orders a book holds: its arena of 64-byte records is one array (1 GiB at most) */
    public static final int MAX_CAPACITY = 1 << 24;

    public BookConfig {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("book capacity " + capacity + " must be between 1 and 2^24 (16,777,216)");
        }
        if (priceIncrement < 1) {
            throw new IllegalArgumentException("price increment " + priceIncrement + " must be at least 1 tick");
        }
        if (minPriceTicks < 1 || maxPriceTicks < minPriceTicks) {
            throw new IllegalArgumentException("price band [" + minPriceTicks + ", " + maxPriceTicks + "] must be positive and not empty");
        }
    }

    /** a book with the default capacity, every tick allowed, any positive price */
    public static BookConfig of(int venueId, int instrumentId) {
        return new BookConfig(venueId, instrumentId, DEFAULT_CAPACITY, 1, 1, Long.MAX_VALUE / 4);
    }

    public BookConfig withCapacity(int newCapacity) {
        return new BookConfig(venueId, instrumentId, newCapacity, priceIncrement, minPriceTicks, maxPriceTicks);
    }

    public BookConfig withBand(long min, long max) {
        return new BookConfig(venueId, instrumentId, capacity, priceIncrement, min, max);
    }

    public BookConfig withPriceIncrement(long increment) {
        return new BookConfig(venueId, instrumentId, capacity, increment, minPriceTicks, maxPriceTicks);
    }
}
