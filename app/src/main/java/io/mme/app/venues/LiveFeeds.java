package io.mme.app.venues;

import io.mme.app.config.VenueSettings;
import io.mme.connectors.binance.BinanceFeed;
import io.mme.connectors.coinbase.CoinbaseFeed;
import io.mme.connectors.hyperliquid.HyperliquidFeed;
import io.mme.connectors.kraken.KrakenFeed;
import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.instrument.Venue;
import io.mme.core.ring.Side;
import io.mme.core.runtime.EpochClock;
import io.mme.core.runtime.InboundPublisher;
import io.mme.core.venue.VenueMode;
import io.mme.marketdata.FeedSink;
import io.mme.marketdata.ResyncRequests;
import io.mme.marketdata.RingFeedSink;
import io.mme.matching.FeedTape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The venues' public feeds the configuration asks for ({@code venues.<venue>.feed: true}): each
 * decodes on its own session thread into the inbound ring. For a venue in paper mode the feed also
 * copies its public trades onto a {@link FeedTape} the paper venue fills our orders against (live
 * paper), and, when the paper venue models queue position ({@code paper.queueModel} other than
 * {@code none}), its books' snapshots and level changes. The market data engine's requests to
 * rebuild a book go to the feed of the book's venue.
 *
 * <p>Threads: built and started on the assembly's thread; each feed's sink is used by that feed's
 * session thread only; {@link #request} is called on the market data engine's thread and hands the
 * request to the feed, which does not block.
 */
public final class LiveFeeds implements ResyncRequests, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeeds.class);
    private final VenueSettings venues;
    private final InstrumentRegistry instruments;
    private final Map<Venue, FeedTape> tapes = new EnumMap<>(Venue.class);
    /** the tapes carry the books' levels too (the paper venue keeps queues) */
    private final boolean tapeLevels;
    private final List<AutoCloseable> running = new ArrayList<>();
    private volatile ResyncRequests[] byVenue = new ResyncRequests[Venue.values().length];

    /** @param tapeLevels whether the paper venue's tapes carry the books' levels as well as the trades */
    public LiveFeeds(VenueSettings venues, InstrumentRegistry instruments, boolean tapeLevels) {
        this.venues = venues;
        this.instruments = instruments;
        this.tapeLevels = tapeLevels;
        for (VenueSettings.Setup s : venues.setups().values()) {
            if (s.feed() && s.mode() == VenueMode.PAPER) {
                tapes.put(s.venue(), new FeedTape(1 << 16));
            }
        }
    }

    /** the paper venue's tapes, one per paper venue with a live feed (before start) */
    public FeedTape[] tapes() {
        return tapes.values().toArray(new FeedTape[0]);
    }

    public boolean any() {
        return venues.anyFeed();
    }

    /** connects every configured feed; each publishes into {@code inbound} from its own thread */
    public LiveFeeds start(InboundPublisher inbound) {
        ResyncRequests[] resync = new ResyncRequests[Venue.values().length];
        for (VenueSettings.Setup s : venues.setups().values()) {
            if (!s.feed()) {
                continue;
            }
            FeedSink sink = new RingFeedSink(inbound, instruments, EpochClock.system());
            FeedTape tape = tapes.get(s.venue());
            if (tape != null) {
                sink = new TeeToTape(sink, tape, tapeLevels);
            }
            switch (s.venue()) {
                case BINANCE -> {
                    BinanceFeed.Settings d = BinanceFeed.Settings.production();
                    BinanceFeed feed = new BinanceFeed(new BinanceFeed.Settings(s.feedUrl() == null ? d.webSocketBase() : s.feedUrl(),
                            s.feedRestUrl() == null ? d.restBase() : s.feedRestUrl(), d.depthLimit(), d.initialBackoff(), d.maxBackoff()),
                            instruments, sink).start();
                    running.add(feed);
                    resync[s.venue().id()] = feed;
                }
                case COINBASE -> {
                    CoinbaseFeed.Settings d = CoinbaseFeed.Settings.productionAdvancedTrade();
                    CoinbaseFeed feed = new CoinbaseFeed(new CoinbaseFeed.Settings(s.feedUrl() == null ? d.uri() : s.feedUrl(),
                            d.protocol(), d.initialBackoff(), d.maxBackoff()), instruments, sink).start();
                    running.add(feed);
                    resync[s.venue().id()] = feed;
                }
                case HYPERLIQUID -> {
                    HyperliquidFeed.Settings d = HyperliquidFeed.Settings.production();
                    HyperliquidFeed feed = new HyperliquidFeed(new HyperliquidFeed.Settings(s.feedUrl() == null ? d.uri() : s.feedUrl(),
                            d.initialBackoff(), d.maxBackoff(), d.pingEvery()), instruments, sink).start();
                    running.add(feed);
                    resync[s.venue().id()] = feed;
                }
                case KRAKEN -> {
                    KrakenFeed.Settings d = KrakenFeed.Settings.productionV2();
                    KrakenFeed feed = new KrakenFeed(new KrakenFeed.Settings(s.feedUrl() == null ? d.uri() : s.feedUrl(),
                            d.protocol(), d.bookDepth(), d.initialBackoff(), d.maxBackoff()), instruments, sink).start();
                    running.add(feed);
                    resync[s.venue().id()] = feed;
                }
            }
            LOG.info("{} public feed started ({} instruments){}", s.venue().configName(), instruments.ofVenue(s.venue()).size(),
                    tape == null ? "" : tapeLevels ? "; paper orders fill against its trades, behind its displayed queue"
                            : "; paper orders fill against its trades (no queue)");
        }
        byVenue = resync;
        return this;
    }

    @Override
    public void request(int instrumentId, String reason) {
        ResyncRequests feed = byVenue[instruments.get(instrumentId).venue().id()];
        if (feed != null) {
            feed.request(instrumentId, reason);
        } else {
            LOG.warn("{}: book invalid ({}) and no live feed to rebuild it from", instruments.get(instrumentId), reason);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable feed : running) {
            try {
                feed.close();
            } catch (Exception e) {
                LOG.warn("closing a feed: {}", e.toString());
            }
        }
        running.clear();
    }

    /**
     * Passes everything on and copies public trades (and, with {@code levels}, snapshots and level
     * changes) onto the paper venue's tape, in the feed's order; the feed's thread.
     */
    private static final class TeeToTape implements FeedSink {
        private final FeedSink inner;
        private final FeedTape tape;
        private final boolean levels;

        TeeToTape(FeedSink inner, FeedTape tape, boolean levels) {
            this.inner = inner;
            this.tape = tape;
            this.levels = levels;
        }

        @Override
        public void clear(int instrumentId, long venueSequence) {
            inner.clear(instrumentId, venueSequence);
            if (levels) {
                tape.clear(instrumentId);
            }
        }

        @Override
        public void level(int instrumentId, Side side, long priceTicks, long quantityLots, long venueSequence) {
            inner.level(instrumentId, side, priceTicks, quantityLots, venueSequence);
            if (levels) {
                tape.level(instrumentId, side, priceTicks, quantityLots);
            }
        }

        @Override
        public void endOfMessage(int instrumentId, long venueSequence) {
            inner.endOfMessage(instrumentId, venueSequence);
        }

        @Override
        public void invalid(int instrumentId, String reason) {
            inner.invalid(instrumentId, reason);
        }

        @Override
        public void bestBidOffer(int instrumentId, long bidTicks, long bidLots, long askTicks, long askLots, long venueSequence) {
            inner.bestBidOffer(instrumentId, bidTicks, bidLots, askTicks, askLots, venueSequence);
        }

        @Override
        public void trade(int instrumentId, Side aggressor, long priceTicks, long quantityLots, long tradeId, long venueTimestampNanos) {
            inner.trade(instrumentId, aggressor, priceTicks, quantityLots, tradeId, venueTimestampNanos);
            tape.trade(instrumentId, aggressor, priceTicks, quantityLots);
        }
    }
}
