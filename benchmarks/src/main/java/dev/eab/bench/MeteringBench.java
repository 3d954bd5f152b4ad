package dev.eab.bench;

import dev.eab.core.ops.Json;
import dev.eab.core.ops.metering.Metering;
import dev.eab.core.ops.metering.MeteringConfig;
import dev.eab.core.ops.metering.MeteringEventType;
import dev.eab.core.ops.metering.TenantSlots;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metering queue under a sustained, paced load (open loop: event {@code i} is due at {@code start + i / rate}; a late
 * producer catches up without waiting, so the offered rate is the rate asked for): the default settings (10,000
 * events, batch 100, flush every 1 s) at 1M events/s and above, one producer thread (as the bus thread is one), the
 * real {@link Metering} flusher aggregating per tenant. Reports offered, queued, dropped and flushed events per rate, and
 * how many batches the producer drained itself because the flusher had not been scheduled in time;
 * the claim is zero drops at 1M events/s (the original drops above ~100 events/s, reference §7.19).
 *
 * <p>{@code ./eab bench --metering} or {@code java ... dev.eab.bench.MeteringBench [rates...] [--seconds S]}; results in
 * {@code benchmarks/results/metering.json}.
 */
public final class MeteringBench
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final double WARMUP_S = 1.0;

    private MeteringBench()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final List<Long> rates = new ArrayList<>();
        double seconds = 5.0;
        Path out = Path.of("benchmarks", "results", "metering.json");
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--results" -> out = Path.of(args[++i]).resolve("metering.json");
                default -> rates.add(Long.parseLong(args[i].replace("_", "")));
            }
        }
        if (rates.isEmpty())
        {
            rates.addAll(List.of(1_000_000L, 2_000_000L, 4_000_000L));
        }
        final List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf("metering: defaults (queue %,d, batch %d, flush %d ms), one paced producer, %.0f s per rate; load average %.2f on %d CPUs%n",
            MeteringConfig.DEFAULT_MAX_QUEUE_SIZE, MeteringConfig.DEFAULT_BATCH_SIZE, MeteringConfig.DEFAULT_FLUSH_INTERVAL_MS, seconds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf("%12s %14s %14s %10s %14s %10s %12s %12s %14s%n", "rate/s", "offered", "queued", "dropped", "flushed", "flushes",
            "prod_drains", "max_waiting", "achieved/s");
        for (final long rate : rates)
        {
            final Map<String, Object> r = run(rate, seconds);
            rows.add(r);
            System.out.printf("%,12d %,14d %,14d %,10d %,14d %,10d %,12d %,12d %,14.0f%n", rate, r.get("offered"), r.get("queued"), r.get("dropped"),
                r.get("flushed"), r.get("flushes"), r.get("producer_drains"), r.get("max_waiting"), r.get("achieved_per_s"));
        }
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "metering queue, paced single producer, default settings");
        doc.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        doc.put("cpus", Runtime.getRuntime().availableProcessors());
        doc.put("runs", rows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, Json.write(doc));
        System.out.println("results: " + out);
    }

    /** One rate: warm up, then measure with the counters' deltas; stop() drains, so flushed covers everything. */
    static Map<String, Object> run(final long rate, final double seconds)
    {
        final TenantSlots tenants = new TenantSlots(MeteringConfig.DEFAULT_MAX_TENANTS, i -> "tenant-" + i, t -> -1);
        final Metering metering = new Metering(MeteringConfig.defaults(), tenants, id -> -1);
        metering.start();
        pace(metering, rate, WARMUP_S, new long[1]);
        final long queued0 = metering.queue().queued();
        final long dropped0 = metering.queue().dropped();
        final long flushes0 = metering.flushes();
        final long helped0 = metering.producerDrains();
        final long[] maxWaiting = new long[1];
        final long t0 = System.nanoTime();
        final long offered = pace(metering, rate, seconds, maxWaiting);
        final double elapsedS = (System.nanoTime() - t0) / 1e9;
        final long queued = metering.queue().queued() - queued0;
        final long dropped = metering.queue().dropped() - dropped0;
        final long flushes = metering.flushes() - flushes0;
        final long helped = metering.producerDrains() - helped0;
        metering.stop();
        final long flushedAll = metering.queue().flushed();
        long aggregated = 0;
        for (int slot = 0; slot < tenants.slots(); slot++)
        {
            aggregated += metering.usage().count(slot, MeteringEventType.AGENT_MESSAGE);
        }
        if (aggregated != flushedAll || flushedAll != metering.queue().queued())
        {
            throw new IllegalStateException("lost events: queued " + metering.queue().queued() + ", flushed " + flushedAll + ", aggregated " + aggregated);
        }
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("rate_per_s", rate);
        r.put("seconds", seconds);
        r.put("offered", offered);
        r.put("queued", queued);
        r.put("dropped", dropped);
        r.put("flushed", flushedAll);
        r.put("flushes", flushes);
        r.put("producer_drains", helped);
        r.put("max_waiting", maxWaiting[0]);
        r.put("achieved_per_s", offered / elapsedS);
        return r;
    }

    /** Offers events at {@code rate} for {@code seconds} (open loop), tracking the deepest queue seen every 1,024 events. */
    private static long pace(final Metering metering, final long rate, final double seconds, final long[] maxWaiting)
    {
        final long start = System.nanoTime();
        final long total = (long)(rate * seconds);
        for (long i = 0; i < total; i++)
        {
            final long due = start + i * NANOS_PER_SECOND / rate;
            long now = System.nanoTime();
            while (now < due)
            {
                Thread.onSpinWait();
                now = System.nanoTime();
            }
            metering.record(MeteringEventType.AGENT_MESSAGE, 1 + (int)(i & 7), (int)(i & 1023), true, 0, now);
            if ((i & 1023) == 0)
            {
                maxWaiting[0] = Math.max(maxWaiting[0], metering.queue().size());
            }
        }
        return total;
    }
}
