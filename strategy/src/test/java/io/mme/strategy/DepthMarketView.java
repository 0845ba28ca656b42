package io.mme.strategy;

import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderStatus;
import io.mme.strategy.api.Side;

import java.util.Arrays;

/**
 * A hand-set {@link MarketView} with several book levels a side (the engine's view gives the touch
 * only until it carries depth), for strategy pricing tests: tick 0.01, lot 0.0001 on every
 * instrument; fees, book status, levels and positions set by the test.
 */
final class DepthMarketView implements MarketView {
    static final long TICK = 10_000_000;
    static final long LOT = 100_000;
    private final int instruments;
    private final int maxDepth;
    private final BookStatus[] status;
    private final long[] makerFee;
    private final long[] takerFee;
    private final long[][][] price;
    private final long[][][] lots;
    private final int[][] depth;
    private final long[] position;
    long time = Fixture.T0;

    DepthMarketView(int instruments, int maxDepth) {
        this.instruments = instruments;
        this.maxDepth = maxDepth;
        status = new BookStatus[instruments];
        Arrays.fill(status, BookStatus.VALID);
        makerFee = new long[instruments];
        takerFee = new long[instruments];
        price = new long[instruments][2][maxDepth];
        lots = new long[instruments][2][maxDepth];
        depth = new int[instruments][2];
        position = new long[instruments];
    }

    /** sets a side's levels best first: price in ticks, quantity in lots, alternating */
    DepthMarketView levels(int i, Side side, long... priceThenLots) {
        int n = Math.min(maxDepth, priceThenLots.length / 2);
        depth[i][side.ordinal()] = n;
        for (int l = 0; l < n; l++) {
            price[i][side.ordinal()][l] = priceThenLots[2 * l];
            lots[i][side.ordinal()][l] = priceThenLots[2 * l + 1];
        }
        return this;
    }

    DepthMarketView fees(int i, long makerBps, long takerBps) {
        makerFee[i] = makerBps;
        takerFee[i] = takerBps;
        return this;
    }

    DepthMarketView status(int i, BookStatus s) {
        status[i] = s;
        return this;
    }

    /** our position on instrument i, 10^-9 base units */
    DepthMarketView position(int i, long nanos) {
        position[i] = nanos;
        return this;
    }

    @Override
    public long timeNanos() {
        return time;
    }

    @Override
    public String strategyId() {
        return "xemm-test";
    }

    @Override
    public int instruments() {
        return instruments;
    }

    @Override
    public String venue(int i) {
        return "venue" + i;
    }

    @Override
    public String symbol(int i) {
        return "BTC-USD";
    }

    @Override
    public String pair() {
        return "BTC-USD";
    }

    @Override
    public long nanosPerTick(int i) {
        return TICK;
    }

    @Override
    public long nanosPerLot(int i) {
        return LOT;
    }

    @Override
    public long makerFeeBps(int i) {
        return makerFee[i];
    }

    @Override
    public long takerFeeBps(int i) {
        return takerFee[i];
    }

    @Override
    public BookStatus bookStatus(int i) {
        return status[i];
    }

    @Override
    public int maxDepth() {
        return maxDepth;
    }

    @Override
    public int depth(int i, Side side) {
        return status[i] == BookStatus.VALID ? depth[i][side.ordinal()] : 0;
    }

    @Override
    public long levelPriceTicks(int i, Side side, int level) {
        return level < depth(i, side) ? price[i][side.ordinal()][level] : NONE;
    }

    @Override
    public long levelQuantityLots(int i, Side side, int level) {
        return level < depth(i, side) ? lots[i][side.ordinal()][level] : 0;
    }

    @Override
    public long fairValueNanos() {
        return 100 * 1_000_000_000L;
    }

    @Override
    public long lastTradePriceTicks(int i) {
        return NONE;
    }

    @Override
    public long lastTradeQuantityLots(int i) {
        return 0;
    }

    @Override
    public Side lastTradeAggressor(int i) {
        return null;
    }

    @Override
    public long lastTradeTimeNanos(int i) {
        return 0;
    }

    @Override
    public int quoteLevels() {
        return 1;
    }

    @Override
    public OrderStatus orderStatus(int i, Side side, int level) {
        return OrderStatus.NONE;
    }

    @Override
    public long orderPriceTicks(int i, Side side, int level) {
        return 0;
    }

    @Override
    public long orderQuantityLots(int i, Side side, int level) {
        return 0;
    }

    @Override
    public long positionNanos(int i) {
        return position[i];
    }

    @Override
    public long positionNanos() {
        long sum = 0;
        for (long p : position) {
            sum += p;
        }
        return sum;
    }

    @Override
    public long realisedPnlNanos() {
        return 0;
    }

    @Override
    public long unrealisedPnlNanos() {
        return 0;
    }
}
