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
import dev.eab.api.KeywordMatching;
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
import dev.eab.api.exception.BusOperationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.api.RejectReason;
import dev.eab.core.governance.BusGovernance;
import dev.eab.core.governance.DeliberationQueue;
import dev.eab.core.governance.HeldMessage;
import dev.eab.core.audit.AuditFeed;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.AuditLog;
import dev.eab.core.audit.ChainHashers;
import dev.eab.core.registry.AgentAdmission;
import dev.eab.core.registry.RevocationList;
import dev.eab.core.guard.ContentInspector;
import dev.eab.core.guard.ContentScanner;
import dev.eab.core.guard.GuardrailFamily;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.JavaContentScanner;
import dev.eab.core.guard.NativeContentScanner;
import dev.eab.core.guard.RateLimiter;
import dev.eab.core.journal.JournalRecordDescriptor;
import dev.eab.core.journal.JournalReplayer;
import dev.eab.core.journal.JournalStage;
import dev.eab.core.journal.MessageJournal;
import dev.eab.core.route.Acknowledger;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.ops.BusOps;
import dev.eab.core.ops.metering.MeteringConfig;
import dev.eab.core.pipeline.EventSlots;
import dev.eab.core.pipeline.IdleWaitStrategies;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.PipelineHandler;
import dev.eab.core.pipeline.RingMessagePublisher;
import dev.eab.core.pipeline.RouteStage;
import dev.eab.core.pipeline.ValidateStage;
import dev.eab.core.pipeline.RegoStage;
import dev.eab.core.validate.RegoPolicyStrategy;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;
import dev.eab.core.route.Delivery;
import dev.eab.core.route.Inbox;
import dev.eab.core.route.InboxDrainer;
import dev.eab.core.route.InboxWatchdog;
import dev.eab.core.route.OutcomeFuture;
import dev.eab.core.route.Outcomes;
import dev.eab.core.route.RoutingBarrier;
import dev.eab.core.route.Subscription;
import dev.eab.core.ops.SafeLog;
import dev.eab.core.validate.CompositeValidationStrategy;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.NativeValidationStrategy;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;
import dev.eab.core.validate.RejectionTexts;
import dev.eab.core.resilience.BreakerGuard;
import dev.eab.core.resilience.BreakerRegistry;
import dev.eab.core.resilience.BusResilience;
import dev.eab.core.resilience.ChaosEngine;
import dev.eab.core.resilience.HealthAggregator;
import dev.eab.core.resilience.HealthConfig;
import dev.eab.core.guard.FallbackContentScanner;

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
import java.util.concurrent.locks.LockSupport;
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
    private static final long MIN_STOP_DRAIN_MS = 1_000;
    private static final int STATE_NEW = 0;
    private static final int STATE_RUNNING = 1;
    private static final int STATE_STOPPING = 2;
    private static final int STATE_STOPPED = 3;
    private static final int STATE_CLOSED = 4;

    private final BusConfiguration config;
    private final PolicyTable policy;
    private final CompositeValidationStrategy validator;
    /** MACI: tables, output provenance, validation log, the {@code maci()} facade. */
    private final dev.eab.core.maci.MaciEnforcer maci;
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
    /** Incremented by each start(): the run a bus thread belongs to (see runBusThread). */
    private volatile int runGeneration;
    /** The last run's bus thread (a stop that timed out halts it, but it ends only once its handler returns). */
    private volatile Thread busThread;
    private RouteStage routeStage;
    private InboxWatchdog watchdog;
    /** Why the bus thread ended without a stop (it died), or null. */
    private volatile String failure;
    private final BusBarrier barrier = new BusBarrier();
    /** The write-ahead journal, or null when journaling is off. */
    private final MessageJournal journal;
    /** What the first start's journal replay did, or null before it (or without a journal). */
    private volatile JournalReplayer.Result replay;
    private boolean journalReplayDone;
    /** Metering settings (defaults unless {@link #metering(MeteringConfig)} is called before the first start). */
    private MeteringConfig meteringConfig = MeteringConfig.defaults();
    /** Counters, metering and tenant budgets: built at the first start, kept across stop/start. */
    private volatile BusOps ops;
    /** Breakers, health, recovery and chaos of this bus (see {@code docs/ARCHITECTURE.md}, resilience). */
    private final BusResilience resilience;
    /** Outcomes of approved re-injections, for senders waiting on a held message (saga steps). */
    private final dev.eab.core.governance.ApprovedDeliveries approvedDeliveries = new dev.eab.core.governance.ApprovedDeliveries();
    /** Impact scoring and the deliberation queue ({@code dev.eab.core.governance}). */
    private final BusGovernance governance;
    /** The Rego step (after the compiled policy table, before routing), or null when Rego is off. */
    private final RegoPolicyStrategy rego;
    /** Registration through identity and revocation (see {@link AgentAdmission}). */
    private final AgentAdmission admission;
    /** The BLAKE3-chained decision log, or null when auditing is off. */
    private final AuditLog audit;

    /**
     * Builds the bus: compiles the policy and loads the validator (native per {@code nativeMode}).
     *
     * @throws ConfigurationException when native is REQUIRED but cannot load, or the policy is invalid.
     */
    public EnhancedAgentBus(final BusConfiguration config)
    {
        this(config, HealthConfig.DEFAULTS);
    }

    /**
     * As {@link #EnhancedAgentBus(BusConfiguration)}, with the health aggregator's thresholds and history.
     *
     * @param health the health thresholds (HEALTHY ≥ degraded, DEGRADED ≥ critical) and history bounds
     */
    public EnhancedAgentBus(final BusConfiguration config, final HealthConfig health)
    {
        this.config = config;
        this.policy = PolicyCompiler.load(config.policyFile());
        final dev.eab.core.maci.MaciTables maciTables = dev.eab.core.maci.MaciEnforcer.tablesFor(config);
        // The validators get the MACI tables only when MACI is on: off, the check costs nothing.
        final dev.eab.core.maci.MaciTables enforced = config.enableMaci() ? maciTables : null;
        final JavaValidationStrategy java = new JavaValidationStrategy(config.constitutionalHash(), config.maxMessageSizeBytes(), policy, enforced);
        NativeValidationStrategy nativeStrategy = null;
        if (config.nativeMode() != NativeMode.OFF)
        {
            try
            {
                nativeStrategy = new NativeValidationStrategy(config.constitutionalHash(), config.maxMessageSizeBytes(), policy, enforced);
            }
            catch (final RuntimeException | LinkageError e)
            {
                if (config.nativeMode() == NativeMode.REQUIRED)
                {
                    throw new ConfigurationException("native_mode", "REQUIRED but the native library is unavailable: " + ThrowableText.message(e));
                }
                LOG.log(Level.WARNING, "native validator unavailable, using the Java twin: " + ThrowableText.message(e));
            }
        }
        this.journal = config.journalDir() == null ? null : MessageJournal.open(config.journalDir(), config.maxAgents(), config.journalOptions());
        this.resilience = new BusResilience(config.constitutionalHash(), health, () -> ring, this::agentById, journal != null);
        this.validator = nativeStrategy == null
            ? new CompositeValidationStrategy(null, java, io.github.resilience4j.circuitbreaker.CircuitBreaker.of("eab-native-validator-absent",
                BreakerRegistry.configOf(dev.eab.core.resilience.BreakerDefaults.DEFAULT)), resilience.faults())
            : new CompositeValidationStrategy(nativeStrategy, java, resilience.breakers().breaker(BreakerRegistry.NATIVE_VALIDATOR), resilience.faults());
        resilience.breakers().setProbe(BreakerRegistry.NATIVE_VALIDATOR, validator::probeNative);
        if (journal != null)
        {
            resilience.breakers().breaker(BreakerRegistry.JOURNAL);
        }
        LOG.info(journal == null ? "journal: off (set journalDir or EAB_JOURNAL_DIR to journal accepted messages)"
            : "journal: " + config.journalDir().toAbsolutePath() + " " + config.journalOptions().toMap());
        final Acknowledger acks = journal == null ? Acknowledger.NONE : journal::ack;
        this.registry = new AgentRegistry(config.maxAgents(), policy, handle -> new Inbox(handle, config.inboxCapacity(), metrics, acks),
            config::rateLimitFor);
        this.maci = new dev.eab.core.maci.MaciEnforcer(config, registry, maciTables);
        this.guardrails = config.contentScanning() ? GuardrailPatterns.load(config.guardrailsFile()) : null;
        this.scanner = guardrails == null ? null : contentScanner(config, guardrails);
        this.texts = new RejectionTexts(config, policy, guardrails).maci(maci);
        this.hashBytes = config.constitutionalHash().getBytes(StandardCharsets.US_ASCII);
        this.governance = new BusGovernance(config, registry, validator.name().equals("native"));
        if (config.governance().enabled())
        {
            resilience.breakers().breaker(BreakerRegistry.DELIBERATION_LAYER);
        }
        governance.queue().judgedProducers(maci::producerOf);
        governance.queue().delivery(new DeliberationQueue.Delivery()
        {
            @Override
            public void reinject(final HeldMessage message)
            {
                reinjectApproved(message);
            }

            @Override
            public void fail(final HeldMessage message, final RejectReason reason)
            {
                if (message.listener() != null)
                {
                    Outcomes.rejected(message.listener(), message.correlationId(), reason, metrics);
                }
            }
        });
        this.admission = new AgentAdmission(config, registry, metrics, policy::version);
        // Last, in this order: the Rego step may start its bundle watcher, the audit log starts its writer thread;
        // a failure in either releases everything opened before it (releaseAfterFailedConstruction).
        this.rego = createRego(config);
        this.audit = createAudit(config);
        LOG.info(audit == null ? "audit: off (set auditDir or EAB_AUDIT_DIR for the BLAKE3-chained decision log)"
            : "audit: " + config.auditDir().toAbsolutePath() + " (" + config.auditBackpressure() + ")");
        admission.auditTo(audit);
        admission.record(AuditKind.LOG_OPENED, "", "", "log_opened", Map.of("pid", Long.toString(ProcessHandle.current().pid()),
            "validator", validator.name()));
        if (audit != null)
        {
            auditDecisionsOfOtherLayers();
            // The audit writer's own signal (falling behind, or failed): CRITICAL health, so /health/ready says so.
            resilience.health().registerSource(BreakerRegistry.AUDIT_SINK,
                () -> audit.health().status() == dev.eab.core.resilience.HealthStatus.HEALTHY ? dev.eab.core.resilience.BreakerState.CLOSED
                    : dev.eab.core.resilience.BreakerState.OPEN);
        }
    }

    /**
     * Deliberation decisions and policy reloads go into the same chain as the bus thread's decisions (holds are
     * recorded by the audit capture from the ring). Both arrive on their own threads (the deliberation listener thread,
     * the Rego watcher or the caller), never the bus thread, so {@link #recordAudit} may wait there.
     */
    private void auditDecisionsOfOtherLayers()
    {
        governance.queue().addListener(new dev.eab.api.DeliberationListener()
        {
            @Override
            public void onDecided(final dev.eab.api.DeliberationItem item)
            {
                final boolean approved = item.status() == dev.eab.api.DeliberationStatus.APPROVED
                    || item.status() == dev.eab.api.DeliberationStatus.CONSENSUS_REACHED;
                final Map<String, String> meta = new LinkedHashMap<>();
                meta.put("deliberation_id", item.id());
                meta.put("status", item.status().value());
                meta.put("reviewer", item.reviewer() == null ? "" : item.reviewer());
                meta.put("votes", Integer.toString(item.votes().size()));
                final AgentMessage m = item.message();
                recordAudit(approved ? AuditKind.APPROVAL : AuditKind.REVIEW_REJECTION, m.messageId(), m.sendingAgent(), m.tenantId(),
                    item.impactScore(), item.status().value(), meta);
            }
        });
        if (rego != null)
        {
            rego.onReload((version, error) -> recordAudit(AuditKind.POLICY_RELOAD, version == null ? "rego-reload" : version, "", null,
                Double.NaN, error == null ? "reloaded" : "refused", error == null ? Map.of("rego_version", version) : Map.of("error", error)));
        }
    }

    /** The Rego step, or null when Rego is off; if it refuses to start (a bad bundle, no native library), what was opened is released. */
    private RegoPolicyStrategy createRego(final BusConfiguration config)
    {
        try
        {
            return RegoPolicyStrategy.create(config, metrics);
        }
        catch (final RuntimeException e)
        {
            throw releaseAfterFailedConstruction(e, null);
        }
    }

    /** The audit log, or null when auditing is off; if it cannot open, what was opened before is released. */
    private AuditLog createAudit(final BusConfiguration config)
    {
        try
        {
            return config.auditDir() == null ? null
                : new AuditLog(config.auditDir(), ChainHashers.forMode(config.nativeMode()), config.auditBackpressure(),
                    config.auditQueueCapacity(), config.auditOverflowCapacity());
        }
        catch (final RuntimeException e)
        {
            throw releaseAfterFailedConstruction(e, rego);
        }
    }

    /** Closes what the constructor opened before a step that failed with {@code e}; @return {@code e} to rethrow. */
    private RuntimeException releaseAfterFailedConstruction(final RuntimeException e, final RegoPolicyStrategy openedRego)
    {
        validator.close();
        governance.close();
        admission.close();
        if (openedRego != null)
        {
            openedRego.close();
        }
        if (journal != null)
        {
            journal.close();
        }
        if (scanner instanceof AutoCloseable c)
        {
            try
            {
                c.close();
            }
            catch (final Exception suppressed)
            {
                e.addSuppressed(suppressed);
            }
        }
        return e;
    }

    /** Rust when the validator runs native (same library, same mode), the Java twin otherwise. */
    private ContentScanner contentScanner(final BusConfiguration config, final GuardrailPatterns patterns)
    {
        if (config.nativeMode() != NativeMode.OFF && validator.name().equals("native"))
        {
            try
            {
                final NativeContentScanner primary = new NativeContentScanner(patterns, fusedKeywords(config));
                final FallbackContentScanner guarded = new FallbackContentScanner(primary, new JavaContentScanner(patterns, fusedKeywords(config)),
                    new BreakerGuard(resilience.breakers().breaker(BreakerRegistry.CONTENT_SCANNER)), resilience.faults());
                resilience.breakers().setProbe(BreakerRegistry.CONTENT_SCANNER, () -> probeNativeScanner(patterns));
                return guarded;
            }
            catch (final RuntimeException e)
            {
                if (config.nativeMode() == NativeMode.REQUIRED)
                {
                    throw new ConfigurationException("native_mode", "REQUIRED but the native content scanner is unavailable: " +
                        ThrowableText.message(e));
                }
                LOG.log(Level.WARNING, "native content scanner unavailable, using the Java twin: " + ThrowableText.message(e));
            }
        }
        return new JavaContentScanner(patterns, fusedKeywords(config));
    }

    /** With governance on, the scan also finds the scorer's impact keywords in its own pass (null: it does not). */
    private static KeywordMatching fusedKeywords(final BusConfiguration config)
    {
        return config.governance().enabled() ? config.governance().keywordMatching() : null;
    }

    /** Recovery probe of the native scanner (any thread): a fresh guard scans a benign text, unless chaos fails the native call. */
    private boolean probeNativeScanner(final GuardrailPatterns patterns)
    {
        if (resilience.faults().armed(dev.eab.core.resilience.FaultPoint.NATIVE_CALL.bit()) && resilience.faults().nativeCallFails())
        {
            return false;
        }
        try (NativeContentScanner probe = new NativeContentScanner(patterns))
        {
            probe.scan("recovery probe");
            return true;
        }
        catch (final RuntimeException e)
        {
            return false;
        }
    }

    private AgentRecord agentById(final String agentId)
    {
        return registry.byId(agentId);
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
        awaitPreviousBusThread();
        final int payloadCapacity = config.payloadCapacityBytes();
        // The Disruptor asks for one thread: the pipeline's (the bus thread). The audit writer reads the ring from
        // its own thread (AuditLog), not as a Disruptor handler.
        // Each run's bus thread knows its own run: a thread halted by a stop that timed out may end after the next
        // start, and must then neither fail the new ring's messages nor declare the new run dead.
        final int run = ++runGeneration;
        final dev.eab.core.pipeline.PendingFailer pendingFailer = new dev.eab.core.pipeline.PendingFailer();
        disruptor = new Disruptor<>(EventSlots.factory(payloadCapacity), config.ringSize(),
            r -> {
                final Thread t = busThread = new Thread(() -> runBusThread(r, run, disruptor.getRingBuffer(), pendingFailer), "eab-bus");
                t.setDaemon(true);
                return t;
            },
            ProducerType.MULTI, waitStrategy());
        routeStage = new RouteStage(metrics, texts, config.backpressurePolicy(), config.constitutionalHash(), validator,
            mask -> guardrails == null ? List.of() : guardrails.namesOf(mask), journal, resilience.faults());
        final ContentInspector inspector = new ContentInspector(config.maxNestingDepth(), config.maxKeys(), config.maxStringLength());
        final ValidateStage validate =
            new ValidateStage(registry, validator, new RateLimiter(config.maxAgents()), inspector, scanner, metrics, resilience.faults(),
                config.enableMaci() ? maci.gate() : null);
        final PipelineHandler pipeline = new PipelineHandler(
            rego == null ? validate : new RegoStage(validate, rego, new BreakerGuard(resilience.breakers().breaker(BreakerRegistry.REGO_POLICY))),
            config.governance().enabled()
                ? new dev.eab.core.pipeline.BreakerReportingStage(governance.stage(inspector),
                    new BreakerGuard(resilience.breakers().breaker(BreakerRegistry.DELIBERATION_LAYER)), resilience.faults(),
                    dev.eab.core.resilience.FaultPoint.GOVERNANCE)
                : governance.stage(inspector),
            new JournalStage(journal, resilience.faults(), journal == null ? null : new BreakerGuard(resilience.breakers().breaker(BreakerRegistry.JOURNAL))),
            routeStage,
            metrics,
            config.stageLatencyMetrics(),
            audit != null);
        pipeline.meter(ops().meter());
        ops().start();
        disruptor.handleEventsWith(pipeline);
        final AuditFeed auditFeed = audit == null ? null
            : new AuditFeed(disruptor.getRingBuffer(), pipeline.sequence(), config.constitutionalHash(), policy::version);
        if (auditFeed != null)
        {
            // The audit writer reads the ring behind the pipeline and gates it (a slot is reused only once its
            // decision is committed to the chain), so a lagging audit log back-pressures publishers.
            audit.attach(auditFeed);
            pipeline.afterBatch(audit::wake);
        }
        pendingFailer.attach(routeStage, pipeline, audit, auditFeed);
        pipelineHandler = pipeline;
        disruptor.setDefaultExceptionHandler(new LastResortExceptionHandler(routeStage, metrics));
        failure = null;
        ring = disruptor.start();
        // A stop right after start would otherwise race the bus thread's start: the Disruptor's shutdown ignores a
        // processor that is not running yet, and its halt then fails what was sent with BUS_STOPPED.
        if (!pipeline.awaitStarted(STOP_TIMEOUT_MS))
        {
            LOG.warning("the bus thread did not start within " + STOP_TIMEOUT_MS + " ms; a stop before it runs would fail what was sent");
        }
        // After a stop, dispatched subscriptions need their drainer threads back.
        for (final Inbox inbox : registry.allInboxes())
        {
            inbox.resume();
        }
        if (config.handlerTimeoutMs() > 0)
        {
            watchdog = new InboxWatchdog(registry::allInboxes, config.handlerTimeoutMs());
            watchdog.start();
        }
        replayJournal();
        resilience.start();
        state = STATE_RUNNING;
        governance.restoreOnce();
    }

    /**
     * Redelivers what the journal holds as accepted but never acknowledged (a crash, or messages left in
     * inboxes at a stop), through routing only, keeping journal indexes and message ids, before new
     * traffic is accepted: at-least-once delivery. Recipients must be registered (and subscribed) before
     * {@link #start()}; a message whose recipient is not stays pending for the next start.
     */
    private void replayJournal()
    {
        // Only the first start of a bus: after a stop, what was not acked is still in this bus's inboxes.
        if (journal == null || journalReplayDone)
        {
            return;
        }
        journalReplayDone = true;
        final JournalReplayer.Result result = JournalReplayer.replay(journal, ring, registry, stopDrainTimeoutMs());
        replay = result;
        final MessageJournal.Pending pending = result.pending();
        if (result.replayed() != 0 || result.unroutable() != 0 || !pending.warnings().isEmpty())
        {
            LOG.info("journal: replayed " + result.replayed() + " unacknowledged message(s), " + result.unroutable() +
                " waiting for their recipient to register; " + pending.records() + " records read" +
                (pending.warnings().isEmpty() ? "" : "; " + pending.warnings()));
        }
    }

    /**
     * The bus thread's body. The pipeline contains every failure of a message, so the thread only ends on
     * a stop; if it ends otherwise (an Error thrown outside any message, e.g. an OutOfMemoryError in the
     * wait strategy), the bus stops itself and fails every pending send with a clear reason instead of
     * leaving it hanging.
     */
    /**
     * A stop that timed out (a wedged INLINE handler, a held ring) halts the bus thread, which ends only once what
     * holds it returns. A new run must not start beside it: two threads would write the journal and route. Waits up
     * to the stop's drain timeout, then refuses.
     */
    private void awaitPreviousBusThread()
    {
        final Thread previous = busThread;
        if (previous == null || !previous.isAlive())
        {
            return;
        }
        try
        {
            previous.join(stopDrainTimeoutMs());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        if (previous.isAlive())
        {
            throw new BusOperationException("start() refused: the previous run's bus thread has not ended after " + stopDrainTimeoutMs()
                + " ms (an INLINE handler has not returned); try again once it has");
        }
    }

    private void runBusThread(
        final Runnable processor, final int run, final RingBuffer<MessageEvent> runRing, final dev.eab.core.pipeline.PendingFailer runFailer)
    {
        barrier.markBusThread();
        Throwable died = null;
        try
        {
            if (journal != null)
            {
                journal.beginRun();
            }
            processor.run();
        }
        catch (final Throwable t)
        {
            died = t;
        }
        finally
        {
            if (state == STATE_RUNNING && run == runGeneration)
            {
                failure = "the bus thread died: " + (died == null ? "it ended unexpectedly" : ThrowableText.describe(died));
                SafeLog.severe(LOG, failure, died);
                state = STATE_STOPPING;
                awaitSendsSettled();
                state = STATE_STOPPED;
            }
            // After a normal stop nothing is left; after a halt (stop timed out) or a death, whatever was
            // published but not processed is failed here, by the bus thread itself (still the single writer),
            // and audited.
            runFailer.failPending(runRing, RejectReason.BUS_STOPPED);
            if (journal != null && run == runGeneration)
            {
                journal.endRun();
            }
        }
    }

    /** Waits until no send or publisher is between its claim and its publish (after state left RUNNING). */
    private void awaitSendsSettled()
    {
        // Dekker handshake with senders and publishers (see RingMessagePublisher): after this, every
        // claim is either refused or published, and the ring's backlog holds all of them.
        while (sendsInFlight.get() != 0 || anyPublisherActive())
        {
            Thread.onSpinWait();
        }
    }

    private WaitStrategy waitStrategy()
    {
        return IdleWaitStrategies.forIdle(config.idleStrategy());
    }

    /**
     * {@inheritDoc}
     *
     * @throws BusOperationException when called from a handler (the bus thread or an inbox thread): stop
     *                               waits for those threads, so it would wait for itself.
     */
    @Override
    public void stop()
    {
        refuseOnBusThread("stop");
        synchronized (this)
        {
            stopLocked();
        }
    }

    private void stopLocked()
    {
        if (state != STATE_RUNNING)
        {
            return;
        }
        state = STATE_STOPPING;
        // Chaos ballast would hold the drain: every scenario ends first.
        resilience.onStop();
        awaitSendsSettled();
        final long drainMs = stopDrainTimeoutMs();
        try
        {
            disruptor.shutdown(drainMs, TimeUnit.MILLISECONDS);
            // shutdown() returns once the ring is drained, while the bus thread may still be finishing its last
            // batch (the journal's end-of-batch ack flush): wait for it, so close() never closes the journal under
            // it (seen once as a SIGSEGV in Chronicle's writeInt from flushBusAcks during JournalTornTailTest).
            final Thread t = busThread;
            if (t != null && t != Thread.currentThread())
            {
                t.join(drainMs);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final TimeoutException e)
        {
            // An INLINE handler blocks the bus thread. Halting lets it end after its current batch; as it
            // ends it fails whatever is left (runBusThread), so no sender hangs once the handler returns.
            LOG.warning("bus did not drain within " + drainMs + " ms (an INLINE handler blocks?); halting: what is left fails with BUS_STOPPED");
            disruptor.halt();
        }
        if (watchdog != null)
        {
            watchdog.stop();
            watchdog = null;
        }
        for (final Inbox inbox : registry.allInboxes())
        {
            inbox.drainAndStop(handoverTimeoutMs());
        }
        publishers.clear();
        // After the bus thread: every message it metered is queued, and stop drains the queue.
        ops().stop();
        state = STATE_STOPPED;
    }

    /** How long stop waits for the ring to drain: the handler timeout (at least 1 s), or 30 s without one. */
    private long stopDrainTimeoutMs()
    {
        return config.handlerTimeoutMs() == 0 ? STOP_TIMEOUT_MS : Math.max(MIN_STOP_DRAIN_MS, config.handlerTimeoutMs());
    }

    private long handoverTimeoutMs()
    {
        return config.handlerTimeoutMs() == 0 ? Long.MAX_VALUE : config.handlerTimeoutMs();
    }

    private void refuseOnBusThread(final String operation)
    {
        if (barrier.isBusOwnedThread())
        {
            throw new BusOperationException(operation + "() called from a message handler (on the bus thread or an agent's inbox thread): " +
                operation + " waits for those threads, so it would wait for itself. Call it from another thread.");
        }
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

    /**
     * {@inheritDoc}
     *
     * @throws BusOperationException when called from a handler, as {@link #stop()}.
     */
    @Override
    public void close()
    {
        refuseOnBusThread("close");
        synchronized (this)
        {
            closeLocked();
        }
    }

    private void closeLocked()
    {
        if (state == STATE_CLOSED)
        {
            return;
        }
        stopLocked();
        resilience.close();
        validator.close();
        governance.close();
        maci.close();
        admission.close();
        if (rego != null)
        {
            rego.close();
        }
        if (audit != null)
        {
            audit.close();
        }
        if (journal != null)
        {
            journal.close();
        }
        if (scanner instanceof AutoCloseable c)
        {
            try
            {
                c.close();
            }
            catch (final Exception e)
            {
                LOG.warning("closing the content scanner failed: " + ThrowableText.withStackTrace(e));
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
        return registerAgent(agentId, agentType, capabilities, tenantId, maciRole, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through {@link AgentAdmission}: revocation, then the token, then the registry; refusals counted and audited.
     */
    @Override
    public AgentInfo registerAgent(
        final String agentId, final String agentType, final Set<String> capabilities, final String tenantId, final MaciRole maciRole,
        final String identityToken)
    {
        final AgentRecord record =
            admission.register(agentId, agentType, capabilities, tenantId, maci.effectiveRole(agentId, maciRole), identityToken);
        maci.onRegistered(record);
        return record.info();
    }

    /**
     * Revokes an agent's identity: from now on it cannot send (rejected with {@code AGENT_REVOKED} on the bus
     * thread) nor register again while this bus runs. Audited (REVOKE).
     *
     * @return true when the id was not revoked before.
     */
    public boolean revokeAgent(final String agentId, final String why)
    {
        return admission.revoke(agentId, why);
    }

    /**
     * Re-reads the revocation list file ({@code revocationFile}) and revokes every id newly listed.
     *
     * @return the ids newly revoked.
     */
    public List<String> reloadRevocations()
    {
        return admission.reloadRevocations();
    }

    /**
     * The audit hook for the layers around the bus (governance: HOLD, APPROVAL, REVIEW_REJECTION; policy: POLICY_RELOAD):
     * appends a decision record stamped with the current policy version, the constitutional hash and the time. A no-op
     * when auditing is off. Call it from the layer's own thread, never from the bus thread (it may wait when the audit
     * writer is behind, see {@code AuditBackpressure}).
     *
     * @param traceId   the message id the decision is about (or an operation id).
     * @param riskScore the impact score behind the decision, or {@code Double.NaN}.
     */
    public void recordAudit(
        final AuditKind kind, final String traceId, final String agentId, final String tenantId, final double riskScore, final String decision,
        final Map<String, String> metadata)
    {
        if (audit != null)
        {
            audit.record(new dev.eab.core.audit.AuditEntry(kind, 0, dev.eab.core.audit.AuditEntry.nowNanos(), traceId, "", agentId, tenantId,
                policy.version(), riskScore, decision, config.constitutionalHash(), List.of(kind.name().toLowerCase(java.util.Locale.ROOT)), metadata));
        }
    }

    /** @return the audit log, or null when auditing is off (engine-internal API: the hook other layers record through). */
    public AuditLog auditLog()
    {
        return audit;
    }

    /** @return the revocation list (engine-internal API). */
    public RevocationList revocations()
    {
        return admission.revocations();
    }

    @Override
    public boolean unregisterAgent(final String agentId)
    {
        final AgentRecord removed = registry.unregister(agentId);
        if (removed == null)
        {
            return false;
        }
        admission.unregistered(removed);
        // Later messages are rejected (RECIPIENT_NOT_REGISTERED); a dispatched handler finishes what was
        // routed to it and stops; receive() can still drain what is left.
        switchSubscription(removed.inbox(), Subscription.NONE, agentId);
        return true;
    }

    @Override
    public dev.eab.core.maci.MaciEnforcer maci()
    {
        return maci;
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
        final CompletableFuture<ValidationResult> future = new OutcomeFuture<>(barrier);
        publishMessage(message, MessageEvent.KIND_MESSAGE, future, null, "send");
        return future;
    }

    @Override
    public CompletableFuture<Map<String, ValidationResult>> broadcast(final AgentMessage message)
    {
        final CompletableFuture<Map<String, ValidationResult>> future = new OutcomeFuture<>(barrier);
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
                final String why = failure;
                throw new BusNotStartedException(why == null ? operation : operation + " (" + why + ")");
            }
            final RingBuffer<MessageEvent> r = ring;
            final long seq;
            // A handler's thread never waits for ring space: the bus thread it would wait for may be
            // waiting for it (its own INLINE call, or a BLOCK-policy put into its inbox).
            if (config.backpressurePolicy() == BackpressurePolicy.BLOCK && !barrier.isBusOwnedThread())
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
                    throw new BackpressureException("ring", config.ringSize(), config.backpressurePolicy() == BackpressurePolicy.BLOCK
                        ? "BLOCK (refused: a send from a message handler never waits for the bus)" : BackpressurePolicy.REJECT.name());
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
        switchSubscription(r.inbox(), new Subscription(handler, mode), agentId);
    }

    @Override
    public void unsubscribe(final String agentId)
    {
        final Inbox inbox = registry.inboxOf(agentId);
        if (inbox != null)
        {
            switchSubscription(inbox, Subscription.NONE, agentId);
        }
    }

    /**
     * Installs a subscription with a bounded hand-over (see {@link Inbox}). From any other thread, returns
     * once the bus routes nothing more to the old handler and the old handler has run what was routed to
     * it (no message reaches the old handler after this returns). From a handler (a bus-owned thread) it
     * does not wait: the switch applies to what the bus routes from now on, and the calling inbox thread
     * finishes its current message and what was routed to it, then exits.
     */
    private void switchSubscription(final Inbox inbox, final Subscription next, final String agentId)
    {
        final InboxDrainer drainer = next.dispatched() ? new InboxDrainer(inbox, next, metrics, agentId, barrier) : null;
        final Inbox.Handover handover = inbox.subscribe(next, drainer, barrier);
        if (barrier.isBusOwnedThread())
        {
            return;
        }
        if (handover.previousInline())
        {
            // The bus thread may be inside the old INLINE handler until it passes the switch.
            barrier.await(handover.mark(), handoverTimeoutMs());
        }
        inbox.awaitOrAbandon(handover.previous(), handoverTimeoutMs(), "the subscription switch stopped waiting for it");
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
        inbox.ack(d, JournalRecordDescriptor.ACK_DELIVERED);
        // Queued for a dispatched handler that was unsubscribed before running it: if its sender is still
        // waiting, being received is its delivery.
        if (d.claimOutcome())
        {
            metrics.onDelivered();
            Outcomes.delivered(d, inbox.handle(), metrics);
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

    /**
     * Sets the metering settings (queue size, batch, flush interval, per-tenant budgets) before the first
     * {@link #start()}; {@code enableMetering} in the bus configuration still switches metering as a whole.
     *
     * @throws BusAlreadyStartedException after the first start (the budgets and queue are built then)
     */
    public synchronized EnhancedAgentBus metering(final MeteringConfig meteringConfig)
    {
        if (ops != null)
        {
            throw new BusAlreadyStartedException();
        }
        this.meteringConfig = java.util.Objects.requireNonNull(meteringConfig, "meteringConfig");
        return this;
    }

    /** @return the bus's ops state: labelled counters, metering, tenant budgets (engine-internal API). */
    public BusOps ops()
    {
        final BusOps o = ops;
        return o != null ? o : createOps();
    }

    private synchronized BusOps createOps()
    {
        if (ops == null)
        {
            ops = new BusOps(config, meteringConfig, registry, texts);
        }
        return ops;
    }

    /** @return messages published on the ring and not yet processed by the bus thread (0 when not started). */
    public long ringDepth()
    {
        final RingBuffer<MessageEvent> r = ring;
        return r == null ? 0 : config.ringSize() - r.remainingCapacity();
    }

    /** @return why the bus thread ended without a stop, or null while it is healthy. */
    public String failure()
    {
        return failure;
    }

    /** @return the write-ahead journal, or null when journaling is off (engine-internal API). */
    public MessageJournal journal()
    {
        return journal;
    }

    /** @return true once the journal replay of the first start has finished (true at once without a journal). */
    public boolean journalReplayFinished()
    {
        return journal == null ? state != STATE_NEW : replay != null;
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

    /** @return the bus's health (the breakers' score and status), for the ops endpoints, metrics and the demo. */
    public HealthAggregator health()
    {
        return resilience.health();
    }

    /** @return the bus's breakers: a layer registers its own with {@code breakers().register(name, probe)}. */
    public BreakerRegistry breakers()
    {
        return resilience.breakers();
    }

    /** @return the chaos engine (scenarios are injected by this bus at its fault points). */
    public ChaosEngine chaos()
    {
        return resilience.chaos();
    }

    /** @return breakers, health, recovery and chaos of this bus (engine-internal API). */
    public BusResilience resilience()
    {
        return resilience;
    }

    /** @return the Rego step, or null when Rego is off (engine-internal API). */
    public RegoPolicyStrategy rego()
    {
        return rego;
    }

    /**
     * Recompiles the Rego bundle from its directory on the calling thread; the bus decides with it from its next
     * message on (the file watcher calls the same when {@code regoWatch} is on).
     *
     * @return the new bundle version.
     * @throws dev.eab.api.exception.PolicyEvaluationException naming file and line when the bundle does not compile
     *     (the running bundle stays), or when Rego is not evaluating.
     * @throws ConfigurationException when Rego is off.
     */
    public String reloadRegoPolicies()
    {
        if (rego == null)
        {
            throw new ConfigurationException("rego_dir", "Rego policies are not configured (set regoDir / EAB_REGO_DIR)");
        }
        return rego.reload();
    }

    /** @return the compiled policy. */
    public PolicyTable policy()
    {
        return policy;
    }

    @Override
    public DeliberationQueue deliberations()
    {
        return governance.queue();
    }

    /**
     * Puts an approved held message back through the ring as a replay-like event (routing only: it was validated and
     * governed when sent), with its original message id, under the same handshake with {@code stop} as a send.
     */
    /** @return the delivery outcomes of approved, re-injected messages (what a saga step waiting on its held message sees). */
    public dev.eab.core.governance.ApprovedDeliveries approvedDeliveries()
    {
        return approvedDeliveries;
    }

    private void reinjectApproved(final HeldMessage h)
    {
        sendsInFlight.incrementAndGet();
        try
        {
            if (state != STATE_RUNNING)
            {
                throw new BusNotStartedException("deliver an approved message");
            }
            final AgentRecord recipient = registry.byId(h.recipientId());
            if (recipient == null)
            {
                if (h.listener() != null)
                {
                    Outcomes.rejected(h.listener(), h.correlationId(), RejectReason.RECIPIENT_NOT_REGISTERED, metrics);
                }
                metrics.onRejected(RejectReason.RECIPIENT_NOT_REGISTERED);
                throw new dev.eab.api.exception.AgentNotRegisteredException(h.recipientId(), "receive");
            }
            final RingBuffer<MessageEvent> r = ring;
            final long seq;
            if (barrier.isBusOwnedThread())
            {
                try
                {
                    seq = r.tryNext();
                }
                catch (final InsufficientCapacityException e)
                {
                    metrics.onBackpressure();
                    throw new BackpressureException("ring", config.ringSize(), "REJECT (an approval from a message handler never waits for the bus)");
                }
            }
            else
            {
                seq = r.next();
            }
            final dev.eab.core.journal.PendingMessage p = new dev.eab.core.journal.PendingMessage(-1, h.senderId(), h.recipientId(),
                h.flyweight() ? null : h.message(), h.messageType(), h.priority(), h.correlationId(), 0L, h.flyweight() ? h.payload() : null);
            EventSlots.fillApproved(r.get(seq), p, registry.byId(h.senderId()), recipient, h.listener());
            if (!h.flyweight())
            {
                approvedDeliveries.track(h.message().messageId(), EventSlots.futureOf(r.get(seq)));
            }
            r.publish(seq);
        }
        finally
        {
            sendsInFlight.decrementAndGet();
        }
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
        m.put("rego_policy", rego == null ? Map.of("enabled", false) : Map.of("enabled", true, "dir", rego.dir().toString(), "query", rego.query(),
            "active_version", rego.activeVersion(), "latest_version", rego.latestVersion(), "cache_entries", rego.cacheEntries()));
        m.put("maci", maci.metrics());
        final JournalReplayer.Result replayed = replay;
        m.put("journal", journal == null ? Map.of("enabled", false)
            : Map.of("enabled", true, "dir", config.journalDir().toString(), "appended", journal.appended(), "batches", journal.batchesWritten(),
                "replayed", replayed == null ? 0L : replayed.replayed(), "replay_unroutable", replayed == null ? 0L : replayed.unroutable(),
                "pretouched_pages", journal.pagesPretouched(), "reclaimed_files", journal.reclaimedFiles()));
        final BusOps o = ops;
        m.put("metering", o == null || o.metering() == null ? Map.of("enabled", false) : o.metering().metrics());
        m.put("resilience", resilience.snapshot());
        m.put("deliberation", governance.metrics());
        m.put("identity", admission.metrics());
        m.put("audit", audit == null ? Map.of("enabled", false) : audit.metrics());
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

    /**
     * The Disruptor calls this only when the pipeline's own fail-closed path threw (it contains every
     * stage failure): the event still gets an outcome from pre-built values, the failure is counted, and
     * the bus thread carries on. Never throws: a throw here would end the bus thread.
     */
    private static final class LastResortExceptionHandler implements ExceptionHandler<MessageEvent>
    {
        private final RouteStage route;
        private final BusMetrics metrics;

        LastResortExceptionHandler(final RouteStage route, final BusMetrics metrics)
        {
            this.route = route;
            this.metrics = metrics;
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final MessageEvent event)
        {
            try
            {
                metrics.onPipelineFailure();
                route.lastResort(event);
                SafeLog.severe(LOG, "pipeline failure at sequence " + sequence + " (message failed closed)", ex);
            }
            catch (final Throwable ignored)
            {
                // Nothing left to do that could not throw again; the outcome above was attempted.
            }
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            SafeLog.severe(LOG, "bus thread start failed", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            SafeLog.severe(LOG, "bus thread shutdown failed", ex);
        }
    }

    /**
     * The bus's {@link RoutingBarrier} over its ring: the mark is the ring's cursor, passed once the bus
     * thread's sequence reaches it. Bus-owned threads are marked with this bus as a thread-local value.
     */
    /** The current run's pipeline, for the routing barrier's exact position; set by start() before the ring runs. */
    private volatile PipelineHandler pipelineHandler;

    private final class BusBarrier implements RoutingBarrier
    {
        private static final long AWAIT_PARK_NS = 20_000;
        private final ThreadLocal<Object> owner = new ThreadLocal<>();
        private volatile Thread busThread;

        @Override
        public long mark()
        {
            final RingBuffer<MessageEvent> r = ring;
            final int s = state;
            return r == null || (s != STATE_RUNNING && s != STATE_STOPPING) ? -1 : r.getCursor();
        }

        @Override
        public boolean passed(final long mark)
        {
            final RingBuffer<MessageEvent> r = ring;
            final int s = state;
            // The pipeline's exact position too: its gating sequence moves in steps of 64 events (PipelineHandler),
            // and a switch must not wait for a step while the bus thread is held inside a later event.
            final PipelineHandler p = pipelineHandler;
            return mark < 0 || r == null || (s != STATE_RUNNING && s != STATE_STOPPING) || r.getMinimumGatingSequence() >= mark
                || (p != null && p.processedSequence() >= mark);
        }

        @Override
        public boolean isBusOwnedThread()
        {
            return owner.get() != null;
        }

        @Override
        public boolean isBusThread()
        {
            return Thread.currentThread() == busThread;
        }

        @Override
        public void markBusOwned()
        {
            owner.set(EnhancedAgentBus.this);
        }

        void markBusThread()
        {
            busThread = Thread.currentThread();
            markBusOwned();
        }

        /** Waits (parking) until {@link #passed} or the timeout; a caller that is not bus-owned only. */
        void await(final long mark, final long timeoutMs)
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMs, Long.MAX_VALUE / 2_000_000));
            while (!passed(mark) && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(AWAIT_PARK_NS);
            }
        }
    }
}
