package io.mme.marketdata;

import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.Side;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every venue's book of one canonical pair seen together (BTC/USD on Coinbase and Kraken): the
 * best bid and ask per venue, the consolidated touch and depth, and a fair value. Prices and sizes
 * are compared in {@link PriceUnits} (10^-9 of the asset), so different tick and lot sizes line up
 * exactly. Only VALID books take part. Optionally each venue's touch is moved by its taker fee
 * first (bid down, ask up), so the fair value is what trading there would really fetch.
 *
 * <p>Integer arithmetic throughout: sizes are scaled down together until their products with a
 * spread fit a long, which keeps the weights' ratio to within 2^-31.
 *
 * <p>Thread: owned by the market data engine's thread.
 */
public final class ConsolidatedView {
    /** returned when no valid venue has both sides */
    public static final long NO_VALUE = Long.MIN_VALUE;

    private final int[] pairOf;
    private final int[][] members;
    private final String[] pairNames;
    private final PriceUnits[] units;
    private final long[] takerFeeBps;
    private final FairValueMethod method;
    /** each book's top, copied by {@link #fairValue(int, L2Book[], boolean[])} for the top-of-book computation */
    private final long[] scratchBid;
    private final long[] scratchBidLots;
    private final long[] scratchAsk;
    private final long[] scratchAskLots;

    /**
     * @param takerFeeBps per instrument id, the taker fee in basis points to net off (null: none)
     */
    public ConsolidatedView(InstrumentRegistry registry, FairValueMethod method, long[] takerFeeBps) {
        this.method = method;
        int n = registry.size();
        pairOf = new int[n];
        units = new PriceUnits[n];
        this.takerFeeBps = takerFeeBps == null ? new long[n] : takerFeeBps.clone();
        scratchBid = new long[n];
        scratchBidLots = new long[n];
        scratchAsk = new long[n];
        scratchAskLots = new long[n];
        Map<String, List<Integer>> byPair = new LinkedHashMap<>();
        for (Instrument instrument : registry.all()) {
            units[instrument.id()] = new PriceUnits(instrument);
            byPair.computeIfAbsent(instrument.pair(), p -> new ArrayList<>()).add(instrument.id());
        }
        members = new int[byPair.size()][];
        pairNames = new String[byPair.size()];
        int p = 0;
        for (Map.Entry<String, List<Integer>> e : byPair.entrySet()) {
            pairNames[p] = e.getKey();
            List<Integer> ids = e.getValue();
            members[p] = new int[ids.size()];
            for (int i = 0; i < members[p].length; i++) {
                members[p][i] = ids.get(i);
            }
            for (int id : members[p]) {
                pairOf[id] = p;
            }
            p++;
        }
    }

    public int pairs() {
        return members.length;
    }

    /** the canonical pair id of an instrument */
    public int pairOf(int instrumentId) {
        return pairOf[instrumentId];
    }

    public String pairName(int pair) {
        return pairNames[pair];
    }

    /** the venue's best bid or ask in common units, fee-adjusted, or NO_VALUE */
    public long touch(L2Book book, int instrumentId, Side side) {
        return touch(book.bestPrice(side), instrumentId, side);
    }

    /** a best bid or ask in the venue's ticks in common units, fee-adjusted, or NO_VALUE */
    private long touch(long ticks, int instrumentId, Side side) {
        if (ticks == L2Book.NO_PRICE) {
            return NO_VALUE;
        }
        long price = units[instrumentId].price(ticks);
        long fee = takerFeeBps[instrumentId];
        if (fee == 0) {
            return price;
        }
        long adjust = Math.multiplyHigh(price, fee) == 0 ? price * fee / 10_000 : price / 10_000 * fee;
        return side == Side.BUY ? price - adjust : price + adjust;
    }

    /**
     * The fair value of {@code pair} in 10^-9 quote units from the books that are valid.
     *
     * @param books per instrument id
     * @param valid per instrument id, whether the book may be used
     */
    public long fairValue(int pair, L2Book[] books, boolean[] valid) {
        for (int id : members[pair]) {
            L2Book book = books[id];
            scratchBid[id] = book.bestPrice(Side.BUY);
            scratchAsk[id] = book.bestPrice(Side.SELL);
            scratchBidLots[id] = book.bestQuantity(Side.BUY);
            scratchAskLots[id] = book.bestQuantity(Side.SELL);
        }
        return fairValue(pair, scratchBid, scratchBidLots, scratchAsk, scratchAskLots, valid);
    }

    /**
     * {@link #fairValue(int, L2Book[], boolean[])} from each instrument's top of book alone (the
     * market data engine's published tops): the same value as from books with those tops.
     *
     * @param bidTicks per instrument id, the best bid in ticks or {@link L2Book#NO_PRICE}; likewise the others
     */
    public long fairValue(int pair, long[] bidTicks, long[] bidLots, long[] askTicks, long[] askLots, boolean[] valid) {
        long bestBid = NO_VALUE;
        long bestAsk = NO_VALUE;
        long bidSize = 0;
        long askSize = 0;
        long weightedSum = 0; // for SIZE_WEIGHTED_MID, in scaled units
        long weightTotal = 0;
        long firstMid = NO_VALUE;
        for (int id : members[pair]) {
            if (!valid[id]) {
                continue;
            }
            long bid = touch(bidTicks[id], id, Side.BUY);
            long ask = touch(askTicks[id], id, Side.SELL);
            if (bid == NO_VALUE || ask == NO_VALUE) {
                continue;
            }
            long bq = units[id].quantity(bidLots[id]);
            long aq = units[id].quantity(askLots[id]);
            if (bestBid == NO_VALUE || bid > bestBid) {
                bestBid = bid;
                bidSize = bq;
            } else if (bid == bestBid) {
                bidSize = saturatingAdd(bidSize, bq);
            }
            if (bestAsk == NO_VALUE || ask < bestAsk) {
                bestAsk = ask;
                askSize = aq;
            } else if (ask == bestAsk) {
                askSize = saturatingAdd(askSize, aq);
            }
            if (method == FairValueMethod.SIZE_WEIGHTED_MID) {
                long mid = bid + (ask - bid) / 2;
                if (firstMid == NO_VALUE) {
                    firstMid = mid;
                }
                // weight each mid's distance from the first mid, so the products stay small
                long weight = Math.max(1, saturatingAdd(bq, aq) >>> 20);
                weightedSum += (mid - firstMid) * weight;
                weightTotal += weight;
            }
        }
        if (bestBid == NO_VALUE || bestAsk == NO_VALUE) {
            return NO_VALUE;
        }
        return switch (method) {
            case MID -> bestBid + (bestAsk - bestBid) / 2;
            case MICRO_PRICE -> microPrice(bestBid, bestAsk, bidSize, askSize);
            case SIZE_WEIGHTED_MID -> firstMid + weightedSum / weightTotal;
        };
    }

    /** bid + spread × bidSize / (bidSize + askSize), in integers */
    static long microPrice(long bid, long ask, long bidSize, long askSize) {
        long spread = ask - bid;
        if (spread <= 0 || bidSize + askSize <= 0) {
            return bid + spread / 2;
        }
        // scale the sizes down together until spread × size cannot overflow
        while (bidSize > Integer.MAX_VALUE || askSize > Integer.MAX_VALUE
                || Math.multiplyHigh(spread, Math.max(bidSize, 1)) != 0) {
            bidSize >>>= 1;
            askSize >>>= 1;
        }
        long total = bidSize + askSize;
        if (total == 0) {
            return bid + spread / 2;
        }
        return bid + spread * bidSize / total;
    }

    /**
     * Consolidated depth of one side: the levels of every valid venue merged best first, each
     * level one venue's (venues are not summed, so a quant sees where the size is).
     *
     * @return how many levels were written
     */
    public int depth(int pair, Side side, L2Book[] books, boolean[] valid, int maxLevels,
                     long[] prices, long[] sizes, int[] instrumentIds) {
        int[] member = members[pair];
        int[] cursor = new int[member.length]; // control path: one small array per query
        int n = 0;
        while (n < maxLevels) {
            int bestMember = -1;
            long bestPrice = 0;
            for (int m = 0; m < member.length; m++) {
                int id = member[m];
                if (!valid[id]) {
                    continue;
                }
                long ticks = books[id].price(side, cursor[m]);
                if (ticks == L2Book.NO_PRICE) {
                    continue;
                }
                long price = units[id].price(ticks);
                if (bestMember < 0 || (side == Side.BUY ? price > bestPrice : price < bestPrice)) {
                    bestMember = m;
                    bestPrice = price;
                }
            }
            if (bestMember < 0) {
                break;
            }
            int id = member[bestMember];
            prices[n] = bestPrice;
            sizes[n] = units[id].quantity(books[id].quantity(side, cursor[bestMember]));
            instrumentIds[n] = id;
            cursor[bestMember]++;
            n++;
        }
        return n;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
