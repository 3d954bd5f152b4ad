package dev.eab.core.journal;

/**
 * A set of longs, open addressing with linear probing, no boxing: the acknowledged journal indexes read at
 * a restart (millions of them must not become millions of {@code Long}s). Not thread-safe. {@code -1} is
 * never a journal index and marks a free slot.
 */
final class LongHashSet
{
    private static final long FREE = -1;
    private long[] slots;
    private int size;

    LongHashSet(final int expected)
    {
        slots = new long[Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1];
        java.util.Arrays.fill(slots, FREE);
    }

    void add(final long v)
    {
        if ((size + 1) * 2 > slots.length)
        {
            grow();
        }
        if (insert(slots, v))
        {
            size++;
        }
    }

    boolean contains(final long v)
    {
        final int mask = slots.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask)
        {
            final long s = slots[i];
            if (s == v)
            {
                return true;
            }
            if (s == FREE)
            {
                return false;
            }
        }
    }

    int size()
    {
        return size;
    }

    private static boolean insert(final long[] table, final long v)
    {
        final int mask = table.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask)
        {
            if (table[i] == v)
            {
                return false;
            }
            if (table[i] == FREE)
            {
                table[i] = v;
                return true;
            }
        }
    }

    private void grow()
    {
        final long[] bigger = new long[slots.length * 2];
        java.util.Arrays.fill(bigger, FREE);
        for (final long s : slots)
        {
            if (s != FREE)
            {
                insert(bigger, s);
            }
        }
        slots = bigger;
    }

    static int mix(final long v)
    {
        final long h = v * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 32));
    }
}
