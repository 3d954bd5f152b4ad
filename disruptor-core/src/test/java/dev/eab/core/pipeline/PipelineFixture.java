package dev.eab.core.pipeline;

import dev.eab.api.BackpressurePolicy;
import dev.eab.api.BusConfiguration;
import dev.eab.api.Constitution;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageHandler;
import dev.eab.api.MessageType;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RateLimit;
import dev.eab.core.governance.GovernanceStage;
import dev.eab.core.guard.ContentInspector;
import dev.eab.core.guard.ContentScanner;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.JavaContentScanner;
import dev.eab.core.guard.NativeContentScanner;
import dev.eab.core.guard.RateLimiter;
import dev.eab.core.journal.JournalStage;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.registry.AgentRegistry;
import dev.eab.core.route.Inbox;
import dev.eab.core.route.RoutingBarrier;
import dev.eab.core.route.Subscription;
import dev.eab.core.validate.CompositeValidationStrategy;
import dev.eab.core.validate.HashEncoding;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.NativeValidationStrategy;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;
import dev.eab.core.validate.RejectionTexts;

import java.util.List;
import java.util.Set;

/**
 * The bus's pipeline without the ring, for driving {@link PipelineHandler} directly from a test thread:
 * two agents of one tenant ({@code sender} and {@code recipient}, the latter subscribed INLINE), the
 * validator (native or Java), the content scanner, the real stages. The sender's rate limit is given.
 */
public final class PipelineFixture implements AutoCloseable
{
    public static final String TENANT = "acme";

    public final BusMetrics metrics = new BusMetrics();
    public final AgentRegistry registry;
    public final CompositeValidationStrategy validator;
    public final ContentScanner scanner;
    public final PipelineHandler handler;
    public final int sender;
    public final int recipient;
    private final byte[] hash = new byte[16];
    private final int hashLength;
    private long sequence;

    /**
     * @param nativeValidation native validator and scanner (the library must load), else the Java twins
     * @param senderLimit      the sender tenant's rate limit
     * @param recipientHandler the recipient's INLINE handler
     */
    public PipelineFixture(final boolean nativeValidation, final RateLimit senderLimit, final MessageHandler recipientHandler)
    {
        final BusConfiguration config = BusConfiguration.forTesting().toBuilder().tenantRateLimit(TENANT, senderLimit).build();
        final PolicyTable policy = PolicyCompiler.load(null);
        final GuardrailPatterns patterns = GuardrailPatterns.defaults();
        registry = new AgentRegistry(16, policy, h -> new Inbox(h, 16, metrics), config::rateLimitFor);
        sender = registry.register("sender", "worker", Set.of(), TENANT, null).handle();
        recipient = registry.register("recipient", "worker", Set.of(), TENANT, null).handle();
        registry.byHandle(recipient).inbox().subscribe(new Subscription(recipientHandler, DeliveryMode.INLINE), null, RoutingBarrier.NO_BUS);
        final JavaValidationStrategy java = new JavaValidationStrategy(Constitution.HASH, config.maxMessageSizeBytes(), policy);
        validator = new CompositeValidationStrategy(
            nativeValidation ? new NativeValidationStrategy(Constitution.HASH, config.maxMessageSizeBytes(), policy) : null, java);
        scanner = nativeValidation ? new NativeContentScanner(patterns) : new JavaContentScanner(patterns);
        hashLength = HashEncoding.encode(Constitution.HASH, hash);
        handler = new PipelineHandler(
            new ValidateStage(registry, validator, new RateLimiter(16), new ContentInspector(50, 1000, 10_000), scanner, metrics),
            new GovernanceStage(), new JournalStage(null),
            new RouteStage(metrics, new RejectionTexts(config, policy, patterns), BackpressurePolicy.REJECT, Constitution.HASH, validator,
                mask -> List.of()),
            metrics, true);
    }

    /** Runs one zero-allocation message from sender to recipient through the pipeline, as the bus thread would. */
    public void deliver(final MessageEvent slot, final long correlationId, final byte[] payload, final OutcomeListener listener)
    {
        fill(slot, correlationId, payload, listener);
        handler.onEvent(slot, sequence++, true);
    }

    /** Fills {@code slot} as a publisher would for one zero-allocation message from sender to recipient. */
    public void fill(final MessageEvent slot, final long correlationId, final byte[] payload, final OutcomeListener listener)
    {
        slot.kind = MessageEvent.KIND_FLYWEIGHT;
        slot.senderHandle = sender;
        slot.recipientHandle = recipient;
        slot.messageType = MessageType.EVENT.ordinal();
        slot.correlationId = correlationId;
        slot.expiresAtMs = 0;
        System.arraycopy(hash, 0, slot.hash, 0, hash.length);
        slot.hashLength = hashLength;
        System.arraycopy(payload, 0, slot.payload, 0, payload.length);
        slot.payloadLength = payload.length;
        slot.presetReject = 0;
        slot.listener = listener;
        slot.publishedNanos = System.nanoTime();
    }

    /** @return a ring slot for {@link #deliver}. */
    public static MessageEvent slot()
    {
        return new MessageEvent(256);
    }

    @Override
    public void close()
    {
        validator.close();
        if (scanner instanceof AutoCloseable c)
        {
            try
            {
                c.close();
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
        }
    }
}
