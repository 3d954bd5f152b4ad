package dev.eab.core.pipeline;

import com.lmax.disruptor.Sequence;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RateLimit;
import dev.eab.api.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The handler advances the gating sequence (what publishers read on a full ring) every
 * {@link PipelineHandler#SEQUENCE_PUBLISH_INTERVAL} events and at each batch end, while
 * {@link PipelineHandler#processedSequence()} stays exact after every event (a halted run fails what follows it).
 */
final class PipelineSequenceTest
{
    @Test
    void gatingSequenceMovesInStepsWhileTheProcessedPositionIsExact()
    {
        final AtomicInteger delivered = new AtomicInteger();
        try (PipelineFixture f = new PipelineFixture(false, RateLimit.UNLIMITED, view -> delivered.incrementAndGet()))
        {
            final Sequence gating = new Sequence(-1);
            f.handler.setSequenceCallback(gating);
            final OutcomeListener listener = new OutcomeListener()
            {
                @Override
                public void onDelivered(final long correlationId, final int recipient)
                {
                }

                @Override
                public void onRejected(final long correlationId, final RejectReason reason)
                {
                }
            };
            final MessageEvent slot = PipelineFixture.slot();
            final byte[] payload = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            final int interval = PipelineHandler.SEQUENCE_PUBLISH_INTERVAL;
            // One long batch: no endOfBatch until the last event.
            for (int i = 0; i < interval - 1; i++)
            {
                f.fill(slot, i, payload, listener);
                f.handler.onEvent(slot, i, false);
                assertEquals(i, f.handler.processedSequence(), "exact position after event " + i);
                assertEquals(-1, gating.get(), "gating sequence not yet advanced at event " + i);
            }
            f.fill(slot, interval - 1, payload, listener);
            f.handler.onEvent(slot, interval - 1, false);
            assertEquals(interval - 1, gating.get(), "advanced at the step");
            f.fill(slot, interval, payload, listener);
            f.handler.onEvent(slot, interval, false);
            assertEquals(interval - 1, gating.get());
            assertEquals(interval, f.handler.processedSequence());
            f.fill(slot, interval + 1, payload, listener);
            f.handler.onEvent(slot, interval + 1, true);
            assertEquals(interval + 1, gating.get(), "advanced at the batch end");
            assertEquals(interval + 2, delivered.get());
            // Inline deliveries are counted by the bus thread's own counter; the total still sees every one.
            assertEquals(interval + 2, f.metrics.delivered());
        }
    }
}
