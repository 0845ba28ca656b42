package io.mme.matching;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue models on hand-computed cases: the share of an unexplained decrease taken from ahead of us. */
class QueueModelTest {

    @Test
    void riskAverseTakesADecreaseFromBehindUntilNothingIsLeftBehind() {
        QueueModel model = QueueModel.riskAverse();
        // 100 ahead, 50 behind: a decrease of 30 was all behind us
        assertThat(model.aheadAfterDecrease(100, 50, 30)).isEqualTo(100);
        // a decrease of 80 is more than the 50 behind: the other 30 must have been ahead
        assertThat(model.aheadAfterDecrease(100, 50, 80)).isEqualTo(70);
    }

    @Test
    void powerTwoTakesTheDecreaseInProportionToTheSquares() {
        QueueModel model = QueueModel.power(2);
        // p = 30^2 / (30^2 + 10^2) = 900 / 1000 = 0.9; 0.9 x 10 = 9 taken from ahead
        assertThat(model.aheadAfterDecrease(30, 10, 10)).isEqualTo(21);
        // p = 10^2 / (10^2 + 30^2) = 0.1; 0.1 x 20 = 2
        assertThat(model.aheadAfterDecrease(10, 30, 20)).isEqualTo(8);
    }

    @Test
    void powerOneIsTheShareOfTheQueueAhead() {
        QueueModel model = QueueModel.power(1);
        // p = 10 / 40 = 0.25; 0.25 x 20 = 5
        assertThat(model.aheadAfterDecrease(10, 30, 20)).isEqualTo(5);
    }

    @Test
    void logUsesTheLogarithmOfOnePlusEachSide() {
        QueueModel model = QueueModel.log();
        // p = ln 10 / (ln 10 + ln 100) = 1/3; 6 / 3 = 2
        assertThat(model.aheadAfterDecrease(9, 99, 6)).isEqualTo(7);
        // p = ln 100 / (ln 100 + ln 10) = 2/3; 2/3 x 6 = 4
        assertThat(model.aheadAfterDecrease(99, 9, 6)).isEqualTo(95);
        // 2/3 x 30 = 20, but only 9 were behind: at least 21 came from ahead
        assertThat(model.aheadAfterDecrease(99, 9, 30)).isEqualTo(78);
    }

    @Test
    void nothingAheadStaysNothingAndNothingBehindMeansTheWholeDecreaseWasAhead() {
        assertThat(QueueModel.power(2).aheadAfterDecrease(0, 50, 10)).isZero();
        assertThat(QueueModel.log().aheadAfterDecrease(40, 0, 15)).isEqualTo(25);
        assertThat(QueueModel.riskAverse().aheadAfterDecrease(40, 0, 15)).isEqualTo(25);
        // never below zero
        assertThat(QueueModel.power(3).aheadAfterDecrease(5, 0, 15)).isZero();
    }

    @Test
    void theCommandLineFormsParseAndBadOnesAreNamed() {
        assertThat(QueueModel.parse("risk-averse").name()).isEqualTo("risk-averse");
        assertThat(QueueModel.parse("power:2").name()).isEqualTo("power:2");
        assertThat(QueueModel.parse("power:0.5").name()).isEqualTo("power:0.5");
        assertThat(QueueModel.parse("LOG").name()).isEqualTo("log");
        assertThatThrownBy(() -> QueueModel.parse("fifo")).hasMessageContaining("queue model 'fifo'")
                .hasMessageContaining("risk-averse, power:N");
        assertThatThrownBy(() -> QueueModel.parse("power:x")).hasMessageContaining("power:x");
        assertThatThrownBy(() -> QueueModel.parse("power:-1")).hasMessageContaining("positive");
    }
}
