package io.mme.analytics.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the L2 tier (shared hot state in Redis).
 *
 * @param enabled         false: the publisher does nothing and never builds a client (the embedded
 *                        default runs on L1 alone)
 * @param uris            Redis URIs ({@code redis://host:port}); standalone: tried in turn on each
 *                        connection attempt; cluster: the seed nodes
 * @param cluster         true: a {@code RedisClusterClient} over the seeds, else a {@code RedisClient}
 * @param prefix          first segment of every key, so several engines can share one Redis
 * @param publishInterval the publisher writes at most once per interval (changes coalesce)
 * @param commandTimeout  connect timeout, and how long a batch may stay unacknowledged before it
 *                        counts as failed
 */
public record RedisConfig(boolean enabled, List<String> uris, boolean cluster, String prefix,
                          Duration publishInterval, Duration commandTimeout) {
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    public static final String DEFAULT_PREFIX = "mme";
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

    public RedisConfig {
        uris = List.copyOf(Objects.requireNonNull(uris, "uris"));
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(publishInterval, "publishInterval");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (enabled && uris.isEmpty()) {
            throw new IllegalArgumentException("redis enabled without uris");
        }
        if (prefix.isEmpty() || prefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("redis prefix must be non-empty without blanks: '" + prefix + "'");
        }
        if (publishInterval.isNegative() || publishInterval.isZero()) {
            throw new IllegalArgumentException("publishInterval must be positive: " + publishInterval);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
        }
    }

    /** L2 off (the embedded default): local standalone Redis, prefix "mme", 100 ms, 1 s timeout. */
    public static RedisConfig disabled() {
        return new RedisConfig(false, List.of(DEFAULT_URI), false, DEFAULT_PREFIX,
                DEFAULT_PUBLISH_INTERVAL, DEFAULT_COMMAND_TIMEOUT);
    }

    /** A standalone Redis at {@code uri} with the given prefix and the default interval and timeout. */
    public static RedisConfig standalone(String uri, String prefix) {
        return new RedisConfig(true, List.of(uri), false, prefix, DEFAULT_PUBLISH_INTERVAL, DEFAULT_COMMAND_TIMEOUT);
    }

    public RedisConfig withPublishInterval(Duration interval) {
        return new RedisConfig(enabled, uris, cluster, prefix, interval, commandTimeout);
    }

    public RedisConfig withCommandTimeout(Duration timeout) {
        return new RedisConfig(enabled, uris, cluster, prefix, publishInterval, timeout);
    }
}
