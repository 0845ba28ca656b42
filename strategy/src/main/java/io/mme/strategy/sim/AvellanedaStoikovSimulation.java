package io.mme.strategy.sim;

import io.mme.strategy.AvellanedaStoikovModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Reproduces the simulation of Avellaneda &amp; Stoikov (2008), section 3.3: s0 = 100, T = 1,
 * σ = 2, dt = 0.005 (200 steps), q0 = 0, A = 140, k = 1.5 and a given γ. At each step t:
 * <ol>
 *   <li>the "inventory" strategy quotes bid/ask = r ∓ spread/2 from {@link AvellanedaStoikovModel}
 *       at the mid S_t with τ = T − t; the "symmetric" benchmark quotes S_t ∓ s̄/2, where s̄ is the
 *       inventory strategy's spread averaged over every step of every run;</li>
 *   <li>each side fills with probability λ(δ)·dt (capped at 1), δ = the quote's distance from
 *       S_t, one unit per fill: a bid fill buys (q + 1, cash − bid), an ask fill sells;</li>
 *   <li>the mid moves by +σ√dt or −σ√dt with probability 1/2 each.</li>
 * </ol>
 * The profit of a run is cash + q·S_T. Both strategies see the same random numbers (the same seed
 * gives the same mid paths and fill draws), so their difference is the strategies'. Not thread
 * safe; one call runs on the caller's thread.
 */
public final class AvellanedaStoikovSimulation {
    public static final double S0 = 100;
    public static final double T = 1;
    public static final double SIGMA = 2;
    public static final double DT = 0.005;
    public static final double A = 140;
    public static final double K = 1.5;
    public static final int DEFAULT_RUNS = 1000;

    /** one strategy's outcome over all runs; standard deviations are sample ones (n − 1) */
    public record Result(String strategy, double gamma, int runs, double avgSpread, double profitMean,
                         double profitStd, double finalQMean, double finalQStd) {
        /** one JSON object on one line, keys in a fixed order */
        public String toJson() {
            return "{\"strategy\":\"" + strategy + "\",\"gamma\":" + gamma + ",\"runs\":" + runs
                    + ",\"avg_spread\":" + number(avgSpread) + ",\"profit_mean\":" + number(profitMean)
                    + ",\"profit_std\":" + number(profitStd) + ",\"final_q_mean\":" + number(finalQMean)
                    + ",\"final_q_std\":" + number(finalQStd) + "}";
        }

        private static String number(double value) {
            return String.format(Locale.ROOT, "%.4f", value);
        }
    }

    /** the two strategies' results, inventory first */
    public record Report(List<Result> results) {
        public Report {
            results = List.copyOf(results);
        }

        public Result inventory() {
            return results.get(0);
        }

        public Result symmetric() {
            return results.get(1);
        }

        /** a text table in the layout of the paper's tables */
        public String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-10s %7s %6s %10s %10s %10s %10s %10s%n", "strategy", "gamma",
                    "runs", "spread", "profit", "std(prof)", "final q", "std(q)"));
            for (Result r : results) {
                out.append(String.format(Locale.ROOT, "%-10s %7.3f %6d %10.4f %10.4f %10.4f %10.4f %10.4f%n",
                        r.strategy(), r.gamma(), r.runs(), r.avgSpread(), r.profitMean(), r.profitStd(),
                        r.finalQMean(), r.finalQStd()));
            }
            return out.toString();
        }

        /** one JSON line per strategy, inventory first */
        public String jsonLines() {
            StringBuilder out = new StringBuilder();
            for (Result r : results) {
                out.append(r.toJson()).append('\n');
            }
            return out.toString();
        }
    }

    private AvellanedaStoikovSimulation() {
    }

    public static Report run(double gamma, int runs, long seed) {
        if (runs < 2) {
            throw new IllegalArgumentException("runs " + runs + " must be at least 2 for a standard deviation");
        }
        AvellanedaStoikovModel model = new AvellanedaStoikovModel(gamma, K, A);
        int steps = (int) Math.round(T / DT);
        double[] spreadSum = new double[1];
        Result inventory = simulate("inventory", gamma, runs, seed, steps, model, Double.NaN, spreadSum);
        double averageSpread = spreadSum[0] / ((double) runs * steps);
        inventory = new Result(inventory.strategy(), gamma, runs, averageSpread, inventory.profitMean(),
                inventory.profitStd(), inventory.finalQMean(), inventory.finalQStd());
        Result symmetric = simulate("symmetric", gamma, runs, seed, steps, model, averageSpread, new double[1]);
        return new Report(List.of(inventory, symmetric));
    }

    /**
     * @param fixedSpread NaN for the inventory strategy; otherwise the symmetric spread around the mid
     */
    private static Result simulate(String name, double gamma, int runs, long seed, int steps,
                                   AvellanedaStoikovModel model, double fixedSpread, double[] spreadSum) {
        SplittableRandom random = new SplittableRandom(seed);
        double move = SIGMA * Math.sqrt(DT);
        double[] profits = new double[runs];
        double[] finalQ = new double[runs];
        for (int run = 0; run < runs; run++) {
            double s = S0;
            double q = 0;
            double cash = 0;
            for (int step = 0; step < steps; step++) {
                double tau = T - step * DT;
                double bid;
                double ask;
                if (Double.isNaN(fixedSpread)) {
                    bid = model.bid(s, q, SIGMA, tau);
                    ask = model.ask(s, q, SIGMA, tau);
                    spreadSum[0] += ask - bid;
                } else {
                    bid = s - fixedSpread / 2;
                    ask = s + fixedSpread / 2;
                }
                double bidFill = random.nextDouble();
                double askFill = random.nextDouble();
                if (bidFill < model.intensity(s - bid) * DT) {
                    q += 1;
                    cash -= bid;
                }
                if (askFill < model.intensity(ask - s) * DT) {
                    q -= 1;
                    cash += ask;
                }
                s += random.nextBoolean() ? move : -move;
            }
            profits[run] = cash + q * s;
            finalQ[run] = q;
        }
        return new Result(name, gamma, runs, fixedSpread, mean(profits), std(profits), mean(finalQ), std(finalQ));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double std(double[] values) {
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - m) * (v - m);
        }
        return Math.sqrt(sum / (values.length - 1));
    }

    /** {@code gamma [runs [seed]]}: prints the table, then one JSON line per strategy */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: AvellanedaStoikovSimulation gamma [runs=" + DEFAULT_RUNS + "] [seed=1]");
            System.exit(2);
        }
        List<String> a = new ArrayList<>(List.of(args));
        double gamma = Double.parseDouble(a.get(0));
        int runs = a.size() > 1 ? Integer.parseInt(a.get(1)) : DEFAULT_RUNS;
        long seed = a.size() > 2 ? Long.parseLong(a.get(2)) : 1;
        Report report = run(gamma, runs, seed);
        System.out.print(report.table());
        System.out.print(report.jsonLines());
    }
}
