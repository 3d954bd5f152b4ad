package dev.eab.core.pipeline;

import dev.eab.api.AgentMessage;
import dev.eab.api.BackpressurePolicy;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MessageType;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.HostileThrowable;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;
import dev.eab.core.validate.RejectionTexts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 7 §1 at the pipeline's level: a stage that throws anything (a hostile throwable, a
 * StackOverflowError, an OutOfMemoryError) fails that one event with exactly one outcome, is counted,
 * and the handler carries on; even when building the rejection text throws as well.
 */
class PipelineFailureTest
{
    private static Throwable make(final String kind)
    {
        return switch (kind)
        {
            case "hostile" -> new HostileThrowable();
            case "soe" -> new StackOverflowError();
            case "oom" -> new OutOfMemoryError("simulated");
            default -> new IllegalStateException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"hostile", "soe", "oom", "plain"})
    void aThrowingStageFailsOnlyItsEvent(final String kind)
    {
        final PolicyTable policy = PolicyCompiler.load(null);
        final BusMetrics metrics = new BusMetrics();
        final BusConfiguration config = BusConfiguration.forTesting();
        final RouteStage route = new RouteStage(metrics, new RejectionTexts(config, policy, null), BackpressurePolicy.REJECT, config.constitutionalHash(),
            new JavaValidationStrategy(config.constitutionalHash(), 1 << 20, policy), mask -> List.of());
        final Stage throwing = e -> {
            if (e.correlationId % 2 == 0)
            {
                sneaky(make(kind));
            }
            e.rejectCode = RejectReason.SENDER_NOT_REGISTERED.code();
        };
        final PipelineHandler handler = new PipelineHandler(throwing, e -> { }, e -> { }, route, metrics, true);
        final AtomicInteger outcomes = new AtomicInteger();
        final OutcomeListener listener = new OutcomeListener()
        {
            @Override public void onDelivered(final long c, final int h) { outcomes.incrementAndGet(); }
            @Override public void onRejected(final long c, final RejectReason r) { outcomes.incrementAndGet(); }
        };
        for (int i = 0; i < 64; i++)
        {
            final MessageEvent e = new MessageEvent(16);
            if (i % 4 < 2)
            {
                e.kind = MessageEvent.KIND_FLYWEIGHT;
                e.listener = listener;
                e.correlationId = i;
                handler.onEvent(e, i, true);
            }
            else
            {
                final CompletableFuture<ValidationResult> f = new CompletableFuture<>();
                EventSlots.fillMessage(e, MessageEvent.KIND_MESSAGE,
                    AgentMessage.builder().fromAgent("a").toAgent("b").messageType(MessageType.QUERY).content(Map.of("q", 1)).build(), f, null);
                e.correlationId = i;
                handler.onEvent(e, i, true);
                final ValidationResult r = f.getNow(null);
                assertNotNull(r, "completed before onEvent returned");
                assertFalse(r.isValid());
                if (i % 2 == 0)
                {
                    assertEquals(RejectReason.VALIDATOR_ERROR, r.rejectReason());
                    assertFalse(r.errors().get(0).isBlank());
                }
            }
        }
        assertEquals(32, outcomes.get(), "one outcome per flyweight event");
        assertEquals(32, metrics.pipelineFailures());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hostile", "oom"})
    void whenFailingClosedThrowsTooThePrebuiltOutcomeIsGiven(final String kind)
    {
        final PolicyTable policy = PolicyCompiler.load(null);
        final BusMetrics metrics = new BusMetrics();
        final BusConfiguration config = BusConfiguration.forTesting();
        final RouteStage route = new RouteStage(metrics, new RejectionTexts(config, policy, null), BackpressurePolicy.REJECT,
            config.constitutionalHash(), new JavaValidationStrategy(config.constitutionalHash(), 1 << 20, policy), mask -> List.of());
        // The stage corrupts the event before throwing, so building the rejection text throws as well.
        final PipelineHandler handler = new PipelineHandler(e -> {
            e.message = null;
            sneaky(make(kind));
        }, e -> { }, e -> { }, route, metrics, false);
        final MessageEvent e = new MessageEvent(16);
        final CompletableFuture<ValidationResult> f = new CompletableFuture<>();
        EventSlots.fillMessage(e, MessageEvent.KIND_MESSAGE, AgentMessage.builder().content(Map.of("q", 1)).build(), f, null);
        handler.onEvent(e, 0, true);
        final ValidationResult r = f.getNow(null);
        assertNotNull(r);
        assertEquals(RejectReason.VALIDATOR_ERROR, r.rejectReason());
        assertEquals(RouteStage.LAST_RESORT_TEXT, r.errors().get(0));
        assertEquals(1, metrics.rejected(RejectReason.VALIDATOR_ERROR));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(final Throwable t) throws T
    {
        throw (T)t;
    }
}
