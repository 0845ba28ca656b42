package io.mme.app;

import io.mme.app.config.ConfigLoader;
import io.mme.audit.JournalReader;
import io.mme.backtest.BacktestInputException;
import io.mme.backtest.RecordedFeed;
import io.mme.core.instrument.Instrument;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.MarketDataKind;
import io.mme.core.ring.MarketDataUpdate;
import io.mme.core.ring.Side;
import io.mme.marketdata.FeedSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The market data of a run's inbound journal as a backtest input: every {@code mme run} with a
 * venue feed is also a recorder. Reads the journal with the replay's {@link JournalReader} and
 * keeps the MARKET_DATA events only (never the run's own orders' answers, timers or control
 * commands), message by message at their recorded receive time; each message is fed into the
 * backtest's sink as the venue's decoder fed the live run's.
 *
 * <p>Instruments are matched by venue and symbol between the recorded run's configuration (the
 * {@code mme-config.yaml} its run directory carries) and the backtest's, and must have the same
 * tick and lot. Events of several feeds may interleave in the journal, so a message is gathered
 * per instrument until the event that ends it. What the journal does not hold: the ask of a best
 * bid and offer (the book's levels carry it), the venue's own time of a book change, and L3 order
 * events (skipped and counted).
 *
 * <p>Thread: the backtest's; one run per object.
 */
public final class JournalMarketData implements RecordedFeed {
    private final Path runDirectory;
    private final Path queue;
    private final JournalReader reader;
    private final int[] toBacktest;
    private final String[] recordedName;
    private final InstrumentRegistry registry;
    private final long totalBytes;
    /** one gathering message per backtest instrument */
    private final Message[] gathering;
    private final boolean[] synced;
    private Message current;
    private long lastTimestamp = Long.MIN_VALUE;
    private long marketDataEvents;
    private long otherEvents;
    private long l3Skipped;
    private boolean ended;

    /** the events of one venue message of one instrument, kept until it is fed */
    private static final class Message {
        final int instrument;
        int size;
        boolean hasClear;
        MarketDataKind[] kind = new MarketDataKind[16];
        Side[] side = new Side[16];
        long[] price = new long[16];
        long[] quantity = new long[16];
        long[] orderId = new long[16];
        long[] venueSequence = new long[16];
        long[] venueTime = new long[16];
        long[] receiveTime = new long[16];
        boolean[] end = new boolean[16];
        boolean[] valid = new boolean[16];

        Message(int instrument) {
            this.instrument = instrument;
        }

        void add(MarketDataUpdate m) {
            if (size == kind.length) {
                int n = size * 2;
                kind = Arrays.copyOf(kind, n);
                side = Arrays.copyOf(side, n);
                price = Arrays.copyOf(price, n);
                quantity = Arrays.copyOf(quantity, n);
                orderId = Arrays.copyOf(orderId, n);
                venueSequence = Arrays.copyOf(venueSequence, n);
                venueTime = Arrays.copyOf(venueTime, n);
                receiveTime = Arrays.copyOf(receiveTime, n);
                end = Arrays.copyOf(end, n);
                valid = Arrays.copyOf(valid, n);
            }
            int i = size++;
            kind[i] = m.kind();
            side[i] = m.side();
            price[i] = m.priceTicks();
            quantity[i] = m.quantityLots();
            orderId[i] = m.orderId();
            venueSequence[i] = m.venueSequence();
            venueTime[i] = m.venueTimestampNanos();
            receiveTime[i] = m.receiveTimestampNanos();
            end[i] = m.endOfMessage();
            valid[i] = m.bookValid();
            hasClear |= m.kind() == MarketDataKind.CLEAR;
        }
    }

    /**
     * @param path     a run directory (its {@code queue/} and {@code mme-config.yaml}) or its {@code queue/}
     * @param registry the backtest configuration's instruments
     * @throws BacktestInputException when the path is no journal, or its configuration cannot be read
     */
    public JournalMarketData(Path path, InstrumentRegistry registry) {
        this.runDirectory = runDirectory(path);
        if (runDirectory == null) {
            throw new BacktestInputException(path + ": not a journal (expected a run directory with " + EngineRunner.JOURNAL_CONFIG
                    + " and " + EngineRunner.JOURNAL_QUEUE + "/ in it, or that " + EngineRunner.JOURNAL_QUEUE + "/ itself)");
        }
        this.queue = runDirectory.resolve(EngineRunner.JOURNAL_QUEUE);
        this.registry = registry;
        InstrumentRegistry recorded;
        try {
            recorded = new ConfigLoader().load(runDirectory.resolve(EngineRunner.JOURNAL_CONFIG), Map.of()).instruments();
        } catch (RuntimeException e) {
            throw new BacktestInputException(runDirectory.resolve(EngineRunner.JOURNAL_CONFIG) + ": the recorded run's configuration"
                    + " cannot be read (" + e.getMessage() + ")");
        }
        toBacktest = new int[recorded.size()];
        recordedName = new String[recorded.size()];
        for (Instrument r : recorded.all()) {
            recordedName[r.id()] = r.venue().configName() + " " + r.venueSymbol();
            Instrument mine = registry.find(r.venue(), r.venueSymbol());
            if (mine == null) {
                toBacktest[r.id()] = -1; // an error only when the journal has market data of it
            } else if (mine.priceNanos(1) != r.priceNanos(1) || mine.quantityNanos(1) != r.quantityNanos(1)) {
                throw new BacktestInputException(queue + ": " + recordedName[r.id()] + " was recorded with tick " + r.tick() + " and lot "
                        + r.lot() + ", the configuration has tick " + mine.tick() + " and lot " + mine.lot()
                        + "; the journal's prices and quantities are in the recorded run's ticks and lots");
            } else {
                toBacktest[r.id()] = mine.id();
            }
        }
        gathering = new Message[registry.size()];
        for (int i = 0; i < gathering.length; i++) {
            gathering[i] = new Message(i);
        }
        synced = new boolean[registry.size()];
        totalBytes = size(queue);
        try {
            reader = new JournalReader(queue);
        } catch (RuntimeException e) {
            throw new BacktestInputException(queue + ": the journal cannot be opened (" + e.getMessage() + ")");
        }
    }

    /** a fresh feed of each journal per run, its instruments matched to {@code registry} */
    public static List<RecordedFeed.Opener> openers(List<Path> journals, InstrumentRegistry registry) {
        List<RecordedFeed.Opener> openers = new ArrayList<>();
        for (Path journal : journals) {
            openers.add(() -> new JournalMarketData(journal, registry));
        }
        return openers;
    }

    /** whether a path is a journal this class reads: a run directory, or its queue directory */
    public static boolean isJournal(Path path) {
        return runDirectory(path) != null;
    }

    private static Path runDirectory(Path path) {
        if (Files.isDirectory(path.resolve(EngineRunner.JOURNAL_QUEUE)) && Files.isRegularFile(path.resolve(EngineRunner.JOURNAL_CONFIG))) {
            return path;
        }
        Path parent = path.toAbsolutePath().normalize().getParent();
        if (parent != null && path.toAbsolutePath().normalize().getFileName().toString().equals(EngineRunner.JOURNAL_QUEUE)
                && Files.isDirectory(path) && Files.isRegularFile(parent.resolve(EngineRunner.JOURNAL_CONFIG))) {
            return parent;
        }
        return null;
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public boolean next() {
        if (current != null) {
            current.size = 0;
            current.hasClear = false;
            current = null;
        }
        while (true) {
            InboundEvent event;
            try {
                event = ended ? null : reader.next();
            } catch (RuntimeException e) {
                throw new BacktestInputException(queue + ": the journal cannot be read after event " + (marketDataEvents + otherEvents - 1)
                        + " (" + e.getMessage() + ")");
            }
            if (event == null) {
                ended = true;
                if (marketDataEvents == 0) {
                    throw new BacktestInputException(queue + ": the journal holds no market data (" + otherEvents
                            + " events of other kinds: order answers, timers, control commands); record a run with a venue feed"
                            + " (venues.NAME.feed: true) to backtest on it");
                }
                return false;
            }
            if (event.type() != InboundEventType.MARKET_DATA) {
                otherEvents++;
                continue;
            }
            marketDataEvents++;
            MarketDataUpdate m = event.marketData();
            int recordedId = m.instrumentId();
            if (recordedId < 0 || recordedId >= toBacktest.length) {
                throw new BacktestInputException(queue + " event " + event.sequence() + ": instrument #" + recordedId
                        + " is not in the recorded run's configuration " + runDirectory.resolve(EngineRunner.JOURNAL_CONFIG));
            }
            int id = toBacktest[recordedId];
            if (id < 0) {
                throw new BacktestInputException(queue + " event " + event.sequence() + ": market data of " + recordedName[recordedId]
                        + ", which is not an instrument of the configuration (it names " + configured() + ")");
            }
            switch (m.kind()) {
                case ORDER_ADDED, ORDER_REDUCED, ORDER_EXECUTED, ORDER_DELETED -> {
                    l3Skipped++;
                    continue;
                }
                default -> { }
            }
            Message message = gathering[id];
            message.add(m);
            if (m.endOfMessage()) {
                current = message;
                return true;
            }
        }
    }

    private String configured() {
        List<String> names = new ArrayList<>();
        for (Instrument i : registry.all()) {
            names.add(i.venue().configName() + " " + i.venueSymbol());
        }
        return String.join(", ", names);
    }

    @Override
    public long timestamp() {
        // receive times of several feeds' threads may cross by a little: the backtest's time never goes back
        lastTimestamp = Math.max(lastTimestamp, current.receiveTime[0]);
        return lastTimestamp;
    }

    @Override
    public long venueTimestamp() {
        long t = current.venueTime[0];
        return t > 0 && t != current.receiveTime[0] ? t : -1;
    }

    @Override
    public void apply(FeedSink sink) {
        Message m = current;
        int id = m.instrument;
        for (int i = 0; i < m.size; i++) {
            long seq = m.venueSequence[i];
            switch (m.kind[i]) {
                case LEVEL -> {
                    sink.level(id, m.side[i], m.price[i], m.quantity[i], seq);
                    if (m.end[i]) {
                        sink.endOfMessage(id, seq);
                    }
                }
                case CLEAR -> {
                    sink.clear(id, seq);
                    if (m.end[i]) {
                        sink.endOfMessage(id, seq);
                    }
                }
                case TRADE -> sink.trade(id, m.side[i], m.price[i], m.quantity[i], m.orderId[i], m.venueTime[i]);
                case BEST_BID_OFFER -> sink.bestBidOffer(id, m.price[i], m.quantity[i], 0, 0, seq);
                case BOOK_STATE -> {
                    if (!m.valid[i]) {
                        synced[id] = false;
                        sink.invalid(id, "the recorded feed declared the book invalid");
                    }
                }
                default -> { }
            }
        }
        if (m.hasClear) {
            synced[id] = true;
        }
    }

    @Override
    public boolean synced(int instrumentId) {
        return synced[instrumentId];
    }

    @Override
    public long bytesRead() {
        return ended ? totalBytes : 0;
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public String describe() {
        return queue + " (" + marketDataEvents + " market data events, " + otherEvents + " others skipped"
                + (l3Skipped > 0 ? ", " + l3Skipped + " L3 order events skipped" : "") + ")";
    }

    @Override
    public void close() {
        reader.close();
    }
}
