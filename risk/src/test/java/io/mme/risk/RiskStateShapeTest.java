package io.mme.risk;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.core.state.StateFormatException;
import io.mme.core.state.StateReader;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A risk state is read back only by an engine of the same shape; anything else is refused by name. */
class RiskStateShapeTest {

    private static byte[] stateWithAnOpenOrder() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 3);
        return RiskStateRestoreProperties.write(f.engine);
    }

    @Test
    void aStateWrittenForAnotherInstrumentCountIsRefusedSayingSo() {
        InstrumentRegistry two = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.001", null, null, null, null))
                .build();
        RiskEngine engine = new RiskEngine(two, RiskFixture.permissive(two));
        byte[] state = stateWithAnOpenOrder();
        assertThatThrownBy(() -> engine.readState(new StateReader(state)))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("instrument count 3, this engine's config has 2");
    }

    @Test
    void aStateWrittenForOtherInstrumentsIsRefusedNamingTheInstrument() {
        InstrumentRegistry other = InstrumentRegistry.builder()
                .add(new InstrumentSpec(Venue.BINANCE, "BTCUSDT", "BTC", "USDT", "0.01", "0.001", null, null, null, null))
                .add(new InstrumentSpec(Venue.COINBASE, "BTC-USD", "BTC", "USD", "0.01", "0.001", null, null, null, null))
                .add(new InstrumentSpec(Venue.KRAKEN, "SOL/USD", "SOL", "USD", "0.01", "0.01", null, null, null, null))
                .build();
        RiskEngine engine = new RiskEngine(other, RiskFixture.permissive(other));
        byte[] state = stateWithAnOpenOrder();
        assertThatThrownBy(() -> engine.readState(new StateReader(state)))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("instrument 2 = venue 2 ETH/USD")
                .hasMessageContaining("KRAKEN SOL/USD");
    }

    @Test
    void aStateWrittenWithAnotherOrderCapacityIsRefused() {
        RiskEngine engine = new RiskEngine(RiskFixture.registry(),
                RiskFixture.permissive(RiskFixture.registry()).withCapacities(8, 64, 4096));
        byte[] state = stateWithAnOpenOrder();
        assertThatThrownBy(() -> engine.readState(new StateReader(state)))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("order capacity (maxTrackedOrders) 4096, this engine's config has 8");
    }

    @Test
    void bytesThatAreNotARiskStateAreRefused() {
        RiskEngine engine = new RiskFixture().engine;
        assertThatThrownBy(() -> engine.readState(new StateReader(new byte[0])))
                .isInstanceOf(StateFormatException.class);
        assertThatThrownBy(() -> engine.readState(new StateReader(new byte[]{0, 0, 0, 1, 2, 3, 4, 5})))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("not a risk state");
    }

    @Test
    void theRestoredEngineShowsItsNumbersBeforeTheFirstTimer() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        f.trade(BTCUSDT, Side.BUY, FAIR_TICKS, 4);
        f.place(BTCUSDT, Side.SELL, FAIR_TICKS, 2);
        RiskEngine restored = new RiskFixture().engine;
        restored.readState(new StateReader(RiskStateRestoreProperties.write(f.engine)));
        assertThat(restored.view().positionLots(BTCUSDT)).isEqualTo(4);
        assertThat(restored.view().openOrders()).isEqualTo(1);
        assertThat(restored.view().approvedIntents()).isEqualTo(1);
        assertThat(restored.openLeaves(f.lastId())).isEqualTo(2);
    }
}
