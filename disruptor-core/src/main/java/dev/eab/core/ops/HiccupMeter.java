package dev.eab.core.ops;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A jHiccup-style platform-noise meter: a thread that asks for the CPU at a fixed cadence and records
 * how late it got it. Whatever stalls it (the host descheduling a vCPU, a safepoint, the kernel) would
 * have stalled the bus the same way, so its histogram is printed beside the latencies it explains: each
 * benchmark series, and the demo's paced run. It lives in the engine's {@code ops} package so both use
 * this one meter.
 *
 * <ul>
 *   <li>{@link Mode#SLEEP} (default): parks for {@value #SLEEP_RESOLUTION_MICROS} µs and records the
 *   overshoot (jHiccup's own method). Costs one wake-up per resolution period, so it barely competes
 *   with the producer and the delivery thread for the 2 vCPUs.</li>
 *   <li>{@link Mode#SPIN}: spins on {@code System.nanoTime()} with {@code Thread.onSpinWait()} and records
 *   every gap between two reads. Finer, but on a 2-core machine it is a third busy thread beside the
 *   spinning producer and the yielding consumer: the scheduler then time-slices all three, and the
 *   meter's own preemptions show up as hiccups (and hurt the series' latency).</li>
 * </ul>
 * Only gaps above {@link #floorNanos} are recorded.
 */
public final class HiccupMeter implements Runnable
{
    public enum Mode
    {
        SLEEP, SPIN, OFF;

        public static Mode parse(final String s)
        {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    public static final long SLEEP_RESOLUTION_MICROS = 1_000;
    public static final long ONE_MS_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Mode mode;
    private final long floorNanos;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, TimeUnit.MINUTES.toNanos(10), 3);
    private volatile boolean running = true;
    private Thread thread;

    public HiccupMeter(final Mode mode)
    {
        this.mode = mode;
        this.floorNanos = mode == Mode.SPIN ? TimeUnit.MICROSECONDS.toNanos(20) : TimeUnit.MICROSECONDS.toNanos(100);
    }

    public Mode mode()
    {
        return mode;
    }

    public void start()
    {
        if (mode == Mode.OFF)
        {
            return;
        }
        thread = new Thread(this, "hiccup-meter");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run()
    {
        final long resolution = mode == Mode.SLEEP ? TimeUnit.MICROSECONDS.toNanos(SLEEP_RESOLUTION_MICROS) : 0L;
        final boolean sleep = mode == Mode.SLEEP;
        long last = System.nanoTime();
        while (running)
        {
            if (sleep)
            {
                LockSupport.parkNanos(resolution);
            }
            else
            {
                Thread.onSpinWait();
            }
            final long now = System.nanoTime();
            final long gap = now - last - resolution;
            if (gap > floorNanos)
            {
                recorder.recordValue(Math.min(gap, TimeUnit.MINUTES.toNanos(10)));
            }
            last = now;
        }
    }

    /** @return the gaps recorded since the previous call (empty when off). */
    public Histogram swap()
    {
        return recorder.getIntervalHistogram();
    }

    public void stop()
    {
        running = false;
        if (thread != null)
        {
            try
            {
                thread.join(2_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return how many recorded gaps exceed 1 ms. */
    public static long countOver1ms(final Histogram h)
    {
        if (h.getTotalCount() == 0 || h.getMaxValue() <= ONE_MS_NANOS)
        {
            return 0;
        }
        return h.getTotalCount() - h.getCountBetweenValues(0, ONE_MS_NANOS);
    }

    /** @return the meter thread's id, or -1 when it is not running. */
    public long threadId()
    {
        final Thread t = thread;
        return t == null ? -1 : t.threadId();
    }
}
