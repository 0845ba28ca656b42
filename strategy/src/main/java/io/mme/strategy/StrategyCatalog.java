package io.mme.strategy;

import io.mme.strategy.api.StrategyFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The strategy types an engine can build, by type name: the built-in ones (listed in this module's
 * {@code META-INF/services/io.mme.strategy.api.StrategyFactory}) and those of the plug-in jars on
 * the strategy path, found with {@link ServiceLoader}. Each jar gets its own class loader whose
 * parent has the engine and the API, so a jar carries only its own classes.
 *
 * <p>Loading refuses, with a {@link StrategyPluginException} naming the jar and the cause: a path
 * that is neither a directory nor a {@code .jar}, a jar that does not open, a jar without a
 * factory, a factory that cannot be built, a type name that is not {@code [a-z0-9-]{1,32}}, and a
 * type name defined twice (naming both origins).
 *
 * <p>Immutable once loaded; any thread. Control path only (start-up): it allocates.
 */
public final class StrategyCatalog {
    /** what a strategy type name may look like */
    public static final Pattern TYPE = Pattern.compile("[a-z0-9-]{1,32}");
    private static final String SERVICE_FILE = "META-INF/services/" + StrategyFactory.class.getName();
    private static final String BUILT_IN = "built in";

    private final Map<String, StrategyFactory> factories;
    private final Map<String, String> origins;

    private StrategyCatalog(Map<String, StrategyFactory> factories, Map<String, String> origins) {
        this.factories = Collections.unmodifiableMap(factories);
        this.origins = Collections.unmodifiableMap(origins);
    }

    /** the built-in strategies only */
    public static StrategyCatalog builtIn() {
        return load(List.of());
    }

    /**
     * The built-in strategies and those of every jar on {@code strategyPath} (each entry a
     * {@code .jar} file or a directory whose {@code .jar} files are loaded in name order).
     *
     * @throws StrategyPluginException naming the path or jar and what is wrong with it
     */
    public static StrategyCatalog load(List<Path> strategyPath) {
        Map<String, StrategyFactory> factories = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        ClassLoader engine = StrategyCatalog.class.getClassLoader();
        Set<Class<?>> builtIn = new HashSet<>();
        for (StrategyFactory factory : ServiceLoader.load(StrategyFactory.class, engine)) {
            add(factory, BUILT_IN, factories, origins);
            builtIn.add(factory.getClass());
        }
        for (Path jar : jars(strategyPath)) {
            List<StrategyFactory> found = loadJar(jar, engine, builtIn);
            if (found.isEmpty()) {
                throw new StrategyPluginException("strategy jar " + jar + " has no StrategyFactory: list its factory class in "
                        + SERVICE_FILE);
            }
            for (StrategyFactory factory : found) {
                add(factory, jar.toString(), factories, origins);
            }
        }
        return new StrategyCatalog(factories, origins);
    }

    private static List<Path> jars(List<Path> strategyPath) {
        List<Path> jars = new ArrayList<>();
        for (Path entry : strategyPath) {
            if (Files.isDirectory(entry)) {
                List<Path> inside;
                try (Stream<Path> list = Files.list(entry)) {
                    inside = list.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
                } catch (IOException e) {
                    throw new StrategyPluginException("strategy path " + entry + ": the directory cannot be read: " + e.getMessage());
                }
                if (inside.isEmpty()) {
                    throw new StrategyPluginException("strategy path " + entry + ": the directory holds no .jar file");
                }
                jars.addAll(inside);
            } else if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
                jars.add(entry);
            } else if (!Files.exists(entry)) {
                throw new StrategyPluginException("strategy path " + entry + ": no such file or directory");
            } else {
                throw new StrategyPluginException("strategy path " + entry + ": neither a .jar file nor a directory of them");
            }
        }
        return jars;
    }

    /** the factories a jar lists (its loader also sees the engine's own list: those are left out) */
    private static List<StrategyFactory> loadJar(Path jar, ClassLoader parent, Set<Class<?>> builtIn) {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(SERVICE_FILE) == null) {
                return List.of();
            }
        } catch (IOException e) {
            throw new StrategyPluginException("strategy jar " + jar + " does not load: " + e.getMessage());
        }
        URL url;
        try {
            url = jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new StrategyPluginException("strategy jar " + jar + " does not load: " + e.getMessage());
        }
        // kept open for the engine's lifetime: its classes are the strategies
        URLClassLoader loader = new URLClassLoader("strategy-plugin:" + jar.getFileName(), new URL[]{url}, parent);
        List<StrategyFactory> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<StrategyFactory>> providers = ServiceLoader.load(StrategyFactory.class, loader).stream().iterator();
        try {
            while (providers.hasNext()) {
                ServiceLoader.Provider<StrategyFactory> provider = providers.next();
                if (!builtIn.contains(provider.type())) {
                    found.add(provider.get());
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new StrategyPluginException("strategy jar " + jar + ": a factory cannot be built: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        }
        return found;
    }

    private static void add(StrategyFactory factory, String origin, Map<String, StrategyFactory> factories, Map<String, String> origins) {
        String type;
        try {
            type = factory.type();
        } catch (RuntimeException e) {
            throw new StrategyPluginException("strategy factory " + factory.getClass().getName() + " (" + origin + ") threw from type(): " + e);
        }
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new StrategyPluginException("strategy factory " + factory.getClass().getName() + " (" + origin + ") has the type name '"
                    + type + "': it must match " + TYPE.pattern());
        }
        StrategyFactory same = factories.putIfAbsent(type, factory);
        if (same != null) {
            throw new StrategyPluginException("strategy type '" + type + "' is defined twice: by " + same.getClass().getName() + " ("
                    + origins.get(type) + ") and by " + factory.getClass().getName() + " (" + origin + ")");
        }
        origins.put(type, origin);
    }

    /** the factory of a type, or null when no loaded strategy has that name */
    public StrategyFactory factory(String type) {
        return factories.get(type);
    }

    /** every type name: the built-in ones first, then each jar's, in load order */
    public List<String> types() {
        return List.copyOf(factories.keySet());
    }

    /** where a type comes from: "built in" or its jar's path; null for an unknown type */
    public String origin(String type) {
        return origins.get(type);
    }
}
