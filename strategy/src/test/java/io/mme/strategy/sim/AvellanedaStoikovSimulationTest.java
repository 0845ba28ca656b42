package io.mme.strategy.sim;

import io.mme.strategy.sim.AvellanedaStoikovSimulation.Report;
import io.mme.strategy.sim.AvellanedaStoikovSimulation.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

class AvellanedaStoikovSimulationTest {
    @Test
    void gammaPointOneReproducesThePapersTable() {
        Report report = AvellanedaStoikovSimulation.run(0.1, 1000, 1);
        Result inventory = report.inventory();
        Result symmetric = report.symmetric();
        // paper: inventory profit 62.94 (std 5.89), final q 0.08 (std 2.80)
        assertThat(inventory.profitMean()).isCloseTo(62.94, withPercentage(10));
        assertThat(inventory.profitStd()).isCloseTo(5.89, withPercentage(15));
        assertThat(inventory.finalQMean()).isCloseTo(0.08, within(0.5));
        assertThat(inventory.finalQStd()).isCloseTo(2.80, withPercentage(10));
        // paper: symmetric profit 67.21 (std 13.43), final q -0.018 (std 8.66)
        assertThat(symmetric.profitMean()).isCloseTo(67.21, withPercentage(10));
        assertThat(symmetric.profitStd()).isCloseTo(13.43, withPercentage(10));
        assertThat(symmetric.finalQMean()).isCloseTo(-0.018, within(1.0));
        assertThat(symmetric.finalQStd()).isCloseTo(8.66, withPercentage(10));
        // the paper prints 1.29, the liquidity term alone; with γσ²(T−t) averaged over t (0.2) it is 1.49
        assertThat(inventory.avgSpread()).isCloseTo(2 / 0.1 * Math.log(1 + 0.1 / 1.5) + 0.2, within(0.01));
        assertThat(symmetric.avgSpread()).isEqualTo(inventory.avgSpread());
        assertThat(inventory.finalQStd()).isLessThan(symmetric.finalQStd() / 2);
        assertThat(inventory.profitStd()).isLessThan(symmetric.profitStd() / 2);
    }

    @Test
    void theSameSeedGivesTheSameResultAndAnotherSeedAnotherOne() {
        assertThat(AvellanedaStoikovSimulation.run(0.1, 50, 7)).isEqualTo(AvellanedaStoikovSimulation.run(0.1, 50, 7));
        assertThat(AvellanedaStoikovSimulation.run(0.1, 50, 8).inventory().profitMean())
                .isNotEqualTo(AvellanedaStoikovSimulation.run(0.1, 50, 7).inventory().profitMean());
    }

    @Test
    void rendersOneJsonLinePerStrategyInventoryFirstAndATable() {
        Report report = AvellanedaStoikovSimulation.run(0.1, 20, 1);
        String[] lines = report.jsonLines().split("\n");
        assertThat(lines).hasSize(2);
        String number = "-?[0-9]+\\.[0-9]+";
        assertThat(lines[0]).matches("\\{\"strategy\":\"inventory\",\"gamma\":0\\.1,\"runs\":20,\"avg_spread\":" + number
                + ",\"profit_mean\":" + number + ",\"profit_std\":" + number + ",\"final_q_mean\":" + number
                + ",\"final_q_std\":" + number + "}");
        assertThat(lines[1]).startsWith("{\"strategy\":\"symmetric\",\"gamma\":0.1,\"runs\":20,");
        assertThat(report.table()).contains("inventory", "symmetric", "profit");
    }
}
