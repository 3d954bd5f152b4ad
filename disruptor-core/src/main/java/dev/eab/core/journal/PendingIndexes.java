package dev.eab.core.journal;

/**
 * The journal indexes of the pending list during the single forward read of {@code messages/}, in the order they
 * were added, which is ascending (Chronicle indexes grow along a queue): so an ack met later finds its message by
 * binary search over one primitive array, with no hashing and no boxing. (A hash map from index to position cost
 * a third of the read: one cache miss per insert at a million entries, JFR.) Not thread-safe.
 */
final class PendingIndexes
{
    private long[] indexes;
    private int size;

    PendingIndexes(final int expected)
    {
        indexes = new long[Math.max(16, expected)];
    }

    /**
     * Appends {@code index}, the pending list's next position.
     *
     * @throws IllegalStateException when it is not above the last one (the read would not find acks by search).
     */
    void add(final long index)
    {
        if (size > 0 && index <= indexes[size - 1])
        {
            throw new IllegalStateException("journal indexes out of order: " + Long.toHexString(index) + " after " +
                Long.toHexString(indexes[size - 1]));
        }
        if (size == indexes.length)
        {
            indexes = java.util.Arrays.copyOf(indexes, size * 2);
        }
        indexes[size++] = index;
    }

    /** @return the position {@code index} was added at, or -1. */
    int positionOf(final long index)
    {
        final int at = java.util.Arrays.binarySearch(indexes, 0, size, index);
        return at >= 0 ? at : -1;
    }

    int size()
    {
        return size;
    }
}
