package io.mme.strategy;

import io.mme.strategy.api.BookStatus;
import io.mme.strategy.api.MarketView;
import io.mme.strategy.api.OrderUpdate;
import io.mme.strategy.api.ParameterChecks;
import io.mme.strategy.api.Quotes;
import io.mme.strategy.api.Side;
import io.mme.strategy.api.StateIn;
import io.mme.strategy.api.StateOut;
import io.mme.strategy.api.Strategy;
import io.mme.strategy.api.StrategyFactory;
import io.mme.strategy.api.TakerOrders;

import java.util.List;

/**
 * Cross-venue market making (XEMM): quotes on the maker venues priced off the hedge venue's book,
 * and hedges every maker fill at once with an IOC order on the hedge venue. Written on the public
 * API only.
 *
 * <p><b>Venues.</b> The strategy's {@code venues}: the one at index {@value #HEDGE_VENUE_INDEX}
 * (default 0, the first listed) is the hedge venue, never quoted; every other one is a maker venue.
 *
 * <p><b>Pricing.</b> With {@code s} the quote size, the hedge venue's levels walked best first
 * (as deep as the view holds them: with a view of depth 1 only the touch, and size beyond the
 * visible quantity is missing liquidity, so the quote's size shrinks to what is visible):
 * <pre>
 *   V = volume-weighted price of selling s into the hedge venue's bids
 *   W = volume-weighted price of buying  s from the hedge venue's asks
 *   bid on maker venue m = V · (1 − takerFee_hedge) · (1 − minProfit) / (1 + makerFee_m)
 *   ask on maker venue m = W · (1 + takerFee_hedge) · (1 + minProfit) / (1 − makerFee_m)
 * </pre>
 * (fees and minProfit as fractions of bps / 10,000), so a filled bid sold at V on the hedge venue
 * earns at least minProfit of its notional after both fees, likewise an ask. The engine rounds a
 * bid down and an ask up to the maker venue's tick and keeps both off its touch: rounding only adds
 * edge. The quotes move whenever the hedge book moves (every hedge venue message re-prices them;
 * the engine's anti-churn decides what is worth a replace).
 *
 * <p><b>When not to quote.</b> Neither side while the hedge venue's book is not
 * {@link BookStatus#VALID} (the live quotes are then cancelled by the engine); a side is quoted only
 * while its full fill keeps the unhedged inventory (our net position over all the strategy's
 * venues, maker and hedge) within {@value #MAX_UNHEDGED_NANOS}.
 *
 * <p><b>Hedging.</b> After every event the engine asks {@link #take}: while the net position is not
 * flat (at least one hedge-venue lot) and no hedge order is in flight, it sends one IOC on the hedge
 * venue for the whole net position, its limit price the worst hedge level the walk reaches, moved
 * {@value #HEDGE_SLIPPAGE_BPS} further (a sell down, a buy up). A partial fill leaves the rest to
 * the next hedge. <b>Retry policy:</b> when a hedge is rejected (risk, execution or the venue) or
 * its rest expires unfilled, the next one goes no sooner than {@value #HEDGE_RETRY_MILLIS} later
 * (event time; on whichever event comes next, timers included), for what is then still unhedged,
 * priced off the book as it is then; meanwhile the unhedged limit keeps quoting from adding to it.
 *
 * <p><b>Reports</b> ({@link #reportKeys()}): hedge slippage (what the hedge fills cost against the
 * hedge venue's touch when the hedge was sent, 10^-9 quote units, positive = worse), the unhedged
 * inventory (10^-9 base units), round trips completed (the net position back to flat), realised
 * edge over them and per round trip (cash in minus cash out of the trip's maker and hedge fills,
 * fees included, 10^-9 quote units), hedges sent and hedges rejected.
 *
 * <p>Parameters (longs): {@value #MIN_PROFIT_BPS} (0..10,000, default 5), {@value #SIZE_NANOS}
 * (10^-9 base units, default 1,000,000), {@value #MAX_UNHEDGED_NANOS} (10^-9 base units, default
 * 5,000,000), {@value #HEDGE_VENUE_INDEX} (0..15, default 0), {@value #HEDGE_SLIPPAGE_BPS}
 * (0..1,000, default 20; keep it under risk's {@code maxTakerSlippageBps}),
 * {@value #HEDGE_RETRY_MILLIS} (0..60,000, default 200).
 *
 * <p>Owned by the hosting engine's thread; allocation-free in every callback.
 */
public final class XemmStrategy implements Strategy {
    /** the type name in configurations */
    public static final String TYPE = "xemm";

    public static final String MIN_PROFIT_BPS = "min.profit.bps";
    public static final String SIZE_NANOS = "size.nanos";
    public static final String MAX_UNHEDGED_NANOS = "max.unhedged.nanos";
    public static final String HEDGE_VENUE_INDEX = "hedge.venue.index";
    public static final String HEDGE_SLIPPAGE_BPS = "hedge.slippage.bps";
    public static final String HEDGE_RETRY_MILLIS = "hedge.retry.millis";
    private static final List<String> KEYS = List.of(MIN_PROFIT_BPS, SIZE_NANOS, MAX_UNHEDGED_NANOS, HEDGE_VENUE_INDEX,
            HEDGE_SLIPPAGE_BPS, HEDGE_RETRY_MILLIS);

    public static final String HEDGE_SLIPPAGE_NANOS = "hedge.slippage.nanos";
    public static final String UNHEDGED_NANOS = "unhedged.nanos";
    public static final String ROUND_TRIPS = "round.trips";
    public static final String REALISED_EDGE_NANOS = "realised.edge.nanos";
    public static final String EDGE_PER_ROUND_TRIP_NANOS = "edge.per.round.trip.nanos";
    public static final String HEDGES_SENT = "hedges.sent";
    public static final String HEDGES_REJECTED = "hedges.rejected";
    private static final List<String> REPORTS = List.of(HEDGE_SLIPPAGE_NANOS, UNHEDGED_NANOS, ROUND_TRIPS,
            REALISED_EDGE_NANOS, EDGE_PER_ROUND_TRIP_NANOS, HEDGES_SENT, HEDGES_REJECTED);

    private static final long MAX_SIZE = 1_000_000_000_000_000L;
    private static final double NANOS = 1e9;
    private static final double BPS = 10_000.0;
    private static final long MILLIS = 1_000_000L;

    private long minProfitBps = 5;
    private long sizeNanos = 1_000_000;
    private long maxUnhedgedNanos = 5_000_000;
    private long hedgeVenueIndex;
    private long hedgeSlippageBps = 20;
    private long hedgeRetryMillis = 200;

    private MarketView market;
    private int hedge;

    /** the hedge order in flight: its id (0: none), side and quantity not yet filled */
    private long hedgeOrderId;
    private Side hedgeSide;
    private long hedgeOpenNanos;
    /** the hedge venue's touch on the side the hedge takes, when it was sent, 10^-9 quote units */
    private long hedgeTouchNanos;
    /** event time before which no new hedge goes out (after a reject or an unfilled rest) */
    private long retryAfterNanos;

    private double slippageNanos;
    /** cash of the round trip under way: sells in, buys out, fees out; 10^-9 quote units */
    private double tripCashNanos;
    private long roundTrips;
    private double realisedEdgeNanos;
    private double lastEdgeNanos;
    private long hedgesSent;
    private long hedgesRejected;

    /** the result of the last {@link #walk}: the quantity the visible levels cover and their worst price */
    private long walkedNanos;
    private long worstTicks;

    /** builds it with its defaults; listed in META-INF/services */
    public static final class Factory implements StrategyFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Strategy newStrategy() {
            return new XemmStrategy();
        }
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public void start(MarketView market) {
        if (market.instruments() < 2) {
            throw new IllegalArgumentException("xemm strategy " + market.strategyId() + " needs a hedge venue and at least one maker venue"
                    + " in its venues; it has " + market.instruments());
        }
        if (hedgeVenueIndex >= market.instruments()) {
            throw new IllegalArgumentException("xemm strategy " + market.strategyId() + ": " + HEDGE_VENUE_INDEX + "=" + hedgeVenueIndex
                    + " but its venues are 0.." + (market.instruments() - 1));
        }
        this.market = market;
        this.hedge = (int) hedgeVenueIndex;
    }

    // ------------------------------------------------------------------ quoting

    @Override
    public void quote(Quotes out) {
        if (market.bookStatus(hedge) != BookStatus.VALID) {
            return;
        }
        long position = market.positionNanos();
        double hedgeTaker = market.takerFeeBps(hedge) / BPS;
        double profit = minProfitBps / BPS;
        // a bid is hedged by selling into the hedge venue's bids, an ask by buying its asks
        double sellNanos = walk(Side.BUY, sizeNanos);
        long bidSize = walkedNanos;
        double buyNanos = walk(Side.SELL, sizeNanos);
        long askSize = walkedNanos;
        for (int i = 0; i < market.instruments(); i++) {
            if (i == hedge) {
                continue;
            }
            double makerFee = market.makerFeeBps(i) / BPS;
            if (bidSize > 0 && position + bidSize <= maxUnhedgedNanos) {
                out.set(i, Side.BUY, 0, sellNanos * (1 - hedgeTaker) * (1 - profit) / (1 + makerFee), bidSize);
            }
            if (askSize > 0 && -position + askSize <= maxUnhedgedNanos && makerFee < 1) {
                out.set(i, Side.SELL, 0, buyNanos * (1 + hedgeTaker) * (1 + profit) / (1 - makerFee), askSize);
            }
        }
    }

    /**
     * Walks the hedge venue's {@code side} levels, best first, for {@code wantedNanos}: returns the
     * volume-weighted price in 10^-9 quote units of what they cover (NaN when nothing), leaving the
     * covered quantity in {@link #walkedNanos} and the worst level reached in {@link #worstTicks}.
     */
    double walk(Side side, long wantedNanos) {
        walkedNanos = 0;
        worstTicks = MarketView.NONE;
        double notional = 0;
        int depth = market.depth(hedge, side);
        for (int level = 0; level < depth && walkedNanos < wantedNanos; level++) {
            long ticks = market.levelPriceTicks(hedge, side, level);
            long lots = market.levelQuantityLots(hedge, side, level);
            if (ticks == MarketView.NONE || lots <= 0) {
                break;
            }
            long take = Math.min(market.quantityNanos(hedge, lots), wantedNanos - walkedNanos);
            notional += (double) market.priceNanos(hedge, ticks) * take;
            walkedNanos += take;
            worstTicks = ticks;
        }
        return walkedNanos == 0 ? Double.NaN : notional / walkedNanos;
    }

    // ------------------------------------------------------------------ hedging

    @Override
    public void take(TakerOrders out) {
        long position = market.positionNanos();
        long lot = market.nanosPerLot(hedge);
        if (hedgeOrderId != 0 || Math.abs(position) < lot || market.timeNanos() < retryAfterNanos
                || market.bookStatus(hedge) != BookStatus.VALID) {
            return;
        }
        Side side = position > 0 ? Side.SELL : Side.BUY;
        long quantity = Math.abs(position) / lot * lot;
        // a sell takes the hedge venue's bids, a buy its asks
        Side book = side == Side.SELL ? Side.BUY : Side.SELL;
        walk(book, quantity);
        if (worstTicks == MarketView.NONE) {
            return;
        }
        double worst = market.priceNanos(hedge, worstTicks);
        double limit = side == Side.SELL ? worst * (1 - hedgeSlippageBps / BPS) : worst * (1 + hedgeSlippageBps / BPS);
        long id = out.take(hedge, side, limit, quantity);
        if (id == TakerOrders.NOT_SENT) {
            return;
        }
        hedgeOrderId = id;
        hedgeSide = side;
        hedgeOpenNanos = quantity;
        hedgeTouchNanos = market.priceNanos(hedge, market.levelPriceTicks(hedge, book, 0));
        hedgesSent++;
    }

    @Override
    public void onFill(int instrument, Side side, long priceTicks, long quantityLots, boolean taker, long timeNanos) {
        long quantity = market.quantityNanos(instrument, quantityLots);
        double notional = (double) market.priceNanos(instrument, priceTicks) * quantity / NANOS;
        double fee = notional * (taker ? market.takerFeeBps(instrument) : market.makerFeeBps(instrument)) / BPS;
        tripCashNanos += (side == Side.SELL ? notional : -notional) - fee;
        if (taker && hedgeOrderId != 0 && side == hedgeSide) {
            double fillNanos = market.priceNanos(instrument, priceTicks);
            double worse = side == Side.SELL ? hedgeTouchNanos - fillNanos : fillNanos - hedgeTouchNanos;
            slippageNanos += worse * quantity / NANOS;
            hedgeOpenNanos -= quantity;
            if (hedgeOpenNanos <= 0) {
                hedgeOrderId = 0;
            }
        }
        if (Math.abs(market.positionNanos()) < market.nanosPerLot(hedge)) {
            roundTrips++;
            realisedEdgeNanos += tripCashNanos;
            lastEdgeNanos = tripCashNanos;
            tripCashNanos = 0;
        }
    }

    @Override
    public void onFill(int instrument, Side side, long priceTicks, long quantityLots, long timeNanos) {
        onFill(instrument, side, priceTicks, quantityLots, false, timeNanos);
    }

    @Override
    public void onTakerUpdate(long takerOrderId, int instrument, Side side, OrderUpdate update, long filledLots,
                              long unfilledLots, int reasonCode, long timeNanos) {
        if (takerOrderId != hedgeOrderId || update == OrderUpdate.ACKNOWLEDGED) {
            return;
        }
        if (update == OrderUpdate.REJECTED) {
            hedgesRejected++;
        }
        // rejected, or its rest expired: the rest is hedged again after the retry delay
        hedgeOrderId = 0;
        hedgeOpenNanos = 0;
        retryAfterNanos = timeNanos + hedgeRetryMillis * MILLIS;
    }

    // ------------------------------------------------------------------ parameters, reports, state

    @Override
    public List<String> parameterKeys() {
        return KEYS;
    }

    @Override
    public String setParameter(String key, long value) {
        String refusal = switch (key) {
            case MIN_PROFIT_BPS -> ParameterChecks.range(key, value, 0, 10_000, "bps", minProfitBps);
            case SIZE_NANOS -> ParameterChecks.range(key, value, 1, MAX_SIZE, "10^-9 base units", sizeNanos);
            case MAX_UNHEDGED_NANOS -> ParameterChecks.range(key, value, 0, MAX_SIZE, "10^-9 base units", maxUnhedgedNanos);
            case HEDGE_VENUE_INDEX -> market != null && value != hedgeVenueIndex // a restore sets the same value again
                    ? "strategy parameter " + key + " refused: the hedge venue is fixed once the strategy started; keeping " + hedgeVenueIndex
                    : ParameterChecks.range(key, value, 0, 15, "index in the strategy's venues", hedgeVenueIndex);
            case HEDGE_SLIPPAGE_BPS -> ParameterChecks.range(key, value, 0, 1_000, "bps", hedgeSlippageBps);
            case HEDGE_RETRY_MILLIS -> ParameterChecks.range(key, value, 0, 60_000, "ms", hedgeRetryMillis);
            default -> ParameterChecks.unknown(key, KEYS);
        };
        if (refusal != null) {
            return refusal;
        }
        switch (key) {
            case MIN_PROFIT_BPS -> minProfitBps = value;
            case SIZE_NANOS -> sizeNanos = value;
            case MAX_UNHEDGED_NANOS -> maxUnhedgedNanos = value;
            case HEDGE_VENUE_INDEX -> hedgeVenueIndex = value;
            case HEDGE_SLIPPAGE_BPS -> hedgeSlippageBps = value;
            default -> hedgeRetryMillis = value;
        }
        return null;
    }

    @Override
    public long parameter(String key) {
        return switch (key) {
            case MIN_PROFIT_BPS -> minProfitBps;
            case SIZE_NANOS -> sizeNanos;
            case MAX_UNHEDGED_NANOS -> maxUnhedgedNanos;
            case HEDGE_VENUE_INDEX -> hedgeVenueIndex;
            case HEDGE_SLIPPAGE_BPS -> hedgeSlippageBps;
            case HEDGE_RETRY_MILLIS -> hedgeRetryMillis;
            default -> throw new IllegalArgumentException(ParameterChecks.unknown(key, KEYS));
        };
    }

    @Override
    public List<String> reportKeys() {
        return REPORTS;
    }

    @Override
    public long report(String key) {
        return switch (key) {
            case HEDGE_SLIPPAGE_NANOS -> Math.round(slippageNanos);
            case UNHEDGED_NANOS -> market == null ? 0 : market.positionNanos();
            case ROUND_TRIPS -> roundTrips;
            case REALISED_EDGE_NANOS -> Math.round(realisedEdgeNanos);
            case EDGE_PER_ROUND_TRIP_NANOS -> roundTrips == 0 ? 0 : Math.round(realisedEdgeNanos / roundTrips);
            case HEDGES_SENT -> hedgesSent;
            case HEDGES_REJECTED -> hedgesRejected;
            default -> throw new IllegalArgumentException("xemm has no report '" + key + "'; it has " + REPORTS);
        };
    }

    /** the edge of the last completed round trip, 10^-9 quote units */
    public double lastEdgeNanos() {
        return lastEdgeNanos;
    }

    /** the id of the hedge order in flight, 0 when none */
    public long hedgeOrderId() {
        return hedgeOrderId;
    }

    @Override
    public void writeState(StateOut out) {
        out.putLong(hedgeOrderId).putLong(hedgeSide == null ? -1 : hedgeSide.ordinal()).putLong(hedgeOpenNanos)
                .putLong(hedgeTouchNanos).putLong(retryAfterNanos).putDouble(slippageNanos).putDouble(tripCashNanos)
                .putLong(roundTrips).putDouble(realisedEdgeNanos).putDouble(lastEdgeNanos).putLong(hedgesSent)
                .putLong(hedgesRejected);
    }

    @Override
    public void readState(StateIn in) {
        hedgeOrderId = in.getLong();
        long side = in.getLong();
        hedgeSide = side < 0 ? null : Side.values()[(int) side];
        hedgeOpenNanos = in.getLong();
        hedgeTouchNanos = in.getLong();
        retryAfterNanos = in.getLong();
        slippageNanos = in.getDouble();
        tripCashNanos = in.getDouble();
        roundTrips = in.getLong();
        realisedEdgeNanos = in.getDouble();
        lastEdgeNanos = in.getDouble();
        hedgesSent = in.getLong();
        hedgesRejected = in.getLong();
    }
}
