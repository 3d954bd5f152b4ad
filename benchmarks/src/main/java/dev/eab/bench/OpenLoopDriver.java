package dev.eab.bench;

import dev.eab.core.ops.CpuSampler;
import dev.eab.core.ops.HiccupMeter;

import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs one (series, rate) in this JVM: warm-up, then measurement, through the very same
 * {@link #phase(long, long)} method (same branches; the histogram is swapped, i.e. reset, between them
 * once the warm-up backlog has drained). Producer = the calling thread; delivery = the series' own thread.
 */
public final class OpenLoopDriver
{
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Series series;
    private final long ratePerSec;
    private final long intervalNanos;
    private final LatencySink sink = new LatencySink();
    private final SystemUnderTest sut;
    private long totalSent;
    private long maxLagNanos;

    public OpenLoopDriver(final Series series, final long ratePerSec)
    {
        this.series = series;
        this.ratePerSec = ratePerSec;
        this.intervalNanos = Schedule.intervalNanos(ratePerSec);
        this.sut = series.create(sink);
    }

    public RunResult run(final double warmupSec, final double measureSec, final HiccupMeter.Mode hiccupMode) throws InterruptedException
    {
        final HiccupMeter hiccup = new HiccupMeter(hiccupMode);
        sut.start();
        try
        {
            hiccup.start();
            // ---- warm-up: same method, histogram discarded afterwards. Sporadic rates warm up at a rate that
            // gets the code compiled (at 100 msg/s it never would be); then the measurement shows the steady state.
            phase(System.nanoTime(), seconds(warmupSec), Schedule.intervalNanos(BenchOptions.warmupRate(ratePerSec)));
            drain();
            sink.swap();
            hiccup.swap();
            maxLagNanos = 0;
            final long retriesBefore = sut.retries();
            final long rejectedBefore = sut.rejected();
            final long sentBefore = totalSent;
            final long[] gcBefore = gc();
            // ---- measurement
            final CpuSampler.Sample cpu0 = CpuSampler.sample();
            final long deliveryCpu0 = CpuSampler.otherThreadsCpuNanos(hiccup.threadId());
            final java.util.Map<Long, Long> threadCpu0 = ThreadCpu.sample();
            final long deliveredAtStart = sink.delivered();
            final long t0 = System.nanoTime();
            phase(t0, seconds(measureSec), intervalNanos);
            final long t1 = System.nanoTime();
            final long deliveredAtEnd = sink.delivered();
            final java.util.Map<Long, Long> threadCpu1 = ThreadCpu.sample();
            final long deliveryCpu1 = CpuSampler.otherThreadsCpuNanos(hiccup.threadId());
            final CpuSampler.Sample cpu1 = CpuSampler.sample();
            final Histogram hiccups = hiccup.swap();
            drain();
            final Histogram latency = sink.swap();
            final long[] gcAfter = gc();

            final RunResult r = new RunResult();
            r.series = series.label();
            r.offeredPerSec = ratePerSec;
            r.warmupSec = warmupSec;
            r.measureSec = (t1 - t0) / 1e9;
            r.waitStrategy = sut.waitStrategy();
            r.sent = totalSent - sentBefore;
            r.deliveredInWindow = deliveredAtEnd - deliveredAtStart;
            r.achievedPerSec = r.deliveredInWindow / r.measureSec;
            r.rejected = sut.rejected() - rejectedBefore;
            r.retries = sut.retries() - retriesBefore;
            r.maxSendLagNanos = maxLagNanos;
            r.gcCount = gcAfter[0] - gcBefore[0];
            r.gcTimeMs = gcAfter[1] - gcBefore[1];
            r.hiccupMode = hiccupMode.name();
            r.latency = RunResult.newHistogram();
            r.latency.add(latency);
            r.hiccups = RunResult.newHistogram();
            r.hiccups.add(hiccups);
            r.foreignCpuCores = CpuSampler.foreignCores(cpu0, cpu1);
            r.stealCores = CpuSampler.stealCores(cpu0, cpu1);
            r.selfCpuCores = CpuSampler.selfCores(cpu0, cpu1);
            r.deliveryCpuCores = (deliveryCpu1 - deliveryCpu0) / 1e9 / r.measureSec;
            r.details.putAll(sut.details());
            r.details.putAll(ThreadCpu.perMessage(threadCpu0, threadCpu1, r.deliveredInWindow));
            r.details.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
            return r;
        }
        finally
        {
            hiccup.stop();
            sut.close();
        }
    }

    /**
     * One phase of the open-loop schedule: message i is due at {@code start + i * interval}; spin until
     * then, or send at once when behind (never skip). Saturation (interval 0): send back to back, each
     * message's intended time being the moment its send began. Warm-up and measurement both run here.
     */
    private void phase(final long startNanos, final long durationNanos, final long interval)
    {
        final long end = startNanos + durationNanos;
        final SystemUnderTest s = sut;
        long i = 0;
        long maxLag = maxLagNanos;
        if (interval > 0)
        {
            while (true)
            {
                final long intended = Schedule.intendedNanos(startNanos, i, interval);
                if (intended >= end)
                {
                    break;
                }
                long now;
                while ((now = System.nanoTime()) < intended)
                {
                    Thread.onSpinWait();
                }
                maxLag = Math.max(maxLag, now - intended);
                s.send(intended);
                i++;
            }
        }
        else
        {
            while (true)
            {
                final long now = System.nanoTime();
                if (now >= end)
                {
                    break;
                }
                s.send(now);
                i++;
            }
        }
        maxLagNanos = maxLag;
        totalSent += i;
    }

    /** Waits until every message sent so far was delivered or rejected. */
    private void drain() throws InterruptedException
    {
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
        while (sink.delivered() + sut.rejected() < totalSent)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("drain timed out: sent " + totalSent + ", delivered " + sink.delivered()
                    + ", rejected " + sut.rejected());
            }
            Thread.sleep(1);
        }
    }

    private static long seconds(final double s)
    {
        return (long)(s * 1e9);
    }

    private static long[] gc()
    {
        long count = 0;
        long time = 0;
        for (final GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, b.getCollectionCount());
            time += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, time};
    }
}
