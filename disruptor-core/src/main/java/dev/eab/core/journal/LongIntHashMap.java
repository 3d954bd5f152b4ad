package dev.eab.core.journal;

/**
 * A map from long to int, open addressing with linear probing, no boxing: where each pending journal index
 * sits in the replay's list while the single forward read of {@code messages/} runs (a later ack in the same
 * queue must find its message without a second pass). Put and get only. Not thread-safe. {@code -1} is never
 * a journal index and marks a free slot.
 */
final class LongIntHashMap
{
    private static final long FREE = -1;
    private static final int MISSING = -1;
    private long[] keys;
    private int[] values;
    private int size;

    LongIntHashMap(final int expected)
    {
        final int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        java.util.Arrays.fill(keys, FREE);
    }

    /** Sets {@code key}'s value (replacing an earlier one). */
    void put(final long key, final int value)
    {
        if ((size + 1) * 2 > keys.length)
        {
            grow();
        }
        if (insert(keys, values, key, value))
        {
            size++;
        }
    }

    /** @return {@code key}'s value, or -1 when absent. */
    int get(final long key)
    {
        final int mask = keys.length - 1;
        for (int i = LongHashSet.mix(key) & mask; ; i = (i + 1) & mask)
        {
            final long k = keys[i];
            if (k == key)
            {
                return values[i];
            }
            if (k == FREE)
            {
                return MISSING;
            }
        }
    }

    int size()
    {
        return size;
    }

    private static boolean insert(final long[] ks, final int[] vs, final long key, final int value)
    {
        final int mask = ks.length - 1;
        for (int i = LongHashSet.mix(key) & mask; ; i = (i + 1) & mask)
        {
            if (ks[i] == key)
            {
                vs[i] = value;
                return false;
            }
            if (ks[i] == FREE)
            {
                ks[i] = key;
                vs[i] = value;
                return true;
            }
        }
    }

    private void grow()
    {
        final long[] biggerKeys = new long[keys.length * 2];
        final int[] biggerValues = new int[keys.length * 2];
        java.util.Arrays.fill(biggerKeys, FREE);
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i] != FREE)
            {
                insert(biggerKeys, biggerValues, keys[i], values[i]);
            }
        }
        keys = biggerKeys;
        values = biggerValues;
    }
}
