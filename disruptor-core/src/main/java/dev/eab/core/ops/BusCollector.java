package dev.eab.core.ops;

import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.journal.MessageJournal;
import dev.eab.core.ops.metering.Metering;
import dev.eab.core.ops.metering.MeteringEventType;
import dev.eab.core.ops.metering.TenantUsage;
import dev.eab.core.resilience.HealthSnapshot;
import dev.eab.core.resilience.HealthSource;
import dev.eab.core.resilience.HealthStatus;
import dev.eab.core.route.Inbox;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * The bus's Prometheus metrics, built at scrape time on the scraping thread from what the bus thread already keeps
 * (single-writer counters and HdrHistogram recorders): nothing here runs on, waits for, or allocates on the bus
 * thread. Histograms are HdrHistogram's accumulated stage timings (sampled one message in
 * {@code PipelineHandler.STAGE_SAMPLE_INTERVAL}) mapped onto fixed classic buckets; their {@code _sum} is
 * HdrHistogram's mean × count (it keeps no exact sum).
 *
 * <p>Deliberations pending: a hook ({@link #deliberationsPending}) until {@code AgentBus.deliberations()} lands; then
 * {@code () -> bus.deliberations().pending().size()} feeds it. A negative value means "not available" and the
 * metric is left out.
 */
public final class BusCollector implements MultiCollector
{
    /** Bucket upper bounds, seconds: 250 ns .. 10 s (the +Inf bucket is added). */
    static final double[] LATENCY_BOUNDS_S = {
        250e-9, 500e-9, 1e-6, 2.5e-6, 5e-6, 10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 50e-3, 100e-3, 1.0, 10.0,
        Double.POSITIVE_INFINITY};

    private final EnhancedAgentBus bus;
    private final HealthSource health;
    private final IntSupplier deliberationsPending;

    /**
     * @param deliberationsPending items waiting for deliberation, or negative when the bus has no deliberation layer
     */
    public BusCollector(final EnhancedAgentBus bus, final HealthSource health, final IntSupplier deliberationsPending)
    {
        this.bus = bus;
        this.health = health;
        this.deliberationsPending = deliberationsPending;
    }

    @Override
    public MetricSnapshots collect()
    {
        final MetricSnapshots.Builder out = MetricSnapshots.builder();
        final BusMetrics m = bus.metrics();
        messages(out);
        out.metricSnapshot(counter("eab_processed", "Messages the bus thread took off the ring", m.processed()));
        out.metricSnapshot(counter("eab_delivered", "Messages handed to their recipient", m.delivered()));
        out.metricSnapshot(counter("eab_handler_failures", "Deliveries whose handler threw", m.handlerFailed()));
        out.metricSnapshot(counter("eab_backpressure_refusals", "Sends refused because the ring was full", m.backpressureRejected()));
        out.metricSnapshot(counter("eab_pipeline_failures", "Messages failed closed because a stage threw", m.pipelineFailures()));
        final CounterSnapshot.Builder rejects = CounterSnapshot.builder().name("eab_rejected").help("Messages refused, by reason");
        for (final RejectReason r : RejectReason.values())
        {
            if (r != RejectReason.NONE)
            {
                rejects.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("reason", r.metricName())).value(m.rejected(r)).build());
            }
        }
        out.metricSnapshot(rejects.build());
        out.metricSnapshot(histogram("eab_validation_duration_seconds", "Validate stage time per message (sampled)",
            Labels.EMPTY, m.histogram(BusMetrics.Stage.VALIDATE)));
        out.metricSnapshot(histogram("eab_end_to_end_duration_seconds", "Publish to end of routing per message (sampled)",
            Labels.EMPTY, m.histogram(BusMetrics.Stage.TOTAL)));
        final HistogramSnapshot.Builder stages = HistogramSnapshot.builder().name("eab_stage_duration_seconds")
            .help("Per-stage time per message (sampled)");
        for (final BusMetrics.Stage s : new BusMetrics.Stage[] {BusMetrics.Stage.VALIDATE, BusMetrics.Stage.GOVERN, BusMetrics.Stage.JOURNAL,
            BusMetrics.Stage.ROUTE})
        {
            stages.dataPoint(dataPoint(Labels.of("stage", s.name().toLowerCase(Locale.ROOT)), m.histogram(s)));
        }
        out.metricSnapshot(stages.build());
        out.metricSnapshot(gauge("eab_ring_depth", "Messages on the ring not yet processed", bus.ringDepth()));
        out.metricSnapshot(gauge("eab_ring_capacity", "Ring slots", bus.configuration().ringSize()));
        inboxes(out);
        healthMetrics(out);
        final int pending = deliberationsPending.getAsInt();
        if (pending >= 0)
        {
            out.metricSnapshot(gauge("eab_deliberations_pending", "Messages held for deliberation, waiting for a decision", pending));
        }
        metering(out);
        journal(out);
        final String hash = bus.configuration().constitutionalHash();
        out.metricSnapshot(InfoSnapshot.builder().name("eab").help("The bus: validator, policy version, constitutional hash prefix")
            .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("validator", bus.validator().name(), "policy_version",
                bus.policy().version(), "constitutional_hash", hash.substring(0, Math.min(8, hash.length())))).build()).build());
        return out.build();
    }

    private void messages(final MetricSnapshots.Builder out)
    {
        final BusOps ops = bus.ops();
        if (!ops.countsMessages())
        {
            return;
        }
        final CounterSnapshot.Builder b = CounterSnapshot.builder().name("eab_messages")
            .help("Messages processed, by sender tenant, type, priority and status (accepted / rejected)");
        ops.counters().forEachNonZero((tenant, type, priority, status, count) -> b.dataPoint(CounterDataPointSnapshot.builder()
            .labels(Labels.of("tenant", tenant, "type", type.value(), "priority", priority.name().toLowerCase(Locale.ROOT), "status", status))
            .value(count).build()));
        out.metricSnapshot(b.build());
    }

    private void inboxes(final MetricSnapshots.Builder out)
    {
        long total = 0;
        long max = 0;
        for (final Inbox inbox : bus.registry().allInboxes())
        {
            final int n = inbox.size();
            total += n;
            max = Math.max(max, n);
        }
        out.metricSnapshot(gauge("eab_inbox_depth", "Messages waiting in all agents' inboxes", total));
        out.metricSnapshot(gauge("eab_inbox_depth_max", "Messages waiting in the fullest agent inbox", max));
    }

    private void healthMetrics(final MetricSnapshots.Builder out)
    {
        final HealthSnapshot h = health.health();
        out.metricSnapshot(gauge("eab_health_score", "(closed + 0.5 x half-open) / breakers; 1.0 with none", h.score()));
        final GaugeSnapshot.Builder status = GaugeSnapshot.builder().name("eab_health_status").help("1 for the current health status");
        for (final HealthStatus s : HealthStatus.values())
        {
            status.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("status", s.name().toLowerCase(Locale.ROOT)))
                .value(s == h.status() ? 1 : 0).build());
        }
        out.metricSnapshot(status.build());
        final GaugeSnapshot.Builder breakers = GaugeSnapshot.builder().name("eab_breaker_state")
            .help("1 for each breaker's current state (closed, open, half_open)");
        for (final Map.Entry<String, String> e : h.breakerStates().entrySet())
        {
            for (final String state : new String[] {"CLOSED", "OPEN", "HALF_OPEN"})
            {
                breakers.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("service", e.getKey(), "state", state.toLowerCase(Locale.ROOT)))
                    .value(state.equals(e.getValue()) ? 1 : 0).build());
            }
        }
        out.metricSnapshot(breakers.build());
    }

    private void metering(final MetricSnapshots.Builder out)
    {
        final Metering metering = bus.ops().metering();
        if (metering == null)
        {
            return;
        }
        out.metricSnapshot(counter("eab_metering_events_queued", "Metering events queued", metering.queue().queued()));
        out.metricSnapshot(counter("eab_metering_events_flushed", "Metering events flushed to the sinks", metering.queue().flushed()));
        out.metricSnapshot(counter("eab_metering_events_dropped", "Metering events dropped because the queue was full", metering.queue().dropped()));
        out.metricSnapshot(gauge("eab_metering_queue_size", "Metering events waiting to be flushed", metering.queue().size()));
        final TenantUsage usage = metering.usage();
        final CounterSnapshot.Builder b = CounterSnapshot.builder().name("eab_metering_tenant_events")
            .help("Flushed metering events by tenant, event type and outcome (compliant / not)");
        for (int slot = 0; slot < usage.tenants().slots(); slot++)
        {
            for (final MeteringEventType type : MeteringEventType.values())
            {
                final long n = usage.count(slot, type);
                if (n > 0)
                {
                    final long ok = usage.positive(slot, type);
                    final String tenant = usage.tenants().name(slot);
                    b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("tenant", tenant, "event", type.metricName(), "outcome", "positive"))
                        .value(ok).build());
                    b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("tenant", tenant, "event", type.metricName(), "outcome", "negative"))
                        .value(n - ok).build());
                }
            }
        }
        out.metricSnapshot(b.build());
    }

    private void journal(final MetricSnapshots.Builder out)
    {
        final MessageJournal journal = bus.journal();
        if (journal == null)
        {
            return;
        }
        out.metricSnapshot(counter("eab_journal_appended", "Records appended to the write-ahead journal by this process", journal.appended()));
        out.metricSnapshot(gauge("eab_journal_size_bytes", "Bytes of the journal's files on disk", directoryBytes(journal.directory())));
    }

    /** @return the bytes of the regular files under {@code dir} (Chronicle's cycle files), 0 when unreadable. */
    static long directoryBytes(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            return files.filter(Files::isRegularFile).mapToLong(p ->
            {
                try
                {
                    return Files.size(p);
                }
                catch (final IOException e)
                {
                    return 0;
                }
            }).sum();
        }
        catch (final IOException | RuntimeException e)
        {
            return 0;
        }
    }

    private static CounterSnapshot counter(final String name, final String help, final double value)
    {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(final String name, final String help, final double value)
    {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static HistogramSnapshot histogram(final String name, final String help, final Labels labels, final Histogram h)
    {
        return HistogramSnapshot.builder().name(name).help(help).dataPoint(dataPoint(labels, h)).build();
    }

    /** Maps an HdrHistogram of nanoseconds onto {@link #LATENCY_BOUNDS_S} (per-bucket counts; the writer accumulates). */
    static HistogramDataPointSnapshot dataPoint(final Labels labels, final Histogram h)
    {
        final long[] counts = new long[LATENCY_BOUNDS_S.length];
        for (final HistogramIterationValue v : h.recordedValues())
        {
            final double seconds = h.highestEquivalentValue(v.getValueIteratedTo()) / 1e9;
            int i = Arrays.binarySearch(LATENCY_BOUNDS_S, seconds);
            if (i < 0)
            {
                i = -i - 1;
            }
            counts[Math.min(i, counts.length - 1)] += v.getCountAtValueIteratedTo();
        }
        final long total = h.getTotalCount();
        return HistogramDataPointSnapshot.builder().labels(labels).classicHistogramBuckets(ClassicHistogramBuckets.of(LATENCY_BOUNDS_S, counts))
            .sum(total == 0 ? 0 : h.getMean() * total / 1e9).build();
    }
}
