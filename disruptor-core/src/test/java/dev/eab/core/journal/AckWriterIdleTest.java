package dev.eab.core.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's ack writer sleeps when no ack comes (it used to wake every 200 µs forever, thousands of context
 * switches a second on a bus whose handlers never ack) and an ack wakes it at once.
 */
final class AckWriterIdleTest
{
    /** Hang bound for each wait; the writer's own idle polls last ~10 ms. */
    private static final long HANG_BOUND_NS = TimeUnit.SECONDS.toNanos(10);
    /**
     * The writer's sleep is bounded at 1 s in case of a lost wake-up; a woken writer writes well within half of
     * that, so an ack that took longer was picked up by the timeout, not by the wake-up.
     */
    private static final long WOKEN_WITHIN_NS = TimeUnit.MILLISECONDS.toNanos(500);

    @TempDir
    Path dir;

    @Test
    void idleWriterSleepsAndAnAckWakesIt()
    {
        try (MessageJournal journal = MessageJournal.open(dir.resolve("journal"), 16))
        {
            await(() -> journal.ackWriterSleeps() >= 1, "the idle ack writer never went to sleep");
            for (int round = 1; round <= 3; round++)
            {
                await(journal::ackWriterAsleep, "the ack writer did not go back to sleep");
                final long start = System.nanoTime();
                journal.ack(round, 0);
                final long acked = round;
                await(() -> journal.ackWriterWritten() >= acked, "the ack was never written");
                final long tookNs = System.nanoTime() - start;
                assertTrue(tookNs < WOKEN_WITHIN_NS, "round " + round + ": the sleeping ack writer took " +
                    TimeUnit.NANOSECONDS.toMillis(tookNs) + " ms to write an ack: the ack did not wake it");
            }
            assertEquals(3, journal.ackWriterWritten());
        }
    }

    private static void await(final BooleanSupplier condition, final String failure)
    {
        final long deadline = System.nanoTime() + HANG_BOUND_NS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, failure);
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
