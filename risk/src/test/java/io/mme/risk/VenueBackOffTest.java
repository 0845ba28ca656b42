package io.mme.risk;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.ControlCommands;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static io.mme.risk.RiskFixture.BTCUSD;
import static io.mme.risk.RiskFixture.BTCUSDT;
import static io.mme.risk.RiskFixture.FAIR_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

/** A venue's order to stop sending, relayed by its gateway as a control event, holds risk's approvals for that venue. */
class VenueBackOffTest {
    private static final long MS = 1_000_000L;

    private static boolean approved(QuoteIntent intent) {
        return intent.verdict() == RiskVerdict.APPROVED;
    }

    @Test
    void newOrdersOnTheVenueAreRefusedUntilTheBackOffEndsInEventTime() {
        RiskFixture f = new RiskFixture();
        f.fairValues();
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
        long id = f.lastId();
        long untilMs = f.now / MS + 2_000;
        f.control(ControlCommands.VENUE_BACKOFF, 0, "binance", "429 Retry-After 2", Venue.BINANCE.id(), -1, null, untilMs);

        QuoteIntent refused = f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1);
        assertThat(RiskCheck.ofCode(refused.rejectCode())).isEqualTo(RiskCheck.VENUE_BACKOFF);
        assertThat(RiskCheck.ofCode(f.replace(id, BTCUSDT, Side.BUY, FAIR_TICKS - 1, 1).rejectCode())).isEqualTo(RiskCheck.VENUE_BACKOFF);
        // cancels take risk off: always approved; other venues trade on
        assertThat(approved(f.cancel(id, BTCUSDT, Side.BUY))).isTrue();
        assertThat(approved(f.place(BTCUSD, Side.BUY, FAIR_TICKS, 1))).isTrue();
        // a shorter back-off does not shorten it
        f.control(ControlCommands.VENUE_BACKOFF, 0, "binance", "a later, shorter one", Venue.BINANCE.id(), -1, null, untilMs - 1_500);

        f.now = untilMs * MS - 1;
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isFalse();
        f.now = untilMs * MS;
        assertThat(approved(f.place(BTCUSDT, Side.BUY, FAIR_TICKS, 1))).isTrue();
    }
}
