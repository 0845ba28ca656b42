package io.mme.execution;

import io.mme.core.ring.ExecutionReport;

/**
 * Where the engine's synthetic execution reports go: its own inbound publisher in a pipeline (which
 * never waits), a recording fake in tests. Engine thread only; the report is a reused scratch
 * object and must be copied.
 */
@FunctionalInterface
interface ReportSink {
    void publish(ExecutionReport report);
}
