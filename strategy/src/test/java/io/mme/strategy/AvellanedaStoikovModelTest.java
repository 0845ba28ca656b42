package io.mme.strategy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AvellanedaStoikovModelTest {
    private final AvellanedaStoikovModel model = new AvellanedaStoikovModel(0.1, 1.5, 140);

    @Test
    void reservationPriceAndSpreadFollowThePaper() {
        assertThat(model.reservationPrice(100, 3, 2, 0.5)).isCloseTo(99.4, within(1e-12));
        assertThat(model.reservationPrice(100, -3, 2, 0.5)).isCloseTo(100.6, within(1e-12));
        double spread = 0.1 * 4 * 0.5 + 2 / 0.1 * Math.log(1 + 0.1 / 1.5);
        assertThat(model.spread(2, 0.5)).isCloseTo(spread, within(1e-12)).isCloseTo(1.4907704, within(1e-6));
        assertThat(model.bid(100, 3, 2, 0.5)).isCloseTo(99.4 - spread / 2, within(1e-12));
        assertThat(model.ask(100, 3, 2, 0.5)).isCloseTo(99.4 + spread / 2, within(1e-12));
    }

    @Test
    void atTheHorizonOnlyTheLiquidityTermOfTheSpreadIsLeftAndInventoryNoLongerShifts() {
        assertThat(model.spread(2, 0)).isCloseTo(1.2907704, within(1e-6));
        assertThat(model.reservationPrice(100, 5, 2, 0)).isEqualTo(100);
    }

    @Test
    void fillIntensityDecaysExponentiallyWithDistance() {
        assertThat(model.intensity(0)).isEqualTo(140);
        assertThat(model.intensity(1)).isCloseTo(140 * Math.exp(-1.5), within(1e-12));
    }

    @Test
    void nonPositiveParametersAreRefused() {
        assertThatThrownBy(() -> new AvellanedaStoikovModel(0, 1.5, 140)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AvellanedaStoikovModel(0.1, Double.NaN, 140)).isInstanceOf(IllegalArgumentException.class);
    }
}
