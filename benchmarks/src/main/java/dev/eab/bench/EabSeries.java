package dev.eab.bench;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.IdleStrategy;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RateLimit;
import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.pipeline.IdleWaitStrategies;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bus itself: {@link EnhancedAgentBus} with the series' idle strategy, the recipient subscribed
 * INLINE (its handler runs on the bus thread), messages sent through the zero-allocation
 * {@link MessagePublisher} (tryClaim / fill / publish; spin and retry while the ring is full).
 * The intended send time travels as the correlation id.
 */
public final class EabSeries implements SystemUnderTest, OutcomeListener
{
    public static final String TENANT = "bench";
    public static final String SENDER = "bench-sender";
    public static final String RECIPIENT = "bench-recipient";

    /**
     * The sender's rate limit: far above anything one producer can send, so nothing is refused, but
     * limited (not {@code UNLIMITED}), so the token-bucket check runs per message as it does with the
     * default limit of 1M msg/s (which would cap the saturation runs at 1M msg/s).
     */
    public static final RateLimit BENCH_RATE_LIMIT = new RateLimit(1_000_000_000L, 2_000_000_000L);
    /** The flooding tenant of the {@code -flood} series and its per-agent limit. */
    public static final String FLOOD_TENANT = "bench-flood";
    public static final RateLimit FLOOD_LIMIT = new RateLimit(1_000, 100);
    /** Offered flood rate: bursts of {@value #FLOOD_BATCH} every millisecond. */
    public static final int FLOOD_PER_SECOND = 200_000;
    private static final int FLOOD_BATCH = FLOOD_PER_SECOND / 1000;

    private final NativeMode nativeMode;
    private final IdleStrategy idleStrategy;
    private final boolean contentScanning;
    private final boolean flood;
    /** Metering and the labelled counters (on by default, as in the bus); off for the -nometering series. */
    private boolean metering = true;
    private final boolean governed;
    private final java.util.concurrent.atomic.AtomicLong floodDelivered = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong floodLimited = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean flooding;
    private Thread flooder;
    private final LatencySink sink;
    private final byte[] payload = SystemUnderTest.payload();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<RejectReason, Long> rejectReasons = new java.util.concurrent.ConcurrentHashMap<>();
    private EnhancedAgentBus bus;
    /** The journal's flush policy, or null for a series without a journal. */
    private dev.eab.api.JournalFlush journalFlush;
    private java.nio.file.Path journalDir;
    private MessagePublisher publisher;
    private int recipientHandle;
    private long retries;
    /** The audit chain's directory when {@code audited} (a fresh temporary one per run), or null. */
    private final boolean audited;
    private java.nio.file.Path auditDir;

    /**
     * @param idleStrategy    how the bus thread waits when the ring is empty.
     * @param contentScanning whether the bus scans payloads for guardrail patterns (on by default in the
     *                        bus; the {@code -noscan} series turns it off to measure what scanning costs).
     * @param flood           when true, an agent of another tenant ({@value #FLOOD_TENANT}) floods the bus at about
     *                        {@value #FLOOD_PER_SECOND} msg/s against its {@code FLOOD_LIMIT} of 1,000 msg/s while the
     *                        measured sender sends: its excess is refused by the rate limiter on the bus thread, and the
     *                        measured sender's latency shows what that costs another tenant.
     */
    public EabSeries(
        final NativeMode nativeMode, final IdleStrategy idleStrategy, final boolean contentScanning, final boolean flood, final LatencySink sink)
    {
        this(nativeMode, idleStrategy, contentScanning, flood, false, false, sink);
    }

    /**
     * @param governed when true, impact scoring is on (default threshold 0.8, above the bench traffic's score).
     * @param audited  when true, the BLAKE3 audit chain records every decision (series {@code eab-audited}).
     */
    public EabSeries(
        final NativeMode nativeMode, final IdleStrategy idleStrategy, final boolean contentScanning, final boolean flood, final boolean governed,
        final boolean audited, final LatencySink sink)
    {
        this.governed = governed;
        this.audited = audited;
        this.flood = flood;
        this.contentScanning = contentScanning;
        this.nativeMode = nativeMode;
        this.idleStrategy = idleStrategy;
        this.sink = sink;
    }

    /** @return this series with metering and the labelled message counters off (before {@link #start()}). */
    public EabSeries withoutMetering()
    {
        metering = false;
        return this;
    }

    /**
     * @return the configuration every EAB series uses (only native mode, idle strategy and scanning vary; stage
     * timing is on, sampled, as by default).
     */
    public static BusConfiguration configuration(final NativeMode nativeMode, final IdleStrategy idleStrategy, final boolean contentScanning)
    {
        return BusConfiguration.builder()
            .nativeMode(nativeMode)
            .idleStrategy(idleStrategy)
            .ringSize(CAPACITY)
            .stageLatencyMetrics(true)
            .enableMaci(false)
            .maciStrictMode(false)
            .rateLimit(BENCH_RATE_LIMIT)
            .tenantRateLimit(FLOOD_TENANT, FLOOD_LIMIT)
            .contentScanning(contentScanning)
            .build();
    }

    /**
     * Journals every message (a fresh temporary directory, deleted at {@link #close}) with {@code flush}: the
     * {@code eab-journal} series (native validation + scan + journal).
     */
    public EabSeries journaled(final dev.eab.api.JournalFlush flush)
    {
        this.journalFlush = flush;
        return this;
    }

    @Override
    public String waitStrategy()
    {
        return waitStrategyName(idleStrategy);
    }

    /** @return how a delivery thread with {@code idle} waits, for the results. */
    static String waitStrategyName(final IdleStrategy idle)
    {
        return idle + " (" + IdleWaitStrategies.forIdle(idle).getClass().getSimpleName() + "), producer spins on a full ring";
    }

    @Override
    public void start()
    {
        if (audited)
        {
            try
            {
                auditDir = java.nio.file.Files.createTempDirectory("eab-bench-audit");
            }
            catch (final java.io.IOException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
        }
        BusConfiguration config = configuration(nativeMode, idleStrategy, contentScanning).toBuilder().enableMetering(metering)
            .auditDir(auditDir).build();
        if (journalFlush != null)
        {
            try
            {
                journalDir = java.nio.file.Files.createTempDirectory("eab-bench-journal-");
            }
            catch (final java.io.IOException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
            config = config.toBuilder().journalDir(journalDir).journalOptions(dev.eab.api.JournalOptions.DEFAULTS.withFlush(journalFlush)).build();
        }
        bus = new EnhancedAgentBus(governed ? config.withGovernance(dev.eab.api.GovernanceSettings.ON) : config);
        bus.start();
        bus.registerAgent(SENDER, "worker", Set.of(), TENANT, null);
        recipientHandle = bus.registerAgent(RECIPIENT, "worker", Set.of(), TENANT, null).handle();
        final LatencySink s = sink;
        bus.subscribe(RECIPIENT, view -> s.onDelivered(view.correlationId()), DeliveryMode.INLINE);
        publisher = bus.publisher(SENDER, this);
        if (flood)
        {
            startFlood();
        }
    }

    /** A paced flood (parks between millisecond batches, so it costs the 2 vCPUs little CPU). */
    private void startFlood()
    {
        bus.registerAgent("flood-sender", "worker", Set.of(), FLOOD_TENANT, null);
        final int sinkHandle = bus.registerAgent("flood-sink", "worker", Set.of(), FLOOD_TENANT, null).handle();
        bus.subscribe("flood-sink", view -> { }, DeliveryMode.INLINE);
        final MessagePublisher floodPublisher = bus.publisher("flood-sender", new OutcomeListener()
        {
            @Override
            public void onDelivered(final long correlationId, final int recipient)
            {
                floodDelivered.lazySet(floodDelivered.get() + 1);
            }

            @Override
            public void onRejected(final long correlationId, final RejectReason reason)
            {
                floodLimited.lazySet(floodLimited.get() + 1);
            }
        });
        final byte[] floodPayload = new byte[PAYLOAD_BYTES];
        flooding = true;
        flooder = Thread.ofPlatform().daemon().name("bench-flooder").start(() -> {
            long n = 0;
            while (flooding)
            {
                for (int i = 0; i < FLOOD_BATCH; i++)
                {
                    // A full ring just drops this flood attempt: the flooder never blocks the measured sender.
                    floodPublisher.tryPublish(sinkHandle, MessageType.EVENT, n++, floodPayload, 0, floodPayload.length);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        });
    }

    @Override
    public void send(final long intendedNanos)
    {
        MessageClaim c = publisher.tryClaim();
        while (c == null)
        {
            retries++;
            Thread.onSpinWait();
            c = publisher.tryClaim();
        }
        c.to(recipientHandle).type(MessageType.EVENT).correlationId(intendedNanos).payload(payload, 0, PAYLOAD_BYTES).publish();
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
    public void onDelivered(final long correlationId, final int recipient)
    {
        // Counted by the handler (LatencySink); nothing to do here.
    }

    @Override
    public void onRejected(final long correlationId, final RejectReason reason)
    {
        rejected.incrementAndGet();
        rejectReasons.merge(reason, 1L, Long::sum);
    }

    @Override
    public void onHandlerFailed(final long correlationId, final Throwable error)
    {
        rejected.incrementAndGet();
    }

    @Override
    public Map<String, String> details()
    {
        final Map<String, String> d = new LinkedHashMap<>();
        final Map<String, Object> m = bus.getMetrics();
        d.put("validator", String.valueOf(m.get("validator")));
        d.put("native_decisions", String.valueOf(m.get("native_decisions")));
        d.put("java_decisions", String.valueOf(m.get("java_decisions")));
        d.put("native_failures", String.valueOf(m.get("native_failures")));
        d.put("idle_strategy", idleStrategy.name());
        d.put("content_scanning", String.valueOf(contentScanning));
        if (governed)
        {
            final Map<?, ?> g = (Map<?, ?>)m.get("deliberation");
            d.put("impact_scorer", String.valueOf(g.get("scorer")));
            d.put("held", String.valueOf(g.get("held")));
        }
        if (flood)
        {
            d.put("flood_delivered", String.valueOf(floodDelivered.get()));
            d.put("flood_rate_limited", String.valueOf(floodLimited.get()));
        }
        d.put("native_mode", nativeMode.name());
        d.put("metering", metering ? String.valueOf(m.get("metering")) : "off");
        if (journalFlush != null)
        {
            @SuppressWarnings("unchecked")
            final Map<String, Object> j = (Map<String, Object>)m.get("journal");
            d.put("journal_flush", journalFlush.name());
            d.put("journal_appended", String.valueOf(j.get("appended")));
        }
        if (!rejectReasons.isEmpty())
        {
            d.put("reject_reasons", rejectReasons.toString());
        }
        if (audited)
        {
            final Map<?, ?> a = (Map<?, ?>)m.get("audit");
            d.put("audit_records", String.valueOf(a.get("records")));
            d.put("audit_hasher", String.valueOf(a.get("hasher")));
            d.put("audit_peak_backlog", String.valueOf(a.get("peak_backlog")));
            d.put("audit_producer_waits", String.valueOf(a.get("producer_waits")));
        }
        return d;
    }

    @Override
    public void close()
    {
        flooding = false;
        if (flooder != null)
        {
            try
            {
                flooder.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (bus != null)
        {
            bus.close();
        }
        if (auditDir != null)
        {
            // Each run writes millions of records: nothing to keep once the run's figures are taken.
            ReplayRate.deleteTree(auditDir);
        }
        if (journalDir != null)
        {
            ReplayRate.deleteTree(journalDir);
        }
    }
}
