package io.mme.analytics;

import io.mme.core.instrument.Venue;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.QuoteIntent;
import io.mme.core.ring.RiskVerdict;
import io.mme.core.runtime.Engine;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The analytics stage's latency part. For every inbound event it records how long each stage of
 * the business chain took (from the runtime's stamps in the slot), and for every market data event
 * whose decision put at least one risk-approved order on the outbound ring, the tick-to-quote
 * latency: from the moment the event was published into the ring (decoded) to the moment the
 * execution stage finished with it (its orders are on the outbound ring), overall and per venue of
 * the quotes.
 *
 * <p>These are measurements of the machine, not decisions: they read the monotonic stamps, which a
 * replay does not reproduce, so a replay runs without this engine.
 *
 * <p>Threads: the analytics engine thread records into HdrHistogram {@link Recorder}s (wait-free,
 * no allocation); one reader thread (the console) takes their intervals with {@link #sample()}
 * and owns the cumulative histograms.
 */
public final class LatencyEngine implements Engine<InboundEvent> {
    /** stage names, in chain order, for the stamps InboundEvent carries */
    public static final String[] STAGES = {"journal", "marketdata", "strategy", "risk", "execution"};
    private static final long HIGHEST_NANOS = 60_000_000_000L;
    private static final int DIGITS = 3;
    private static final Venue[] VENUES = Venue.values();

    private final Recorder tickToQuote = recorder();
    private final Recorder[] tickToQuoteByVenue = new Recorder[VENUES.length];
    private final Recorder[] stage = new Recorder[InboundEvent.STAGES];
    private final boolean[] venueSeen = new boolean[VENUES.length];

    // reader side: owned by the thread that calls sample()
    private final Histogram[] intervals = new Histogram[2 + VENUES.length + InboundEvent.STAGES];
    private final Histogram tickToQuoteTotal = histogram();
    private final Histogram[] tickToQuoteByVenueTotal = new Histogram[VENUES.length];
    private final Histogram[] stageTotal = new Histogram[InboundEvent.STAGES];
    private final Histogram tickToQuoteInterval = histogram();
    private final Histogram[] tickToQuoteByVenueInterval = new Histogram[VENUES.length];

    public LatencyEngine() {
        for (int v = 0; v < VENUES.length; v++) {
            tickToQuoteByVenue[v] = recorder();
            tickToQuoteByVenueTotal[v] = histogram();
            tickToQuoteByVenueInterval[v] = histogram();
        }
        for (int s = 0; s < stage.length; s++) {
            stage[s] = recorder();
            stageTotal[s] = histogram();
        }
    }

    private static Recorder recorder() {
        return new Recorder(HIGHEST_NANOS, DIGITS);
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_NANOS, DIGITS);
    }

    /** an empty histogram of the recorder's range and precision, for a reader's own copies */
    public static Histogram newHistogram() {
        return histogram();
    }

    @Override
    public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
        long received = event.receivedNanos();
        long previous = received;
        for (int s = 0; s < InboundEvent.STAGES; s++) {
            long done = event.stageDoneNanos(s);
            record(stage[s], done - previous);
            previous = done;
        }
        if (event.type() != InboundEventType.MARKET_DATA || event.isFaulted() || event.intentCount() == 0) {
            return;
        }
        boolean any = false;
        for (int v = 0; v < venueSeen.length; v++) {
            venueSeen[v] = false;
        }
        for (int i = 0; i < event.intentCount(); i++) {
            QuoteIntent intent = event.intent(i);
            if (intent.verdict() == RiskVerdict.APPROVED) {
                any = true;
                if (intent.venueId() >= 0 && intent.venueId() < venueSeen.length) {
                    venueSeen[intent.venueId()] = true;
                }
            }
        }
        if (!any) {
            return;
        }
        long tickToQuoteNanos = event.stageDoneNanos(InboundEvent.STAGES - 1) - received;
        record(tickToQuote, tickToQuoteNanos);
        for (int v = 0; v < venueSeen.length; v++) {
            if (venueSeen[v]) {
                record(tickToQuoteByVenue[v], tickToQuoteNanos);
            }
        }
    }

    private static void record(Recorder recorder, long nanos) {
        if (nanos >= 0 && nanos <= HIGHEST_NANOS) {
            recorder.recordValue(nanos);
        }
    }

    /**
     * Moves what was recorded since the last call into the cumulative histograms and keeps it as
     * the latest interval. One reader thread only.
     */
    public void sample() {
        tickToQuoteInterval.reset();
        intervals[0] = tickToQuote.getIntervalHistogram(intervals[0]);
        tickToQuoteInterval.add(intervals[0]);
        tickToQuoteTotal.add(intervals[0]);
        for (int v = 0; v < VENUES.length; v++) {
            int slot = 2 + v;
            intervals[slot] = tickToQuoteByVenue[v].getIntervalHistogram(intervals[slot]);
            tickToQuoteByVenueInterval[v].reset();
            tickToQuoteByVenueInterval[v].add(intervals[slot]);
            tickToQuoteByVenueTotal[v].add(intervals[slot]);
        }
        for (int s = 0; s < stage.length; s++) {
            int slot = 2 + VENUES.length + s;
            intervals[slot] = stage[s].getIntervalHistogram(intervals[slot]);
            stageTotal[s].add(intervals[slot]);
        }
    }

    /** tick-to-quote since the start (as of the last {@link #sample()}) */
    public LatencySummary tickToQuote() {
        return LatencySummary.of(tickToQuoteTotal);
    }

    /** tick-to-quote of quotes on one venue since the start */
    public LatencySummary tickToQuote(Venue venue) {
        return LatencySummary.of(tickToQuoteByVenueTotal[venue.id()]);
    }

    /** tick-to-quote of one venue's quotes in the last sampled interval */
    public LatencySummary tickToQuoteLastInterval(Venue venue) {
        return LatencySummary.of(tickToQuoteByVenueInterval[venue.id()]);
    }

    /** tick-to-quote in the last sampled interval */
    public LatencySummary tickToQuoteLastInterval() {
        return LatencySummary.of(tickToQuoteInterval);
    }

    /** one chain stage (index into {@link #STAGES}) since the start */
    public LatencySummary stage(int index) {
        return LatencySummary.of(stageTotal[index]);
    }

    /** copies the cumulative tick-to-quote (as of the last {@link #sample()}) into {@code into}; reader thread only */
    public void copyTickToQuote(Histogram into) {
        tickToQuoteTotal.copyInto(into);
    }

    /** copies one venue's cumulative tick-to-quote into {@code into}; reader thread only */
    public void copyTickToQuote(Venue venue, Histogram into) {
        tickToQuoteByVenueTotal[venue.id()].copyInto(into);
    }

    /**
     * One venue's cumulative tick-to-quote as Prometheus histogram buckets: {@code counts[i]} gets
     * the values in (upperNanos[i-1], upperNanos[i]] (non-cumulative), {@code counts[upperNanos.length]}
     * those above the last bound. Returns the sum of the values in nanoseconds (each at its
     * HdrHistogram bucket's median, exact to 3 significant digits). Reader thread only.
     */
    public long tickToQuoteBuckets(Venue venue, long[] upperNanos, long[] counts) {
        return buckets(tickToQuoteByVenueTotal[venue.id()], upperNanos, counts);
    }

    /** the same for one chain stage (index into {@link #STAGES}) */
    public long stageBuckets(int index, long[] upperNanos, long[] counts) {
        return buckets(stageTotal[index], upperNanos, counts);
    }

    /** total count of one venue's cumulative tick-to-quote */
    public long tickToQuoteCount(Venue venue) {
        return tickToQuoteByVenueTotal[venue.id()].getTotalCount();
    }

    /** total count of one stage's cumulative histogram */
    public long stageCount(int index) {
        return stageTotal[index].getTotalCount();
    }

    private static long buckets(Histogram histogram, long[] upperNanos, long[] counts) {
        java.util.Arrays.fill(counts, 0, upperNanos.length + 1, 0L);
        long sum = 0;
        for (org.HdrHistogram.HistogramIterationValue v : histogram.recordedValues()) {
            long value = v.getValueIteratedTo();
            long count = v.getCountAtValueIteratedTo();
            int bucket = 0;
            while (bucket < upperNanos.length && value > upperNanos[bucket]) {
                bucket++;
            }
            counts[bucket] += count;
            sum += histogram.medianEquivalentValue(value) * count;
        }
        return sum;
    }

    /** the cumulative tick-to-quote histogram, for a benchmark's own report; reader thread only */
    public Histogram tickToQuoteHistogram() {
        return tickToQuoteTotal;
    }
}
