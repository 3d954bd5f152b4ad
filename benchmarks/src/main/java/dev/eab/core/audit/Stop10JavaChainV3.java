package dev.eab.core.audit;

/**
 * STOP 10's Java version-3 batch ({@code Blake3Java.chainBatchV3} as it was, over {@link Stop10Blake3Lanes}),
 * kept as the same-run baseline of {@code AuditChainV3Benchmark} and {@code ChainV3CostMain}. Same bytes as
 * {@link Blake3Java#chainBatchV3}. One thread per instance.
 */
public final class Stop10JavaChainV3
{
    private static final int HASH_LENGTH = ChainHasher.HASH_LENGTH;
    private static final int GROUP_RECORDS = 64;
    private static final int MIN_LANE_RECORDS = 4;
    private final Blake3Keyed keyed = new Blake3Keyed();
    private final Stop10Blake3Lanes lanes = new Stop10Blake3Lanes();
    private final Stop10Blake3Lanes wideLanes = new Stop10Blake3Lanes(Stop10Blake3Lanes.WIDE_LANES);
    private final int[] offsets = new int[GROUP_RECORDS];
    private final int[] groupLengths = new int[GROUP_RECORDS];
    private final byte[] leaves = new byte[GROUP_RECORDS * HASH_LENGTH];

    /** As {@link ChainHasher#chainBatchV3}, for single-chunk records only (the benchmark's 256 B). */
    public void chainBatchV3(final byte[] link, final byte[] buf, final int[] lengths, final int count)
    {
        ChainHasher.checkBatch(buf, lengths, count);
        int offset = 0;
        for (int start = 0; start < count; start += GROUP_RECORDS)
        {
            final int n = Math.min(count - start, GROUP_RECORDS);
            for (int j = 0; j < n; j++)
            {
                offsets[j] = offset;
                groupLengths[j] = lengths[start + j];
                offset += lengths[start + j] + HASH_LENGTH;
            }
            leaves(buf, n);
            for (int j = 0; j < n; j++)
            {
                Blake3Link.link(link, 0, leaves, j * HASH_LENGTH, link, 0);
                System.arraycopy(link, 0, buf, offsets[j] + groupLengths[j], HASH_LENGTH);
            }
        }
    }

    private void leaves(final byte[] buf, final int n)
    {
        int j = 0;
        while (j < n)
        {
            final int limit = Math.min(n - j, Stop10Blake3Lanes.WIDE_LANES);
            int run = 0;
            while (run < limit && groupLengths[j + run] <= Stop10Blake3Lanes.MAX_RECORD_LENGTH)
            {
                run++;
            }
            if (run > Stop10Blake3Lanes.WIDE_LANES / 2)
            {
                wideLanes.hash(buf, offsets, groupLengths, j, run, leaves, j * HASH_LENGTH);
                j += run;
            }
            else if (run >= MIN_LANE_RECORDS)
            {
                final int count = Math.min(run, Stop10Blake3Lanes.LANES);
                lanes.hash(buf, offsets, groupLengths, j, count, leaves, j * HASH_LENGTH);
                j += count;
            }
            else
            {
                if (groupLengths[j] > Blake3Keyed.CHUNK_LENGTH)
                {
                    throw new IllegalArgumentException("the stop-10 baseline takes single-chunk records only");
                }
                keyed.hash(buf, offsets[j], groupLengths[j], leaves, j * HASH_LENGTH);
                j++;
            }
        }
    }
}
