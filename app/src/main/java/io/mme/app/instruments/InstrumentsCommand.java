package io.mme.app.instruments;

import io.mme.app.Main;
import io.mme.core.instrument.InstrumentSpec;
import io.mme.core.instrument.Venue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code mme instruments fetch|parse}: a venue's instrument metadata (tick, lot, minimums) as the
 * {@code instruments:} section of a configuration that {@code mme run --config} accepts. {@code fetch}
 * GETs the venue's public endpoint; {@code parse} reads a saved body or a {@code .rec} recording.
 * The YAML goes to stdout or {@code --output}, a summary of what was kept and skipped to stderr.
 * Runs on the main thread and owns nothing past its call.
 */
@Command(name = "instruments", mixinStandardHelpOptions = true,
        description = "Instrument metadata from a venue's public REST endpoint, written as the instruments: section of a configuration.",
        subcommands = {InstrumentsCommand.Fetch.class, InstrumentsCommand.Parse.class})
public final class InstrumentsCommand implements Runnable {
    private static final int MAX_REASONS_SHOWN = 10;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: fetch or parse");
    }

    /** {@code mme instruments fetch}: GET the venue's metadata endpoint. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "GET the venue's public metadata endpoint (Binance exchangeInfo, Coinbase Exchange products, "
                    + "Kraken AssetPairs; Hyperliquid's info endpoint is POSTed {\"type\":\"meta\"}) and write the instruments as YAML.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:written", "1:the endpoint could not be fetched, or its answer is not the venue's metadata",
                    "2:bad arguments (venue, symbol, base URL)"})
    public static final class Fetch implements Callable<Integer> {
        private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
        private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Selection selection;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "REST base to fetch from instead of the venue's production one "
                        + "(https://api.binance.com, https://api.exchange.coinbase.com, https://api.kraken.com)")
        URI baseUrl;

        @Override
        public Integer call() {
            InstrumentMetadata metadata = InstrumentMetadata.of(selection.venue);
            if (baseUrl != null && (baseUrl.getHost() == null
                    || !("http".equalsIgnoreCase(baseUrl.getScheme()) || "https".equalsIgnoreCase(baseUrl.getScheme())))) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--base-url " + baseUrl + ": expected an http or https URL such as http://127.0.0.1:8080");
            }
            URI url = metadata.endpoint(baseUrl != null ? baseUrl : metadata.defaultBaseUrl());
            String body;
            try {
                body = new MetadataFetcher(CONNECT_TIMEOUT, REQUEST_TIMEOUT).fetch(url, metadata.requestBody());
            } catch (MetadataFetcher.FetchException e) {
                spec.commandLine().getErr().println("mme instruments fetch: " + e.getMessage());
                return Main.EXIT_FAILED;
            }
            return selection.write(spec, metadata, body, url.toString(), Main.EXIT_FAILED);
        }
    }

    /** {@code mme instruments parse}: the same from a saved response, offline. */
    @Command(name = "parse", mixinStandardHelpOptions = true,
            description = "Read a saved metadata response (the body, or a .rec recording with a 'URL -> TS: BODY' line) "
                    + "and write the instruments as YAML.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:written", "1:the output could not be written",
                    "2:bad arguments (venue, symbol, a missing file or one that is not the venue's metadata)"})
    public static final class Parse implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Selection selection;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "the saved response body or .rec file")
        Path file;

        @Override
        public Integer call() {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                spec.commandLine().getErr().println("mme instruments parse: --file " + file + ": no such file");
                return Main.EXIT_CONFIG;
            } catch (IOException e) {
                spec.commandLine().getErr().println("mme instruments parse: --file " + file + " cannot be read: " + e);
                return Main.EXIT_CONFIG;
            }
            return selection.write(spec, InstrumentMetadata.of(selection.venue), SavedResponse.body(text), file.toString(),
                    Main.EXIT_CONFIG);
        }
    }

    /** The options {@code fetch} and {@code parse} share, and what both do with a response body. */
    static final class Selection {
        @Option(names = "--venue", required = true, paramLabel = "VENUE", converter = VenueConverter.class,
                description = "binance, coinbase or kraken")
        Venue venue;

        @Option(names = "--symbol", paramLabel = "SYMBOL",
                description = "an instrument as the venue spells it (BTCUSDT, BTC-USD, XBT/USD); repeat for more; default: every tradable one")
        List<String> symbols = new ArrayList<>();

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the YAML here instead of stdout")
        Path output;

        /**
         * Parses {@code body}, keeps the requested symbols and writes the YAML.
         *
         * @param badBodyCode exit code when the body is not the venue's metadata
         */
        int write(CommandLine.Model.CommandSpec spec, InstrumentMetadata metadata, String body, String source, int badBodyCode) {
            PrintWriter err = spec.commandLine().getErr();
            String command = "mme instruments " + spec.name();
            ParsedMetadata parsed;
            try {
                parsed = metadata.parse(body);
            } catch (MetadataFormatException e) {
                err.println(command + ": " + source + ": " + e.getMessage());
                return badBodyCode;
            }
            List<String> problems = new ArrayList<>();
            List<InstrumentSpec> chosen = select(parsed, metadata, source, problems);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println(command + ": " + p));
                return Main.EXIT_CONFIG;
            }
            String yaml = InstrumentsYaml.write(chosen, chosen.size() + " " + venue.configName() + " instruments from " + source
                    + "\nwritten by " + command);
            if (output == null) {
                spec.commandLine().getOut().print(yaml);
                spec.commandLine().getOut().flush();
            } else {
                try {
                    Files.writeString(output, yaml, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    err.println(command + ": --output " + output + " cannot be written: " + e);
                    return Main.EXIT_FAILED;
                }
            }
            summarise(err, parsed, chosen.size(), source);
            return Main.EXIT_OK;
        }

        private List<InstrumentSpec> select(ParsedMetadata parsed, InstrumentMetadata metadata, String source, List<String> problems) {
            if (symbols.isEmpty()) {
                return parsed.instruments();
            }
            Map<String, InstrumentSpec> bySymbol = new LinkedHashMap<>();
            parsed.instruments().forEach(s -> bySymbol.put(key(s.venueSymbol()), s));
            Map<String, String> skippedReason = new LinkedHashMap<>();
            parsed.skipped().forEach(s -> skippedReason.putIfAbsent(key(s.symbol()), s.reason()));
            Map<String, String> otherNames = new LinkedHashMap<>();
            parsed.otherNames().forEach((other, symbol) -> otherNames.put(key(other), symbol));
            List<InstrumentSpec> chosen = new ArrayList<>();
            for (String symbol : new LinkedHashSet<>(symbols)) {
                InstrumentSpec found = bySymbol.get(key(symbol));
                if (found != null) {
                    chosen.add(found);
                } else if (otherNames.containsKey(key(symbol))) {
                    problems.add("--symbol " + symbol + ": " + venue.configName() + " calls that instrument "
                            + otherNames.get(key(symbol)) + " on its WebSocket; use --symbol " + otherNames.get(key(symbol)));
                } else if (skippedReason.containsKey(key(symbol))) {
                    problems.add("--symbol " + symbol + ": listed by " + venue.configName() + " but left out: "
                            + skippedReason.get(key(symbol)));
                } else {
                    problems.add("--symbol " + symbol + ": unknown symbol: not among the " + parsed.instruments().size()
                            + " " + venue.configName() + " instruments of " + source + " (spelled as " + metadata.symbolSpelling()
                            + "; e.g. " + parsed.instruments().stream().limit(3).map(InstrumentSpec::venueSymbol)
                            .collect(Collectors.joining(", ")) + ")");
                }
            }
            return chosen;
        }

        private static String key(String symbol) {
            return symbol.trim().toUpperCase(Locale.ROOT);
        }

        private void summarise(PrintWriter err, ParsedMetadata parsed, int written, String source) {
            err.println(venue.configName() + ": " + parsed.instruments().size() + " usable instruments in " + source + ", "
                    + parsed.skipped().size() + " skipped; wrote " + written + (output == null ? " to stdout" : " to " + output));
            int shown = 0;
            Map<String, Integer> reasons = parsed.skippedByReason();
            for (Map.Entry<String, Integer> reason : reasons.entrySet()) {
                if (shown++ == MAX_REASONS_SHOWN) {
                    err.println("  ... and " + (reasons.size() - MAX_REASONS_SHOWN) + " more reasons");
                    break;
                }
                err.println("  skipped " + reason.getValue() + ": " + reason.getKey());
            }
            err.flush();
        }
    }

    /** {@code --venue} text to a {@link Venue}, case-insensitive, with the known venues in the error */
    static final class VenueConverter implements CommandLine.ITypeConverter<Venue> {
        @Override
        public Venue convert(String value) {
            try {
                return Venue.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
