package dev.eab.core.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Resource exhaustion of the ring (chaos): ballast events published into real slots. The bus thread, reaching the
 * first one, waits until the scenario releases it, as a stalled consumer would; meanwhile the slots stay taken, so
 * publishers find the ring full {@code level} early and get the configured backpressure. After the release the bus
 * thread passes the ballast without routing, counting or journaling it, and everything published behind it is
 * processed in order: nothing is lost.
 */
public final class RingBallast
{
    private static final long HOLD_PARK_NS = 1_000_000;

    private RingBallast()
    {
    }

    /**
     * Publishes up to {@code slots} ballast events (fewer when the ring has less room).
     *
     * @return the slots taken
     */
    public static int publish(final RingBuffer<MessageEvent> ring, final int slots, final BooleanSupplier released)
    {
        int taken = 0;
        for (; taken < slots; taken++)
        {
            final long seq;
            try
            {
                seq = ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                break;
            }
            final MessageEvent e = ring.get(seq);
            e.kind = MessageEvent.KIND_BALLAST;
            e.ballastReleased = released;
            e.completed = true;
            ring.publish(seq);
        }
        return taken;
    }

    /** Bus thread: waits until the ballast's scenario releases it. */
    static void hold(final MessageEvent e)
    {
        final BooleanSupplier released = e.ballastReleased;
        while (released != null && !released.getAsBoolean())
        {
            LockSupport.parkNanos(HOLD_PARK_NS);
        }
    }
}
