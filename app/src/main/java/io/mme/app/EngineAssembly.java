package io.mme.app;

import io.mme.app.config.MmeSettings;
import io.mme.core.runtime.Pipeline;
import io.mme.core.runtime.TimerSource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the running engine from validated settings: the pipeline with an engine at every stage
 * and the timer source that feeds it TIMER events. Stages whose modules do not exist yet are held
 * by an {@link EventCountingEngine}. Owned by the thread that runs the CLI command.
 */
final class EngineAssembly implements AutoCloseable {
    private final Pipeline pipeline;
    private final TimerSource timer;
    private final Map<String, EventCountingEngine> stages = new LinkedHashMap<>();

    EngineAssembly(MmeSettings settings) {
        Pipeline.Builder builder = Pipeline.builder(settings.pipeline());
        for (String stage : Pipeline.CHAIN) {
            builder.stage(stage, counting(stage));
        }
        for (String stage : Pipeline.AFTER_CHAIN) {
            builder.stage(stage, counting(stage));
        }
        pipeline = builder.build();
        timer = new TimerSource(pipeline.inbound(), settings.timerPeriod());
    }

    private EventCountingEngine counting(String stage) {
        EventCountingEngine engine = new EventCountingEngine();
        stages.put(stage, engine);
        return engine;
    }

    EngineAssembly start() {
        pipeline.start();
        timer.start();
        return this;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** events seen by the last engine of the chain */
    long eventsThroughChain() {
        return stages.get(Pipeline.EXECUTION).total();
    }

    /** stops the timer, drains the rings; returns events left unprocessed */
    long stop() {
        timer.close();
        return pipeline.shutdown();
    }

    @Override
    public void close() {
        stop();
    }
}
