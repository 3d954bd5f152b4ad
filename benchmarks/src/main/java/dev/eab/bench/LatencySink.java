package dev.eab.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recipient side of every series: called on the delivery thread with the message's intended send
 * time, records {@code now - intended} (ns) and counts the delivery. Allocation-free and always
 * recording: warm-up and measurement take the same path; the driver swaps the interval histogram at the
 * phase boundary (after draining), which is the "reset after warm-up".
 */
public final class LatencySink
{
    /** Largest latency tracked; anything above is clamped (and would be visible as max = this). */
    public static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    public static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final AtomicLong delivered = new AtomicLong();

    /** Delivery thread only (single writer). */
    public void onDelivered(final long intendedNanos)
    {
        final long latency = System.nanoTime() - intendedNanos;
        recorder.recordValue(Math.min(Math.max(latency, 0L), HIGHEST_TRACKABLE_NANOS));
        delivered.lazySet(delivered.get() + 1);
    }

    /** @return deliveries so far (any thread). */
    public long delivered()
    {
        return delivered.get();
    }

    /** @return everything recorded since the previous call; recording goes on into a fresh interval. */
    public Histogram swap()
    {
        return recorder.getIntervalHistogram();
    }
}
