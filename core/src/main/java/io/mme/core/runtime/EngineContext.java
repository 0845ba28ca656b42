package io.mme.core.runtime;

/**
 * What the runtime hands an engine at start: the publishers it may use. The execution engine is
 * the only one that publishes on the outbound ring (it is the ring's single producer); outbound
 * consumers such as the paper venue publish their execution reports into the inbound ring.
 *
 * @param name     the engine's name in the pipeline
 * @param inbound  this engine's own publisher into the inbound ring: never waits for room (it holds
 *                 events back instead, see {@link InboundPublisher}), stays open until the rings
 *                 drained, and only this engine's thread may use it
 * @param outbound publisher into the outbound ring; only the execution engine may use it
 * @param health   the pipeline's health, for engines that want to show more than the defaults
 */
public record EngineContext(String name, InboundPublisher inbound, OutboundPublisher outbound, PipelineHealth health) {
}
