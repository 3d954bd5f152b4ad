package dev.eab.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link PhasedWaitStrategy} on a real Disruptor. The longest park is an hour, so a consumer that receives an
 * event while parked can only have been woken by the publisher: a missed wake-up shows as a hang (caught by
 * the hang guard), never as a slow pass. No assertion on how long anything takes.
 */
class PhasedWaitStrategyTest
{
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(20);

    private Disruptor<long[]> disruptor;
    private volatile Thread consumer;

    @AfterEach
    void stop()
    {
        if (disruptor != null)
        {
            disruptor.halt();
        }
    }

    /** Counts events and idle ticks; the consumer's own thread writes both. */
    private static final class Counting implements EventHandler<long[]>
    {
        final AtomicLong events = new AtomicLong();
        final AtomicLong sum = new AtomicLong();
        final AtomicLong ticks = new AtomicLong();

        @Override
        public void onEvent(final long[] event, final long sequence, final boolean endOfBatch)
        {
            sum.lazySet(sum.get() + event[0]);
            events.lazySet(events.get() + 1);
        }

        @Override
        public void onTimeout(final long sequence)
        {
            ticks.lazySet(ticks.get() + 1);
        }
    }

    private RingBuffer<long[]> start(final PhasedWaitStrategy strategy, final Counting handler)
    {
        disruptor = new Disruptor<>(() -> new long[1], 1024, r -> {
            final Thread t = new Thread(r, "phased-test-consumer");
            t.setDaemon(true);
            consumer = t;
            return t;
        }, ProducerType.MULTI, strategy);
        disruptor.handleEventsWith(handler);
        return disruptor.start();
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + HANG_GUARD_NANOS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("hang guard: " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static void publish(final RingBuffer<long[]> ring, final long value)
    {
        final long seq = ring.next();
        ring.get(seq)[0] = value;
        ring.publish(seq);
    }

    @Test
    void aPublishWakesAParkedConsumer()
    {
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(0, 0, HOUR_NANOS, 0, false);
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        for (int i = 1; i <= 3; i++)
        {
            await(strategy::isParked, "the consumer parks on an empty ring");
            publish(ring, i);
            final long expected = i;
            await(() -> handler.events.get() == expected, "the publish wakes the consumer (its park lasts an hour)");
        }
        assertEquals(6, handler.sum.get());
        assertEquals(0, handler.ticks.get(), "no ticks when they are off");
    }

    @Test
    void noWakeUpIsLostUnderConcurrentPublishers() throws InterruptedException
    {
        // Zero spin and yield: the consumer parks whenever the ring is empty, so nearly every publish races a park.
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(0, 0, HOUR_NANOS, 0, false);
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        final int perThread = 5_000;
        final Thread[] producers = new Thread[3];
        for (int p = 0; p < producers.length; p++)
        {
            producers[p] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++)
                {
                    publish(ring, 1);
                    if ((i & 7) == 0)
                    {
                        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000, 30_000));
                    }
                }
            });
        }
        for (final Thread t : producers)
        {
            t.join();
        }
        await(() -> handler.events.get() == (long)perThread * producers.length, "every event delivered, none waiting on a missed wake-up");
        assertEquals((long)perThread * producers.length, handler.sum.get());
    }

    @Test
    void ticksWhileIdleWithoutEvents()
    {
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(1_000, 1_000, HOUR_NANOS, TimeUnit.MILLISECONDS.toNanos(1), true);
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        await(() -> handler.ticks.get() >= 5, "idle ticks reach the handler's onTimeout");
        assertEquals(0, handler.events.get(), "a tick is not an event");
        publish(ring, 7);
        await(() -> handler.events.get() == 1, "events still flow between ticks");
        final long ticks = handler.ticks.get();
        await(() -> handler.ticks.get() > ticks, "ticks resume once the ring is empty again");
        assertEquals(7, handler.sum.get());
    }

    @Test
    void haltWakesAParkedConsumer()
    {
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(0, 0, HOUR_NANOS, 0, false);
        final Counting handler = new Counting();
        start(strategy, handler);
        await(strategy::isParked, "the consumer parks");
        final Thread parked = consumer;
        assertNotNull(parked);
        disruptor.halt();
        disruptor = null;
        await(() -> !parked.isAlive(), "halt alerts the barrier, which wakes the parked consumer");
    }

    @Test
    void rejectsNonsensePhases()
    {
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(-1, 0, 1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(0, 0, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(0, 0, 1, -1, false));
    }
}
