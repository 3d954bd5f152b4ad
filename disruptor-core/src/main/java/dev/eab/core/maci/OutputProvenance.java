package dev.eab.core.maci;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Who produced each output: a bounded, primitive, open-addressing map from a 64-bit hash of the output id (a
 * message id, or an id recorded through {@code bus.maci().recordOutput}) to the producer's registry handle and
 * the MACI role it had when it produced the output.
 *
 * <ul>
 *   <li><b>Bound.</b> At most {@code capacity} outputs. At the bound the <em>oldest</em> insertion is forgotten
 *   (FIFO, a ring of keys beside the table; linear probing with backward-shift deletion, so no tombstones). A
 *   forgotten output has an unknown producer: a validation aimed at it is rejected in strict mode
 *   ({@code MACI_TARGET_NOT_FOUND}) and allowed in non-strict mode. Nothing is spilled to the journal.</li>
 *   <li><b>Never by unregistering.</b> Entries outlive the agent's registration, and handles are never reused
 *   for another agent id, so an agent that unregisters and registers again is still the producer of its
 *   outputs: re-registering cannot launder them.</li>
 *   <li><b>Keys.</b> A seeded 64-bit hash (random per store; FNV-1a steps finished by a murmur mix) of the id's
 *   UTF-16 chars; a flyweight message's id is its correlation id in decimal, hashed digit by digit without
 *   building the string, so {@code target_output_id: "42"} names flyweight message 42. The seed keeps ids from
 *   being crafted offline to collide; it is not a MAC.</li>
 *   <li><b>Conflicts.</b> The same id produced by a second agent makes the entry {@link #AMBIGUOUS}: the bus
 *   treats a validation aimed at it as self-validation (fail closed), since either producer may be asking.</li>
 *   <li><b>Threads.</b> The bus thread records every accepted message and looks targets up; API callers record
 *   outputs and ask {@link #producer}. One monitor guards it: each call holds it for one probe and allocates
 *   nothing.</li>
 * </ul>
 */
public final class OutputProvenance
{
    /** Producer handle of an output recorded by two different agents. */
    public static final int AMBIGUOUS = -2;
    /** {@link #lookup} result for an unknown output. */
    public static final long NOT_FOUND = Long.MIN_VALUE;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long[] POW10 = new long[19];

    static
    {
        long p = 1;
        for (int i = 0; i < POW10.length; i++)
        {
            POW10[i] = p;
            p *= 10;
        }
    }

    private final int capacity;
    private final int mask;
    private final long[] keys;
    private final int[] producers;
    private final byte[] roles;
    private final long[] order;
    private final long seed;
    private int head;
    private int size;
    private long evicted;

    /** @param capacity the most outputs remembered (≥ 1). */
    public OutputProvenance(final int capacity)
    {
        this(capacity, ThreadLocalRandom.current().nextLong());
    }

    OutputProvenance(final int capacity, final long seed)
    {
        if (capacity < 1 || capacity > 1 << 26)
        {
            throw new IllegalArgumentException("capacity must be 1..2^26, got " + capacity);
        }
        this.capacity = capacity;
        final int slots = Integer.highestOneBit(capacity * 2 - 1) << 1;
        this.mask = slots - 1;
        this.keys = new long[slots];
        this.producers = new int[slots];
        this.roles = new byte[slots];
        this.order = new long[capacity];
        this.seed = seed;
    }

    /** @return the key of an output id (never 0). */
    public long keyOf(final CharSequence id)
    {
        long h = seed;
        for (int i = 0; i < id.length(); i++)
        {
            h = (h ^ id.charAt(i)) * FNV_PRIME;
        }
        return finish(h, id.length());
    }

    /** @return the key of {@code Long.toString(id)} without building it (a flyweight message's id). */
    public long keyOf(final long id)
    {
        long h = seed;
        int length = 0;
        long v = id;
        if (v < 0)
        {
            h = (h ^ '-') * FNV_PRIME;
            length++;
        }
        else
        {
            v = -v;
        }
        // v <= 0 from here on, so Long.MIN_VALUE needs no special case.
        int digits = 1;
        while (digits < POW10.length && v <= -POW10[digits])
        {
            digits++;
        }
        for (int i = digits - 1; i >= 0; i--)
        {
            final int d = (int)-((v / POW10[i]) % 10);
            h = (h ^ ('0' + d)) * FNV_PRIME;
            length++;
        }
        return finish(h, length);
    }

    private static long finish(final long hash, final int length)
    {
        long h = hash ^ length;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /**
     * Records that the agent with {@code producerHandle} (role {@code role}, -1 for none) produced the output.
     * Recording the same output again by the same agent changes nothing; by another agent marks it ambiguous.
     */
    public synchronized void record(final long key, final int producerHandle, final int role)
    {
        int i = (int)key & mask;
        while (true)
        {
            final long k = keys[i];
            if (k == key)
            {
                if (producers[i] != producerHandle)
                {
                    producers[i] = AMBIGUOUS;
                    roles[i] = -1;
                }
                return;
            }
            if (k == 0)
            {
                break;
            }
            i = (i + 1) & mask;
        }
        if (size == capacity)
        {
            remove(order[head]);
            head = head + 1 == capacity ? 0 : head + 1;
            size--;
            evicted++;
            // The slot found above may have moved by the backward shift: probe again.
            i = (int)key & mask;
            while (keys[i] != 0)
            {
                i = (i + 1) & mask;
            }
        }
        keys[i] = key;
        producers[i] = producerHandle;
        roles[i] = (byte)role;
        final int tail = head + size;
        order[tail >= capacity ? tail - capacity : tail] = key;
        size++;
    }

    /**
     * @return {@link #NOT_FOUND}, or the producer packed as {@code handle << 8 | role & 0xFF}: read it with
     * {@link #producer(long)} and {@link #role(long)}.
     */
    public synchronized long lookup(final long key)
    {
        int i = (int)key & mask;
        while (true)
        {
            final long k = keys[i];
            if (k == key)
            {
                return (long)producers[i] << 8 | roles[i] & 0xFF;
            }
            if (k == 0)
            {
                return NOT_FOUND;
            }
            i = (i + 1) & mask;
        }
    }

    /** @return the producer handle of a {@link #lookup} result ({@link #AMBIGUOUS} possible). */
    public static int producer(final long packed)
    {
        return (int)(packed >> 8);
    }

    /** @return the producer's role ordinal (-1 none) of a {@link #lookup} result. */
    public static int role(final long packed)
    {
        return (byte)packed;
    }

    /** @return outputs remembered now. */
    public synchronized int size()
    {
        return size;
    }

    /** @return outputs forgotten because the bound was reached. */
    public synchronized long evicted()
    {
        return evicted;
    }

    /** @return the bound. */
    public int capacity()
    {
        return capacity;
    }

    private void remove(final long key)
    {
        int i = (int)key & mask;
        while (keys[i] != key)
        {
            if (keys[i] == 0)
            {
                return;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move later entries of the probe run into the hole when their home slot allows.
        int j = i;
        while (true)
        {
            j = (j + 1) & mask;
            final long k = keys[j];
            if (k == 0)
            {
                break;
            }
            final int home = (int)k & mask;
            final boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays)
            {
                keys[i] = k;
                producers[i] = producers[j];
                roles[i] = roles[j];
                i = j;
            }
        }
        keys[i] = 0;
        producers[i] = 0;
        roles[i] = 0;
    }
}
