package io.mme.app;

import io.mme.app.api.ApiServer;
import io.mme.app.api.EngineAccess;
import io.mme.app.api.PlaybackControl;
import io.mme.app.api.PlaybackEngineAccess;
import io.mme.app.api.rest.TokenStore;
import io.mme.app.config.MmeSettings;
import io.mme.app.stream.StreamTap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A replay with playback controls served to the page ({@code mme replay --journal DIR --serve}): the
 * chain engines in replay mode fed through a {@link PlaybackReplay}, and the same HTTP server as a
 * live run's (the web page, the REST API, the streaming API and /metrics) reading whichever engines
 * are being fed now, read-only: every change is refused with 409 and the page offers none, and
 * /api/v1/replay reads and controls the playback. The tokens and their roles are the live API's.
 *
 * <p>Owns the playback, the streaming API's tap (which outlives a seek backward: the feeder
 * {@link StreamTap#restart()}s it into the rebuilt engines), the HTTP server and the stream server.
 * Started and closed by one thread (the CLI's, a test's); the {@link PlaybackControl} methods may be
 * called from any thread (the HTTP handlers): the gate guards the playback state.
 */
public final class PlaybackServer implements PlaybackControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlaybackServer.class);

    private final Path journal;
    private final PlaybackReplay replay;
    private final StreamTap tap;
    /** the engines whose views the API reads and the access made for them (another pair after a rebuild) */
    private final AtomicReference<Current> current = new AtomicReference<>();
    private ApiServer api;
    private io.mme.app.stream.StreamServer stream;

    private record Current(EngineAssembly engine, EngineAccess access) {
    }

    private PlaybackServer(MmeSettings settings, Path journal) {
        this.journal = journal;
        this.tap = new StreamTap(settings.instruments(), 5_000, settings.bookCapacity());
        this.replay = new PlaybackReplay(settings, journal.resolve(EngineRunner.JOURNAL_QUEUE), System::nanoTime, tap);
    }

    /**
     * Builds the engines, starts the feeder paused at the journal's start, and serves the page and
     * the APIs on {@code api} (its host and port; TLS as configured).
     *
     * @param settings the configuration stored with the run (api.* as the caller wants it served)
     * @param journal  the run directory
     * @param tokens   the API's tokens, as a live run reads them
     * @param speed    the initial speed, 0.5..100
     * @param play     start playing at once (else paused at the start)
     * @throws IllegalArgumentException naming the speed when it is out of range, or the journal when it holds no record
     */
    public static PlaybackServer start(MmeSettings settings, Path journal, ApiServer.Settings api, TokenStore tokens, double speed,
                                       boolean play) {
        PlaybackServer server = new PlaybackServer(settings, journal);
        server.replay.gate().speed(speed);
        server.replay.start();
        try {
            server.serve(api, tokens);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        if (play) {
            server.play();
        }
        return server;
    }

    private void serve(ApiServer.Settings settings, TokenStore tokens) {
        EngineAccess access = new PlaybackEngineAccess(this::currentAccess, this);
        io.mme.app.metrics.MetricsExporter metrics = new io.mme.app.metrics.MetricsExporter(access, null, () -> null, () -> null);
        io.mme.app.metrics.ApiMetrics apiMetrics = new io.mme.app.metrics.ApiMetrics(() -> stream == null ? null : stream.stats());
        metrics.register(apiMetrics);
        ApiServer server = new ApiServer(settings)
                .install(apiMetrics::install)
                .install(app -> io.mme.app.api.rest.RestApi.install(app, access, tokens, () -> true, java.time.Duration.ofSeconds(5)))
                .install(metrics::install);
        io.mme.app.web.WebPage.install(server);
        stream = new io.mme.app.stream.StreamServer(tap, access, tokens, null,
                io.mme.app.stream.StreamServer.Settings.defaults().withAllowedOrigins(settings.allowedOrigins()));
        server.install(stream::install);
        api = server;
        server.start();
        LOG.info("replay of {} served on {}://{}:{}/ ({} tokens)", journal, server.tls() ? "https" : "http", server.host(),
                server.port(), tokens.size());
    }

    /** the access to the engines being fed now, made once per set of engines */
    private EngineAccess currentAccess() {
        EngineAssembly engine = replay.engine();
        Current c = current.get();
        if (c == null || c.engine() != engine) {
            c = new Current(engine, engine.access());
            current.set(c);
        }
        return c.access();
    }

    /** the port the page and the APIs are served on */
    public int port() {
        return api.port();
    }

    /** the address the page is served at */
    public String url() {
        return (api.tls() ? "https" : "http") + "://" + api.host() + ":" + api.port() + "/";
    }

    /** what stopped the feeder (a damaged journal, an engine that failed), or null */
    public Throwable failure() {
        return replay.failure();
    }

    @Override
    public Status status() {
        PlaybackGate.State s = replay.gate().state();
        PlaybackReplay.Extent extent = replay.extent();
        long position = s.positionNanos() == Long.MIN_VALUE ? extent.startNanos() : s.positionNanos();
        // a seek from the end goes back: seeking, not ended, until the feeder has rebuilt the engines and got there
        boolean seeking = s.seekTargetNanos() != Long.MIN_VALUE;
        boolean ended = replay.ended() && !seeking;
        return new Status(journal.toString(), extent.startNanos(), extent.endNanos(), position, s.speed(), s.playing(), ended,
                seeking, extent.records(), s.released(), replay.rebuilds());
    }

    @Override
    public void play() {
        replay.gate().play();
    }

    @Override
    public void pause() {
        replay.gate().pause();
    }

    @Override
    public void speed(double speed) {
        replay.gate().speed(speed);
    }

    @Override
    public void seek(long eventNanos) {
        PlaybackReplay.Extent extent = replay.extent();
        if (eventNanos < extent.startNanos() || eventNanos > extent.endNanos()) {
            throw new IllegalArgumentException("event time " + eventNanos + " ns is outside the journal's " + extent.startNanos()
                    + ".." + extent.endNanos() + " ns (" + java.time.Instant.ofEpochSecond(0, extent.startNanos()) + " to "
                    + java.time.Instant.ofEpochSecond(0, extent.endNanos()) + ")");
        }
        replay.gate().seek(eventNanos);
    }

    /** stops serving, then the feeder and the engines */
    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
        if (api != null) {
            api.close();
        }
        replay.close();
    }
}
