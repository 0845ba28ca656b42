package io.mme.app;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.Source;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.ClassReader;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.ClassVisitor;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.MethodVisitor;
import com.tngtech.archunit.thirdparty.org.objectweb.asm.Opcodes;
import io.mme.core.runtime.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The rules of DESIGN.md and docs/ARCHITECTURE.md ("Rules the build enforces") as ArchUnit rules
 * over a root package, so that the same rules check the project ({@code io.mme}) and a fixture with
 * planted violations ({@code io.mme.archfixture}).
 *
 * <ul>
 *   <li>each module uses only the modules its pom names ({@link #MODULE_DEPENDENCIES}, with what
 *       those bring: Maven's compile classpath), so core and the public strategy API use nothing
 *       of ours, an engine module only core, a connector core and marketdata, and nothing uses app
 *       or bench;</li>
 *   <li>an engine reads time from its events: no engine class calls the wall clock (the
 *       benchmarks' latency probes excepted: measuring is their job);</li>
 *   <li>the engine packages ({@link #ENGINE_PACKAGES}: the single-threaded engines' code) use no
 *       I/O ({@code java.io}, {@code java.nio.file}, {@code java.net}), no Jackson, no
 *       {@code java.math}, no {@code java.util.stream}, and take no monitor ({@code synchronized}
 *       methods, or blocks as {@code monitorenter} in the bytecode), except the classes named in
 *       {@link #ENGINE_EXCEPTIONS} with their reason.</li>
 * </ul>
 */
final class ArchitectureRules {

    /**
     * Module → the modules of ours its pom depends on (compile scope), as the poms say;
     * {@code ArchitectureTest} compares this table with the poms.
     */
    static final Map<String, List<String>> MODULE_DEPENDENCIES = moduleDependencies();

    /** The engine packages (their own package only: marketdata's sessions and replay servers are I/O by design). */
    static final List<String> ENGINE_PACKAGES = List.of("marketdata", "strategy", "risk", "execution", "matching");

    /** Classes in the engine packages that may break the engine rules (relative to the root), and why. */
    static final Map<String, String> ENGINE_EXCEPTIONS = Map.of(
            "strategy.StrategyCatalog",
            "loads plug-in jars (files, a URLClassLoader, ServiceLoader's stream) once at start-up, on the"
                    + " assembling thread, before any engine runs; moving it out of io.mme.strategy is issue 21 point 2's");

    private ArchitectureRules() {
    }

    private static Map<String, List<String>> moduleDependencies() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> connectors = List.of("connector-binance", "connector-kraken", "connector-coinbase", "connector-hyperliquid");
        m.put("strategy-api", List.of());
        m.put("core", List.of());
        m.put("marketdata", List.of("core"));
        m.put("matching", List.of("core"));
        m.put("venue-gateway", List.of("core", "matching"));
        m.put("strategy", List.of("strategy-api", "core"));
        m.put("risk", List.of("core"));
        m.put("execution", List.of("core"));
        m.put("audit", List.of("core"));
        m.put("analytics", List.of("core"));
        for (String c : connectors) {
            m.put(c, List.of("core", "marketdata"));
        }
        m.put("backtest", List.of("core", "marketdata", "connector-binance", "matching"));
        List<String> app = new ArrayList<>(List.of("strategy-api", "core", "matching", "marketdata", "strategy", "risk",
                "execution", "audit", "analytics", "backtest"));
        app.addAll(connectors);
        m.put("app", List.copyOf(app));
        List<String> bench = new ArrayList<>(List.of("core", "matching", "venue-gateway", "marketdata", "strategy", "risk",
                "execution", "audit", "analytics"));
        bench.addAll(connectors);
        m.put("bench", List.copyOf(bench));
        return Collections.unmodifiableMap(m);
    }

    static List<ArchRule> all(String root) {
        List<ArchRule> rules = new ArrayList<>();
        for (String module : MODULE_DEPENDENCIES.keySet()) {
            rules.add(moduleUsesOnlyItsDependencies(root, module));
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
        rules.add(engineRule(root, "no I/O: engines take their input from the ring and hand output to it",
                "java.io..", "java.nio.file..", "java.net.."));
        rules.add(engineRule(root, "no Jackson: engines decode nothing, the edges do", "com.fasterxml.jackson.."));
        rules.add(engineRule(root, "no java.math: prices and sizes are fixed-point longs (DESIGN.md principle 3)", "java.math.."));
        rules.add(engineRule(root, "no java.util.stream: streams allocate per use (DESIGN.md principle 4)", "java.util.stream.."));
        rules.add(classes().that(inEnginePackages(root))
                .should(takeNoMonitor())
                .allowEmptyShould(true)
                .because("an engine owns its state on its one thread (DESIGN.md principle 1); a lock there is a design error"
                        + exceptionsText()));
        return rules;
    }

    /** The packages a module's classes live in (the strategy module is io.mme.strategy without its API). */
    static DescribedPredicate<JavaClass> moduleClasses(String root, String module) {
        if (module.equals("strategy-api")) {
            return resideInAPackage(root + ".strategy.api..");
        }
        if (module.equals("strategy")) {
            return resideInAPackage(root + ".strategy..").and(resideOutsideOfPackage(root + ".strategy.api.."))
                    .as("reside in package '" + root + ".strategy..' but not its api");
        }
        if (module.equals("venue-gateway")) {
            return resideInAPackage(root + ".venuegateway..");
        }
        if (module.startsWith("connector-")) {
            return resideInAPackage(root + ".connectors." + module.substring("connector-".length()) + "..");
        }
        return resideInAPackage(root + "." + module + "..");
    }

    private static ArchRule moduleUsesOnlyItsDependencies(String root, String module) {
        Set<String> allowed = new LinkedHashSet<>();
        addWithDependencies(module, allowed);
        DescribedPredicate<JavaClass> ok = resideOutsideOfPackage(root + "..");
        for (String a : allowed) {
            ok = ok.or(moduleClasses(root, a));
        }
        allowed.remove(module);
        return classes().that(moduleClasses(root, module))
                .should().onlyDependOnClassesThat(ok.as("are outside " + root + " or in " + module + " or " + allowed))
                .allowEmptyShould(true)
                .because("dependencies point down: module " + module + " may use only " + allowed
                        + " (its pom's modules and theirs)");
    }

    private static void addWithDependencies(String module, Set<String> into) {
        if (into.add(module)) {
            for (String d : MODULE_DEPENDENCIES.get(module)) {
                addWithDependencies(d, into);
            }
        }
    }

    private static DescribedPredicate<JavaClass> inEnginePackages(String root) {
        String[] packages = ENGINE_PACKAGES.stream().map(p -> root + "." + p).toArray(String[]::new);
        Set<String> exceptions = new LinkedHashSet<>();
        for (String e : ENGINE_EXCEPTIONS.keySet()) {
            exceptions.add(root + "." + e);
        }
        return resideInAnyPackage(packages).and(DescribedPredicate.describe("not a named exception",
                (JavaClass c) -> !exceptions.contains(outermost(c).getName())))
                .as("are in the engine packages " + ENGINE_PACKAGES + " (named exceptions aside)");
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }

    private static ArchRule engineRule(String root, String reason, String... forbidden) {
        return noClasses().that(inEnginePackages(root))
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .allowEmptyShould(true)
                .because(reason + exceptionsText());
    }

    private static String exceptionsText() {
        StringBuilder s = new StringBuilder();
        ENGINE_EXCEPTIONS.forEach((c, why) -> s.append("; exception ").append(c).append(": ").append(why));
        return s.toString();
    }

    /**
     * No {@code synchronized} method (ArchUnit sees the modifier) and no {@code synchronized} block:
     * ArchUnit does not model monitors, so the class file is read for {@code monitorenter}.
     */
    static ArchCondition<JavaClass> takeNoMonitor() {
        return new ArchCondition<>("take no monitor (no synchronized method or block)") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaMethod m : javaClass.getMethods()) {
                    if (m.getModifiers().contains(JavaModifier.SYNCHRONIZED)) {
                        events.add(SimpleConditionEvent.violated(javaClass,
                                "Method <" + m.getFullName() + "> is synchronized in " + m.getSourceCodeLocation()));
                    }
                }
                for (String method : methodsWithMonitorEnter(javaClass)) {
                    events.add(SimpleConditionEvent.violated(javaClass,
                            "Method <" + javaClass.getName() + "." + method + "> has a synchronized block (monitorenter) in ("
                                    + javaClass.getSourceCodeLocation().getSourceFileName() + ")"));
                }
            }
        };
    }

    private static List<String> methodsWithMonitorEnter(JavaClass javaClass) {
        Source source = javaClass.getSource().orElseThrow(() -> new IllegalStateException("no class file for " + javaClass.getName()));
        byte[] bytes;
        try (InputStream in = source.getUri().toURL().openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source.getUri(), e);
        }
        List<String> found = new ArrayList<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    private boolean reported;

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.MONITORENTER && !reported) {
                            reported = true;
                            found.add(name + descriptor);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found;
    }
}
