package io.mme.execution;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.Side;
import org.junit.jupiter.api.Test;

import static io.mme.execution.Harness.INSTRUMENT;
import static io.mme.execution.Harness.SECOND;
import static io.mme.execution.Harness.VENUE;
import static org.assertj.core.api.Assertions.assertThat;

class OpenOrdersViewTest {
    private final Harness h = new Harness();
    private final OpenOrdersView view = h.engine.openOrdersView();
    private final OpenOrdersView.OpenOrders copy = view.newBuffer();

    @Test
    void openOrdersAppearOnlyOnceATimerPublishesThemWithEveryField() {
        long placedAt = h.now;
        long id = h.placeAccepted(100, 5);
        assertThat(view.read(copy)).isTrue();
        assertThat(copy.count()).as("nothing published before a TIMER").isZero();

        h.timer(SECOND);
        assertThat(view.read(copy)).isTrue();
        assertThat(copy.count()).isEqualTo(1);
        assertThat(copy.clientOrderId(0)).isEqualTo(id);
        assertThat(copy.venueId(0)).isEqualTo(VENUE);
        assertThat(copy.instrumentId(0)).isEqualTo(INSTRUMENT);
        assertThat(copy.side(0)).isEqualTo(Side.BUY);
        assertThat(copy.priceTicks(0)).isEqualTo(100);
        assertThat(copy.quantityLots(0)).isEqualTo(5);
        assertThat(copy.filledLots(0)).isZero();
        assertThat(copy.state(0)).isEqualTo("NEW");
        assertThat(copy.placedNanos(0)).isEqualTo(placedAt);
        assertThat(copy.publishedAtNanos()).isEqualTo(h.now);
    }

    @Test
    void aPartialFillIsPublishedAsOurFillAndTheFilledOrderLeavesTheOpenOrders() {
        long id = h.placeAccepted(100, 5);
        h.fill(ExecType.PARTIALLY_FILLED, id, 2, 3);
        h.timer(SECOND);
        view.read(copy);
        assertThat(copy.count()).isEqualTo(1);
        assertThat(copy.filledLots(0)).isEqualTo(2);
        assertThat(copy.state(0)).isEqualTo("PARTIALLY_FILLED");
        assertThat(copy.fillCount()).isEqualTo(1);
        assertThat(copy.fillClientOrderId(0)).isEqualTo(id);
        assertThat(copy.fillLots(0)).isEqualTo(2);
        assertThat(copy.fillPriceTicks(0)).isEqualTo(100);
        assertThat(copy.fillSide(0)).isEqualTo(Side.BUY);

        h.fill(ExecType.FILLED, id, 3, 0);
        h.timer(SECOND);
        view.read(copy);
        assertThat(copy.count()).isZero();
        assertThat(copy.fillCount()).isEqualTo(2);
        assertThat(copy.fillLots(1)).isEqualTo(3);
        assertThat(copy.fillsTotal()).isEqualTo(2);
    }

    @Test
    void onlyTheLastFillsAreKeptOldestFirst() {
        int orders = OpenOrdersView.FILLS_KEPT + 5;
        long last = 0;
        for (int i = 0; i < orders; i++) {
            last = h.placeAccepted(100 + i, 1);
            h.fill(ExecType.FILLED, last, 1, 0);
        }
        h.timer(SECOND);
        view.read(copy);
        assertThat(copy.fillCount()).isEqualTo(OpenOrdersView.FILLS_KEPT);
        assertThat(copy.fillsTotal()).isEqualTo(orders);
        assertThat(copy.fillClientOrderId(OpenOrdersView.FILLS_KEPT - 1)).isEqualTo(last);
        assertThat(copy.fillTimeNanos(0)).isLessThanOrEqualTo(copy.fillTimeNanos(OpenOrdersView.FILLS_KEPT - 1));
    }
}
