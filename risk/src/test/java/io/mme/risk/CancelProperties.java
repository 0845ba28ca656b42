package io.mme.risk;

import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import io.mme.core.ring.TradingState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/** CANCEL is approved whatever the states, limits, fair value or target say. */
class CancelProperties {

    @Property(tries = 200)
    void cancelIsAlwaysApproved(@ForAll TradingState global, @ForAll TradingState venue, @ForAll TradingState instrument,
                                @ForAll @IntRange(min = 0, max = 2) int instrumentId, @ForAll boolean fairValue,
                                @ForAll @LongRange(min = 0, max = 3) long zeroedLimit, @ForAll long target,
                                @ForAll Side side) {
        RiskFixture f = new RiskFixture();
        if (fairValue) {
            f.fairValues();
        }
        f.setState(-1, -1, global);
        f.setState(RiskFixture.venueOf(instrumentId), -1, venue);
        f.setState(-1, instrumentId, instrument);
        f.setLimit(1, -1, instrumentId, LimitKind.MAX_POSITION, zeroedLimit);
        f.setLimit(2, RiskFixture.venueOf(instrumentId), -1, LimitKind.ORDER_BURST, 0);
        assertThat(f.cancel(target, instrumentId, side).verdict()).isEqualTo(RiskVerdict.APPROVED);
    }
}
