package dev.eab.core.journal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The lock-free ack hand-over: every ack from many producers is drained exactly once, each producer's in its order. */
class AckRingTest
{
    private static final long HANG_GUARD_MS = TimeUnit.SECONDS.toMillis(30);

    @Test
    void manyProducersLoseNothingDuplicateNothingAndKeepEachProducersOrder() throws Exception
    {
        final int producers = 4;
        final int perProducer = 100_000;
        // Small on purpose: producers keep finding it full and must wait, not drop.
        final AckRing ring = new AckRing(64);
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final long base = (long)p << 32;
            final int status = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++)
                {
                    ring.offer(base + i, status);
                }
            }));
        }
        final long[] next = new long[producers];
        final long[] indexes = new long[16];
        final int[] statuses = new int[16];
        long drained = 0;
        final long deadline = System.currentTimeMillis() + HANG_GUARD_MS;
        while (drained < (long)producers * perProducer && System.currentTimeMillis() < deadline)
        {
            final int n = ring.drain(indexes, statuses, indexes.length);
            for (int i = 0; i < n; i++)
            {
                final int p = (int)(indexes[i] >>> 32);
                assertEquals(p, statuses[i], "the status travels with its index");
                assertEquals(next[p], indexes[i] & 0xFFFF_FFFFL, "producer " + p + "'s acks in order, none lost or repeated");
                next[p]++;
            }
            drained += n;
        }
        for (final Thread t : threads)
        {
            t.join(HANG_GUARD_MS);
        }
        assertEquals((long)producers * perProducer, drained);
        assertEquals(0, ring.drain(indexes, statuses, indexes.length));
        assertTrue(ring.isEmpty());
    }

    @Test
    void drainTakesAtMostMaxAndLeavesTheRest()
    {
        final AckRing ring = new AckRing(8);
        for (int i = 0; i < 5; i++)
        {
            ring.offer(i, JournalRecordDescriptor.ACK_DELIVERED);
        }
        final long[] indexes = new long[8];
        final int[] statuses = new int[8];
        assertEquals(3, ring.drain(indexes, statuses, 3));
        assertArrayEquals(new long[] {0, 1, 2}, java.util.Arrays.copyOf(indexes, 3));
        assertFalse(ring.isEmpty());
        assertEquals(2, ring.drain(indexes, statuses, 8));
        assertArrayEquals(new long[] {3, 4}, java.util.Arrays.copyOf(indexes, 2));
        assertThrows(IllegalArgumentException.class, () -> new AckRing(6));
    }
}
