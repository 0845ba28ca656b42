/**
 * The L2 storage tier: the engine's shared hot state published to Redis (Lettuce) for other
 * processes and dashboards, off the hot path. The engines never call it: the app's collector
 * thread fills a {@link io.mme.analytics.redis.HotStateSnapshot} from the engines' read-only views
 * every few milliseconds and hands it to {@link io.mme.analytics.redis.RedisHotStatePublisher},
 * which runs on that thread, writes only what changed, at most once per publish interval, and
 * never waits for Redis.
 *
 * <h2>Key schema</h2>
 * Every key starts with the configured prefix ({@code RedisConfig.prefix}, default {@code mme}),
 * so several engines can share one Redis. Values of long fields are decimal strings in the engine's
 * units (prices in ticks, quantities in lots, notionals/PnL in 10^-9); the fields of each hash are
 * the collector's choice.
 *
 * <table>
 *   <caption>Redis keys of one engine</caption>
 *   <tr><th>key</th><th>type</th><th>content</th></tr>
 *   <tr><td>{@code <prefix>:position:<venue>:<symbol>}</td><td>hash</td>
 *       <td>position of one venue and symbol (quantity, average price, PnL, ...)</td></tr>
 *   <tr><td>{@code <prefix>:limit:<scope>:<target>}</td><td>hash</td>
 *       <td>a risk limit and its usage; scope e.g. {@code global}, {@code venue}, {@code symbol}</td></tr>
 *   <tr><td>{@code <prefix>:state:<scope>:<target>}</td><td>hash</td>
 *       <td>trading state (RUNNING, HALTED, ...) of a scope's target, who set it and why</td></tr>
 *   <tr><td>{@code <prefix>:book:<venue>:<symbol>}</td><td>hash</td>
 *       <td>top of book: bid/ask price and quantity, book state, update time</td></tr>
 *   <tr><td>{@code <prefix>:engine:<name>}</td><td>hash</td>
 *       <td>status of one engine (sequence, events, faults, ...)</td></tr>
 *   <tr><td>{@code <prefix>:heartbeat}</td><td>string</td>
 *       <td>epoch millis of the last batch sent; TTL 5 publish intervals, so a dead engine's
 *       heartbeat expires</td></tr>
 *   <tr><td>{@code <prefix>:changes}</td><td>pub/sub channel</td>
 *       <td>one message per cycle that changed something: the full names of the keys written or
 *       deleted in that cycle, one per line</td></tr>
 * </table>
 *
 * <p>Only changed fields of changed hashes are written (HSET); an entry removed from the snapshot
 * deletes its key. After an outage the first batch rewrites every key in full.
 */
package io.mme.analytics.redis;
