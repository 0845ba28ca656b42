package io.mme.app;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import io.mme.core.runtime.Engine;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency rules of DESIGN.md as ArchUnit rules over a root package, so that the same rules
 * check the project ({@code io.mme}) and a fixture with planted violations.
 *
 * <ul>
 *   <li>core depends on nothing else of ours;</li>
 *   <li>the public strategy API ({@code strategy.api}, its own artifact a desk compiles against)
 *       depends on nothing else of ours, not even core;</li>
 *   <li>an engine module (marketdata, matching, strategy, risk, execution, audit, analytics)
 *       depends only on core and on itself;</li>
 *   <li>a connector depends only on core, marketdata (for checksums over the book) and itself;</li>
 *   <li>app and bench sit on top; nothing depends on them;</li>
 *   <li>an engine reads time from its events: no engine class calls the wall clock (the
 *       benchmarks' latency probes excepted: measuring is their job).</li>
 * </ul>
 */
final class ArchitectureRules {
    static final List<String> ENGINE_MODULES = List.of("marketdata", "matching", "strategy", "risk", "execution", "audit", "analytics");
    static final List<String> CONNECTORS = List.of("binance", "coinbase", "kraken");

    private ArchitectureRules() {
    }

    static List<ArchRule> all(String root) {
        List<ArchRule> rules = new ArrayList<>();
        rules.add(onlyDependsOn(root, root + ".core..", root + ".core.."));
        rules.add(onlyDependsOn(root, root + ".strategy.api..", root + ".strategy.api.."));
        for (String module : ENGINE_MODULES) {
            String own = root + "." + module + "..";
            rules.add(onlyDependsOn(root, own, root + ".core..", own));
        }
        for (String venue : CONNECTORS) {
            String own = root + ".connectors." + venue + "..";
            rules.add(onlyDependsOn(root, own, root + ".core..", root + ".marketdata..", own));
        }
        rules.add(noClasses().that().resideOutsideOfPackages(root + ".app..", root + ".bench..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".app..", root + ".bench..")
                .allowEmptyShould(true)
                .because("app and bench are the top of the graph"));
        rules.add(noClasses().that().implement(Engine.class).and().resideInAPackage(root + "..")
                .and().resideOutsideOfPackage(root + ".bench..")
                .should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethodWhere(target(name("now")).and(target(owner(resideInAPackage("java.time")))))
                .allowEmptyShould(true)
                .because("an engine's clock is the event's timestamp (DESIGN.md principle 2)"));
        return rules;
    }

    private static ArchRule onlyDependsOn(String root, String subject, String... allowed) {
        DescribedPredicate<JavaClass> ok = resideOutsideOfPackage(root + "..");
        for (String a : allowed) {
            ok = ok.or(resideInAPackage(a));
        }
        return classes().that().resideInAPackage(subject)
                .should().onlyDependOnClassesThat(ok)
                .allowEmptyShould(true)
                .because("dependencies point down: " + subject + " may use only " + String.join(", ", allowed));
    }
}
