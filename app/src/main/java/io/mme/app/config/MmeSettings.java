package io.mme.app.config;

import io.mme.core.instrument.InstrumentRegistry;
import io.mme.core.runtime.PipelineConfig;

import java.time.Duration;

/**
 * The validated configuration in the types the engine is built from. Immutable.
 *
 * @param pipeline    ring sizes, engine placement and wait strategies, shutdown timeout
 * @param instruments every configured instrument with its dense id
 * @param timerPeriod period of the TIMER events
 * @param demoSeconds how long the demo runs
 * @param raw         the configuration as merged from defaults, file and environment
 */
public record MmeSettings(PipelineConfig pipeline, InstrumentRegistry instruments, Duration timerPeriod,
                          int demoSeconds, MmeConfig raw) {
}
