package dev.eab.bench;

import dev.eab.api.Constitution;
import dev.eab.api.MessageType;
import dev.eab.core.guard.ContentScanner;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.JavaContentScanner;
import dev.eab.core.guard.RateLimiter;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.MessageHeaderDescriptor;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The naive bus: a new message object per send, an {@code ArrayBlockingQueue<Object>} (same capacity as
 * the ring) to one consumer thread blocked in {@code take()}, which looks sender and recipient up by id in
 * a {@code ConcurrentHashMap}, fills the same header and runs the same checks as the bus, in the bus's order:
 * {@link JavaValidationStrategy} (the bus's Java twin, with the bus's default policy), the per-agent
 * {@link RateLimiter} with the benchmark's limit, and (unless built without) the {@link JavaContentScanner}
 * with the default guardrail patterns, a BLOCK family rejecting; then it calls the handler.
 */
public final class AbqBaseline implements SystemUnderTest
{
    /** What a naive bus sends: an immutable object, payload copied. */
    record NaiveMessage(String from, String to, String tenant, MessageType type, String constitutionalHash, long correlationId, byte[] payload)
    {
    }

    /** A naive registry entry. */
    record Agent(String id, int handle, int tenantIndex, int policyTenant, int senderType, long capabilities)
    {
    }

    private static final Object POISON = new Object();

    private final LatencySink sink;
    private final boolean contentScanning;
    private final RateLimiter rateLimiter = new RateLimiter(2);
    private ContentScanner scanner;
    private long blockMask;
    private final byte[] payload = SystemUnderTest.payload();
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private JavaValidationStrategy validator;
    private Thread consumer;
    private long retries;

    /** @param contentScanning whether the consumer runs the Java content scan (as {@code eab-java} does). */
    public AbqBaseline(final boolean contentScanning, final LatencySink sink)
    {
        this.contentScanning = contentScanning;
        this.sink = sink;
    }

    @Override
    public String waitStrategy()
    {
        return "BLOCKING (ArrayBlockingQueue.take: lock + condition), producer spins on a full queue";
    }

    @Override
    public void start()
    {
        final PolicyTable policy = PolicyCompiler.load(null);
        validator = new JavaValidationStrategy(Constitution.HASH, dev.eab.api.BusConfiguration.DEFAULT_MAX_MESSAGE_SIZE_BYTES, policy);
        final String[] ids = {EabSeries.SENDER, EabSeries.RECIPIENT};
        for (int handle = 0; handle < ids.length; handle++)
        {
            agents.put(ids[handle], new Agent(ids[handle], handle, 0, policy.tenantId(EabSeries.TENANT), policy.senderTypeId("worker"),
                policy.capabilityMask(Set.of())));
        }
        if (contentScanning)
        {
            scanner = new JavaContentScanner(GuardrailPatterns.defaults());
            blockMask = scanner.patterns().blockMask();
        }
        consumer = new Thread(this::consume, "baseline-abq");
        consumer.setDaemon(true);
        consumer.start();
    }

    private void consume()
    {
        final MemorySegment header = Arena.ofAuto().allocate(MessageHeaderDescriptor.LENGTH, MessageHeaderDescriptor.ALIGNMENT);
        try
        {
            while (true)
            {
                final Object o = queue.take();
                if (o == POISON)
                {
                    return;
                }
                final NaiveMessage m = (NaiveMessage)o;
                final Agent sender = agents.get(m.from());
                final Agent recipient = agents.get(m.to());
                int flags = MessageHeaderDescriptor.FLAG_TENANT_FORMAT_VALID | MessageHeaderDescriptor.FLAG_HAS_RECIPIENT;
                flags |= sender != null ? MessageHeaderDescriptor.FLAG_SENDER_REGISTERED : 0;
                flags |= recipient != null ? MessageHeaderDescriptor.FLAG_RECIPIENT_REGISTERED : 0;
                HeaderFill.writeHash(header, m.constitutionalHash());
                HeaderFill.writeFields(header, Long.BYTES, m.payload().length, flags, 0,
                    sender == null ? MessageHeaderDescriptor.NO_TENANT : sender.tenantIndex(),
                    recipient == null ? MessageHeaderDescriptor.NO_TENANT : recipient.tenantIndex(),
                    sender == null ? -1 : sender.policyTenant(), sender == null ? -1 : sender.senderType(), m.type().ordinal(),
                    sender == null ? 0L : sender.capabilities());
                // The rate limiter takes the send time (the intended time here), as the bus takes the publish time: no clock read.
                if (validator.validate(header) == 0
                    && rateLimiter.tryAcquire(sender.handle(), EabSeries.BENCH_RATE_LIMIT, m.correlationId()) == 0
                    && (scanner == null || (scanner.scan(m.payload(), 0, m.payload().length) & blockMask) == 0))
                {
                    onMessage(m);
                }
                else
                {
                    rejected.incrementAndGet();
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The recipient's handler. */
    private void onMessage(final NaiveMessage m)
    {
        sink.onDelivered(m.correlationId());
    }

    @Override
    public void send(final long intendedNanos)
    {
        final NaiveMessage m = new NaiveMessage(EabSeries.SENDER, EabSeries.RECIPIENT, EabSeries.TENANT, MessageType.EVENT,
            Constitution.HASH, intendedNanos, payload.clone());
        while (!queue.offer(m))
        {
            retries++;
            Thread.onSpinWait();
        }
    }

    @Override
    public long retries()
    {
        return retries;
    }

    @Override
    public long rejected()
    {
        return rejected.get();
    }

    @Override
    public Map<String, String> details()
    {
        final Map<String, String> d = new LinkedHashMap<>();
        d.put("validator", "java (JavaValidationStrategy on the consumer thread)");
        d.put("content_scanning", String.valueOf(contentScanning));
        return d;
    }

    @Override
    public void close()
    {
        if (consumer != null)
        {
            try
            {
                queue.put(POISON);
                consumer.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
