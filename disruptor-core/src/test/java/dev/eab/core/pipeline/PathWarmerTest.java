package dev.eab.core.pipeline;

import dev.eab.api.OutcomeListener;
import dev.eab.api.RateLimit;
import dev.eab.api.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The idle warm-up probe ({@link PathWarmer}, run from {@link PipelineHandler#onTimeout}) leaves no trace:
 * never delivered, never counted (metrics, validator decisions), takes no rate-limit token, reaches no listener.
 */
class PathWarmerTest
{
    private static final int WARM_UPS = 5_000;

    /** Counts every outcome it is told. */
    private static final class Outcomes implements OutcomeListener
    {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        volatile RejectReason lastReason;

        @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.incrementAndGet(); }
        @Override public void onRejected(final long correlationId, final RejectReason reason) { rejected.incrementAndGet(); lastReason = reason; }
    }

    @Test
    void warmUpsAreNeverDeliveredCountedOrRateLimited()
    {
        final AtomicLong handled = new AtomicLong();
        // Two tokens, refilled about once a day: a warm-up that took a token would make the second message RATE_LIMITED.
        final RateLimit twoMessages = new RateLimit(1, 2);
        try (PipelineFixture f = new PipelineFixture(false, twoMessages, view -> handled.incrementAndGet()))
        {
            final Outcomes outcomes = new Outcomes();
            final MessageEvent slot = PipelineFixture.slot();
            final byte[] payload = "hello there".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

            f.handler.onTimeout(0); // before any message: nothing to warm, and nothing must break
            f.deliver(slot, 1, payload, outcomes);
            assertEquals(1, handled.get());
            final long decisions = f.validator.nativeDecisions() + f.validator.javaDecisions();

            for (int i = 0; i < WARM_UPS; i++)
            {
                f.handler.onTimeout(0);
            }
            assertEquals(WARM_UPS + 1, f.handler.warmer().runs(), "every idle tick ran the probe");
            assertEquals(1, handled.get(), "the probe never reaches a handler");
            assertEquals(1, outcomes.delivered.get());
            assertEquals(0, outcomes.rejected.get());
            assertEquals(1, f.metrics.processed());
            assertEquals(1, f.metrics.delivered());
            assertEquals(0, f.metrics.rejectedTotal());
            assertEquals(decisions, f.validator.nativeDecisions() + f.validator.javaDecisions(), "the probe's verdicts are not counted");

            f.deliver(slot, 2, payload, outcomes);
            assertEquals(0, outcomes.rejected.get(), "the probe took no rate-limit token: " + outcomes.lastReason);
            assertEquals(2, handled.get());
            f.deliver(slot, 3, payload, outcomes);
            assertEquals(RejectReason.RATE_LIMITED, outcomes.lastReason, "the limit itself still works");
            assertEquals(2, handled.get());
        }
    }

    @Test
    void aProbeToAnAgentThatLeftIsHarmless()
    {
        final AtomicLong handled = new AtomicLong();
        try (PipelineFixture f = new PipelineFixture(false, RateLimit.UNLIMITED, view -> handled.incrementAndGet()))
        {
            f.deliver(PipelineFixture.slot(), 1, new byte[] {'x'}, null);
            f.registry.unregister("recipient");
            f.registry.unregister("sender");
            for (int i = 0; i < 100; i++)
            {
                f.handler.onTimeout(0);
            }
            assertEquals(100, f.handler.warmer().runs());
            assertEquals(1, handled.get());
            assertEquals(1, f.metrics.processed());
        }
    }
}
