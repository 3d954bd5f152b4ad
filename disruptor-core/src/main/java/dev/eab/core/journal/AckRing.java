package dev.eab.core.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The hand-over of acknowledgements made off the bus thread (dispatched handlers, {@code receive()}, replay
 * refusals) to the journal's ack writer: a bounded many-producer, single-consumer ring of
 * {@code (long index, int status)} pairs in preallocated primitive arrays, so an ack allocates nothing and
 * takes no lock (it replaced an {@code ArrayBlockingQueue<long[]>}: one lock and one array per ack).
 *
 * <p>Protocol (Vyukov's bounded queue): each slot has a sequence; a producer claims position {@code p} with
 * one CAS on the tail once the slot's sequence says it is free ({@code == p}), writes the pair and publishes
 * the slot by setting its sequence to {@code p + 1} (release); the single consumer reads slot {@code p} once
 * its sequence is {@code p + 1} (acquire) and frees it for the next lap by setting it to {@code p + capacity}.
 * A full ring makes the producer wait (back-pressure, as the blocking queue did): an ack is never dropped.
 *
 * <p>Threads: {@link #offer} from any thread; {@link #drain} from the ack writer thread only.
 */
final class AckRing
{
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TAIL;
    private static final long FULL_PARK_NS = 10_000;

    static
    {
        try
        {
            TAIL = MethodHandles.lookup().findVarHandle(AckRing.class, "tail", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final long[] sequences;
    private final long[] indexes;
    private final int[] statuses;
    // Padding keeps the producers' contended tail off the consumer's head line (false sharing).
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7;
    private volatile long tail;
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7;
    /** Consumer only. */
    private long head;

    /** @param capacity slots, a power of two. */
    AckRing(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        mask = capacity - 1;
        sequences = new long[capacity];
        indexes = new long[capacity];
        statuses = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            sequences[i] = i;
        }
    }

    /** Any thread: queues one ack, waiting while the ring is full. Allocation-free. */
    void offer(final long index, final int status)
    {
        while (true)
        {
            final long p = tail;
            final int slot = (int)p & mask;
            final long seq = (long)LONGS.getAcquire(sequences, slot);
            if (seq == p)
            {
                if (TAIL.compareAndSet(this, p, p + 1))
                {
                    indexes[slot] = index;
                    statuses[slot] = status;
                    LONGS.setRelease(sequences, slot, p + 1);
                    return;
                }
            }
            else if (seq < p)
            {
                // Full: the consumer has not freed this slot since the last lap.
                LockSupport.parkNanos(FULL_PARK_NS);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Ack writer thread: moves up to {@code max} queued acks, in queue order, into the arrays.
     *
     * @return how many were moved (0 when none is published yet).
     */
    int drain(final long[] toIndexes, final int[] toStatuses, final int max)
    {
        int n = 0;
        while (n < max)
        {
            final long p = head;
            final int slot = (int)p & mask;
            if ((long)LONGS.getAcquire(sequences, slot) != p + 1)
            {
                break;
            }
            toIndexes[n] = indexes[slot];
            toStatuses[n] = statuses[slot];
            n++;
            head = p + 1;
            LONGS.setRelease(sequences, slot, p + mask + 1);
        }
        return n;
    }

    /** @return true when no ack is claimed but not yet drained (an estimate while producers run). */
    boolean isEmpty()
    {
        return tail == head;
    }
}
