package io.mme.core.ring;

/**
 * One slot of the inbound ring: the sequenced input (market data, an execution report, a timer
 * tick or a control command) and, in the same slot, the decisions the engines downstream take on
 * it (quote intents and their risk verdicts).
 *
 * <p>Slots are created once when the ring is built and overwritten on every lap, so nothing here
 * allocates after start-up. Threads: the publisher writes the header and the input part between
 * claim and publish; then each engine of the chain owns, in turn, the part it writes (market data:
 * the book view; strategy: the intents; risk: the verdicts and the cancel decision); the ring's
 * sequence barriers give each the happens-before edge to what the previous engines wrote. Parallel consumers placed after the chain read the whole slot.
 */
public final class InboundEvent {
    /** quote intents one event may carry; a strategy that needs more emits them over later events */
    public static final int MAX_INTENTS = 16;

    private long sequence = -1;
    private InboundEventType type;
    private long timestampNanos;
    private final MarketDataUpdate marketData = new MarketDataUpdate();
    private final ExecutionReport executionReport = new ExecutionReport();
    private final ControlCommand control = new ControlCommand();
    /** a change an engine made on its own while handling this event (risk's daily loss limit), for the audit trail */
    private final ControlCommand automaticChange = new ControlCommand();
    private boolean hasAutomaticChange;
    /** risk's decision of which open orders execution cancels on this CONTROL event */
    private final CancelDecision cancels = new CancelDecision();
    private final BookView book;
    private final QuoteIntent[] intents = new QuoteIntent[MAX_INTENTS];
    private int intentCount;
    private String faultedBy;
    /** the fault mark is a publisher's (the input itself is suspect), not an engine's */
    private boolean faultedByPublisher;
    /** monotonic (System.nanoTime) time the publisher filled the slot: latency measurement only */
    private long receivedNanos;
    /** monotonic time each chain stage finished with this event, stamped by the runtime */
    private final long[] stageDoneNanos = new long[STAGES];

    /** stages of the business chain whose finishing times a slot carries */
    public static final int STAGES = 5;

    /** a slot whose book view carries up to {@link BookView#MAX_DEPTH} levels a side */
    public InboundEvent() {
        this(BookView.MAX_DEPTH);
    }

    /**
     * A slot whose book view carries up to {@code bookDepth} levels a side (0..{@link BookView#MAX_DEPTH}):
     * a ring is built with the deepest book its strategies read, so that slots stay small.
     */
    public InboundEvent(int bookDepth) {
        this.book = new BookView(bookDepth);
        for (int i = 0; i < MAX_INTENTS; i++) {
            intents[i] = new QuoteIntent();
        }
    }

    /**
     * Starts a new lap of this slot. Called by the publisher only, between claim and publish.
     *
     * @param sequence       the ring sequence: the event's number in the one sequenced input
     * @param type           which input part the publisher fills next
     * @param timestampNanos the event's time (epoch nanos, stamped at the edge): the only clock the
     *                       engines read
     */
    public void begin(long sequence, InboundEventType type, long timestampNanos) {
        this.sequence = sequence;
        this.type = type;
        this.timestampNanos = timestampNanos;
        this.intentCount = 0;
        this.faultedBy = null;
        this.faultedByPublisher = false;
        this.hasAutomaticChange = false;
        this.cancels.clear();
    }

    /**
     * Copies the input of {@code other} (type, timestamp, the filled input part and a publisher's
     * fault mark) into this slot, which keeps its own sequence. For publishers that had to hold an
     * event back while the ring was full.
     */
    public void copyInputFrom(InboundEvent other) {
        begin(sequence, other.type, other.timestampNanos);
        faultedBy = other.faultedBy;
        faultedByPublisher = other.faultedByPublisher;
        receivedNanos = other.receivedNanos;
        switch (other.type) {
            case MARKET_DATA -> marketData.copyFrom(other.marketData);
            case EXECUTION_REPORT -> executionReport.copyFrom(other.executionReport);
            case CONTROL -> control.copyFrom(other.control);
            case TIMER -> { }
        }
    }

    public long sequence() {
        return sequence;
    }

    /**
     * Stamped by the runtime's publisher with System.nanoTime() when the slot is filled: the
     * receive time for latency figures (tick-to-quote). It is not part of the sequenced input: no
     * engine decision may read it, and a replay does not reproduce it. In event time (a backtest's
     * {@code EventTimeChain}) it is the event's time.
     */
    public void receivedNanos(long nanos) {
        this.receivedNanos = nanos;
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    /** stamped by the runtime when chain stage {@code stage} (0..4, Pipeline.CHAIN order) finished with this event */
    public void stageDone(int stage, long nanos) {
        stageDoneNanos[stage] = nanos;
    }

    public long stageDoneNanos(int stage) {
        return stageDoneNanos[stage];
    }

    public InboundEventType type() {
        return type;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    public MarketDataUpdate marketData() {
        return marketData;
    }

    public ExecutionReport executionReport() {
        return executionReport;
    }

    public ControlCommand control() {
        return control;
    }

    /**
     * Records, in the form of the control command an operator would have sent, a change the owning
     * engine made on its own while handling this event (the risk engine's daily loss limit putting
     * trading into REDUCING); the audit trail journals it with the event. One per event; written
     * by that engine only, read by the engines after it.
     */
    public ControlCommand recordAutomaticChange() {
        hasAutomaticChange = true;
        return automaticChange;
    }

    /** whether an engine recorded an automatic change on this event */
    public boolean hasAutomaticChange() {
        return hasAutomaticChange;
    }

    /** the automatic change (valid when {@link #hasAutomaticChange()}) */
    public ControlCommand automaticChange() {
        return automaticChange;
    }

    /**
     * Risk's part on a CONTROL event: the (instrument, side) pairs whose open orders execution must
     * cancel (a halt, a REDUCING, a kill switch, a cancel-all). Empty on every other event.
     */
    public CancelDecision cancels() {
        return cancels;
    }

    /** the market data engine's part: what this event did to the books */
    public BookView book() {
        return book;
    }

    /**
     * The next free quote intent of this slot, for the strategy engine to fill.
     *
     * @throws IllegalStateException when the slot already holds {@link #MAX_INTENTS}
     */
    public QuoteIntent addIntent() {
        if (intentCount == MAX_INTENTS) {
            throw new IllegalStateException("event " + sequence + " already carries " + MAX_INTENTS + " quote intents");
        }
        return intents[intentCount++];
    }

    public int intentCount() {
        return intentCount;
    }

    public QuoteIntent intent(int index) {
        if (index < 0 || index >= intentCount) {
            throw new IndexOutOfBoundsException("intent " + index + " of " + intentCount);
        }
        return intents[index];
    }

    /**
     * Marks that an engine threw while handling this event. Engines after it in the chain still
     * see the event (it is never skipped) and must not act on a faulted slot's decisions.
     */
    public void markFaulted(String engineName) {
        if (faultedBy == null) {
            faultedBy = engineName;
        }
    }

    /**
     * Marks that the publisher threw while filling this slot: its input is incomplete, so no engine
     * acts on it, and the journal keeps the mark (it is input, unlike an engine's fault, which a
     * replay reproduces). {@link #faultedBy()} then reads {@code "publisher " + publisherName}.
     */
    public void markPublisherFaulted(String publisherName) {
        restorePublisherFault("publisher " + publisherName);
    }

    /** a publisher's fault mark as a journal recorded it (the whole {@link #faultedBy()} text) */
    public void restorePublisherFault(String recordedFaultedBy) {
        if (faultedBy == null) {
            faultedBy = recordedFaultedBy;
            faultedByPublisher = true;
        }
    }

    /** true when the fault mark is a publisher's: the slot's input itself is incomplete */
    public boolean faultedByPublisher() {
        return faultedByPublisher;
    }

    /** the engine (or {@code "publisher <name>"}) that threw on this event, or null */
    public String faultedBy() {
        return faultedBy;
    }

    public boolean isFaulted() {
        return faultedBy != null;
    }
}
