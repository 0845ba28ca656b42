package io.mme.marketdata;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsolidatedViewTest {
    private static final long NANO = 1_000_000_000L;
    // Coinbase BTC-USD on a 0.01 tick, Kraken XBT/USD on a 0.1 tick: one pair, BTC/USD
    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.00000001", null, null, null, null))
            .add(new InstrumentSpec(Venue.KRAKEN, "XBT/USD", "XBT", "USD", "0.1", "0.00000001", null, null, null, null))
            .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
            .build();
    private final L2Book[] books = {new L2Book(100), new L2Book(100), new L2Book(100)};
    private final boolean[] valid = {true, true, true};

    private void touch(int id, long bidTicks, long bidLots, long askTicks, long askLots) {
        books[id].clear();
        books[id].set(Side.BUY, bidTicks, bidLots);
        books[id].set(Side.SELL, askTicks, askLots);
    }

    @Test
    void theFairValueFromTopsAloneIsTheFairValueFromTheBooks() {
        java.util.Random random = new java.util.Random(7);
        for (FairValueMethod method : FairValueMethod.values()) {
            for (long[] fees : new long[][] {null, {10, 26, 0}}) {
                ConsolidatedView view = new ConsolidatedView(registry, method, fees);
                for (int round = 0; round < 500; round++) {
                    long[] bid = new long[3];
                    long[] bidLots = new long[3];
                    long[] ask = new long[3];
                    long[] askLots = new long[3];
                    for (int id = 0; id < 3; id++) {
                        long tick = id == 1 ? 10 : 1; // Kraken's tick is ten of Coinbase's
                        long b = (6_400_000 + random.nextInt(200) - 100) / tick;
                        touch(id, b, 1 + random.nextInt(1_000_000_000), b + 1 + random.nextInt(50), 1 + random.nextInt(1_000_000_000));
                        books[id].set(Side.BUY, b - 1, 5); // depth behind the touch does not count
                        if (random.nextInt(8) == 0) {
                            books[id].clear(); // an empty book
                        }
                        bid[id] = books[id].bestPrice(Side.BUY);
                        bidLots[id] = books[id].bestQuantity(Side.BUY);
                        ask[id] = books[id].bestPrice(Side.SELL);
                        askLots[id] = books[id].bestQuantity(Side.SELL);
                        valid[id] = random.nextInt(5) != 0;
                    }
                    for (int pair = 0; pair < view.pairs(); pair++) {
                        assertThat(view.fairValue(pair, bid, bidLots, ask, askLots, valid))
                                .as("%s, fees %s, round %d", method, fees == null ? "none" : "some", round)
                                .isEqualTo(view.fairValue(pair, books, valid));
                    }
                }
            }
        }
    }

    @Test
    void venuesOfOnePairAreComparedInCommonUnits() {
        ConsolidatedView view = new ConsolidatedView(registry, FairValueMethod.MID, null);
        assertThat(view.pairs()).isEqualTo(2);
        assertThat(view.pairOf(0)).isEqualTo(view.pairOf(1));
        assertThat(view.pairOf(2)).isNotEqualTo(view.pairOf(0));
        touch(0, 6_400_000, 100_000_000, 6_400_100, 100_000_000);  // 64000.00 / 64001.00, 1 BTC each
        touch(1, 640_005, 50_000_000, 640_008, 50_000_000);         // 64000.5 / 64000.8
        long[] prices = new long[4];
        long[] sizes = new long[4];
        int[] ids = new int[4];
        assertThat(view.depth(view.pairOf(0), Side.BUY, books, valid, 4, prices, sizes, ids)).isEqualTo(2);
        assertThat(prices[0]).isEqualTo(64_000_500_000_000L);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(sizes[0]).isEqualTo(NANO / 2);
        // consolidated touch 64000.5 / 64000.8: mid 64000.65
        assertThat(view.fairValue(view.pairOf(0), books, valid)).isEqualTo(64_000_650_000_000L);
    }

    @Test
    void microPriceLeansTowardsTheThinnerSide() {
        ConsolidatedView view = new ConsolidatedView(registry, FairValueMethod.MICRO_PRICE, null);
        valid[1] = false;
        touch(0, 6_400_000, 300_000_000, 6_400_100, 100_000_000); // 3 BTC bid, 1 BTC ask: price leans up
        // bid + spread × 3/4 = 64000 + 0.75
        assertThat(view.fairValue(0, books, valid)).isEqualTo(64_000_750_000_000L);
    }

    @Test
    void sizeWeightedMidWeighsEachVenuesMid() {
        ConsolidatedView view = new ConsolidatedView(registry, FairValueMethod.SIZE_WEIGHTED_MID, null);
        touch(0, 6_400_000, 300_000_000, 6_400_200, 300_000_000);  // mid 64001.00 with 6 BTC
        touch(1, 640_000, 100_000_000, 640_040, 100_000_000);      // mid 64002.00 with 2 BTC
        long fv = view.fairValue(0, books, valid);
        // (64001 × 6 + 64002 × 2) / 8 = 64001.25, to within the 2^20 size quantum of the weights
        assertThat(fv).isBetween(64_001_240_000_000L, 64_001_260_000_000L);
    }

    @Test
    void takerFeesMoveEachVenuesTouchBeforeConsolidating() {
        ConsolidatedView view = new ConsolidatedView(registry, FairValueMethod.MID, new long[]{10, 0, 0});
        valid[1] = false;
        touch(0, 6_400_000, 100_000_000, 6_400_100, 100_000_000);
        // 10 bp: bid 64000 - 64 = 63936, ask 64001 + 64.001 = 64065.001; mid 64000.5005
        assertThat(view.touch(books[0], 0, Side.BUY)).isEqualTo(63_936_000_000_000L);
        assertThat(view.touch(books[0], 0, Side.SELL)).isEqualTo(64_065_001_000_000L);
        assertThat(view.fairValue(0, books, valid)).isEqualTo(64_000_500_500_000L);
    }

    @Test
    void onlyValidBooksCount() {
        ConsolidatedView view = new ConsolidatedView(registry, FairValueMethod.MID, null);
        touch(0, 6_400_000, 100_000_000, 6_400_100, 100_000_000);
        touch(1, 640_005, 50_000_000, 640_008, 50_000_000);
        valid[1] = false;
        assertThat(view.fairValue(0, books, valid)).isEqualTo(64_000_500_000_000L);
        valid[0] = false;
        assertThat(view.fairValue(0, books, valid)).isEqualTo(ConsolidatedView.NO_VALUE);
    }

    @Test
    void fairValueMethodsParseFromConfigNames() {
        assertThat(FairValueMethod.parse("micro-price")).isEqualTo(FairValueMethod.MICRO_PRICE);
        assertThat(FairValueMethod.SIZE_WEIGHTED_MID.configName()).isEqualTo("size-weighted-mid");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FairValueMethod.parse("vwap")).hasMessageContaining("'vwap'");
    }
}
