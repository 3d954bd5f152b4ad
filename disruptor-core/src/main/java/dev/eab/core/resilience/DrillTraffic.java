package dev.eab.core.resilience;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.AgentBusException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.EnhancedAgentBus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A drill's own probe traffic, so an operator sees what the bus does with real messages while a scenario runs: two
 * agents of the {@value ChaosDrills#DRILL_TENANT} tenant (registered on first use), one sending to the other through
 * {@code send} at a fixed rate; every tenth message carries a wrong constitutional hash and must be rejected. The
 * receiver's handler checks every delivery: a message it was not sent validly counts as an
 * {@code unvalidated_delivery} (the number a drill must end with at 0). Off unless a drill asks for traffic.
 */
public final class DrillTraffic
{
    /** The probe sender's agent id. */
    public static final String SENDER = "chaos-probe-sender";
    /** The probe receiver's agent id. */
    public static final String RECEIVER = "chaos-probe-receiver";
    private static final int INVALID_EVERY = 10;
    private static final String BAD_HASH = "badbadbadbadbad0";

    private final EnhancedAgentBus bus;
    private final Set<String> invalidIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sentInvalid = new AtomicLong();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder refusedAtSend = new LongAdder();
    private final LongAdder handled = new LongAdder();
    private final LongAdder unvalidated = new LongAdder();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile Thread thread;

    public DrillTraffic(final EnhancedAgentBus bus)
    {
        this.bus = bus;
    }

    /** Sends {@code perSecond} messages a second for {@code durationMs} on a virtual thread (a running one is stopped first). */
    public synchronized void start(final int perSecond, final long durationMs)
    {
        stop();
        if (bus.getAgentInfo(SENDER) == null)
        {
            bus.registerAgent(SENDER, "chaos-probe", Set.of(), ChaosDrills.DRILL_TENANT, null);
        }
        if (bus.getAgentInfo(RECEIVER) == null)
        {
            bus.registerAgent(RECEIVER, "chaos-probe", Set.of(), ChaosDrills.DRILL_TENANT, null);
        }
        bus.subscribe(RECEIVER, v -> {
            handled.increment();
            final AgentMessage m = v.toMessage();
            if (invalidIds.contains(m.messageId()) || !SENDER.equals(m.sendingAgent()))
            {
                unvalidated.increment();
            }
        }, DeliveryMode.INLINE);
        running = true;
        final long periodNs = 1_000_000_000L / Math.max(1, perSecond);
        thread = Thread.ofVirtual().name("eab-chaos-drill-traffic").start(() -> {
            final long start = System.nanoTime();
            final long end = start + durationMs * 1_000_000L;
            long next = start;
            while (running && System.nanoTime() < end)
            {
                sendOne();
                next += periodNs;
                final long wait = next - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
            running = false;
        });
    }

    private void sendOne()
    {
        final long n = sent.incrementAndGet();
        final boolean invalid = n % INVALID_EVERY == 0;
        final AgentMessage.Builder b = AgentMessage.builder().fromAgent(SENDER).toAgent(RECEIVER).tenantId(ChaosDrills.DRILL_TENANT)
            .messageType(MessageType.QUERY).content(Map.of("drill_probe", n));
        if (invalid)
        {
            b.constitutionalHash(BAD_HASH);
        }
        final AgentMessage m = b.build();
        if (invalid)
        {
            sentInvalid.incrementAndGet();
            invalidIds.add(m.messageId());
        }
        try
        {
            bus.send(m).whenComplete(this::outcome);
        }
        catch (final AgentBusException e)
        {
            refusedAtSend.increment();
            rejected.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
        }
        catch (final RuntimeException e)
        {
            refusedAtSend.increment();
            rejected.computeIfAbsent(ThrowableText.message(e), k -> new LongAdder()).increment();
        }
    }

    private void outcome(final ValidationResult r, final Throwable t)
    {
        if (t != null || r == null)
        {
            failed.increment();
        }
        else if (r.isValid() && r.status() == MessageStatus.DELIVERED)
        {
            delivered.increment();
        }
        else if (r.isValid())
        {
            failed.increment();
        }
        else
        {
            rejected.computeIfAbsent(r.rejectReason().metricName(), k -> new LongAdder()).increment();
        }
    }

    /** Stops sending (outcomes still arriving are counted). */
    public synchronized void stop()
    {
        running = false;
        final Thread t = thread;
        if (t != null)
        {
            try
            {
                t.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return true while sending */
    public boolean isRunning()
    {
        return running;
    }

    /** @return the counters: sent (of which invalid), delivered, handled, rejected by reason, failed, refused at send, unvalidated deliveries */
    public Map<String, Object> counters()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", running);
        m.put("sent", sent.get());
        m.put("sent_invalid", sentInvalid.get());
        m.put("delivered", delivered.sum());
        m.put("handled", handled.sum());
        final Map<String, Object> byReason = new TreeMap<>();
        rejected.forEach((k, v) -> byReason.put(k, v.sum()));
        m.put("rejected", byReason);
        m.put("failed", failed.sum());
        m.put("refused_at_send", refusedAtSend.sum());
        m.put("unvalidated_deliveries", unvalidated.sum());
        return m;
    }
}
