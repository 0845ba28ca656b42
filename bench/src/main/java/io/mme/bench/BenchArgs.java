package io.mme.bench;

/** Parsing shared by the load generators' hand-written option parsers. Stateless. */
final class BenchArgs {
    private BenchArgs() {
    }

    /**
     * A whole number option value ({@code _} and {@code ,} allowed as separators) within min..max.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    static long number(String key, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + ": '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("option " + key + ": " + value + " is outside " + min + ".." + max);
        }
        return n;
    }

    /** the option that asks for a short run that checks its answer (CI runs every benchmark so) */
    static final String SMOKE = "--smoke";

    /** whether the arguments ask for a smoke run */
    static boolean smoke(String[] args) {
        return java.util.Arrays.asList(args).contains(SMOKE);
    }

    /**
     * The arguments with {@value #SMOKE} replaced by {@code smokeDefaults} in front of the others,
     * so that an option also given on the command line wins (the parsers keep the last value).
     */
    static String[] withSmokeDefaults(String[] args, String... smokeDefaults) {
        if (!smoke(args)) {
            return args;
        }
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(smokeDefaults));
        for (String arg : args) {
            if (!arg.equals(SMOKE)) {
                out.add(arg);
            }
        }
        return out.toArray(String[]::new);
    }
}
