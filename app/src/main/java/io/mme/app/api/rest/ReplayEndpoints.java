package io.mme.app.api.rest;

import io.javalin.http.Context;
import io.mme.app.api.EngineAccess;
import io.mme.app.api.PlaybackControl;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The playback routes under /api/v1/replay: the state of a replay served by {@code mme replay --serve}
 * and its controls (play, pause, speed, seek), each answering the state after it. A body is checked
 * first (400 naming the field or the bad value), then whether the engine is a replay at all (404
 * saying so). Stateless; any Jetty thread.
 */
final class ReplayEndpoints {
    static final String PATH = "/api/v1/replay";
    static final String NOT_A_REPLAY = "this engine is not a replay: /api/v1/replay is served by `mme replay --journal DIR "
            + "--serve`, which plays a run's journal with playback controls";

    private final EngineAccess engine;

    ReplayEndpoints(EngineAccess engine) {
        this.engine = engine;
    }

    void state(Context ctx) {
        answer(ctx, playback());
    }

    void play(Context ctx) {
        PlaybackControl p = playback();
        p.play();
        answer(ctx, p);
    }

    void pause(Context ctx) {
        PlaybackControl p = playback();
        p.pause();
        answer(ctx, p);
    }

    void speed(Context ctx) {
        ChangeBodies.PlaybackSpeed body = JsonBodies.read(ctx.body(), ChangeBodies.PlaybackSpeed.class);
        if (body.speed() == null) {
            throw ApiError.badRequest("speed", "field 'speed' is required: " + PlaybackControl.MIN_SPEED + " to "
                    + PlaybackControl.MAX_SPEED);
        }
        double speed = body.speed();
        if (!(speed >= PlaybackControl.MIN_SPEED && speed <= PlaybackControl.MAX_SPEED)) {
            throw ApiError.badRequest("speed", "field 'speed' is " + speed + ": it must be from " + PlaybackControl.MIN_SPEED
                    + " to " + PlaybackControl.MAX_SPEED);
        }
        PlaybackControl p = playback();
        p.speed(speed);
        answer(ctx, p);
    }

    void seek(Context ctx) {
        ChangeBodies.PlaybackSeek body = JsonBodies.read(ctx.body(), ChangeBodies.PlaybackSeek.class);
        if (body.timeNanos() == null) {
            throw ApiError.badRequest("timeNanos", "field 'timeNanos' is required: an event time (epoch ns) within the journal");
        }
        PlaybackControl p = playback();
        PlaybackControl.Status s = p.status();
        long to = body.timeNanos();
        if (to < s.startNanos() || to > s.endNanos()) {
            throw ApiError.badRequest("timeNanos", "field 'timeNanos' is " + to + " (" + iso(to) + "): it must be within the "
                    + "journal, " + s.startNanos() + " (" + iso(s.startNanos()) + ") to " + s.endNanos() + " (" + iso(s.endNanos()) + ")");
        }
        p.seek(to);
        answer(ctx, p);
    }

    private PlaybackControl playback() {
        PlaybackControl p = engine.playback();
        if (p == null) {
            throw new ApiError(404, NOT_A_REPLAY, null);
        }
        return p;
    }

    private static void answer(Context ctx, PlaybackControl playback) {
        RestApi.json(ctx, 200, JsonBodies.write(body(playback.status())));
    }

    static Map<String, Object> body(PlaybackControl.Status s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("journal", s.journal());
        out.put("state", s.seeking() ? "seeking" : s.ended() ? "ended" : s.playing() ? "playing" : "paused");
        out.put("playing", s.playing());
        out.put("speed", s.speed());
        out.put("startNanos", s.startNanos());
        out.put("endNanos", s.endNanos());
        out.put("positionNanos", s.positionNanos());
        out.put("start", iso(s.startNanos()));
        out.put("end", iso(s.endNanos()));
        out.put("position", iso(s.positionNanos()));
        out.put("progress", s.progress());
        out.put("records", s.records());
        out.put("released", s.released());
        out.put("rebuilds", s.rebuilds());
        return out;
    }

    private static String iso(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }
}
