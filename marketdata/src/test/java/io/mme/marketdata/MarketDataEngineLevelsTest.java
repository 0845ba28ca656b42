package io.mme.marketdata;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.BookState;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The top levels the engine copies into the slot that ends a venue message: best first, as deep as configured and as the slot holds, of VALID books only. */
class MarketDataEngineLevelsTest {
    private static final long MS = 1_000_000L;
    private final InstrumentRegistry registry = InstrumentRegistry.builder()
            .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.00001", null, null, null, null))
            .build();
    private long sequence;

    private MarketDataEngine engine(int depth) {
        return new MarketDataEngine(registry, 1000, 5_000 * MS, (id, why) -> { },
                new ConsolidatedView(registry, FairValueMethod.MID, null), depth);
    }

    private void md(MarketDataEngine engine, InboundEvent event, MarketDataKind kind, Side side, long price, long qty, boolean end) {
        event.begin(sequence++, InboundEventType.MARKET_DATA, sequence * MS);
        event.marketData().set(kind, 0, 0, side, price, qty, sequence, sequence * MS, sequence * MS, end);
        engine.onEvent(event, sequence, true);
    }

    /** a snapshot of {@code levels} levels a side around 100.00 / 100.10, sizes growing with the distance */
    private void snapshot(MarketDataEngine engine, InboundEvent event, int levels) {
        md(engine, event, MarketDataKind.CLEAR, null, 0, 0, false);
        for (int level = 0; level < levels; level++) {
            md(engine, event, MarketDataKind.LEVEL, Side.SELL, 10_010 + level, 10 + level, false);
            md(engine, event, MarketDataKind.LEVEL, Side.BUY, 10_000 - level, 20 + level, level == levels - 1);
        }
    }

    @Test
    void aValidBooksTopLevelsGoIntoTheMessagesLastSlotBestFirstAsDeepAsConfigured() {
        MarketDataEngine engine = engine(5);
        InboundEvent event = new InboundEvent(20);
        snapshot(engine, event, 8);
        assertThat(event.book().state()).isEqualTo(BookState.VALID);
        assertThat(event.book().depth(Side.BUY)).isEqualTo(5);
        assertThat(event.book().depth(Side.SELL)).isEqualTo(5);
        for (int level = 0; level < 5; level++) {
            assertThat(event.book().levelTicks(Side.BUY, level)).isEqualTo(10_000 - level);
            assertThat(event.book().levelLots(Side.BUY, level)).isEqualTo(20 + level);
            assertThat(event.book().levelTicks(Side.SELL, level)).isEqualTo(10_010 + level);
            assertThat(event.book().levelLots(Side.SELL, level)).isEqualTo(10 + level);
        }
        assertThat(event.book().levelTicks(Side.BUY, 0)).isEqualTo(event.book().bidTicks());
        // an item inside the next message carries no levels
        md(engine, event, MarketDataKind.LEVEL, Side.BUY, 9_999, 0, false);
        assertThat(event.book().depth(Side.BUY)).isZero();
        // its end does, without the removed level
        md(engine, event, MarketDataKind.LEVEL, Side.SELL, 10_011, 0, true);
        assertThat(event.book().levelTicks(Side.BUY, 1)).isEqualTo(9_998);
        assertThat(event.book().levelTicks(Side.SELL, 1)).isEqualTo(10_012);
    }

    @Test
    void aShallowBookAndASmallSlotLimitTheDepth() {
        MarketDataEngine engine = engine(20);
        InboundEvent small = new InboundEvent(3);
        snapshot(engine, small, 8);
        assertThat(small.book().depth(Side.SELL)).as("the slot holds 3").isEqualTo(3);
        InboundEvent deep = new InboundEvent(20);
        snapshot(engine, deep, 2);
        assertThat(deep.book().depth(Side.BUY)).as("the book holds 2").isEqualTo(2);
        InboundEvent none = new InboundEvent(0);
        snapshot(engine, none, 2);
        assertThat(none.book().depth(Side.BUY)).isZero();
        assertThat(none.book().bidTicks()).as("the top still goes in the slot").isEqualTo(10_000);
    }

    @Test
    void aCrossedOrVenueInvalidatedBookCarriesNoLevels() {
        MarketDataEngine engine = engine(5);
        InboundEvent event = new InboundEvent(5);
        snapshot(engine, event, 4);
        assertThat(event.book().depth(Side.BUY)).isEqualTo(4);
        md(engine, event, MarketDataKind.LEVEL, Side.BUY, 10_020, 1, true);
        assertThat(event.book().state()).isEqualTo(BookState.INVALID);
        assertThat(event.book().depth(Side.BUY)).isZero();
        assertThat(event.book().depth(Side.SELL)).isZero();
        snapshot(engine, event, 4);
        assertThat(engine.state(0)).isEqualTo(BookState.VALID);
        assertThat(event.book().depth(Side.SELL)).isEqualTo(4);
        // the feed's own verdict (bookValid false) as a message of its own
        event.begin(sequence++, InboundEventType.MARKET_DATA, sequence * MS);
        event.marketData().set(MarketDataKind.BOOK_STATE, 0, 0, null, 0, 0, sequence, sequence * MS, sequence * MS, true)
                .bookValid(false);
        engine.onEvent(event, sequence, true);
        assertThat(event.book().state()).isEqualTo(BookState.INVALID);
        assertThat(event.book().depth(Side.SELL)).isZero();
    }

    @Test
    void aDepthOutsideZeroToTwentyIsRefused() {
        assertThatThrownBy(() -> engine(21)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth 21");
        assertThatThrownBy(() -> new InboundEvent(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth -1");
    }
}
