package io.mme.app.config;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration file as written: YAML bound to these records after the defaults and the
 * {@code MME_…} environment overrides were merged in (see {@link ConfigLoader}). Decimals stay text
 * here; {@link MmeSettings} holds the validated, typed form the engine is built from.
 *
 * @param engine       rings, engine threads and the timer
 * @param instruments  the instruments to trade, in the order that gives their ids
 * @param assetAliases extra venue spellings of assets (alias: canonical), on top of XBT=BTC and the like
 * @param strategy     the old single-strategy section: read as one strategy with id {@code default}
 *                     (absent: none; not together with {@code strategies})
 * @param strategies   the desk's strategies, each with a unique id (absent: no quoting)
 * @param risk         pre-trade risk: limits beyond the defaults
 * @param execution    the order state machine and routing
 * @param venues       per venue (binance, coinbase, kraken): paper, testnet or live order entry, and the public feed
 * @param journal      how the run directory's journals reach the disk
 * @param demo         the offline demo
 * @param strategyPath where plug-in strategies are: jars or directories of jars, separated by the
 *                     platform's path separator ({@code :} on Linux); empty: the built-in ones only
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MmeConfig(EngineConfig engine, List<InstrumentConfig> instruments, Map<String, String> assetAliases,
                        MarketDataConfig marketData, PaperConfig paper, SimulationConfig simulation,
                        StrategyConfig strategy, List<StrategyConfig> strategies, RiskSection risk, ExecutionSection execution, Map<String, VenueConfig> venues,
                        StoresConfig stores, JournalConfig journal, ApiConfig api, DemoConfig demo, String strategyPath) {

    /** the configuration with nothing set: every default */
    public static MmeConfig defaults() {
        Map<String, EngineThreadConfig> engines = new LinkedHashMap<>();
        for (String name : List.of("journal", "marketdata", "strategy", "risk", "execution", "audit", "analytics", "stream", "paper", "orders",
                "gateways", "chain")) {
            engines.put(name, new EngineThreadConfig(null, null));
        }
        return new MmeConfig(new EngineConfig(65_536, 16_384, 10_000, 100, 5_000, engines, "auto"), List.of(), Map.of(),
                new MarketDataConfig(100_000, 5_000, "mid"),
                new PaperConfig(1 << 20, true, true, "cancel-resting", "risk-averse"), new SimulationConfig(false, 1, List.of(), false),
                null, null, new RiskSection(List.of()), new ExecutionSection(1L, true, 2_000L, 3, 16_384, "cancel", null),
                defaultVenues(),
                new StoresConfig(new RedisSection(false, List.of("redis://127.0.0.1:6379"), false, "mme", 100L),
                        new PostgresSection(false, "jdbc:postgresql://127.0.0.1:5432/test", null, "public", 5_000),
                        "continue", 10_000L, 10_000L),
                new JournalConfig("none", "hourly", "all", null),
                new ApiConfig(false, "127.0.0.1", 8080, null, null, null),
                new DemoConfig(5), "");
    }

    private static Map<String, VenueConfig> defaultVenues() {
        Map<String, VenueConfig> venues = new LinkedHashMap<>();
        for (String v : List.of("binance", "coinbase", "kraken")) {
            venues.put(v, new VenueConfig("paper", false, null, null, null, null, null, null, null, null));
        }
        return venues;
    }

    /**
     * One venue: where its orders go and whether its public feed runs.
     *
     * @param mode             paper (our matching engine; the default), testnet (Binance spot testnet;
     *                         Coinbase's static REST sandbox) or live (needs keys and {@code mme run --live})
     * @param feed             start the venue's public market data feed for its instruments (live
     *                         books; with mode paper the paper venue fills our orders as the venue's
     *                         public trades go through them)
     * @param restUrl          the order-entry REST base, replacing the mode's (tests, proxies)
     * @param streamUrl        the private stream's WebSocket address, replacing the mode's
     * @param feedUrl          the public feed's WebSocket address, replacing the production one
     * @param feedRestUrl      Binance: the REST base the feed takes depth snapshots from
     * @param recvWindowMillis Binance: how late a signed request may arrive (default 5000)
     * @param rateLimitShare   the share of each published rate limit the gateway may spend (default 0.8)
     * @param restPairs        Kraken: REST pair names by our symbol (e.g. "BTC/USD": XBTUSD)
     * @param orderEntry       Binance: rest (default) or websocket (the WebSocket API; REST is the fallback
     *                         for cancels and queries while its connection is down)
     */
    public record VenueConfig(String mode, Boolean feed, String restUrl, String streamUrl, String feedUrl, String feedRestUrl,
                              Long recvWindowMillis, Double rateLimitShare, Map<String, String> restPairs, String orderEntry) {
    }

    /**
     * @param inboundRingSize       slots of the inbound ring (power of two)
     * @param outboundRingSize      slots of the outbound ring (power of two)
     * @param shutdownTimeoutMillis how long a shutdown may take to drain the rings
     * @param timerPeriodMillis     period of the TIMER events that are the engines' clock
     * @param snapshotMillis        how often every engine writes its state to the state files (0: never;
     *                              a restart then replays the whole journal)
     * @param engines               per engine: CPU to pin to and wait strategy
     * @param chain                 fused (marketdata, strategy, risk and execution on one thread),
     *                              threads (a thread each) or auto (fused when the machine has fewer
     *                              cores than engine threads)
     */
    public record EngineConfig(int inboundRingSize, int outboundRingSize, long shutdownTimeoutMillis,
                               long timerPeriodMillis, long snapshotMillis, Map<String, EngineThreadConfig> engines, String chain) {
    }

    /**
     * @param cpu          CPU to pin the engine thread to; null: not pinned
     * @param waitStrategy busy-spin, yielding, sleeping or blocking; null: chosen from the cores
     */
    public record EngineThreadConfig(Integer cpu, String waitStrategy) {
    }

    /**
     * One instrument; see {@link io.mme.core.instrument.InstrumentSpec} for the fields, plus
     * {@code takerFeeBps}: the venue's taker fee in basis points, netted off the venue's touch when
     * the consolidated fair value is computed and charged on our taker fills (null: none in the fair
     * value, the venue's base tier in PnL); {@code makerFeeBps}: the fee on our maker fills (null: the
     * venue's base tier; negative: a rebate).
     */
    public record InstrumentConfig(String venue, String symbol, String base, String quote, String tickSize,
                                   String lotSize, String minQuantity, String minNotional,
                                   Integer priceDecimals, Integer sizeDecimals, Long takerFeeBps, Long makerFeeBps) {
    }

    /**
     * The market data engine.
     *
     * @param bookCapacityPerSide levels each venue book holds per side
     * @param staleAfterMillis    a book whose feed is silent this long goes INVALID and is resynced; one still
     *                            INVALID this long after going INVALID is asked for again (with backoff)
     * @param fairValue           mid, micro-price or size-weighted-mid, across the valid venues of a pair
     */
    public record MarketDataConfig(int bookCapacityPerSide, long staleAfterMillis, String fairValue) {
    }

    /**
     * The paper venue: our matching engine standing in for the venues.
     *
     * @param bookCapacity        orders each instrument's book can hold
     * @param publishLevels       publish L2 level changes
     * @param publishOrders       publish L3 order events
     * @param selfTradePrevention none, cancel-resting, cancel-incoming, cancel-both, decrement-and-cancel
     * @param queueModel          live paper (a paper venue with a live feed): how the queue ahead of our
     *                            orders shrinks, risk-averse, power:N or log; none: no queue (a trade
     *                            that reaches our price fills us at once)
     */
    public record PaperConfig(int bookCapacity, boolean publishLevels, boolean publishOrders, String selfTradePrevention,
                              String queueModel) {
    }

    /**
     * Simulated order flow of other participants in the paper venue.
     *
     * @param enabled switch
     * @param seed    seed of the first market; each further market adds one
     * @param markets one entry per simulated instrument
     * @param sharedMid the markets' mids follow one random path (seeded by {@code seed}), as
     *                  venues of one instrument move together; false: each market walks on its own
     */
    public record SimulationConfig(boolean enabled, long seed, List<SimulatedMarketConfig> markets, Boolean sharedMid) {
    }

    /**
     * @param venue                venue of the instrument
     * @param symbol               the instrument's venue symbol
     * @param mid                  starting mid price, decimal on the tick grid
     * @param volatilityTicks      standard deviation of the mid's move over one second, in ticks
     * @param limitsPerSecond      limit order arrivals
     * @param cancelsPerSecond     cancel arrivals
     * @param marketsPerSecond     market order arrivals
     * @param meanDistanceTicks    mean distance of a limit order from the mid
     * @param meanSizeLots         mean order size in lots
     * @param initialOrdersPerSide orders placed on each side at start
     */
    public record SimulatedMarketConfig(String venue, String symbol, String mid, double volatilityTicks,
                                        double limitsPerSecond, double cancelsPerSecond, double marketsPerSecond,
                                        double meanDistanceTicks, double meanSizeLots, int initialOrdersPerSide) {
    }

    /**
     * One quoting strategy: one canonical pair quoted on several venues around their consolidated
     * fair value. Fields left out take the strategy engine's defaults.
     *
     * @param id                 unique among the strategies, [a-z0-9-]{1,32} (the old {@code strategy:}
     *                           section leaves it out and is {@code default})
     * @param type               inventory-skew or avellaneda-stoikov
     * @param pair               the canonical pair, BASE/QUOTE after aliases (e.g. BTC/USD)
     * @param venues             the venues to quote on (default: every venue with an instrument of the pair)
     * @param maxLevels          quote slots per side and venue
     * @param replaceTicks       anti-churn: replace only when the price moved more than this many ticks
     * @param replaceSizePercent ... or the size more than this percent
     * @param minQuoteLifeMillis a quote lives at least this long before it is replaced
     * @param maxQuoteAgeMillis  a quote older than this is re-priced even inside the tolerances (0: never)
     * @param rejectBackoffMillis after a reject a quote slot waits this long
     * @param startQuoting       quote from the start (true) or wait for a start command
     * @param parameters         the strategy's own parameters by key (see README), integers in their units
     * @param maxPosition        optional: the strategy's largest worst-case position, 1e-9 base units
     * @param dailyLossLimit     optional: the strategy's day loss at which it may only reduce, 1e-9 quote units
     * @param maxOpenOrders      optional: the strategy's most open orders
     * @param bookDepth          book levels a side per venue in the strategy's market view (default 5, 1 to 20)
     */
    public record StrategyConfig(String id, String type, String pair, List<String> venues, Integer maxLevels, Long replaceTicks,
                                 Long replaceSizePercent, Long minQuoteLifeMillis, Long maxQuoteAgeMillis,
                                 Long rejectBackoffMillis, Boolean startQuoting, Map<String, Long> parameters,
                                 Long maxPosition, Long dailyLossLimit, Long maxOpenOrders, Integer bookDepth) {
    }

    /**
     * Pre-trade risk. Every limit has a default (README); these entries override it.
     *
     * @param limits limit overrides
     */
    public record RiskSection(List<LimitConfig> limits) {
    }

    /**
     * One limit override.
     *
     * @param limit  the limit's name (maxOrderQuantity, maxPosition, orderRatePerMinute, dailyLossLimit, ...)
     * @param venue  the venue, for venue limits and with symbol for instrument limits; absent for global ones
     * @param symbol the instrument's venue symbol, for instrument and asset limits
     * @param value  the value in the limit's unit (README)
     */
    public record LimitConfig(String limit, String venue, String symbol, Long value) {
    }

    /**
     * The execution engine.
     *
     * @param accountId        the account (owner id) our orders carry
     * @param postOnly         quotes are post-only (maker only)
     * @param ackTimeoutMillis an unacknowledged order goes UNKNOWN after this long and its status is queried
     * @param maxStatusQueries status queries for an order in doubt before it is reported unresolved
     * @param orderCapacity    open orders the order table holds
     * @param unknownOrders    cancel, adopt or leave an order of ours that a venue holds and the engine
     *                         does not (found at reconciliation)
     * @param clientIdTag      the 1-4 character tag of our client order ids on the venues (default: one
     *                         made for the run directory and kept in it)
     */
    public record ExecutionSection(Long accountId, Boolean postOnly, Long ackTimeoutMillis, Integer maxStatusQueries,
                                   Integer orderCapacity, String unknownOrders, String clientIdTag) {
    }

    /**
     * The shared (L2, Redis) and audit (L3, PostgreSQL) tiers; both off by default: the engine then
     * runs on its journal and state files alone.
     *
     * @param redis                     the hot state in Redis
     * @param postgres                  the audit trail in PostgreSQL
     * @param onOutage                  continue (trading goes on while a store is down; its rows wait in
     *                                  the journal) or reducing (trading goes REDUCING after
     *                                  outageReducingAfterMillis, ACTIVE again when the store is back)
     * @param outageReducingAfterMillis how long a store may be down before reducing applies
     * @param pnlSnapshotMillis         how often PnL per instrument is written to PostgreSQL
     */
    public record StoresConfig(RedisSection redis, PostgresSection postgres, String onOutage, Long outageReducingAfterMillis,
                               Long pnlSnapshotMillis) {
    }

    /**
     * @param enabled               publish the hot state to Redis
     * @param uris                  redis://host:port URIs (several seeds for a cluster)
     * @param cluster               the URIs are Redis Cluster seeds
     * @param prefix                first segment of every key, so that several engines can share one Redis
     * @param publishIntervalMillis changes are coalesced and written at most this often
     */
    public record RedisSection(Boolean enabled, List<String> uris, Boolean cluster, String prefix, Long publishIntervalMillis) {
    }

    /**
     * @param enabled   write the audit trail to PostgreSQL
     * @param jdbcUrl   jdbc:postgresql://host:port/database
     * @param user      the database user (the password comes from the environment, MME_PG_PASSWORD, never from a file)
     * @param schema    the schema the tables live in (migrated on start)
     * @param batchSize rows per transaction at most
     */
    public record PostgresSection(Boolean enabled, String jdbcUrl, String user, String schema, Integer batchSize) {
    }

    /**
     * The operator surfaces over HTTP: the REST API under /api/v1, /metrics, /health.
     *
     * @param enabled    serve them
     * @param host       the address to bind (loopback by default; 0.0.0.0 exposes it)
     * @param port       the port (0: any free one, printed at start)
     * @param tokensFile the API tokens, one per line: principal role sha256-of-token (also MME_API_TOKENS)
     * @param tlsKeystore a PKCS#12 keystore: the API serves HTTPS only (password from MME_API_TLS_PASSWORD)
     * @param allowedOrigins origins a browser may open the stream from besides the server's own, comma-separated
     *                   {@code scheme://host[:port]} (also MME_API_ALLOWED_ORIGINS); none by default
     */
    public record ApiConfig(Boolean enabled, String host, Integer port, String tokensFile, String tlsKeystore, String allowedOrigins) {
    }

    /**
     * @param sync none (the page cache; the default), async or sync: Chronicle Queue's msync of each
     *             journal record (queue, decisions, orders), see the README for what each survives
     * @param roll    how often the journals start a new file: hourly (the default), daily, five-minutely,
     *                or secondly (tests); the grain of retention
     * @param retain  all (the default: nothing is removed) or a duration (0, 90m, 24h, 7d): journal files
     *                that ended that long ago and that neither a restart nor the PostgreSQL store needs
     *                are removed ({@code io.mme.audit.JournalRetention})
     * @param archive a directory the removed files are moved to instead of deleted (relative: to the run
     *                directory), or null
     */
    public record JournalConfig(String sync, String roll, String retain, String archive) {
    }

    /** @param seconds how long {@code mme demo} runs */
    public record DemoConfig(int seconds) {
    }
}
