package io.mme.core.venue;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A venue's rate limits as the engine spends them, so that it never gets banned, even in a retry
 * storm. Each limit is either a window (Binance: weight per minute, orders per 10 s; Coinbase:
 * requests per second) or a decaying counter (Kraken: a counter that drops by a rate per second). A
 * window slides (in twentieths of it): whatever the venue's own window is aligned to, and however
 * arrival times shift against send times, no window of the venue's sees more than the limit allows
 * (a window fixed to the epoch would let two of its halves' worth through across its boundary). Only {@code safety} of each limit is spent (default 80 %), leaving room for
 * what we cannot see (other processes on the same IP, the venue's own rounding).
 *
 * <p>Three inputs move it: {@link #tryAcquire} before each request (all or nothing over the
 * limits the request's {@link Charge} names), {@link #observe} with the usage the venue reports
 * (headers such as {@code X-MBX-USED-WEIGHT-1M}; the larger of ours and the venue's wins), and
 * {@link #backOff} when the venue says stop (429 / 418 with Retry-After, Kraken's and Coinbase's
 * rate limit errors): until then nothing fits, whatever the counters say.
 *
 * <p>Thread-safe: every method is synchronized (requests come from the gateway's sender and its
 * query threads). Time is epoch milliseconds passed in by the caller, so tests drive it.
 */
public final class RequestBudget {
    /** one limit's kind */
    public enum Kind { WINDOW, DECAYING }

    private static final class Limit {
        /** sub-slots a window is kept in: the window slides by one slot at a time */
        static final int SLOTS = 20;
        final Kind kind;
        final double max;
        final long windowMillis;
        final long slotMillis;
        final double decayPerMilli;
        /** WINDOW: spent per slot, slot s covering [slotStart[s], slotStart[s] + slotMillis) */
        final double[] slotUsed;
        final long[] slotStart;
        /** DECAYING: the counter */
        double used;
        long lastDecay;

        Limit(Kind kind, double max, long windowMillis, double decayPerSecond) {
            this.kind = kind;
            this.max = max;
            this.windowMillis = windowMillis;
            this.slotMillis = Math.max(1, windowMillis / SLOTS);
            this.decayPerMilli = decayPerSecond / 1000.0;
            this.slotUsed = kind == Kind.WINDOW ? new double[SLOTS + 1] : null;
            this.slotStart = kind == Kind.WINDOW ? new long[SLOTS + 1] : null;
        }

        void advance(long now) {
            if (kind == Kind.WINDOW) {
                return;
            }
            if (lastDecay != 0 && now > lastDecay) {
                used = Math.max(0, used - (now - lastDecay) * decayPerMilli);
            }
            lastDecay = Math.max(lastDecay, now);
        }

        /**
         * WINDOW: what was spent in the window ending at {@code now}, counting the slot that straddles
         * the window's start in full (never less than the venue can have counted, whatever its own
         * window is aligned to); DECAYING: the counter.
         */
        double used(long now) {
            if (kind == Kind.DECAYING) {
                return used;
            }
            double sum = 0;
            for (int s = 0; s < slotUsed.length; s++) {
                if (slotUsed[s] > 0 && slotStart[s] + slotMillis > now - windowMillis) {
                    sum += slotUsed[s];
                }
            }
            return sum;
        }

        void spend(double amount, long now) {
            if (kind == Kind.DECAYING) {
                used += amount;
                return;
            }
            long start = now - Math.floorMod(now, slotMillis);
            int s = (int) Math.floorMod(start / slotMillis, (long) slotUsed.length);
            if (slotStart[s] != start) {
                slotStart[s] = start;
                slotUsed[s] = 0;
            }
            slotUsed[s] += amount;
        }

        /** ms from {@code now} until {@code cost} fits under {@code cap} */
        long millisUntilFits(double cost, double cap, long now) {
            double inUse = used(now);
            if (inUse + cost <= cap) {
                return 0;
            }
            if (cost > cap) {
                return Long.MAX_VALUE;
            }
            if (kind == Kind.DECAYING) {
                return decayPerMilli <= 0 ? Long.MAX_VALUE : (long) Math.ceil((inUse + cost - cap) / decayPerMilli);
            }
            // slots leave the window oldest first: wait until enough of them have
            long wait = 0;
            double left = inUse;
            while (left + cost > cap) {
                long oldest = Long.MAX_VALUE;
                int at = -1;
                for (int s = 0; s < slotUsed.length; s++) {
                    long leaves = slotStart[s] + slotMillis + windowMillis;
                    if (slotUsed[s] > 0 && leaves > now + wait && leaves < oldest) {
                        oldest = leaves;
                        at = s;
                    }
                }
                if (at < 0) {
                    break;
                }
                wait = oldest - now;
                left -= slotUsed[at];
            }
            return Math.max(1, wait);
        }
    }

    /**
     * What one kind of request costs: amounts per limit name. Immutable; build once per request
     * type ({@code budget.charge().add("REQUEST_WEIGHT", 1).add("ORDERS_10S", 1)}).
     */
    public static final class Charge {
        final List<String> names = new ArrayList<>();
        final List<Double> amounts = new ArrayList<>();

        public Charge add(String limit, double amount) {
            names.add(limit);
            amounts.add(amount);
            return this;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(amounts.get(i));
            }
            return b.toString();
        }
    }

    private final String venue;
    private final double safety;
    private final Map<String, Limit> limits = new LinkedHashMap<>();
    private long backOffUntil;
    private String backOffReason = "";
    private long refused;
    private long backOffs;

    /**
     * @param venue  for messages
     * @param safety the fraction of each limit that may be spent, in (0, 1]
     */
    public RequestBudget(String venue, double safety) {
        if (!(safety > 0 && safety <= 1)) {
            throw new IllegalArgumentException("safety must be in (0, 1]: " + safety);
        }
        this.venue = venue;
        this.safety = safety;
    }

    /** adds a fixed-window limit: {@code max} per {@code windowMillis}, windows aligned to the epoch */
    public synchronized RequestBudget window(String name, double max, long windowMillis) {
        if (max <= 0 || windowMillis <= 0) {
            throw new IllegalArgumentException(venue + " limit " + name + ": max and window must be positive");
        }
        limits.put(name, new Limit(Kind.WINDOW, max, windowMillis, 0));
        return this;
    }

    /** adds a decaying counter: at most {@code max}, falling by {@code decayPerSecond} */
    public synchronized RequestBudget decaying(String name, double max, double decayPerSecond) {
        if (max <= 0 || decayPerSecond < 0) {
            throw new IllegalArgumentException(venue + " limit " + name + ": max must be positive, decay not negative");
        }
        limits.put(name, new Limit(Kind.DECAYING, max, 0, decayPerSecond));
        return this;
    }

    /** a new, empty charge (to be filled with {@link Charge#add} and kept) */
    public Charge charge() {
        return new Charge();
    }

    /**
     * Spends the charge if every limit it names has room and no back-off is running; otherwise
     * spends nothing.
     *
     * @return true when the request may be sent now
     */
    public synchronized boolean tryAcquire(Charge charge, long nowMillis) {
        if (millisUntilFits(charge, nowMillis) > 0) {
            refused++;
            return false;
        }
        for (int i = 0; i < charge.names.size(); i++) {
            limit(charge.names.get(i)).spend(charge.amounts.get(i), nowMillis);
        }
        return true;
    }

    /** how long until the charge fits (0: now); {@link Long#MAX_VALUE} for a charge larger than a limit */
    public synchronized long millisUntilFits(Charge charge, long nowMillis) {
        long wait = Math.max(0, backOffUntil - nowMillis);
        for (int i = 0; i < charge.names.size(); i++) {
            Limit l = limit(charge.names.get(i));
            l.advance(nowMillis);
            wait = Math.max(wait, l.millisUntilFits(charge.amounts.get(i), l.max * safety, nowMillis));
        }
        return wait;
    }

    /**
     * Spends the charge as soon as it fits: at once when it does, else after waiting on
     * {@code scheduler} for room and for any back-off (re-checked when the budget says it may fit,
     * at least every minute). The future fails with an {@link IllegalStateException} when
     * {@code stopped} turns true or the scheduler refuses (the gateway is closing), and when the charge
     * is larger than a limit and so can never fit. Gateways chain their cancels and status queries on
     * it; new orders use {@link #tryAcquire} and are refused when it says no.
     */
    public CompletableFuture<Void> acquireWhenFits(Charge charge, LongSupplier clockMillis, ScheduledExecutorService scheduler,
                                                   BooleanSupplier stopped) {
        CompletableFuture<Void> acquired = new CompletableFuture<>();
        retryAcquire(charge, clockMillis, scheduler, stopped, acquired);
        return acquired;
    }

    private void retryAcquire(Charge charge, LongSupplier clockMillis, ScheduledExecutorService scheduler, BooleanSupplier stopped,
                              CompletableFuture<Void> acquired) {
        if (stopped.getAsBoolean()) {
            acquired.completeExceptionally(new IllegalStateException(venue + " gateway closed"));
            return;
        }
        long now = clockMillis.getAsLong();
        if (tryAcquire(charge, now)) {
            acquired.complete(null);
            return;
        }
        long wait = millisUntilFits(charge, now);
        if (wait == Long.MAX_VALUE) {
            acquired.completeExceptionally(new IllegalStateException(venue + ": a request costing " + charge + " can never fit the budget"));
            return;
        }
        try {
            scheduler.schedule(() -> retryAcquire(charge, clockMillis, scheduler, stopped, acquired),
                    Math.max(1, Math.min(60_000, wait)), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            acquired.completeExceptionally(new IllegalStateException(venue + " gateway closed"));
        }
    }

    /** the venue's own count of a limit (a usage header): ours becomes the larger of the two */
    public synchronized void observe(String name, double used, long nowMillis) {
        Limit l = limits.get(name);
        if (l == null) {
            return;
        }
        l.advance(nowMillis);
        double ours = l.used(nowMillis);
        if (used > ours) {
            l.spend(used - ours, nowMillis);
        }
    }

    /**
     * The venue said stop until {@code untilMillis} (epoch ms): nothing fits before then. A later
     * back-off never shortens an earlier one.
     */
    public synchronized void backOff(long untilMillis, String reason) {
        backOffs++;
        if (untilMillis > backOffUntil) {
            backOffUntil = untilMillis;
            backOffReason = reason;
        }
    }

    /** epoch ms until which the venue told us to stop; 0 or past when not backing off */
    public synchronized long backingOffUntil() {
        return backOffUntil;
    }

    public synchronized String backOffReason() {
        return backOffReason;
    }

    /** requests refused locally (they did not fit) */
    public synchronized long refused() {
        return refused;
    }

    /** back-off orders received from the venue */
    public synchronized long backOffs() {
        return backOffs;
    }

    /** the fullest limit's use as a fraction of the limit (not of the safe share) */
    public synchronized double fullest(long nowMillis) {
        double worst = 0;
        for (Limit l : limits.values()) {
            l.advance(nowMillis);
            worst = Math.max(worst, l.used(nowMillis) / l.max);
        }
        return worst;
    }

    /** what has been spent of one limit in its current window (or the counter's value) */
    public synchronized double used(String name, long nowMillis) {
        Limit l = limit(name);
        l.advance(nowMillis);
        return l.used(nowMillis);
    }

    private Limit limit(String name) {
        Limit l = limits.get(name);
        if (l == null) {
            throw new IllegalArgumentException(venue + " has no rate limit named " + name + " (known: " + limits.keySet() + ")");
        }
        return l;
    }

    /**
     * Parses a Retry-After header (seconds, as Binance and most venues send it; an HTTP date is not
     * expected and gives the fallback) into an epoch-ms deadline.
     */
    public static long retryAfterDeadline(String header, long nowMillis, long fallbackMillis) {
        if (header != null) {
            try {
                return nowMillis + Math.max(0, (long) (Double.parseDouble(header.trim()) * 1000));
            } catch (NumberFormatException ignored) {
                // not seconds: use the fallback below
            }
        }
        return nowMillis + fallbackMillis;
    }
}
