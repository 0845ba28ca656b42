package io.mme.app.api;

/**
 * The playback controls of an engine that replays a journal ({@code mme replay --serve}), as the REST
 * API's {@code /api/v1/replay} routes use them: the state, play, pause, speed and seek. Shared by
 * every client of the server (one playback per server). Implementations are thread-safe: the HTTP
 * handlers call them from Jetty's threads.
 */
public interface PlaybackControl {
    /** the slowest and fastest speed (event time per wall time) */
    double MIN_SPEED = 0.5;
    double MAX_SPEED = 100;

    /**
     * A consistent copy of the playback state.
     *
     * @param journal       the run directory replayed
     * @param startNanos    the event time of the journal's first record (epoch ns)
     * @param endNanos      the event time of its last record
     * @param positionNanos the event time of the last record released into the engines; startNanos before the first
     * @param speed         event time per wall time, 0.5..100
     * @param playing       playing (true) or paused
     * @param ended         the journal's last record went in (until a seek backward)
     * @param seeking       a seek is under way (a backward one rebuilds the engines from the journal's start)
     * @param records       records in the journal
     * @param released      records released into the engines in the current pass
     * @param rebuilds      seeks backward so far (each built the engines again)
     */
    record Status(String journal, long startNanos, long endNanos, long positionNanos, double speed, boolean playing,
                  boolean ended, boolean seeking, long records, long released, long rebuilds) {
        /** how far the playback is through the journal's event time, 0..1 */
        public double progress() {
            long span = endNanos - startNanos;
            if (span <= 0) {
                return ended ? 1 : 0;
            }
            return Math.max(0, Math.min(1, (positionNanos - startNanos) / (double) span));
        }
    }

    Status status();

    void play();

    void pause();

    /** @throws IllegalArgumentException naming the value when it is outside 0.5..100 or not a number */
    void speed(double speed);

    /** @throws IllegalArgumentException naming the time and the journal's span when it is outside it */
    void seek(long eventNanos);
}
