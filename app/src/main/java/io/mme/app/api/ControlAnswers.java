package io.mme.app.api;

import io.mme.core.ring.ControlCommand;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Matches control commands with their answers: the API registers a request id before publishing,
 * the audit stage (after the whole chain) reports every CONTROL slot it sees, and the waiting
 * request completes with what the owning engine wrote into the slot. Thread-safe: API threads
 * register, the audit engine's thread completes.
 */
public final class ControlAnswers {
    private final ConcurrentHashMap<Long, CompletableFuture<ControlAnswer>> waiting = new ConcurrentHashMap<>();

    /** registers a request; the future completes with its answer, or times out */
    public CompletableFuture<ControlAnswer> expect(long requestId, Duration timeout) {
        CompletableFuture<ControlAnswer> answer = new CompletableFuture<>();
        waiting.put(requestId, answer);
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((a, e) -> waiting.remove(requestId));
    }

    /** called by the audit stage for every CONTROL slot, after the chain handled it */
    public void answered(long sequence, ControlCommand command) {
        if (command.requestId() == 0) {
            return;
        }
        CompletableFuture<ControlAnswer> answer = waiting.remove(command.requestId());
        if (answer != null) {
            answer.complete(new ControlAnswer(command.requestId(), sequence, command.answered(), command.applied(),
                    command.oldValue(), command.message()));
        }
    }

    /** requests waiting for their answer */
    public int waiting() {
        return waiting.size();
    }
}
