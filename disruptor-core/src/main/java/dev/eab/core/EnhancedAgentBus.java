package dev.eab.core;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.eab.api.AgentBus;
import dev.eab.api.AgentInfo;
import dev.eab.api.AgentMessage;
import dev.eab.api.BackpressurePolicy;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageHandler;
import dev.eab.api.MessagePublisher;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.AgentNotRegisteredException;
import dev.eab.api.exception.BackpressureException;
import dev.eab.api.exception.BusAlreadyStartedException;
import dev.eab.api.exception.BusNotStartedException;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.core.governance.GovernanceStage;
import dev.eab.core.guard.ContentInspector;
import dev.eab.core.guard.ContentScanner;
import dev.eab.core.guard.GuardrailFamily;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.JavaContentScanner;
import dev.eab.core.guard.NativeContentScanner;
import dev.eab.core.guard.RateLimiter;
import dev.eab.core.journal.JournalStage;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.pipeline.EventSlots;
import dev.eab.core.pipeline.IdleWaitStrategies;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.PipelineHandler;
import dev.eab.core.pipeline.RingMessagePublisher;
import dev.eab.core.pipeline.RouteStage;
import dev.eab.core.pipeline.ValidateStage;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;
import dev.eab.core.route.Delivery;
import dev.eab.core.route.Inbox;
import dev.eab.core.route.InboxDrainer;
import dev.eab.core.validate.CompositeValidationStrategy;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.NativeValidationStrategy;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;
import dev.eab.core.validate.RejectionTexts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import com.lmax.disruptor.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine behind {@link AgentBus}: a Disruptor ring with one bus thread running
 * validate → govern → journal → route (see {@code docs/ARCHITECTURE.md}).
 *
 * <p>Threading: any thread may call the API. The ring is multi-producer; everything downstream of it
 * is owned by the bus thread, except dispatched handlers, which run on each agent's own inbox thread.
 * The validator (native or Java) is built once at construction; the ring at each {@link #start()}.
 */
public final class EnhancedAgentBus implements AgentBus
{
    private static final Logger LOG = Logger.getLogger(EnhancedAgentBus.class.getName());
    private static final long STOP_TIMEOUT_MS = 30_000;
    private static final int STATE_NEW = 0;
    private static final int STATE_RUNNING = 1;
    private static final int STATE_STOPPING = 2;
    private static final int STATE_STOPPED = 3;
    private static final int STATE_CLOSED = 4;

    private final BusConfiguration config;
    private final PolicyTable policy;
    private final CompositeValidationStrategy validator;
    private final AgentRegistry registry;
    private final BusMetrics metrics = new BusMetrics();
    private final RejectionTexts texts;
    private final GuardrailPatterns guardrails;
    private final ContentScanner scanner;
    private final byte[] hashBytes;
    private final CopyOnWriteArrayList<RingMessagePublisher> publishers = new CopyOnWriteArrayList<>();
    private final AtomicInteger sendsInFlight = new AtomicInteger();
    private volatile int state = STATE_NEW;
    private Disruptor<MessageEvent> disruptor;
    private volatile RingBuffer<MessageEvent> ring;

    /**
     * Builds the bus: compiles the policy and loads the validator (native per {@code nativeMode}).
     *
     * @throws ConfigurationException when native is REQUIRED but cannot load, or the policy is invalid.
     */
    public EnhancedAgentBus(final BusConfiguration config)
    {
        this.config = config;
        this.policy = PolicyCompiler.load(config.policyFile());
        final JavaValidationStrategy java = new JavaValidationStrategy(config.constitutionalHash(), config.maxMessageSizeBytes(), policy);
        NativeValidationStrategy nativeStrategy = null;
        if (config.nativeMode() != NativeMode.OFF)
        {
            try
            {
                nativeStrategy = new NativeValidationStrategy(config.constitutionalHash(), config.maxMessageSizeBytes(), policy);
            }
            catch (final RuntimeException | LinkageError e)
            {
                if (config.nativeMode() == NativeMode.REQUIRED)
                {
                    throw new ConfigurationException("native_mode", "REQUIRED but the native library is unavailable: " + e.getMessage());
                }
                LOG.log(Level.WARNING, "native validator unavailable, using the Java twin: " + e.getMessage());
            }
        }
        this.validator = new CompositeValidationStrategy(nativeStrategy, java);
        this.registry = new AgentRegistry(config.maxAgents(), policy, handle -> new Inbox(handle, config.inboxCapacity()), config::rateLimitFor);
        this.guardrails = config.contentScanning() ? GuardrailPatterns.load(config.guardrailsFile()) : null;
        this.scanner = guardrails == null ? null : contentScanner(config, guardrails);
        this.texts = new RejectionTexts(config, policy, guardrails);
        this.hashBytes = config.constitutionalHash().getBytes(StandardCharsets.US_ASCII);
    }

    /** Rust when the validator runs native (same library, same mode), the Java twin otherwise. */
    private ContentScanner contentScanner(final BusConfiguration config, final GuardrailPatterns patterns)
    {
        if (config.nativeMode() != NativeMode.OFF && validator.name().equals("native"))
        {
            try
            {
                return new NativeContentScanner(patterns);
            }
            catch (final RuntimeException e)
            {
                if (config.nativeMode() == NativeMode.REQUIRED)
                {
                    throw new ConfigurationException("native_mode", "REQUIRED but the native content scanner is unavailable: " + e.getMessage());
                }
                LOG.log(Level.WARNING, "native content scanner unavailable, using the Java twin: " + e.getMessage());
            }
        }
        return new JavaContentScanner(patterns);
    }

    /** A bus with {@link BusConfiguration#defaults()}. */
    public EnhancedAgentBus()
    {
        this(BusConfiguration.defaults());
    }

    @Override
    public synchronized void start()
    {
        if (state == STATE_RUNNING || state == STATE_STOPPING)
        {
            throw new BusAlreadyStartedException();
        }
        if (state == STATE_CLOSED)
        {
            throw new BusNotStartedException("start (bus is closed)");
        }
        final int payloadCapacity = config.payloadCapacityBytes();
        disruptor = new Disruptor<>(EventSlots.factory(payloadCapacity), config.ringSize(),
            r -> {
                final Thread t = new Thread(r, "eab-bus");
                t.setDaemon(true);
                return t;
            },
            ProducerType.MULTI, waitStrategy());
        disruptor.handleEventsWith(new PipelineHandler(
            new ValidateStage(registry, validator, new RateLimiter(config.maxAgents()),
                new ContentInspector(config.maxNestingDepth(), config.maxKeys(), config.maxStringLength()), scanner, metrics),
            new GovernanceStage(),
            new JournalStage(),
            new RouteStage(metrics, texts, config.backpressurePolicy(), config.constitutionalHash(), validator,
                mask -> guardrails == null ? List.of() : guardrails.namesOf(mask)),
            metrics,
            config.stageLatencyMetrics()));
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
        ring = disruptor.start();
        // After a stop, dispatched subscriptions need their drainer threads back.
        for (final Inbox inbox : registry.allInboxes())
        {
            inbox.resume();
        }
        state = STATE_RUNNING;
    }

    private WaitStrategy waitStrategy()
    {
        return IdleWaitStrategies.forIdle(config.idleStrategy());
    }

    @Override
    public synchronized void stop()
    {
        if (state != STATE_RUNNING)
        {
            return;
        }
        state = STATE_STOPPING;
        // Dekker handshake with senders and publishers (see RingMessagePublisher): after this, every
        // claim is either refused or published, and the ring's backlog holds all of them.
        while (sendsInFlight.get() != 0 || anyPublisherActive())
        {
            Thread.onSpinWait();
        }
        try
        {
            disruptor.shutdown(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException e)
        {
            LOG.warning("bus did not drain within " + STOP_TIMEOUT_MS + " ms; halting");
            disruptor.halt();
        }
        for (final Inbox inbox : registry.allInboxes())
        {
            inbox.drainAndStop();
        }
        publishers.clear();
        state = STATE_STOPPED;
    }

    private boolean anyPublisherActive()
    {
        for (final RingMessagePublisher p : publishers)
        {
            if (p.isActive())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void close()
    {
        if (state == STATE_CLOSED)
        {
            return;
        }
        stop();
        validator.close();
        if (scanner instanceof AutoCloseable c)
        {
            try
            {
                c.close();
            }
            catch (final Exception e)
            {
                LOG.log(Level.WARNING, "closing the content scanner failed", e);
            }
        }
        state = STATE_CLOSED;
    }

    @Override
    public boolean isRunning()
    {
        return state == STATE_RUNNING;
    }

    @Override
    public BusConfiguration configuration()
    {
        return config;
    }

    @Override
    public AgentInfo registerAgent(
        final String agentId, final String agentType, final Set<String> capabilities, final String tenantId, final MaciRole maciRole)
    {
        return registry.register(agentId, agentType, capabilities, tenantId, maciRole).info();
    }

    @Override
    public boolean unregisterAgent(final String agentId)
    {
        final AgentRecord removed = registry.unregister(agentId);
        if (removed == null)
        {
            return false;
        }
        // Later messages are rejected (RECIPIENT_NOT_REGISTERED); a dispatched handler finishes what is
        // queued and stops; receive() can still drain what is left.
        removed.inbox().subscribe(null, DeliveryMode.DISPATCHED, null);
        return true;
    }

    @Override
    public AgentInfo getAgentInfo(final String agentId)
    {
        final AgentRecord r = registry.byId(agentId);
        return r == null ? null : r.info();
    }

    @Override
    public List<String> getRegisteredAgents()
    {
        return registry.all().stream().map(AgentRecord::agentId).toList();
    }

    @Override
    public List<String> getAgentsByType(final String agentType)
    {
        return registry.all().stream().filter(r -> r.agentType().equals(agentType)).map(AgentRecord::agentId).toList();
    }

    @Override
    public List<String> getAgentsByCapability(final String capability)
    {
        final List<String> out = new ArrayList<>();
        for (final AgentRecord r : registry.withCapability(capability))
        {
            out.add(r.agentId());
        }
        return out;
    }

    @Override
    public CompletableFuture<ValidationResult> send(final AgentMessage message)
    {
        final CompletableFuture<ValidationResult> future = new CompletableFuture<>();
        publishMessage(message, MessageEvent.KIND_MESSAGE, future, null, "send");
        return future;
    }

    @Override
    public CompletableFuture<Map<String, ValidationResult>> broadcast(final AgentMessage message)
    {
        final CompletableFuture<Map<String, ValidationResult>> future = new CompletableFuture<>();
        publishMessage(message, MessageEvent.KIND_BROADCAST, null, future, "broadcast");
        return future;
    }

    private void publishMessage(
        final AgentMessage message, final byte kind, final CompletableFuture<ValidationResult> future,
        final CompletableFuture<Map<String, ValidationResult>> broadcastFuture, final String operation)
    {
        if (message == null)
        {
            throw new IllegalArgumentException("message must not be null");
        }
        sendsInFlight.incrementAndGet();
        try
        {
            if (state != STATE_RUNNING)
            {
                throw new BusNotStartedException(operation);
            }
            final RingBuffer<MessageEvent> r = ring;
            final long seq;
            if (config.backpressurePolicy() == BackpressurePolicy.BLOCK)
            {
                seq = r.next();
            }
            else
            {
                try
                {
                    seq = r.tryNext();
                }
                catch (final InsufficientCapacityException e)
                {
                    metrics.onBackpressure();
                    throw new BackpressureException("ring", config.ringSize(), BackpressurePolicy.REJECT.name());
                }
            }
            EventSlots.fillMessage(r.get(seq), kind, message, future, broadcastFuture);
            r.publish(seq);
        }
        finally
        {
            sendsInFlight.decrementAndGet();
        }
    }

    @Override
    public void subscribe(final String agentId, final MessageHandler handler)
    {
        subscribe(agentId, handler, DeliveryMode.DISPATCHED);
    }

    @Override
    public void subscribe(final String agentId, final MessageHandler handler, final DeliveryMode mode)
    {
        if (handler == null || mode == null)
        {
            throw new IllegalArgumentException("handler and mode must not be null");
        }
        final AgentRecord r = registry.byId(agentId);
        if (r == null)
        {
            throw new AgentNotRegisteredException(agentId, "subscribe");
        }
        final InboxDrainer drainer = mode == DeliveryMode.DISPATCHED ? new InboxDrainer(r.inbox(), handler, metrics, agentId) : null;
        r.inbox().subscribe(handler, mode, drainer);
    }

    @Override
    public void unsubscribe(final String agentId)
    {
        final Inbox inbox = registry.inboxOf(agentId);
        if (inbox != null)
        {
            inbox.subscribe(null, DeliveryMode.DISPATCHED, null);
        }
    }

    @Override
    public AgentMessage receive(final String agentId, final Duration timeout) throws InterruptedException
    {
        final Inbox inbox = registry.inboxOf(agentId);
        if (inbox == null)
        {
            throw new AgentNotRegisteredException(agentId, "receive");
        }
        final Delivery d = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (d == null)
        {
            return null;
        }
        // Queued for a dispatched handler that was unsubscribed before running it: its sender is still
        // waiting, and being received is its delivery.
        if (d.future() != null)
        {
            metrics.onDelivered();
            d.future().complete(d.accepted());
        }
        else if (d.listener() != null)
        {
            metrics.onDelivered();
            d.listener().onDelivered(d.correlationId(), inbox.handle());
        }
        return d.message();
    }

    @Override
    public MessagePublisher publisher(final String senderAgentId, final OutcomeListener listener)
    {
        final AgentRecord sender = registry.byId(senderAgentId);
        if (sender == null)
        {
            throw new AgentNotRegisteredException(senderAgentId, "publisher");
        }
        if (state != STATE_RUNNING)
        {
            throw new BusNotStartedException("publisher");
        }
        // Bound to this run's ring: after a stop and restart, a stale publisher is refused instead of
        // publishing into a ring nobody consumes any more.
        final RingBuffer<MessageEvent> r = ring;
        final RingMessagePublisher p = new RingMessagePublisher(r, sender.handle(), listener, () -> state == STATE_RUNNING && ring == r, hashBytes,
            metrics);
        publishers.add(p);
        return p;
    }

    /** @return the registry (engine-internal API, for tests and benchmarks). */
    public AgentRegistry registry()
    {
        return registry;
    }

    /** @return the metrics object (engine-internal API). */
    public BusMetrics metrics()
    {
        return metrics;
    }

    /** @return the composite validator (engine-internal API). */
    public CompositeValidationStrategy validator()
    {
        return validator;
    }

    /** @return the compiled policy. */
    public PolicyTable policy()
    {
        return policy;
    }

    @Override
    public Map<String, Object> getMetrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("is_running", isRunning());
        // "sent": messages the bus accepted onto its ring (each is then delivered or rejected).
        m.put("sent", metrics.processed());
        m.putAll(metrics.snapshot());
        final RingBuffer<MessageEvent> r = ring;
        m.put("queue_depth", r == null ? 0 : config.ringSize() - r.remainingCapacity());
        m.put("registered_agents", registry.all().size());
        m.put("validator", validator.name());
        m.put("native_decisions", validator.nativeDecisions());
        m.put("java_decisions", validator.javaDecisions());
        m.put("native_failures", validator.nativeFailures());
        m.put("native_breaker_state", validator.breaker().getState().name());
        m.put("policy_version", policy.version());
        m.put("guardrails", guardrailMetrics());
        m.put("constitutional_hash", config.constitutionalHash());
        return m;
    }

    private Map<String, Object> guardrailMetrics()
    {
        final Map<String, Object> g = new LinkedHashMap<>();
        g.put("scanner", scanner == null ? "off" : scanner.name());
        g.put("patterns_version", guardrails == null ? "" : guardrails.version());
        g.put("blocked", metrics.guardrailBlockedMessages());
        g.put("flagged", metrics.guardrailFlaggedMessages());
        g.put("rate_limited", metrics.rejected(dev.eab.api.RejectReason.RATE_LIMITED));
        final Map<String, Object> byFamily = new LinkedHashMap<>();
        if (guardrails != null)
        {
            for (final GuardrailFamily f : guardrails.families())
            {
                final long b = metrics.guardrailBlocked(f.id());
                final long fl = metrics.guardrailFlagged(f.id());
                if (b != 0 || fl != 0)
                {
                    byFamily.put(f.name(), Map.of("blocked", b, "flagged", fl));
                }
            }
        }
        g.put("by_family", byFamily);
        return g;
    }

    /** @return the content scanner, or null when scanning is off (engine-internal API). */
    public ContentScanner contentScanner()
    {
        return scanner;
    }

    /** Logs and carries on: an exception escaping the pipeline must not stop the bus thread. */
    private static final class LoggingExceptionHandler implements ExceptionHandler<Object>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Object event)
        {
            LOG.log(Level.SEVERE, "pipeline exception at sequence " + sequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            LOG.log(Level.SEVERE, "bus thread start failed", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            LOG.log(Level.SEVERE, "bus thread shutdown failed", ex);
        }
    }
}
