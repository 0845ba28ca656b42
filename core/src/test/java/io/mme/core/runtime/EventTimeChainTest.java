package io.mme.core.runtime;

import io.mme.core.ring.ExecType;
import io.mme.core.ring.InboundEvent;
import io.mme.core.ring.InboundEventType;
import io.mme.core.ring.OrderCommand;
import io.mme.core.ring.OrderCommandType;
import io.mme.core.ring.Side;
import io.mme.core.ring.TimeInForce;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain in event time on the caller's thread: each published event runs through every chain
 * engine, its commands through the outbound consumer, and what that publishes back through the
 * chain again, all before {@code publish} returns; events carry the clock's time; a throwing engine
 * is contained as in the pipeline.
 */
class EventTimeChainTest {
    private long now = 1_000;
    private final List<String> log = new ArrayList<>();

    /** the "execution" stage: a TIMER makes it send one NEW; an execution report is logged */
    private final class Sender implements Engine<InboundEvent> {
        private OutboundPublisher outbound;

        @Override
        public void onStart(EngineContext context) {
            outbound = context.outbound();
        }

        @Override
        public void onEvent(InboundEvent event, long sequence, boolean endOfBatch) {
            log.add("sender " + event.type() + " #" + event.sequence() + " t=" + event.timestampNanos());
            if (event.type() == InboundEventType.TIMER) {
                outbound.publish(OrderCommandType.NEW, event.sequence(), (c, e) -> c.set(e.timestampNanos(), e.sequence(), 0, 0, 1,
                        42, 0, Side.BUY, 100, 1, TimeInForce.GTC, true), event);
            }
        }
    }

    /** a venue that acknowledges every command at once, into the inbound ring */
    private final class Venue implements Engine<OrderCommand> {
        private InboundPublisher inbound;

        @Override
        public void onStart(EngineContext context) {
            inbound = context.inbound();
        }

        @Override
        public void onEvent(OrderCommand command, long sequence, boolean endOfBatch) {
            log.add("venue " + command.type() + " " + command.clientOrderId());
            inbound.publish(InboundEventType.EXECUTION_REPORT, (e, c) -> e.executionReport().set(ExecType.ACCEPTED, 0, 0,
                    c.clientOrderId(), c.clientOrderId(), c.side(), c.priceTicks(), c.quantityLots(), now), command);
        }
    }

    @Test
    void anEventAndEverythingItSetsOffRunBeforePublishReturnsAtTheClocksTime() {
        RecordingEngine first = new RecordingEngine();
        EventTimeChain chain = new EventTimeChain(List.of("marketdata", "execution"), List.of(first, new Sender()), List.of("venue"),
                List.of(new Venue()), () -> now, 64).start();
        now = 5_000;
        long sequence = chain.publish(InboundEventType.TIMER, (e, a) -> { }, null);
        assertThat(sequence).isZero();
        assertThat(log).containsExactly("sender TIMER #0 t=5000", "venue NEW 42", "sender EXECUTION_REPORT #1 t=5000");
        assertThat(first.seen).extracting(RecordingEngine.Seen::sequence).containsExactly(0L, 1L);
        assertThat(chain.lastSequence()).isEqualTo(1);
    }

    @Test
    void aThrowingEngineIsContainedTheEventGoesOnMarkedAndTradingHalts() {
        RecordingEngine thrower = new RecordingEngine(e -> {
            throw new IllegalStateException("boom");
        });
        EventTimeChain chain = new EventTimeChain(List.of("strategy", "execution"), List.of(thrower, new Sender()), List.of("venue"),
                List.of(new Venue()), () -> now, 64).start();
        chain.publish(InboundEventType.TIMER, (e, a) -> { }, null);
        assertThat(chain.faults()).isEqualTo(1);
        assertThat(chain.health().tradingHalted()).isTrue();
        // the sender still saw the event, and its NEW was refused by the halt gate: the venue heard nothing
        assertThat(log).containsExactly("sender TIMER #0 t=1000");
    }
    @Test
    void moreEventsThanTheInboundRingHoldsRunInOrderWithNoneHeldBack() {
        List<Long> received = new ArrayList<>();
        RecordingEngine first = new RecordingEngine(e -> received.add(e.receivedNanos()));
        EventTimeChain chain = new EventTimeChain(List.of("marketdata", "execution"), List.of(first, new Sender()), List.of("venue"),
                List.of(new Venue()), () -> now, 8, 64).start();
        now = 7_000;
        // one long venue message: 20 events published without a drain into a ring of 8 slots
        for (int i = 0; i < 20; i++) {
            assertThat(chain.inbound().publish(InboundEventType.MARKET_DATA, (e, a) -> { }, null)).isEqualTo(i);
        }
        assertThat(chain.inbound().held()).isZero();
        // the ring was run when it filled: the first 16 have been through the chain, the last 4 wait for the drain
        assertThat(first.seen).hasSize(16);
        chain.drain();
        assertThat(first.seen).extracting(RecordingEngine.Seen::sequence).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 20).boxed().toList());
        // event time throughout: the receive time is the event's time, no wall clock is read
        assertThat(received).hasSize(20).containsOnly(7_000L);
    }
}
