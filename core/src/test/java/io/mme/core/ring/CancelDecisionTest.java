package io.mme.core.ring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CancelDecisionTest {

    @Test
    void coversExactlyThePairsAddedAcrossGrowthAndClearsForTheNextLap() {
        CancelDecision d = new CancelDecision();
        assertThat(d.isEmpty()).isTrue();
        d.cancel(0, Side.SELL).cancelBoth(200).cancel(200, Side.BUY);
        assertThat(d.pairs()).isEqualTo(3);
        assertThat(d.covers(0, Side.SELL)).isTrue();
        assertThat(d.covers(0, Side.BUY)).isFalse();
        assertThat(d.covers(200, Side.BUY)).isTrue();
        assertThat(d.covers(200, Side.SELL)).isTrue();
        assertThat(d.covers(199, Side.SELL)).isFalse();
        assertThat(d.covers(5_000, Side.BUY)).isFalse();
        assertThat(d.covers(-1, Side.BUY)).isFalse();
        assertThat(d.covers(0, null)).isFalse();
        assertThat(d).hasToString("cancel[0S 200B 200S]");

        d.clear();
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.covers(200, Side.BUY)).isFalse();
        assertThatThrownBy(() -> d.cancel(-1, Side.BUY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewLapOfTheSlotStartsWithoutTheLastLapsDecision() {
        InboundEvent event = new InboundEvent();
        event.begin(1, InboundEventType.CONTROL, 0);
        event.cancels().cancelBoth(3);
        event.begin(2, InboundEventType.TIMER, 0);
        assertThat(event.cancels().isEmpty()).isTrue();
    }
}
