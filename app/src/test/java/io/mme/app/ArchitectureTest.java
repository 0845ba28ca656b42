package io.mme.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the dependency rules of DESIGN.md true for the whole reactor (the app's test classpath
 * holds every module), and proves on a small fixture with planted violations that the rules fire.
 */
class ArchitectureTest {

    @Test
    void theProjectFollowsTheDependencyRules() {
        // the connectors' test jars (recordings, replay sinks) are on this classpath as jars, which
        // DO_NOT_INCLUDE_TESTS does not recognise: their classes are tests too
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.mme");
        assertThat(production.contain(io.mme.core.runtime.Pipeline.class)).isTrue();
        assertThat(production.contain(Main.class)).isTrue();
        assertThat(production.contain("io.mme.connectors.kraken.ChainSink")).as("a connector's test class").isFalse();
        List<String> violations = new ArrayList<>();
        for (ArchRule rule : ArchitectureRules.all("io.mme")) {
            EvaluationResult result = rule.evaluate(production);
            violations.addAll(result.getFailureReport().getDetails());
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRulesCatchPlantedViolations() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.mme.archfixture");
        List<String> violations = new ArrayList<>();
        for (ArchRule rule : ArchitectureRules.all("io.mme.archfixture")) {
            violations.addAll(rule.evaluate(fixture).getFailureReport().getDetails());
        }
        assertThat(violations)
                .anySatisfy(v -> assertThat(v).contains("archfixture.core.CoreReachingUp").contains("archfixture.strategy"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.strategy.StrategyUsingRisk").contains("archfixture.risk.RiskLimits"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.strategy.api.ApiUsingEngine").contains("archfixture.strategy.CleanStrategy"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.risk.WallClockEngine").contains("nanoTime"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.risk.WallClockEngine").contains("Instant.now"));
        // a class that follows the rules is never the subject of a violation
        assertThat(violations).noneMatch(v -> v.matches("^\\w+ <io\\.mme\\.archfixture\\.strategy\\.CleanStrategy.*"));
    }
}
