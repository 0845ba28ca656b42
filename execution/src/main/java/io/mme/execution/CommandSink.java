package io.mme.execution;

import io.mme.core.ring.OrderCommandType;

/**
 * Where the engine's order commands go: the outbound publisher in a pipeline, a recording fake in
 * tests. Engine thread only.
 */
@FunctionalInterface
interface CommandSink {
    /** @return the command's outbound sequence, or -1 when it was refused (trading halted) */
    long send(OrderCommandType type, long causeSequence, CommandDraft draft);
}
