package io.mme.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the rules of DESIGN.md and docs/ARCHITECTURE.md ("Rules the build enforces") true for the
 * whole reactor, proves on a small fixture with planted violations that each rule fires, and keeps
 * the rules' module table equal to the poms. The app's test classpath holds every module but bench
 * (venue-gateway as a test dependency for this scan); bench's rule is proven on the fixture but
 * its classes are not scanned here.
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
        assertThat(production.contain("io.mme.venuegateway.VenueServer")).as("venue-gateway, a test dependency for this scan").isTrue();
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
                // module dependencies
                .anySatisfy(v -> assertThat(v).contains("archfixture.core.CoreReachingUp").contains("archfixture.strategy"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.strategy.StrategyUsingRisk").contains("archfixture.risk.RiskLimits"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.strategy.api.ApiUsingEngine").contains("archfixture.strategy.CleanStrategy"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.venuegateway.GatewayUsingRisk").contains("archfixture.risk.RiskLimits"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.backtest.BacktestUsingStrategy").contains("archfixture.strategy.CleanStrategy"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.connectors.hyperliquid.ConnectorUsingMatching").contains("archfixture.matching.DecimalBook"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.bench.BenchUsingBacktest").contains("archfixture.backtest.BacktestUsingStrategy"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.app.AppUsingVenueGateway").contains("archfixture.venuegateway.GatewayUsingRisk"))
                // an engine's clock
                .anySatisfy(v -> assertThat(v).contains("archfixture.risk.WallClockEngine").contains("nanoTime"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.risk.WallClockEngine").contains("Instant.now"))
                // the engine packages
                .anySatisfy(v -> assertThat(v).contains("archfixture.risk.FileReadingRisk").contains("java.io.File"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.risk.FileReadingRisk").contains("java.nio.file.Files"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.risk.FileReadingRisk").contains("java.net.URI"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.execution.JsonExecution").contains("com.fasterxml.jackson.databind.ObjectMapper"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.matching.DecimalBook").contains("java.math.BigDecimal"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.marketdata.StreamingBook").contains("java.util.stream.IntStream"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.strategy.LockedStrategy.quote()").contains("is synchronized"))
                .anySatisfy(v -> assertThat(v).contains("archfixture.execution.LockingExecution.add()").contains("synchronized block"));
        // a class that follows the rules, or is a named exception, or lies outside the engine
        // packages proper, is never the subject of a violation
        assertThat(violations)
                .noneMatch(v -> v.matches("^\\w+ <io\\.mme\\.archfixture\\.strategy\\.CleanStrategy.*"))
                .noneMatch(v -> v.matches("^\\w+ <io\\.mme\\.archfixture\\.strategy\\.StrategyCatalog.*"))
                .noneMatch(v -> v.matches("^\\w+ <io\\.mme\\.archfixture\\.marketdata\\.session\\.SocketSession.*"));
        assertThat(fixture.contain("io.mme.archfixture.strategy.StrategyCatalog")).isTrue();
        assertThat(fixture.contain("io.mme.archfixture.marketdata.session.SocketSession")).isTrue();
    }

    /** The module table the rules use is the poms' own: each module's compile-scope dependencies on our modules. */
    @Test
    void theModuleTableIsThePoms() throws Exception {
        Path project = Path.of(System.getProperty("mme.project.dir", "..")).toAbsolutePath().normalize();
        Map<String, Set<String>> poms = new TreeMap<>();
        Map<String, Set<String>> table = new TreeMap<>();
        ArchitectureRules.MODULE_DEPENDENCIES.forEach((module, uses) -> table.put(module, new TreeSet<>(uses)));
        for (String module : ArchitectureRules.MODULE_DEPENDENCIES.keySet()) {
            String dir = module.startsWith("connector-") ? "connectors/" + module.substring("connector-".length()) : module;
            poms.put(module, new TreeSet<>(ourCompileDependencies(project.resolve(dir).resolve("pom.xml"))));
        }
        assertThat(poms).isEqualTo(table);
        try (Stream<String> lines = Files.lines(project.resolve("pom.xml"))) {
            assertThat(lines.filter(l -> l.trim().startsWith("<module>")).count())
                    .as("every reactor module is in the table").isEqualTo(ArchitectureRules.MODULE_DEPENDENCIES.size());
        }
    }

    private static List<String> ourCompileDependencies(Path pom) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        List<String> ours = new ArrayList<>();
        NodeList dependencies = doc.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            String scope = text(d, "scope");
            if (text(d, "groupId").equals("io.mme") && (scope.isEmpty() || scope.equals("compile"))
                    && d.getParentNode().getParentNode() instanceof Element p && p.getTagName().equals("project")) {
                ours.add(text(d, "artifactId").substring("mme-".length()));
            }
        }
        return ours;
    }

    private static String text(Element parent, String tag) {
        NodeList children = parent.getElementsByTagName(tag);
        return children.getLength() == 0 ? "" : children.item(0).getTextContent().trim();
    }
}
