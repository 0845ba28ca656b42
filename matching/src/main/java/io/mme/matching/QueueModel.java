package io.mme.matching;

import java.util.Locale;

/**
 * How the quantity ahead of our resting order shrinks when the displayed quantity at its price
 * decreases without a trade explaining it (someone cancelled: ahead of us, or behind?). Trades at
 * our price always advance us; this model only decides the share of an unexplained decrease that
 * was ahead of us. The models are the ones hftbacktest documents: {@code risk-averse} (a decrease
 * is never ahead: only trades advance us) and the probabilistic ones, where a decrease is taken
 * from ahead with probability {@code f(ahead) / (f(ahead) + f(behind))}, {@code f} a power
 * {@code x^n} or {@code log(1 + x)}. The expected value is applied (not a random draw), so a run
 * is deterministic. Used by the backtest's simulated exchange and by the paper venue on live feeds
 * ({@link LiveQueues}).
 *
 * <p>Immutable; any thread.
 */
public abstract sealed class QueueModel {
    private QueueModel() {
    }

    /**
     * The quantity ahead after a decrease of the level.
     *
     * @param ahead    quantity ahead of us before the decrease (lots)
     * @param behind   quantity behind us before the decrease (lots, not counting ours)
     * @param decrease the decrease not explained by trades (lots, positive)
     * @return the new quantity ahead, between {@code max(0, ahead - decrease)} and {@code ahead}
     */
    public final long aheadAfterDecrease(long ahead, long behind, long decrease) {
        if (decrease <= 0 || ahead <= 0) {
            return Math.max(0, ahead);
        }
        double p = shareAhead(ahead, behind);
        long taken = Math.round(decrease * p);
        // what cannot have come from behind (more than was behind) came from ahead
        long forced = Math.max(0, decrease - Math.max(0, behind));
        taken = Math.min(ahead, Math.max(taken, forced));
        return ahead - taken;
    }

    /** the probability that a decrease was ahead of us */
    abstract double shareAhead(long ahead, long behind);

    /** the name the command line takes */
    public abstract String name();

    /** only trades advance the order: a decrease is always behind it */
    public static QueueModel riskAverse() {
        return new RiskAverse();
    }

    /** a decrease is ahead with probability ahead^n / (ahead^n + behind^n) */
    public static QueueModel power(double n) {
        if (!(n > 0) || Double.isInfinite(n)) {
            throw new IllegalArgumentException("queue model power: the exponent must be positive, got " + n);
        }
        return new Power(n);
    }

    /** a decrease is ahead with probability log(1 + ahead) / (log(1 + ahead) + log(1 + behind)) */
    public static QueueModel log() {
        return new Log();
    }

    /**
     * Parses {@code risk-averse}, {@code power:N} (e.g. {@code power:2}) or {@code log}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static QueueModel parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("risk-averse")) {
            return riskAverse();
        }
        if (t.equals("log")) {
            return log();
        }
        if (t.startsWith("power:")) {
            try {
                return power(Double.parseDouble(t.substring("power:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("queue model '" + text + "': the exponent after power: is not a number");
            }
        }
        throw new IllegalArgumentException("queue model '" + text + "': expected risk-averse, power:N (e.g. power:2) or log");
    }

    private static final class RiskAverse extends QueueModel {
        @Override
        double shareAhead(long ahead, long behind) {
            return 0;
        }

        @Override
        public String name() {
            return "risk-averse";
        }
    }

    private static final class Power extends QueueModel {
        private final double n;

        Power(double n) {
            this.n = n;
        }

        @Override
        double shareAhead(long ahead, long behind) {
            double a = Math.pow(ahead, n);
            double b = Math.pow(Math.max(0, behind), n);
            return a + b == 0 ? 0 : a / (a + b);
        }

        @Override
        public String name() {
            return "power:" + (n == Math.rint(n) ? String.valueOf((long) n) : String.valueOf(n));
        }
    }

    private static final class Log extends QueueModel {
        @Override
        double shareAhead(long ahead, long behind) {
            double a = Math.log1p(ahead);
            double b = Math.log1p(Math.max(0, behind));
            return a + b == 0 ? 0 : a / (a + b);
        }

        @Override
        public String name() {
            return "log";
        }
    }
}
