package io.mme.analytics.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link HotStateSnapshot} to Redis (the L2 tier), writing only what changed since the
 * last successful write. Key schema: see {@link io.mme.analytics.redis package-info}.
 *
 * <p><b>Threads.</b> The publisher owns no thread: it is driven by the app's collector thread,
 * which fills the snapshot and then calls {@link #publish} on the same thread (the snapshot needs
 * no locking that way, and a stopped collector stops the heartbeat, which is what a dead engine
 * should look like). All fields below except the counters are owned by that thread. The counters
 * may be read by any thread (volatile or atomic, one writer). The engines never call this class.
 *
 * <p><b>A cycle.</b> {@link #publish} does nothing until {@code publishInterval} has passed since
 * the last cycle, so changes made meanwhile coalesce into one write. A due cycle compares every
 * entry with what it last wrote (entries whose version did not move are skipped without looking
 * at their fields) and sends one pipelined batch (async commands, auto-flush off, one flush; no
 * MULTI): an HSET of the changed fields of each changed hash, a DEL of each removed entry, the
 * heartbeat SET with a TTL, and one PUBLISH on {@code <prefix>:changes} whose message lists the
 * full names of the keys changed or deleted in that cycle, one per line (no message when nothing
 * changed). The call never waits for Redis: it returns after the flush.
 *
 * <p><b>Outages.</b> If the previous batch is still unacknowledged the cycle is skipped (and its
 * changes coalesce into the next one); if it stays unacknowledged past {@code commandTimeout}, or
 * fails, or there is no connection, Redis counts as down: one WARN with the cause, the connection
 * is dropped and re-established (asynchronously, at most one attempt per cycle) by later cycles,
 * and the first batch on a new connection rewrites every key in full (a restarted Redis may have
 * lost everything), then one INFO reports how long it was down and how many cycles were skipped.
 * Lettuce runs with auto-reconnect off and rejects commands while disconnected, so nothing queues
 * up in memory during an outage and all connection logging is this class's. A command error
 * (e.g. a foreign non-hash key under our prefix) counts as a failure too.
 *
 * <p><b>Cluster.</b> With {@code cluster=true} the client is a {@link RedisClusterClient} over the
 * seed URIs. Like the standalone client it is built lazily, at the first due cycle, never in the
 * constructor, and connected asynchronously; a failed topology discovery is an outage like any
 * other. Tested only against a non-cluster Redis (it fails to connect without blocking the
 * caller): no cluster exists here. Keys of one hash go to one slot, so per-key order holds.
 */
public final class RedisHotStatePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHotStatePublisher.class);
    /** the heartbeat key expires after this many publish intervals without a write */
    public static final int HEARTBEAT_TTL_INTERVALS = 5;

    private final RedisConfig config;
    private final List<RedisURI> uris;
    private final String keyPrefix;
    private final String changesChannel;
    private final String heartbeatKey;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long heartbeatTtlMillis;

    // collector thread only
    private ClientResources resources;
    private AbstractRedisClient client;
    private CompletableFuture<Link> connecting;
    private long connectingSinceNanos;
    private int nextUri;
    private Link link;
    private CompletableFuture<Void> inFlight;
    private long inFlightSinceNanos;
    private int inFlightKeys;
    private List<String> inFlightDeletes = List.of();
    private final Map<String, Written> written = new HashMap<>();
    private final Set<String> pendingDeletes = new LinkedHashSet<>();
    private final StringBuilder changedKeys = new StringBuilder();
    private HotStateSnapshot lastSnapshot;
    private boolean resync = true;
    private boolean started;
    private long lastCycleNanos;
    private boolean down;
    private long downSinceMillis;
    /** where the start of a current outage is kept across restarts (null: nowhere); see {@link #keepOutageIn} */
    private java.nio.file.Path outageFile;
    /** the start of an outage an earlier process of the run saw begin and not end; 0: none */
    private long inheritedDownSinceMillis;
    private long skippedAtDown;
    private boolean closed;

    // counters: one writer (the collector thread, or Lettuce's completion for lastSuccessMillis), any reader
    private volatile long cyclesPublished;
    private volatile long cyclesSkipped;
    private volatile long keysWritten;
    private volatile long outages;
    private final AtomicLong lastSuccessMillis = new AtomicLong(System.currentTimeMillis());

    private record Link(StatefulConnection<String, String> connection,
                        RedisClusterAsyncCommands<String, String> commands) {
    }

    /** What was last sent for one key: a copy of the entry, and which entry object it came from. */
    private static final class Written {
        HotStateSnapshot.Entry source;
        final HotStateSnapshot.Entry values;

        Written(String keySuffix) {
            values = new HotStateSnapshot.Entry(keySuffix);
        }
    }

    /** Parses the URIs (a bad one fails here, at start-up); connects nothing yet. */
    public RedisHotStatePublisher(RedisConfig config) {
        this.config = config;
        List<RedisURI> parsed = new ArrayList<>();
        for (String uri : config.uris()) {
            RedisURI u = RedisURI.create(uri);
            u.setTimeout(config.commandTimeout());
            parsed.add(u);
        }
        this.uris = List.copyOf(parsed);
        this.keyPrefix = config.prefix() + ':';
        this.changesChannel = keyPrefix + "changes";
        this.heartbeatKey = keyPrefix + "heartbeat";
        this.intervalNanos = config.publishInterval().toNanos();
        this.timeoutNanos = config.commandTimeout().toNanos();
        this.heartbeatTtlMillis = config.publishInterval().toMillis() * HEARTBEAT_TTL_INTERVALS;
    }

    public RedisConfig config() {
        return config;
    }

    /**
     * Keeps the start of an outage in {@code file} (the run directory's), so that an outage that
     * spans a restart is reported whole: the restarted publisher says it goes on, and its end line
     * gives the time since it began in the earlier process. Call before the first publish.
     */
    public RedisHotStatePublisher keepOutageIn(java.nio.file.Path file) {
        this.outageFile = file;
        try {
            if (java.nio.file.Files.isRegularFile(file)) {
                inheritedDownSinceMillis = Long.parseLong(java.nio.file.Files.readString(file).trim());
            }
        } catch (java.io.IOException | NumberFormatException e) {
            LOG.warn("Redis L2 store: {} cannot be read ({}); an outage that began before the restart is counted from now",
                    file, e.toString());
        }
        return this;
    }

    private void recordOutageStart(long sinceMillis) {
        if (outageFile == null) {
            return;
        }
        try {
            java.nio.file.Path temporary = outageFile.resolveSibling(outageFile.getFileName() + ".tmp");
            java.nio.file.Files.writeString(temporary, Long.toString(sinceMillis));
            java.nio.file.Files.move(temporary, outageFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            LOG.warn("Redis L2 store: cannot keep the outage's start in {} ({})", outageFile, e.toString());
        }
    }

    private void clearOutageStart() {
        if (outageFile == null) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(outageFile);
        } catch (java.io.IOException e) {
            LOG.warn("Redis L2 store: cannot clear {} ({})", outageFile, e.toString());
        }
    }

    /** {@code <prefix>:changes} */
    public String changesChannel() {
        return changesChannel;
    }

    /** {@code <prefix>:heartbeat} */
    public String heartbeatKey() {
        return heartbeatKey;
    }

    /** The full Redis key of a snapshot key suffix. */
    public String key(String keySuffix) {
        return keyPrefix + keySuffix;
    }

    /** TTL of the heartbeat key: {@link #HEARTBEAT_TTL_INTERVALS} publish intervals. */
    public Duration heartbeatTtl() {
        return Duration.ofMillis(heartbeatTtlMillis);
    }

    /**
     * Called by the collector thread after each refill of {@code snapshot}. Runs a cycle if the
     * publish interval has passed, else returns at once. Never waits for Redis.
     *
     * @return true if this call sent a batch
     */
    public boolean publish(HotStateSnapshot snapshot) {
        if (!config.enabled() || closed) {
            return false;
        }
        long now = System.nanoTime();
        if (started && now - lastCycleNanos < intervalNanos) {
            return false;
        }
        started = true;
        lastCycleNanos = now;
        if (snapshot != lastSnapshot) {
            lastSnapshot = snapshot;
            resync = true;
        }
        try {
            return cycle(snapshot, now);
        } catch (RuntimeException e) {
            cyclesSkipped++;
            failed(e);
            return false;
        }
    }

    private boolean cycle(HotStateSnapshot snapshot, long now) {
        if (inFlight != null) {
            if (inFlight.isDone()) {
                settle(inFlight);
                inFlight = null;
            } else if (now - inFlightSinceNanos < timeoutNanos) {
                cyclesSkipped++;
                return false;
            } else {
                inFlight = null;
                cyclesSkipped++;
                failed(new TimeoutException("batch not acknowledged within " + config.commandTimeout()));
            }
        }
        if (!connected(now)) {
            cyclesSkipped++;
            return false;
        }
        send(snapshot);
        return true;
    }

    /** The previous batch has completed: count it, or treat its failure as an outage. */
    private void settle(CompletableFuture<Void> batch) {
        try {
            batch.get();
        } catch (ExecutionException | CancellationException e) {
            cyclesSkipped++;
            failed(unwrap(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        cyclesPublished++;
        keysWritten += inFlightKeys;
        if (down) {
            down = false;
            boolean inherited = inheritedDownSinceMillis != 0;
            inheritedDownSinceMillis = 0;
            clearOutageStart();
            LOG.info("Redis L2 store back after {} ms down{}, {} cycles skipped; state rewritten in full",
                    System.currentTimeMillis() - downSinceMillis, inherited ? " (the outage began before a restart)" : "",
                    cyclesSkipped - skippedAtDown);
        } else if (inheritedDownSinceMillis != 0) {
            // the outage an earlier process saw begin ended while no process was publishing
            LOG.info("Redis L2 store back after {} ms down (the outage began before a restart)",
                    System.currentTimeMillis() - inheritedDownSinceMillis);
            inheritedDownSinceMillis = 0;
            clearOutageStart();
        }
    }

    /** A batch or a connection failed: outage (logged once), drop the connection, resync later. */
    private void failed(Throwable cause) {
        if (!down) {
            down = true;
            outages++;
            skippedAtDown = cyclesSkipped;
            if (inheritedDownSinceMillis != 0) {
                downSinceMillis = inheritedDownSinceMillis;
                LOG.warn("Redis L2 store {} still unreachable, down since {} (before this process started); publishing suspended"
                        + " (state keeps coalescing): {}", config.uris(), java.time.Instant.ofEpochMilli(downSinceMillis),
                        String.valueOf(cause));
            } else {
                downSinceMillis = System.currentTimeMillis();
                recordOutageStart(downSinceMillis);
                LOG.warn("Redis L2 store {} unreachable, publishing suspended (state keeps coalescing): {}",
                        config.uris(), String.valueOf(cause));
            }
        }
        pendingDeletes.addAll(inFlightDeletes);
        inFlightDeletes = List.of();
        inFlightKeys = 0;
        resync = true;
        dropConnection();
    }

    private boolean connected(long now) {
        if (link != null) {
            if (link.connection().isOpen()) {
                return true;
            }
            failed(new IllegalStateException("connection to Redis lost"));
        }
        if (connecting == null) {
            connect(now);
        }
        if (!connecting.isDone()) {
            if (now - connectingSinceNanos >= 2 * timeoutNanos) {
                connecting.cancel(false);
                connecting = null;
                failed(new TimeoutException("no connection within " + config.commandTimeout().multipliedBy(2)));
            }
            return false;
        }
        CompletableFuture<Link> attempt = connecting;
        connecting = null;
        try {
            link = attempt.get();
        } catch (ExecutionException | CancellationException e) {
            failed(unwrap(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        link.connection().setAutoFlushCommands(false);
        resync = true;
        return true;
    }

    /** Starts one asynchronous connection attempt, building the client on first use. */
    private void connect(long now) {
        connectingSinceNanos = now;
        if (client == null) {
            client = newClient();
        }
        if (client instanceof RedisClusterClient cluster) {
            connecting = cluster.connectAsync(StringCodec.UTF8)
                    .thenApply(c -> new Link(c, c.async()));
        } else {
            RedisURI uri = uris.get(nextUri++ % uris.size());
            connecting = ((RedisClient) client).connectAsync(StringCodec.UTF8, uri)
                    .thenApply(c -> new Link(c, c.async())).toCompletableFuture();
        }
    }

    private AbstractRedisClient newClient() {
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(config.commandTimeout()).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(config.commandTimeout());
        if (config.cluster()) {
            RedisClusterClient c = RedisClusterClient.create(resources, uris);
            c.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(false)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .build());
            return c;
        }
        RedisClient c = RedisClient.create(resources);
        c.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(socket)
                .timeoutOptions(timeouts)
                .build());
        return c;
    }

    /** Builds and flushes one pipelined batch: changed hashes, deletions, heartbeat, announcement. */
    private void send(HotStateSnapshot snapshot) {
        RedisClusterAsyncCommands<String, String> redis = link.commands();
        boolean full = resync;
        List<RedisFuture<?>> futures = new ArrayList<>();
        changedKeys.setLength(0);
        int keys = 0;
        for (int i = 0; i < snapshot.size(); i++) {
            HotStateSnapshot.Entry e = snapshot.entryAt(i);
            if (e.fieldCount() == 0) {
                continue;
            }
            Written w = written.get(e.keySuffix());
            // a re-created entry, or one whose earlier deletion never reached Redis: drop old fields first
            boolean deletionPending = pendingDeletes.remove(e.keySuffix()); // always taken out, whatever the first test says
            boolean recreated = (w != null && w.source != e) || deletionPending;
            boolean fresh = w == null || w.source != e;
            if (!full && !fresh && w.values.version() == e.version()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int f = 0; f < e.fieldCount(); f++) {
                int j = fresh ? -1 : w.values.indexOf(e.fieldName(f), f);
                if (full || j < 0 || !e.sameValue(f, w.values, j)) {
                    fields.put(e.fieldName(f), e.valueAsString(f));
                }
            }
            if (w == null) {
                w = new Written(e.keySuffix());
                written.put(e.keySuffix(), w);
            }
            w.values.copyFrom(e);
            if (recreated) {
                futures.add(redis.del(key(e.keySuffix())));
            }
            w.source = e;
            if (fields.isEmpty()) {
                continue;
            }
            futures.add(redis.hset(key(e.keySuffix()), fields));
            announce(e.keySuffix());
            keys++;
        }
        for (Iterator<Map.Entry<String, Written>> it = written.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Written> w = it.next();
            // removed from the snapshot (or re-created and still empty): delete the key
            if (snapshot.get(w.getKey()) != w.getValue().source) {
                pendingDeletes.add(w.getKey());
                it.remove();
            }
        }
        for (String suffix : pendingDeletes) {
            futures.add(redis.del(key(suffix)));
            announce(suffix);
            keys++;
        }
        inFlightDeletes = pendingDeletes.isEmpty() ? List.of() : List.copyOf(pendingDeletes);
        pendingDeletes.clear();
        futures.add(redis.set(heartbeatKey, Long.toString(System.currentTimeMillis()),
                SetArgs.Builder.px(heartbeatTtlMillis)));
        if (!changedKeys.isEmpty()) {
            futures.add(redis.publish(changesChannel, changedKeys.toString()));
        }
        link.connection().flushCommands();
        CompletableFuture<?>[] all = new CompletableFuture<?>[futures.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = futures.get(i).toCompletableFuture();
        }
        long sentAtMillis = System.currentTimeMillis();
        inFlight = CompletableFuture.allOf(all);
        inFlight.thenRun(() -> lastSuccessMillis.accumulateAndGet(sentAtMillis, Math::max));
        inFlightSinceNanos = System.nanoTime();
        inFlightKeys = keys;
        resync = false;
    }

    private void announce(String keySuffix) {
        if (!changedKeys.isEmpty()) {
            changedKeys.append('\n');
        }
        changedKeys.append(keyPrefix).append(keySuffix);
    }

    private void dropConnection() {
        if (link != null) {
            if (link.connection().isOpen()) { // closing a closed one makes Lettuce log a WARN
                link.connection().closeAsync();
            }
            link = null;
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Batches acknowledged by Redis. */
    public long cyclesPublished() {
        return cyclesPublished;
    }

    /** Due cycles that sent nothing (previous batch pending, no connection) plus batches that failed. */
    public long cyclesSkipped() {
        return cyclesSkipped;
    }

    /** Keys written (HSET) or deleted in acknowledged batches; the heartbeat is not counted. */
    public long keysWritten() {
        return keysWritten;
    }

    /** Outages seen: each began with a failed connection or batch after a success (or at start). */
    public long outageCount() {
        return outages;
    }

    /** Whether the last cycle found Redis down. */
    public boolean isDown() {
        return down;
    }

    /** The store lag: seconds since the sending time of the last acknowledged batch (or since construction). */
    public double storeLagSeconds() {
        return (System.currentTimeMillis() - lastSuccessMillis.get()) / 1000.0;
    }

    /** Whether a Redis client has been built (it is built lazily, on the first due cycle). */
    public boolean clientBuilt() {
        return client != null;
    }

    /** Closes the connection and the client; waits at most about {@code commandTimeout}. Collector thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        link = null; // the client's shutdown closes its connections, pending attempts included
        connecting = null;
        if (client != null) {
            long ms = config.commandTimeout().toMillis();
            try {
                client.shutdownAsync(0, ms, TimeUnit.MILLISECONDS).get(2 * ms, TimeUnit.MILLISECONDS);
                resources.shutdown(0, ms, TimeUnit.MILLISECONDS).get(2 * ms, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Redis client did not shut down cleanly: {}", String.valueOf(e));
            }
        }
    }
}
