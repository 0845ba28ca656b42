package io.mme.app.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One GET /metrics, parsed strictly as the Prometheus text format 0.0.4: every line is a HELP, a
 * TYPE or a sample line, every sample belongs to the family last declared, and values are numbers.
 * A line that does not parse fails the parse.
 */
record Scrape(String contentType, String body, Map<String, String> types, List<Sample> samples) {
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:" + LABEL + ")(?:," + LABEL + ")*)?,?\\})? "
                    + "(NaN|[+-]Inf|[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?)(?: -?[0-9]+)?$");
    private static final Pattern ONE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern HELP = Pattern.compile("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|summary|histogram|untyped|info|stateset|unknown)$");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    static Scrape get(int port, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + MetricsExporter.PATH)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            return new Scrape(type, response.body(), Map.of(), List.of());
        }
    }

    /** parses the body as the Prometheus text format; throws on the first line that is not one */
    Scrape parse() {
        Map<String, String> families = new LinkedHashMap<>();
        List<Sample> parsed = new ArrayList<>();
        String family = null;
        for (String line : body.split("\n")) {
            Matcher m;
            if (line.isEmpty()) {
                continue;
            } else if ((m = HELP.matcher(line)).matches()) {
                family = m.group(1);
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (!m.group(1).equals(family)) {
                    throw new AssertionError("TYPE without its HELP: " + line);
                }
                families.put(m.group(1), m.group(2));
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (family == null || !(name.equals(family) || name.startsWith(family + "_"))) {
                    throw new AssertionError("sample outside its family " + family + ": " + line);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null) {
                    Matcher l = ONE_LABEL.matcher(m.group(2));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                String v = m.group(3);
                double value = switch (v) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(v);
                };
                parsed.add(new Sample(name, labels, value));
            } else {
                throw new AssertionError("not a Prometheus text format line: " + line);
            }
        }
        return new Scrape(contentType, body, families, parsed);
    }

    /** the samples' names (with their _total, _count, ... suffixes) */
    java.util.Set<String> sampleNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** the one sample with that name and these labels (among others) */
    double value(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (all) {
                found.add(s);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + " " + List.of(labels) + ": " + found);
        }
        return found.get(0).value();
    }
}
