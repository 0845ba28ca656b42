package io.mme.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mme.core.instrument.AssetAliases;
import io.mme.core.instrument.InstrumentConfigException;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import io.mme.core.runtime.EngineSpec;
import io.mme.core.runtime.PipelineConfig;
import io.mme.core.runtime.WaitStrategyKind;
import io.mme.core.instrument.FixedPointException;
import io.mme.core.instrument.Instrument;
import io.mme.marketdata.FairValueMethod;
import io.mme.matching.PaperVenue;
import io.mme.matching.SelfTradePrevention;
import io.mme.matching.SimulatedMarket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the YAML configuration, merges it over the defaults, applies {@code MME_…} environment
 * overrides and validates everything, reporting every error with its key, its value, where the
 * value came from and what was expected. Runs once at start-up on the main thread.
 *
 * <p>Environment overrides: a key's variable is {@code MME_} followed by its path in upper snake
 * case, list indices as numbers: {@code engine.inboundRingSize} is {@code MME_ENGINE_INBOUND_RING_SIZE},
 * {@code engine.engines.risk.cpu} is {@code MME_ENGINE_ENGINES_RISK_CPU},
 * {@code instruments[0].tickSize} is {@code MME_INSTRUMENTS_0_TICK_SIZE}. Only the names of
 * overriding variables are logged, never their values.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    static final String ENV_PREFIX = "MME_";
    /** MME_ variables that are not configuration keys (store addresses, launcher settings, keys) */
    private static final List<String> NOT_CONFIG = List.of("MME_PG_", "MME_REDIS_", "MME_LOG_", "MME_JAVA", "MME_JVM",
            "MME_HOME", "MME_SHARED_DIR", "MME_BINANCE_", "MME_COINBASE_", "MME_KRAKEN_", "MME_API_");
    /**
     * The variables Kubernetes sets for every service of the namespace (service links): a service
     * named mme-postgres gives MME_POSTGRES_SERVICE_HOST, MME_POSTGRES_PORT_5432_TCP_ADDR and the like
     */
    private static final java.util.regex.Pattern SERVICE_LINK = java.util.regex.Pattern.compile(
            "MME_[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");
    private static final int MAX_RING_SIZE = 1 << 30;

    private final ObjectMapper yaml;

    public ConfigLoader() {
        yaml = new ObjectMapper(new YAMLFactory());
        yaml.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        yaml.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        yaml.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** Loads {@code file} (or only defaults and environment when null). */
    public MmeSettings load(Path file, Map<String, String> environment) {
        String fileSource = file == null ? "defaults" : file.toString();
        JsonNode fromFile;
        if (file == null) {
            fromFile = JsonNodeFactory.instance.objectNode();
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                fromFile = readTree(in, fileSource);
            } catch (NoSuchFileException e) {
                throw new ConfigException(List.of(new ConfigError("--config", file.toString(), "an existing YAML file", null)));
            } catch (IOException e) {
                throw new ConfigException(List.of(new ConfigError("--config", file.toString(), "a readable YAML file (" + e.getMessage() + ")", null)));
            }
        }
        return load(fromFile, fileSource, environment);
    }

    /**
     * Writes the effective configuration (file, defaults and environment merged) as YAML, so that a
     * replay of a journal is built exactly as the run that wrote it was; {@link #load} reads it back.
     */
    public void writeEffective(MmeSettings settings, Path file) {
        try {
            yaml.writeValue(file.toFile(), settings.raw());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the configuration to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads a configuration held in a classpath resource (the built-in demo configuration). */
    public MmeSettings loadResource(String resource, Map<String, String> environment) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in configuration " + resource + " is missing from the jar");
            }
            return load(readTree(in, resource), resource, environment);
        } catch (IOException e) {
            throw new IllegalStateException("built-in configuration " + resource + " cannot be read", e);
        }
    }

    private JsonNode readTree(InputStream in, String source) throws IOException {
        try {
            JsonNode tree = yaml.readTree(in);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!tree.isObject()) {
                throw new ConfigException(List.of(new ConfigError("(root)", tree.toString(), "a YAML mapping of keys", source)));
            }
            return tree;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException(List.of(new ConfigError("(file)", source, "well-formed YAML" + where + ": " + e.getOriginalMessage(), null)));
        }
    }

    /**
     * Every stage reports all it finds, and the stages after it still run: an environment variable
     * that names no key, every key or value the records cannot take (each one reported, then put
     * back to its default or dropped so that binding goes on), then the validation of the values.
     * A key reported by an earlier stage is not reported again by a later one.
     */
    MmeSettings load(JsonNode fromFile, String fileSource, Map<String, String> environment) {
        ObjectNode defaults = yaml.valueToTree(MmeConfig.defaults());
        ObjectNode merged = defaults.deepCopy();
        merge(merged, fromFile);
        Map<String, String> sources = new TreeMap<>();
        List<String> environmentLines = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>();
        applyEnvironment(merged, environment, sources, environmentLines, errors);
        exactDecimalsAsText(merged);
        exactDecimalsAsText(defaults);

        MmeConfig config = null;
        String previous = null;
        for (int attempt = 0; attempt < MAX_BINDING_ERRORS && config == null; attempt++) {
            try {
                config = yaml.treeToValue(merged, MmeConfig.class);
            } catch (JsonProcessingException e) {
                ConfigError error = bindingError(e, merged, fileSource, sources);
                String signature = error.key() + '|' + e.getOriginalMessage();
                if (signature.equals(previous) || !(e instanceof JsonMappingException m) || !repair(merged, defaults, m.getPath(), e)) {
                    errors.add(error);
                    break; // cannot bind past this one: what was found so far is reported
                }
                errors.add(error);
                previous = signature;
            }
        }
        if (config == null) {
            environmentLines.forEach(LOG::info);
            throw new ConfigException(errors);
        }
        List<ConfigError> found = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        MmeSettings settings = validate(config, found, notes, fileSource, sources);
        for (ConfigError e : found) {
            if (errors.stream().noneMatch(earlier -> covers(earlier.key(), e.key()))) {
                errors.add(e);
            }
        }
        if (errors.isEmpty()) {
            // the log's first line says where each venue's orders go
            LOG.info(settings.venues().describeModes());
        }
        environmentLines.forEach(LOG::info);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, notes);
        }
        return settings;
    }

    /** errors the binding stage may report before it gives up (each repaired to go on) */
    private static final int MAX_BINDING_ERRORS = 200;

    /** true when an error on {@code earlier} already explains one on {@code later} (the same key or one inside it) */
    private static boolean covers(String earlier, String later) {
        return later.equals(earlier) || later.startsWith(earlier + ".") || later.startsWith(earlier + "[");
    }

    /**
     * Makes the tree bindable past one binding error: an unknown key is dropped; a value of the
     * wrong type becomes the default at its path, or is dropped (null in a list) when there is none.
     */
    private static boolean repair(ObjectNode root, JsonNode defaults, List<JsonMappingException.Reference> path, JsonProcessingException e) {
        if (path.isEmpty()) {
            return false;
        }
        JsonNode parent = root;
        JsonNode defaultParent = defaults;
        for (JsonMappingException.Reference ref : path.subList(0, path.size() - 1)) {
            parent = ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
            defaultParent = defaultParent == null ? null
                    : ref.getFieldName() != null ? defaultParent.get(ref.getFieldName()) : defaultParent.get(ref.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && last.getFieldName() != null) {
            JsonNode fallback = e instanceof UnrecognizedPropertyException || defaultParent == null ? null : defaultParent.get(last.getFieldName());
            if (fallback != null && !fallback.equals(object.get(last.getFieldName()))) {
                object.set(last.getFieldName(), fallback.deepCopy());
            } else if (object.has(last.getFieldName())) {
                object.remove(last.getFieldName());
            } else {
                return false;
            }
            return true;
        }
        if (parent instanceof ArrayNode array && last.getIndex() >= 0 && last.getIndex() < array.size() && !array.get(last.getIndex()).isNull()) {
            array.set(last.getIndex(), com.fasterxml.jackson.databind.node.NullNode.getInstance());
            return true;
        }
        return false;
    }

    /** Deep-merges {@code overlay} into {@code base}: objects merge key by key, anything else replaces. */
    private static void merge(ObjectNode base, JsonNode overlay) {
        for (Map.Entry<String, JsonNode> field : overlay.properties()) {
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                merge(existingObject, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    private static void applyEnvironment(ObjectNode merged, Map<String, String> environment, Map<String, String> sources,
                                         List<String> lines, List<ConfigError> errors) {
        Map<String, Leaf> leaves = new LinkedHashMap<>();
        collectLeaves(merged, "", ENV_PREFIX.substring(0, ENV_PREFIX.length() - 1), leaves);
        for (Map.Entry<String, String> env : new TreeMap<>(environment).entrySet()) {
            String name = env.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            Leaf leaf = leaves.get(name);
            if (leaf == null) {
                if (NOT_CONFIG.stream().noneMatch(name::startsWith) && !SERVICE_LINK.matcher(name).matches()) {
                    // like the same typo in the file: refused, not ignored
                    String closest = closest(name, leaves.keySet());
                    errors.add(new ConfigError(name, secretLooking(name) ? "(hidden)" : env.getValue(),
                            "an MME_ variable that names a configuration key" + (closest == null ? ""
                                    : "; did you mean " + closest + " (" + leaves.get(closest).path() + ")?"), "environment"));
                }
                continue;
            }
            leaf.set(env.getValue());
            sources.put(leaf.path(), name);
            lines.add("configuration: " + leaf.path() + " set by environment variable " + name);
        }
    }

    private static boolean secretLooking(String name) {
        return name.contains("KEY") || name.contains("SECRET") || name.contains("PASSWORD") || name.contains("TOKEN")
                || name.contains("PASSPHRASE");
    }

    /** the candidate nearest to {@code name} by edit distance, when it is near enough to be a typo of it */
    static String closest(String name, java.util.Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(name, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 5) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    /** a settable scalar position in the tree, with its config path */
    private record Leaf(String path, JsonNode parent, String field, int index) {
        void set(String value) {
            if (parent instanceof ObjectNode object) {
                object.set(field, TextNode.valueOf(value));
            } else {
                ((ArrayNode) parent).set(index, TextNode.valueOf(value));
            }
        }
    }

    private static void collectLeaves(JsonNode node, String path, String envName, Map<String, Leaf> out) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String childEnv = envName + "_" + upperSnake(field.getKey());
                if (field.getValue().isContainerNode()) {
                    collectLeaves(field.getValue(), childPath, childEnv, out);
                } else {
                    out.put(childEnv, new Leaf(childPath, object, field.getKey(), -1));
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                String childEnv = envName + "_" + i;
                if (array.get(i).isContainerNode()) {
                    collectLeaves(array.get(i), childPath, childEnv, out);
                } else {
                    out.put(childEnv, new Leaf(childPath, array, null, i));
                }
            }
        }
    }

    static String upperSnake(String key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(key.charAt(i - 1))) {
                out.append('_');
            }
            out.append(c == '-' || c == '.' ? '_' : Character.toUpperCase(c));
        }
        return out.toString();
    }

    /** YAML floats were read as exact BigDecimals; hand them on as plain text so 1e-8 stays 0.00000001. */
    private static void exactDecimalsAsText(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String name : object.properties().stream().map(Map.Entry::getKey).toList()) {
                JsonNode value = object.get(name);
                if (value.isFloatingPointNumber()) {
                    object.set(name, TextNode.valueOf(value.decimalValue().toPlainString()));
                } else {
                    exactDecimalsAsText(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isFloatingPointNumber()) {
                    array.set(i, TextNode.valueOf(array.get(i).decimalValue().toPlainString()));
                } else {
                    exactDecimalsAsText(array.get(i));
                }
            }
        }
    }

    private static ConfigError bindingError(JsonProcessingException e, JsonNode merged, String fileSource, Map<String, String> sources) {
        String path = e instanceof JsonMappingException m ? pathOf(m.getPath()) : "(unknown)";
        String source = sources.getOrDefault(path, fileSource);
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = pathOf(u.getPath().subList(0, u.getPath().size() - 1));
            List<String> known = u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            String closest = closest(u.getPropertyName(), known);
            return new ConfigError(path, valueAt(merged, u.getPath()), "no such key" + (closest == null ? "" : "; did you mean "
                    + closest + "?") + "; known keys" + (parent.isEmpty() ? "" : " of " + parent) + ": " + String.join(", ", known),
                    source);
        }
        String value = valueAt(merged, e instanceof JsonMappingException m ? m.getPath() : List.of());
        if (e instanceof InvalidFormatException f) {
            value = String.valueOf(f.getValue());
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            return new ConfigError(path, value, describe(mi.getTargetType()), source);
        }
        return new ConfigError(path, value, "a valid value (" + e.getOriginalMessage() + ")", source);
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a " + type.getSimpleName();
    }

    private static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String valueAt(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode node = root;
        for (JsonMappingException.Reference ref : refs) {
            if (node == null) {
                return null;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    /**
     * The built-in strategy types and those of the jars on {@code strategyPath}; a jar that does
     * not load is an error of that key (and only the built-in types are known then).
     */
    private static io.mme.strategy.StrategyCatalog strategyCatalog(MmeConfig config, Errors err) {
        String path = config.strategyPath() == null ? "" : config.strategyPath().trim();
        List<java.nio.file.Path> entries = new ArrayList<>();
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(java.nio.file.Path.of(entry.trim()));
            }
        }
        try {
            return io.mme.strategy.StrategyCatalog.load(entries);
        } catch (io.mme.strategy.StrategyPluginException e) {
            err.add("strategyPath", path, e.getMessage());
            return io.mme.strategy.StrategyCatalog.builtIn();
        }
    }

    private static MmeSettings validate(MmeConfig config, List<ConfigError> errors, List<String> notes, String fileSource,
                                        Map<String, String> sources) {
        Errors err = new Errors(errors, fileSource, sources);
        MmeConfig.EngineConfig engine = config.engine();
        if (engine == null) {
            err.add("engine", null, "a mapping with the engine settings");
            engine = MmeConfig.defaults().engine();
        }
        ringSize(err, "engine.inboundRingSize", engine.inboundRingSize());
        ringSize(err, "engine.outboundRingSize", engine.outboundRingSize());
        if (engine.shutdownTimeoutMillis() <= 0) {
            err.add("engine.shutdownTimeoutMillis", String.valueOf(engine.shutdownTimeoutMillis()), "a positive number of milliseconds");
        }
        if (engine.snapshotMillis() < 0) {
            err.add("engine.snapshotMillis", String.valueOf(engine.snapshotMillis()), "0 (never) or a positive number of milliseconds");
        }
        if (engine.timerPeriodMillis() <= 0) {
            err.add("engine.timerPeriodMillis", String.valueOf(engine.timerPeriodMillis()), "a positive number of milliseconds");
        }
        Map<String, EngineSpec> specs = new LinkedHashMap<>();
        Set<String> known = MmeConfig.defaults().engine().engines().keySet();
        if (engine.engines() != null) {
            for (Map.Entry<String, MmeConfig.EngineThreadConfig> e : engine.engines().entrySet()) {
                String key = "engine.engines." + e.getKey();
                if (!known.contains(e.getKey())) {
                    err.add(key, e.getKey(), "one of the engines " + String.join(", ", known));
                    continue;
                }
                MmeConfig.EngineThreadConfig thread = e.getValue() == null ? new MmeConfig.EngineThreadConfig(null, null) : e.getValue();
                int cpu = EngineSpec.NO_CPU;
                if (thread.cpu() != null) {
                    if (thread.cpu() < 0) {
                        err.add(key + ".cpu", String.valueOf(thread.cpu()), "a CPU number of 0 or more (leave it out for no pinning)");
                    } else {
                        cpu = thread.cpu();
                    }
                }
                WaitStrategyKind wait = null;
                if (thread.waitStrategy() != null) {
                    try {
                        wait = WaitStrategyKind.parse(thread.waitStrategy());
                    } catch (IllegalArgumentException ex) {
                        err.add(key + ".waitStrategy", thread.waitStrategy(), "one of " + WaitStrategyKind.allConfigNames());
                    }
                }
                specs.put(e.getKey(), new EngineSpec(cpu, wait));
            }
        }

        String chain = engine.chain() == null ? "auto" : engine.chain().trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "fused", "threads").contains(chain)) {
            err.add("engine.chain", engine.chain(), "fused, threads or auto");
        }
        Map<String, String> aliases = config.assetAliases() == null ? Map.of() : config.assetAliases();
        int beforeAliases = errors.size();
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (alias.getValue() == null || alias.getValue().isBlank()) {
                err.add("assetAliases." + alias.getKey(), alias.getValue(), "the canonical asset name, e.g. BTC");
            }
        }
        InstrumentRegistry.Builder registry = InstrumentRegistry.builder(errors.size() == beforeAliases
                ? AssetAliases.defaultsWith(aliases) : AssetAliases.defaults());
        List<MmeConfig.InstrumentConfig> instruments = config.instruments() == null ? List.of() : config.instruments();
        long[] takerFeeBps = new long[instruments.size()];
        Long[] takerFeeConfigured = new Long[instruments.size()];
        Long[] makerFeeConfigured = new Long[instruments.size()];
        for (int i = 0; i < instruments.size(); i++) {
            String key = "instruments[" + i + "]";
            MmeConfig.InstrumentConfig ic = instruments.get(i);
            if (ic == null) {
                err.add(key, null, "a mapping with venue, symbol, base, quote, tickSize, lotSize");
                continue;
            }
            Venue venue;
            try {
                venue = Venue.parse(ic.venue());
            } catch (IllegalArgumentException ex) {
                err.add(key + ".venue", ic.venue(), "one of binance, coinbase, kraken");
                continue;
            }
            if (ic.takerFeeBps() != null) {
                if (ic.takerFeeBps() < 0 || ic.takerFeeBps() > 1000) {
                    err.add(key + ".takerFeeBps", String.valueOf(ic.takerFeeBps()), "a fee in basis points from 0 to 1000");
                } else {
                    takerFeeBps[i] = ic.takerFeeBps();
                    takerFeeConfigured[i] = ic.takerFeeBps();
                }
            }
            if (ic.makerFeeBps() != null) {
                if (ic.makerFeeBps() < -100 || ic.makerFeeBps() > 1000) {
                    err.add(key + ".makerFeeBps", String.valueOf(ic.makerFeeBps()), "a fee in basis points from -100 (a rebate) to 1000");
                } else {
                    makerFeeConfigured[i] = ic.makerFeeBps();
                }
            }
            try {
                registry.add(new InstrumentSpec(venue, ic.symbol(), ic.base(), ic.quote(), ic.tickSize(), ic.lotSize(),
                        ic.minQuantity(), ic.minNotional(), ic.priceDecimals(), ic.sizeDecimals()));
            } catch (InstrumentConfigException ex) {
                String field = "venueSymbol".equals(ex.field()) ? "symbol" : ex.field();
                err.add(key + "." + field, ex.value(), ex.getMessage());
            }
        }
        // the later stages refer to instruments: they run whenever the instruments are sound, whatever
        // else is wrong (a ring size does not hide a strategy error), and are skipped, with a note, when not
        InstrumentRegistry built = null;
        if (errors.size() == beforeAliases) { // no alias and no instrument errors
            try {
                built = registry.build();
            } catch (InstrumentConfigException ex) {
                err.add("instruments", ex.value(), ex.getMessage());
            }
        }

        MmeConfig.DemoConfig demo = config.demo() == null ? MmeConfig.defaults().demo() : config.demo();
        if (demo.seconds() <= 0) {
            err.add("demo.seconds", String.valueOf(demo.seconds()), "a positive number of seconds");
        }
        MmeConfig.MarketDataConfig marketData = config.marketData() == null ? MmeConfig.defaults().marketData() : config.marketData();
        if (marketData.bookCapacityPerSide() < 1 || marketData.bookCapacityPerSide() > 1_000_000) {
            err.add("marketData.bookCapacityPerSide", String.valueOf(marketData.bookCapacityPerSide()), "a number of levels from 1 to 1000000");
        }
        if (marketData.staleAfterMillis() <= 0) {
            err.add("marketData.staleAfterMillis", String.valueOf(marketData.staleAfterMillis()), "a positive number of milliseconds");
        }
        FairValueMethod fairValue = null;
        try {
            fairValue = FairValueMethod.parse(marketData.fairValue());
        } catch (IllegalArgumentException ex) {
            err.add("marketData.fairValue", marketData.fairValue(), "one of mid, micro-price, size-weighted-mid");
        }
        MmeConfig.PaperConfig paper = config.paper() == null ? MmeConfig.defaults().paper() : config.paper();
        if (paper.bookCapacity() < 1 || paper.bookCapacity() > io.mme.matching.BookConfig.MAX_CAPACITY) {
            err.add("paper.bookCapacity", String.valueOf(paper.bookCapacity()), "a number of orders from 1 to " + io.mme.matching.BookConfig.MAX_CAPACITY);
        }
        SelfTradePrevention stp = null;
        String stpNames = "none, cancel-resting, cancel-incoming, cancel-both, decrement-and-cancel";
        try {
            stp = SelfTradePrevention.valueOf(String.valueOf(paper.selfTradePrevention()).trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException ex) {
            err.add("paper.selfTradePrevention", paper.selfTradePrevention(), "one of " + stpNames);
        }
        io.mme.matching.QueueModel liveQueueModel = null;
        String queueModelText = paper.queueModel() == null ? "risk-averse" : paper.queueModel().trim();
        if (!queueModelText.equalsIgnoreCase("none")) {
            try {
                liveQueueModel = io.mme.matching.QueueModel.parse(queueModelText);
            } catch (IllegalArgumentException ex) {
                err.add("paper.queueModel", paper.queueModel(), "risk-averse, power:N (e.g. power:2), log or none");
            }
        }
        List<SimulatedMarket.Params> markets = List.of();
        TradingSettings trading = null;
        VenueSettings venues = null;
        if (built == null) {
            notes.add("simulation, strategy, risk, execution and venues were not checked: they refer to the instruments,"
                    + " whose errors are listed above");
        } else {
            markets = simulatedMarkets(config.simulation(), built, err);
            trading = TradingValidation.validate(config, built, takerFeeConfigured, makerFeeConfigured, strategyCatalog(config, err), err::add);
            boolean simulation = config.simulation() != null && config.simulation().enabled();
            venues = VenueValidation.validate(config, built, simulation, err::add);
        }
        if (trading != null && trading.execution() != null && venues != null) {
            Map<Integer, String> routes = new java.util.TreeMap<>();
            for (VenueSettings.Setup setup : venues.setups().values()) {
                routes.put(setup.venue().id(), setup.route());
            }
            trading = new TradingSettings(trading.strategies(), trading.risk(),
                    trading.execution().withGateways(routes).withUnknownOrders(venues.unknownOrders()));
        }
        StoreSettings stores = StoreValidation.validate(config.stores() == null ? MmeConfig.defaults().stores() : config.stores(),
                trading == null || trading.execution() == null ? 1 : trading.execution().ownerId(), err::add);
        MmeConfig.ApiConfig apiConfig = config.api() == null ? MmeConfig.defaults().api() : config.api();
        String apiHost = apiConfig.host() == null ? "127.0.0.1" : apiConfig.host().trim();
        int apiPort = apiConfig.port() == null ? 8080 : apiConfig.port();
        if (apiHost.isEmpty()) {
            err.add("api.host", apiConfig.host(), "an address to bind, e.g. 127.0.0.1");
        }
        if (apiPort < 0 || apiPort > 65_535) {
            err.add("api.port", String.valueOf(apiPort), "a port from 0 (any free one) to 65535");
        }
        java.nio.file.Path apiTokens = apiConfig.tokensFile() == null ? null : java.nio.file.Path.of(apiConfig.tokensFile());
        if (apiTokens != null && !java.nio.file.Files.isRegularFile(apiTokens)) {
            err.add("api.tokensFile", apiConfig.tokensFile(), "an existing file of API tokens (principal role sha256hex per line)");
        }
        java.nio.file.Path tlsKeystore = apiConfig.tlsKeystore() == null ? null : java.nio.file.Path.of(apiConfig.tlsKeystore());
        if (tlsKeystore != null && !java.nio.file.Files.isRegularFile(tlsKeystore)) {
            err.add("api.tlsKeystore", apiConfig.tlsKeystore(), "an existing PKCS#12 keystore (its password in MME_API_TLS_PASSWORD)");
        }
        List<String> allowedOrigins = allowedOrigins(apiConfig.allowedOrigins(), err);
        io.mme.audit.JournalSync journalSync = io.mme.audit.JournalSync.NONE;
        String syncValue = config.journal() == null ? null : config.journal().sync();
        try {
            journalSync = io.mme.audit.JournalSync.parse(syncValue);
        } catch (IllegalArgumentException e) {
            err.add("journal.sync", syncValue, io.mme.audit.JournalSync.allConfigNames()
                    + " (none: the page cache; async, sync: msync of each journal record)");
        }
        io.mme.audit.JournalRoll journalRoll = io.mme.audit.JournalRoll.DEFAULT;
        String rollValue = config.journal() == null ? null : config.journal().roll();
        try {
            journalRoll = io.mme.audit.JournalRoll.parse(rollValue);
        } catch (IllegalArgumentException e) {
            err.add("journal.roll", rollValue, io.mme.audit.JournalRoll.allConfigNames() + " (how often the journals start a new file)");
        }
        io.mme.audit.JournalRetention.Policy journalRetention = io.mme.audit.JournalRetention.Policy.KEEP_ALL;
        String retainValue = config.journal() == null ? null : config.journal().retain();
        String archiveValue = config.journal() == null ? null : config.journal().archive();
        try {
            java.time.Duration retain = io.mme.audit.JournalRetention.Policy.parseRetain(retainValue);
            if (retain != null && engine.snapshotMillis() <= 0) {
                err.add("journal.retain", retainValue, "all while engine.snapshotMillis is 0 (without saved states a restart"
                        + " replays the whole journal, so no file of it may go)");
            }
            java.nio.file.Path archive = archiveValue == null || archiveValue.isBlank() ? null : java.nio.file.Path.of(archiveValue.trim());
            journalRetention = new io.mme.audit.JournalRetention.Policy(retain, archive);
        } catch (IllegalArgumentException e) {
            err.add("journal.retain", retainValue, "all (keep every journal file) or a whole number with s, m, h or d"
                    + " (0, 90m, 24h, 7d): how long a journal file is kept at least after its cycle ended");
        }
        io.mme.app.api.ApiServer.Settings api = new io.mme.app.api.ApiServer.Settings(Boolean.TRUE.equals(apiConfig.enabled()), apiHost,
                apiPort, tlsKeystore, System.getenv("MME_API_TLS_PASSWORD"), allowedOrigins);
        if (!errors.isEmpty()) {
            return null;
        }
        PipelineConfig pipeline = new PipelineConfig(engine.inboundRingSize(), engine.outboundRingSize(), specs,
                Duration.ofMillis(engine.shutdownTimeoutMillis()), fusedChain(engine.chain()));
        PaperVenue.Options paperOptions = new PaperVenue.Options(paper.publishLevels(), paper.publishOrders(), stp,
                PaperVenue.Options.DEFAULT.idleWakeUpNanos(), liveQueueModel);
        return new MmeSettings(pipeline, built, Duration.ofMillis(engine.timerPeriodMillis()), Duration.ofMillis(engine.snapshotMillis()),
                marketData.bookCapacityPerSide(),
                Duration.ofMillis(marketData.staleAfterMillis()), fairValue, takerFeeBps, paper.bookCapacity(),
                paperOptions, markets, sharedMidSeed(config.simulation()), trading, venues, stores, journalSync, journalRoll, journalRetention, api, apiTokens, demo.seconds(), config);
    }

    /** engine threads of the full engine: the chain's five (journal first), audit, analytics, the paper venue and the order journal */
    static final int ENGINE_THREADS = 9;

    /** an origin as browsers send it: http or https, a host name or address, an optional port, nothing after */
    private static final java.util.regex.Pattern ORIGIN = java.util.regex.Pattern.compile(
            "https?://(\\[[0-9a-f:.]+\\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:[0-9]{1,5})?");

    /** api.allowedOrigins: comma-separated origins, each checked; lower case, no trailing slash */
    private static List<String> allowedOrigins(String value, Errors err) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String origin = part.trim().toLowerCase(Locale.ROOT);
            if (origin.endsWith("/")) {
                origin = origin.substring(0, origin.length() - 1);
            }
            if (!ORIGIN.matcher(origin).matches()) {
                err.add("api.allowedOrigins", value, "comma-separated origins scheme://host[:port] (http or https, no path), "
                        + "e.g. https://desk.example.com,http://localhost:3000; '" + part.trim() + "' is not one");
                return List.of();
            }
            out.add(origin);
        }
        return List.copyOf(out);
    }

    /** auto: fused when the machine has fewer cores than engine threads, where each hand-off between chain threads costs a wake-up */
    static boolean fusedChain(String chain) {
        String c = chain == null ? "auto" : chain.trim().toLowerCase(Locale.ROOT);
        return switch (c) {
            case "fused" -> true;
            case "threads" -> false;
            default -> Runtime.getRuntime().availableProcessors() < ENGINE_THREADS;
        };
    }

    private static Long sharedMidSeed(MmeConfig.SimulationConfig simulation) {
        return simulation != null && simulation.enabled() && Boolean.TRUE.equals(simulation.sharedMid()) ? simulation.seed() : null;
    }

    private static List<SimulatedMarket.Params> simulatedMarkets(MmeConfig.SimulationConfig simulation, InstrumentRegistry registry, Errors err) {
        List<SimulatedMarket.Params> out = new ArrayList<>();
        if (simulation == null || !simulation.enabled() || simulation.markets() == null) {
            return out;
        }
        for (int i = 0; i < simulation.markets().size(); i++) {
            String key = "simulation.markets[" + i + "]";
            MmeConfig.SimulatedMarketConfig m = simulation.markets().get(i);
            if (m == null) {
                err.add(key, null, "a mapping with venue, symbol and mid");
                continue;
            }
            Instrument instrument = null;
            try {
                instrument = registry.find(Venue.parse(m.venue()), m.symbol());
            } catch (IllegalArgumentException ex) {
                err.add(key + ".venue", m.venue(), "one of binance, coinbase, kraken");
                continue;
            }
            if (instrument == null) {
                err.add(key + ".symbol", m.symbol(), "the symbol of an instrument configured under instruments for " + m.venue());
                continue;
            }
            long mid;
            try {
                mid = instrument.priceTicks(m.mid() == null ? "" : m.mid());
            } catch (FixedPointException ex) {
                err.add(key + ".mid", m.mid(), "a positive price on the tick grid " + instrument.tick().step() + " (" + ex.getMessage() + ")");
                continue;
            }
            try {
                out.add(new SimulatedMarket.Params(instrument.id(), simulation.seed() + i, mid, m.volatilityTicks(),
                        m.limitsPerSecond(), m.cancelsPerSecond(), m.marketsPerSecond(), m.meanDistanceTicks(),
                        m.meanSizeLots(), m.initialOrdersPerSide(), 8));
            } catch (IllegalArgumentException ex) {
                err.add(key, "volatilityTicks " + m.volatilityTicks() + ", limitsPerSecond " + m.limitsPerSecond()
                        + ", cancelsPerSecond " + m.cancelsPerSecond() + ", marketsPerSecond " + m.marketsPerSecond()
                        + ", meanDistanceTicks " + m.meanDistanceTicks() + ", meanSizeLots " + m.meanSizeLots()
                        + ", initialOrdersPerSide " + m.initialOrdersPerSide(), "sensible parameters: " + ex.getMessage());
            }
        }
        return out;
    }

    private static void ringSize(Errors err, String key, int size) {
        if (size < 2 || size > MAX_RING_SIZE || Integer.bitCount(size) != 1) {
            err.add(key, String.valueOf(size), "a power of two from 2 to " + MAX_RING_SIZE + " (e.g. 65536)");
        }
    }

    /** collects errors, remembering which environment variable set a key */
    private record Errors(List<ConfigError> list, String fileSource, Map<String, String> sources) {
        void add(String key, String value, String expected) {
            list.add(new ConfigError(key, value, expected, sourceOf(key)));
        }

        private String sourceOf(String key) {
            for (Map.Entry<String, String> e : sources.entrySet()) {
                if (key.equals(e.getKey()) || key.startsWith(e.getKey() + ".")) {
                    return e.getValue();
                }
            }
            return fileSource;
        }
    }

    /** the environment variable that overrides {@code path}, for documentation and tests */
    public static String environmentVariableFor(String path) {
        StringBuilder out = new StringBuilder("MME");
        for (String part : path.replace("[", ".").replace("]", "").split("\\.")) {
            out.append('_').append(upperSnake(part));
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
