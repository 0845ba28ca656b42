package io.mme.analytics.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Against the real Redis at MME_REDIS_URL (default redis://127.0.0.1:6379). Each test uses a random
 * prefix and deletes its keys afterwards. The test thread plays the app's collector thread.
 */
class RedisHotStatePublisherTest {
    private static final String URL = System.getenv().getOrDefault("MME_REDIS_URL", RedisConfig.DEFAULT_URI);
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private static RedisClient verifier;
    private static StatefulRedisConnection<String, String> verifierConnection;
    private static RedisCommands<String, String> redis;

    private final List<String> prefixes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Logger publisherLog = (Logger) LoggerFactory.getLogger(RedisHotStatePublisher.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level savedLevel;

    @BeforeAll
    static void connect() {
        verifier = RedisClient.create(URL);
        verifierConnection = verifier.connect();
        redis = verifierConnection.sync();
    }

    @AfterAll
    static void disconnect() {
        verifierConnection.close();
        verifier.shutdown();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        for (String p : prefixes) {
            List<String> keys = redis.keys(p + ":*");
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
        }
        if (savedLevel != null || logs.isStarted()) {
            publisherLog.detachAppender(logs);
            publisherLog.setLevel(savedLevel);
        }
    }

    @Test
    void keysAndFieldsLandUnderThePrefixWithTheDocumentedSchema() {
        String prefix = newPrefix();
        RedisHotStatePublisher publisher = publisher(config(URL, prefix));
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 5);

        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);

        assertThat(redis.keys(prefix + ":*")).containsExactlyInAnyOrder(
                prefix + ":position:BINANCE:BTCUSDT",
                prefix + ":limit:global:notional",
                prefix + ":state:venue:BINANCE",
                prefix + ":book:BINANCE:BTCUSDT",
                prefix + ":engine:risk",
                prefix + ":heartbeat");
        assertThat(redis.type(prefix + ":position:BINANCE:BTCUSDT")).isEqualTo("hash");
        assertThat(redis.hgetall(prefix + ":position:BINANCE:BTCUSDT"))
                .isEqualTo(Map.of("qtyLots", "5", "avgPriceTicks", "1000050", "pnlNanos", "-1500000000"));
        assertThat(redis.hgetall(prefix + ":state:venue:BINANCE")).isEqualTo(Map.of("state", "RUNNING"));
        assertThat(redis.hgetall(prefix + ":book:BINANCE:BTCUSDT"))
                .isEqualTo(Map.of("bidTicks", "1000000", "askTicks", "1000100", "state", "VALID"));
        assertThat(redis.hgetall(prefix + ":engine:risk")).isEqualTo(Map.of("sequence", "5", "faults", "0"));
        assertThat(publisher.key("book:BINANCE:BTCUSDT")).isEqualTo(prefix + ":book:BINANCE:BTCUSDT");
    }

    @Test
    void publishersWithDifferentPrefixesDoNotTouchEachOthersKeys() {
        String prefixA = newPrefix();
        String prefixB = newPrefix();
        RedisHotStatePublisher a = publisher(config(URL, prefixA));
        RedisHotStatePublisher b = publisher(config(URL, prefixB));
        HotStateSnapshot snapshotA = new HotStateSnapshot();
        HotStateSnapshot snapshotB = new HotStateSnapshot();
        fill(snapshotA, 1);
        fill(snapshotB, 2);

        driveUntil(a, snapshotA, () -> redis.exists(prefixA + ":heartbeat") == 1);
        driveUntil(b, snapshotB, () -> redis.exists(prefixB + ":heartbeat") == 1);
        snapshotA.remove("engine:risk");
        snapshotA.position("BINANCE", "BTCUSDT").set("qtyLots", 11);
        driveUntil(a, snapshotA, () -> redis.exists(prefixA + ":engine:risk") == 0);

        assertThat(redis.hget(prefixA + ":position:BINANCE:BTCUSDT", "qtyLots")).isEqualTo("11");
        assertThat(redis.hget(prefixB + ":position:BINANCE:BTCUSDT", "qtyLots")).isEqualTo("2");
        assertThat(redis.hgetall(prefixB + ":engine:risk")).isEqualTo(Map.of("sequence", "2", "faults", "0"));
        assertThat(redis.keys(prefixB + ":*")).hasSize(6);
        assertThat(redis.keys(prefixA + ":*")).hasSize(5);
    }

    @Test
    void onlyChangedFieldsOfChangedHashesAreWritten() {
        String prefix = newPrefix();
        RedisHotStatePublisher publisher = publisher(config(URL, prefix));
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 5);
        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);
        driveUntil(publisher, snapshot, () -> publisher.cyclesPublished() >= 1);
        long keysBefore = publisher.keysWritten();
        assertThat(keysBefore).isEqualTo(5);

        // another writer marks fields the publisher has no reason to rewrite
        String position = prefix + ":position:BINANCE:BTCUSDT";
        redis.hset(position, "avgPriceTicks", "marker");
        redis.hset(prefix + ":book:BINANCE:BTCUSDT", "bidTicks", "marker");
        snapshot.position("BINANCE", "BTCUSDT").set("qtyLots", 6).set("avgPriceTicks", 1000050);
        snapshot.book("BINANCE", "BTCUSDT").set("bidTicks", 1000000); // same value: no change
        driveUntil(publisher, snapshot, () -> "6".equals(redis.hget(position, "qtyLots")));
        long published = publisher.cyclesPublished();
        driveUntil(publisher, snapshot, () -> publisher.cyclesPublished() >= published + 3);

        assertThat(redis.hget(position, "avgPriceTicks")).isEqualTo("marker");
        assertThat(redis.hget(position, "pnlNanos")).isEqualTo("-1500000000");
        assertThat(redis.hget(prefix + ":book:BINANCE:BTCUSDT", "bidTicks")).isEqualTo("marker");
        assertThat(publisher.keysWritten()).isEqualTo(keysBefore + 1);
    }

    @Test
    void changesAreAnnouncedOncePerCycleOnTheChangesChannel() throws Exception {
        String prefix = newPrefix();
        RedisHotStatePublisher publisher = publisher(config(URL, prefix));
        BlockingQueue<String> messages = subscribe(publisher.changesChannel());
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 5);

        String first = nextMessage(publisher, snapshot, messages);
        assertThat(Set.of(first.split("\n"))).containsExactlyInAnyOrder(
                prefix + ":position:BINANCE:BTCUSDT", prefix + ":limit:global:notional",
                prefix + ":state:venue:BINANCE", prefix + ":book:BINANCE:BTCUSDT", prefix + ":engine:risk");

        // many changes within an interval coalesce into one announcement of the changed keys
        for (int i = 0; i < 100; i++) {
            snapshot.book("BINANCE", "BTCUSDT").set("bidTicks", 1000000 - i);
        }
        snapshot.state("venue", "BINANCE").set("state", "HALTED");
        String second = nextMessage(publisher, snapshot, messages);
        assertThat(second.split("\n")).containsExactlyInAnyOrder(
                prefix + ":book:BINANCE:BTCUSDT", prefix + ":state:venue:BINANCE");
        assertThat(redis.hget(prefix + ":book:BINANCE:BTCUSDT", "bidTicks")).isEqualTo("999901");

        long published = publisher.cyclesPublished();
        driveUntil(publisher, snapshot, () -> publisher.cyclesPublished() >= published + 3);
        assertThat(messages.poll(100, TimeUnit.MILLISECONDS)).as("no announcement without changes").isNull();
    }

    @Test
    void heartbeatCarriesEpochMillisAndExpiresAfterAFewIntervals() throws Exception {
        String prefix = newPrefix();
        RedisHotStatePublisher publisher = publisher(config(URL, prefix));
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 1);
        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);

        long ttl = redis.pttl(prefix + ":heartbeat");
        long beat = Long.parseLong(redis.get(prefix + ":heartbeat"));
        assertThat(publisher.heartbeatTtl()).isEqualTo(INTERVAL.multipliedBy(RedisHotStatePublisher.HEARTBEAT_TTL_INTERVALS));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(publisher.heartbeatTtl().toMillis());
        assertThat(beat).isBetween(System.currentTimeMillis() - 5_000, System.currentTimeMillis());

        // the collector stops (a dead engine): the heartbeat expires, the state stays
        await().atMost(publisher.heartbeatTtl().plusSeconds(10)).until(() -> redis.exists(prefix + ":heartbeat") == 0);
        assertThat(redis.exists(prefix + ":engine:risk")).isOne();
    }

    @Test
    void removedOrRecreatedEntriesDeleteTheirOldKeyContent() {
        String prefix = newPrefix();
        RedisHotStatePublisher publisher = publisher(config(URL, prefix));
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 1);
        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);

        snapshot.remove("limit:global:notional");
        snapshot.remove("position:BINANCE:BTCUSDT");
        snapshot.position("BINANCE", "BTCUSDT").set("qtyLots", 0); // re-created with one field
        String position = prefix + ":position:BINANCE:BTCUSDT";
        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":limit:global:notional") == 0);

        assertThat(redis.hgetall(position)).isEqualTo(Map.of("qtyLots", "0"));
    }

    @Test
    void outageIsLoggedOnceCallerNeverBlocksAndStateIsRewrittenInFullOnReturn() throws Exception {
        captureLogs();
        String prefix = newPrefix();
        RedisURI target = RedisURI.create(URL);
        LoopbackTcpProxy proxy = new LoopbackTcpProxy(target.getHost(), target.getPort());
        closeables.add(proxy);
        RedisHotStatePublisher publisher = publisher(config("redis://127.0.0.1:" + proxy.port(), prefix));
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 1);
        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);

        proxy.cut();
        // Redis loses everything while we cannot reach it (a restart), and our state moves on
        redis.del(redis.keys(prefix + ":*").toArray(String[]::new));
        snapshot.remove("limit:global:notional");
        long maxCallNanos = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        for (int i = 0; System.nanoTime() < end; i++) {
            snapshot.position("BINANCE", "BTCUSDT").set("qtyLots", 100 + i);
            snapshot.engine("risk").set("sequence", 100 + i);
            long t0 = System.nanoTime();
            publisher.publish(snapshot);
            maxCallNanos = Math.max(maxCallNanos, System.nanoTime() - t0);
            Thread.sleep(2);
        }
        assertThat(publisher.isDown()).isTrue();
        assertThat(publisher.outageCount()).isOne();
        assertThat(publisher.cyclesSkipped()).isGreaterThan(10);
        assertThat(publisher.storeLagSeconds()).isGreaterThan(1.0);
        assertThat(redis.keys(prefix + ":*")).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(maxCallNanos)).as("slowest publish call while down, ms").isLessThan(100);
        redis.hset(prefix + ":limit:global:notional", "stale", "1"); // deleted meanwhile: must go

        proxy.restore();
        driveUntil(publisher, snapshot, () -> !publisher.isDown());
        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);

        assertRedisHolds(prefix, snapshot);
        assertThat(redis.exists(prefix + ":limit:global:notional")).isZero();
        assertThat(publisher.outageCount()).isOne();
        assertThat(publisher.storeLagSeconds()).isLessThan(1.0);
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().getFirst().getFormattedMessage()).contains("unreachable").contains("127.0.0.1");
        List<ILoggingEvent> infos = logs.list.stream().filter(e -> e.getLevel() == Level.INFO).toList();
        assertThat(infos).hasSize(1);
        assertThat(infos.getFirst().getFormattedMessage()).containsPattern("after \\d+ ms down, \\d+ cycles skipped");
    }

    @Test
    void anOutageThatSpansARestartIsReportedWholeByTheRestartedPublisher(@org.junit.jupiter.api.io.TempDir java.nio.file.Path run)
            throws Exception {
        captureLogs();
        String prefix = newPrefix();
        RedisURI target = RedisURI.create(URL);
        LoopbackTcpProxy proxy = new LoopbackTcpProxy(target.getHost(), target.getPort());
        closeables.add(proxy);
        java.nio.file.Path file = run.resolve("redis-outage");
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 1);
        RedisHotStatePublisher first = publisher(config("redis://127.0.0.1:" + proxy.port(), prefix)).keepOutageIn(file);
        driveUntil(first, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);
        proxy.cut();
        driveUntil(first, snapshot, first::isDown);
        first.close();
        assertThat(file).exists();

        RedisHotStatePublisher restarted = publisher(config("redis://127.0.0.1:" + proxy.port(), prefix)).keepOutageIn(file);
        driveUntil(restarted, snapshot, restarted::isDown);
        assertThat(warnings()).hasSize(2);
        assertThat(warnings().get(1).getFormattedMessage()).contains("still unreachable, down since").contains("before this process started");
        long reopenedAt = System.currentTimeMillis();
        proxy.restore();
        driveUntil(restarted, snapshot, () -> !restarted.isDown());

        List<ILoggingEvent> infos = logs.list.stream().filter(e -> e.getLevel() == Level.INFO).toList();
        assertThat(infos).hasSize(1);
        java.util.regex.Matcher ms = java.util.regex.Pattern.compile("back after (\\d+) ms down \\(the outage began before a restart\\)")
                .matcher(infos.getFirst().getFormattedMessage());
        assertThat(ms.find()).as(infos.getFirst().getFormattedMessage()).isTrue();
        // the whole outage: from the first publisher's failure (logged just after it began) to at least the reopening
        assertThat(Long.parseLong(ms.group(1))).isGreaterThanOrEqualTo(reopenedAt - warnings().getFirst().getTimeStamp());
        assertThat(file).doesNotExist();
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void hangingRedisSkipsCyclesWithoutBlockingAndCatchesUpWhenItAnswers() throws Exception {
        captureLogs();
        String prefix = newPrefix();
        RedisURI target = RedisURI.create(URL);
        LoopbackTcpProxy proxy = new LoopbackTcpProxy(target.getHost(), target.getPort());
        closeables.add(proxy);
        RedisConfig config = config("redis://127.0.0.1:" + proxy.port(), prefix).withCommandTimeout(Duration.ofMillis(800));
        RedisHotStatePublisher publisher = publisher(config);
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 1);
        driveUntil(publisher, snapshot, () -> redis.exists(prefix + ":heartbeat") == 1);
        long publishedBefore = publisher.cyclesPublished();

        proxy.pause(true);
        long maxCallNanos = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000);
        for (int i = 0; System.nanoTime() < end; i++) {
            snapshot.book("BINANCE", "BTCUSDT").set("bidTicks", 2000000 + i);
            long t0 = System.nanoTime();
            publisher.publish(snapshot);
            maxCallNanos = Math.max(maxCallNanos, System.nanoTime() - t0);
            Thread.sleep(2);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(maxCallNanos)).as("slowest publish call while hanging, ms").isLessThan(100);
        assertThat(publisher.cyclesSkipped()).isGreaterThan(10);
        assertThat(publisher.cyclesPublished()).isLessThanOrEqualTo(publishedBefore + 1);
        assertThat(publisher.outageCount()).isOne();

        proxy.pause(false);
        driveUntil(publisher, snapshot, () -> !publisher.isDown());
        long published = publisher.cyclesPublished();
        driveUntil(publisher, snapshot, () -> publisher.cyclesPublished() >= published + 2);
        assertRedisHolds(prefix, snapshot);
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void clusterClientIsBuiltLazilyAndAFailedClusterConnectNeverBlocks() throws Exception {
        captureLogs();
        String prefix = newPrefix();
        RedisConfig config = new RedisConfig(true, List.of(URL), true, prefix, INTERVAL, Duration.ofMillis(500));
        RedisHotStatePublisher publisher = publisher(config);
        assertThat(publisher.clientBuilt()).isFalse();
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 1);

        long maxCallNanos = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            publisher.publish(snapshot);
            maxCallNanos = Math.max(maxCallNanos, System.nanoTime() - t0);
            Thread.sleep(2);
        }
        // the Redis here is no cluster: topology discovery fails, which is an outage like any other
        assertThat(publisher.clientBuilt()).isTrue();
        assertThat(publisher.cyclesPublished()).isZero();
        assertThat(publisher.outageCount()).isOne();
        assertThat(warnings()).hasSize(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(maxCallNanos)).as("slowest publish call, ms").isLessThan(300);
        assertThat(redis.keys(prefix + ":*")).isEmpty();
    }

    @Test
    void disabledPublisherNeverBuildsAClientNorWrites() {
        String prefix = newPrefix();
        RedisConfig config = new RedisConfig(false, List.of(URL), false, prefix, INTERVAL, Duration.ofSeconds(1));
        RedisHotStatePublisher publisher = publisher(config);
        HotStateSnapshot snapshot = new HotStateSnapshot();
        fill(snapshot, 1);

        assertThat(publisher.publish(snapshot)).isFalse();
        assertThat(publisher.clientBuilt()).isFalse();
        assertThat(redis.keys(prefix + ":*")).isEmpty();
    }

    // ---- helpers

    private static void fill(HotStateSnapshot s, long n) {
        s.position("BINANCE", "BTCUSDT").set("qtyLots", n).set("avgPriceTicks", 1000050).set("pnlNanos", -1_500_000_000L);
        s.limit("global", "notional").set("limitNanos", 1_000_000_000_000L).set("usedNanos", 250_000_000L);
        s.state("venue", "BINANCE").set("state", "RUNNING");
        s.book("BINANCE", "BTCUSDT").set("bidTicks", 1000000).set("askTicks", 1000100).set("state", "VALID");
        s.engine("risk").set("sequence", n).set("faults", 0);
    }

    private static void assertRedisHolds(String prefix, HotStateSnapshot snapshot) {
        Set<String> expected = new HashSet<>();
        expected.add(prefix + ":heartbeat");
        for (int i = 0; i < snapshot.size(); i++) {
            HotStateSnapshot.Entry e = snapshot.entryAt(i);
            String key = prefix + ":" + e.keySuffix();
            expected.add(key);
            Map<String, String> fields = new java.util.HashMap<>();
            for (int f = 0; f < e.fieldCount(); f++) {
                fields.put(e.fieldName(f), e.valueAsString(f));
            }
            assertThat(redis.hgetall(key)).as(key).isEqualTo(fields);
        }
        assertThat(redis.keys(prefix + ":*")).containsExactlyInAnyOrderElementsOf(expected);
    }

    private String newPrefix() {
        String p = "mmetest-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        prefixes.add(p);
        return p;
    }

    private static RedisConfig config(String uri, String prefix) {
        return new RedisConfig(true, List.of(uri), false, prefix, INTERVAL, Duration.ofSeconds(1));
    }

    private RedisHotStatePublisher publisher(RedisConfig config) {
        RedisHotStatePublisher p = new RedisHotStatePublisher(config);
        closeables.add(p);
        return p;
    }

    /** Plays the collector: publishes every 5 ms until the condition holds (10 s at most). */
    private static void driveUntil(RedisHotStatePublisher publisher, HotStateSnapshot snapshot, BooleanSupplier done) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            publisher.publish(snapshot);
            if (done.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("condition not reached in 10 s; published " + publisher.cyclesPublished()
                + ", skipped " + publisher.cyclesSkipped() + ", outages " + publisher.outageCount());
    }

    private static String nextMessage(RedisHotStatePublisher publisher, HotStateSnapshot snapshot,
                                      BlockingQueue<String> messages) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            publisher.publish(snapshot);
            String m = messages.poll(5, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
        }
        return fail("no message on " + publisher.changesChannel());
    }

    private BlockingQueue<String> subscribe(String channel) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, String> sub = verifier.connectPubSub();
        closeables.add(sub::close);
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                messages.add(message);
            }
        });
        sub.sync().subscribe(channel);
        return messages;
    }

    private void captureLogs() {
        savedLevel = publisherLog.getLevel();
        publisherLog.setLevel(Level.INFO);
        logs.start();
        publisherLog.addAppender(logs);
    }

    private List<ILoggingEvent> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }
}
