package dev.eab.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recipient side of every series: called on the delivery thread with the message's intended send
 * time, records {@code now - intended} (ns) and counts the delivery. Allocation-free and always
 * recording: warm-up and measurement take the same path; the driver swaps the interval histogram at the
 * phase boundary (after draining), which is the "reset after warm-up".
 *
 * <p>A plain {@link Histogram}, not a {@code SingleWriterRecorder}: the recorder's phaser costs two locked
 * increments per value on the delivery thread (measured: a few per cent of a saturated bus thread's time, in every
 * series alike), and the driver swaps only once everything sent was delivered, so no value is being recorded then.
 * The hand-over is ordered by {@link #delivered}: the writer records, then stores the count (release); the driver
 * reads the count (acquire) before it swaps, and the next value goes into the new histogram (volatile).
 */
public final class LatencySink
{
    /** Largest latency tracked; anything above is clamped (and would be visible as max = this). */
    public static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    public static final int SIGNIFICANT_DIGITS = 3;

    private volatile Histogram current = newHistogram();
    private final AtomicLong delivered = new AtomicLong();

    /** Delivery thread only (single writer). */
    public void onDelivered(final long intendedNanos)
    {
        final long latency = System.nanoTime() - intendedNanos;
        current.recordValue(Math.min(Math.max(latency, 0L), HIGHEST_TRACKABLE_NANOS));
        delivered.lazySet(delivered.get() + 1);
    }

    /** @return deliveries so far (any thread). */
    public long delivered()
    {
        return delivered.get();
    }

    /**
     * @return everything recorded since the previous call; recording goes on into a fresh interval. Call only when
     * every message sent so far was delivered (the driver drains first), so the delivery thread is not recording.
     */
    public Histogram swap()
    {
        final Histogram done = current;
        current = newHistogram();
        return done;
    }

    private static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }
}
