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
    void noWakeUpIsLostWithALearnedSpin() throws InterruptedException
    {
        // Bursts (short gaps: the learner turns the spin on) alternate with pauses longer than the cap (it parks, and
        // the learner turns the spin off again), so publishes race spins, yields, parks and the switches between them.
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(20_000, 0, HOUR_NANOS, TimeUnit.MICROSECONDS.toNanos(250), true, true);
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        final int perThread = 6_000;
        final Thread[] producers = new Thread[2];
        for (int p = 0; p < producers.length; p++)
        {
            producers[p] = Thread.ofPlatform().start(() -> {
                final ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perThread; i++)
                {
                    publish(ring, 1);
                    if ((i & 63) == 0)
                    {
                        LockSupport.parkNanos(random.nextLong(50_000, 2_000_000));
                    }
                    else
                    {
                        final long until = System.nanoTime() + random.nextLong(0, 15_000);
                        while (System.nanoTime() < until)
                        {
                            Thread.onSpinWait();
                        }
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
    void aSteadyStreamEarnsTheSpinAndSporadicSendersLoseIt()
    {
        final long capNanos = TimeUnit.MICROSECONDS.toNanos(20);
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(capNanos, 0, HOUR_NANOS, 0, false, true);
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        assertEquals(0, strategy.episodeSpinNanos(), "no history: no spin");
        // A message every ~5 µs: idle gaps well inside twice the cap, even with a wake-up from a park in them.
        final long deadline = System.nanoTime() + HANG_GUARD_NANOS;
        long sent = 0;
        while (strategy.episodeSpinNanos() == 0)
        {
            assertTrue(System.nanoTime() < deadline, "hang guard: a steady stream never earned the spin");
            publish(ring, 1);
            sent++;
            final long until = System.nanoTime() + 5_000;
            while (System.nanoTime() < until)
            {
                Thread.onSpinWait();
            }
        }
        assertEquals(capNanos, strategy.episodeSpinNanos());
        // Sporadic: one message every 2 ms, each waited for, so every idle gap is far longer than the cap.
        for (int i = 0; i < 40 && strategy.episodeSpinNanos() != 0; i++)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            publish(ring, 1);
            sent++;
            final long expected = sent;
            await(() -> handler.events.get() == expected, "delivered");
            await(() -> strategy.isParked() || strategy.episodeSpinNanos() == 0, "the next idle episode has begun");
        }
        await(() -> strategy.episodeSpinNanos() == 0, "sporadic senders take the spin away");
        final long expected = sent;
        await(() -> handler.events.get() == expected, "every message delivered");
    }

    @Test
    void theLearnedSpinAllocatesNothingOnTheConsumerThread()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(20_000, 0, HOUR_NANOS, TimeUnit.MICROSECONDS.toNanos(250), true, true);
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        final int messages = 20_000;
        sendMixed(ring, handler, messages);
        final long threadId = consumer.threadId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        sendMixed(ring, handler, messages);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < messages / 10, "the consumer allocated " + allocated + " B over " + messages
            + " messages through spins, parks, learning and idle ticks");
    }

    /** Publishes {@code messages} one every {@code periodNanos} (parks to ~50 µs before each, then spins to it). */
    private static void sendPaced(final RingBuffer<long[]> ring, final long periodNanos, final int messages)
    {
        long next = System.nanoTime() + periodNanos;
        for (int i = 0; i < messages; i++)
        {
            final long early = next - System.nanoTime() - 50_000;
            if (early > 0)
            {
                LockSupport.parkNanos(early);
            }
            while (System.nanoTime() < next)
            {
                Thread.onSpinWait();
            }
            publish(ring, 1);
            next += periodNanos;
        }
    }

    @Test
    void aPacedSenderIsCaughtInTheCadenceWindow()
    {
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(20_000, 0, HOUR_NANOS, TimeUnit.MICROSECONDS.toNanos(250), true, true,
            TimeUnit.MICROSECONDS.toNanos(20));
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        // One message a millisecond, in batches of 100, until a message is seen from a window's spin. The learner only
        // trusts gaps that deviate by <= 20 µs, so on a loaded machine this can take several batches; the hang guard
        // bounds it (a strategy that never engages fails here).
        final long deadline = System.nanoTime() + HANG_GUARD_NANOS;
        long sent = 0;
        while (strategy.windowCatches() == 0)
        {
            assertTrue(System.nanoTime() < deadline, "hang guard: a 1 ms cadence was never caught in a window (spins " + strategy.cadenceSpins() + ")");
            sendPaced(ring, TimeUnit.MILLISECONDS.toNanos(1), 100);
            sent += 100;
        }
        final long expected = sent;
        await(() -> handler.events.get() == expected, "every paced message delivered");
    }

    @Test
    void noWakeUpIsLostWithACadence() throws InterruptedException
    {
        // Paced runs (the cadence is learned, so the consumer parks until a window and spins in it) alternate with
        // random pauses and bursts from a second publisher, so publishes race timed parks, windows and plain parks; a
        // park outside a window lasts an hour, so a lost wake-up hangs.
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(20_000, 0, HOUR_NANOS, TimeUnit.MICROSECONDS.toNanos(250), true, true,
            TimeUnit.MICROSECONDS.toNanos(20));
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        final int rounds = 8;
        final int paced = 100;
        final int burst = 50;
        final Thread other = Thread.ofPlatform().start(() -> {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int r = 0; r < rounds; r++)
            {
                LockSupport.parkNanos(random.nextLong(5_000_000, 30_000_000));
                for (int i = 0; i < burst; i++)
                {
                    publish(ring, 1);
                }
            }
        });
        for (int r = 0; r < rounds; r++)
        {
            sendPaced(ring, TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(80, 400)), paced);
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000, 3_000_000));
        }
        other.join();
        final long expected = (long)rounds * (paced + burst);
        await(() -> handler.events.get() == expected, "every event delivered, none waiting on a missed wake-up");
        assertEquals(expected, handler.sum.get());
    }

    @Test
    void theCadenceAllocatesNothingOnTheConsumerThread()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final PhasedWaitStrategy strategy = new PhasedWaitStrategy(20_000, 0, HOUR_NANOS, TimeUnit.MICROSECONDS.toNanos(250), true, true,
            TimeUnit.MICROSECONDS.toNanos(20));
        final Counting handler = new Counting();
        final RingBuffer<long[]> ring = start(strategy, handler);
        final int messages = 400;
        sendPaced(ring, TimeUnit.MICROSECONDS.toNanos(500), messages); // learns the cadence; the timer slack is set on the first park
        await(() -> handler.events.get() == messages, "delivered");
        final long threadId = consumer.threadId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        sendPaced(ring, TimeUnit.MICROSECONDS.toNanos(500), messages);
        await(() -> handler.events.get() == 2L * messages, "delivered");
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < 64, "the consumer allocated " + allocated + " B over " + messages + " paced messages (timed parks, windows, ticks)");
    }

    @Test
    void theTimerSlackCanBeSetOnLinux()
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"));
        final long[] seen = new long[2];
        final Thread t = Thread.ofPlatform().unstarted(() -> {
            assertTrue(ThreadTimerSlack.set(PhasedWaitStrategy.CADENCE_TIMER_SLACK_NANOS));
            seen[0] = ThreadTimerSlack.get();
        });
        t.start();
        assertDoesNotThrow(() -> t.join());
        assertEquals(PhasedWaitStrategy.CADENCE_TIMER_SLACK_NANOS, seen[0], "prctl(PR_GET_TIMERSLACK) on the thread that set it");
        assertNotEquals(PhasedWaitStrategy.CADENCE_TIMER_SLACK_NANOS, ThreadTimerSlack.get(), "per thread: the test thread keeps its own");
    }

    /** Bursts with ~2 µs gaps and pauses of 0.3–1 ms (ticks and parks), then waits until all are consumed. */
    private static void sendMixed(final RingBuffer<long[]> ring, final Counting handler, final int messages)
    {
        final long start = handler.events.get();
        for (int i = 0; i < messages; i++)
        {
            publish(ring, 1);
            if ((i & 255) == 0)
            {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(300_000, 1_000_000));
            }
            else
            {
                final long until = System.nanoTime() + 2_000;
                while (System.nanoTime() < until)
                {
                    Thread.onSpinWait();
                }
            }
        }
        await(() -> handler.events.get() == start + messages, "every event delivered");
    }

    @Test
    void rejectsNonsensePhases()
    {
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(-1, 0, 1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(0, 0, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(0, 0, 1, -1, false));
        assertThrows(IllegalArgumentException.class, () -> new PhasedWaitStrategy(20_000, 0, 1, 0, false, true, -1));
    }
}
