package dev.eab.core.audit;

import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;

/**
 * The pure-Java twin of {@link Blake3Native}. The version-2 (keyed) step of records up to one BLAKE3 chunk
 * (1024 bytes: every ordinary decision record) runs in {@link Blake3Keyed}, hand-written and allocation-free;
 * longer records and the version-1 step use Bouncy Castle's {@link Blake3Digest} (one instance reset per
 * call; a keyed step over a long record allocates its parameters). Single-threaded (see {@link ChainHasher}).
 */
public final class Blake3Java implements ChainHasher
{
    private final Blake3Digest digest = new Blake3Digest(HASH_LENGTH * Byte.SIZE);
    private final Blake3Digest keyedDigest = new Blake3Digest(HASH_LENGTH * Byte.SIZE);
    private final Blake3Keyed keyed = new Blake3Keyed();
    private final byte[] key = new byte[HASH_LENGTH];
    private final Blake3Lanes lanes = new Blake3Lanes();
    private final Blake3Lanes wideLanes = new Blake3Lanes(Blake3Lanes.WIDE_LANES);
    /** Records whose leaves are hashed before their links are chained: one group's offsets and leaves. */
    private static final int GROUP_RECORDS = 64;
    /** A run of fewer single-chunk records than this is hashed one by one: a lane group costs as much for 1 as for 16. */
    private static final int MIN_LANE_RECORDS = 4;
    private final int[] offsets = new int[GROUP_RECORDS];
    private final int[] groupLengths = new int[GROUP_RECORDS];
    private final byte[] leaves = new byte[GROUP_RECORDS * HASH_LENGTH];
    private final byte[] leaf = new byte[HASH_LENGTH];

    /** Version 3 link of one record: the leaf (hand-written plain hash), then one keyed compression ({@link Blake3Link}). */
    @Override
    public void v3Step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        if (length <= Blake3Keyed.CHUNK_LENGTH)
        {
            keyed.hash(record, offset, length, leaf, 0);
        }
        else
        {
            hash(record, offset, length, leaf);
        }
        Blake3Link.link(prev, 0, leaf, 0, out, 0);
    }

    /**
     * Version 3 batch: per group of up to 64 records, the leaves first (runs of more than 32 single-chunk
     * records 64 lanes at a time, runs of 4 or more 16 at a time, in {@link Blake3Lanes}; the rest one by one),
     * then the links in order ({@link Blake3Link}: one compression each, on int locals). Allocation-free.
     */
    @Override
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

    /** The leaves of the group's {@code n} records ({@link #offsets}, {@link #groupLengths}) into {@link #leaves}. */
    private void leaves(final byte[] buf, final int n)
    {
        int j = 0;
        while (j < n)
        {
            final int limit = Math.min(n - j, Blake3Lanes.WIDE_LANES);
            int run = 0;
            while (run < limit && groupLengths[j + run] <= Blake3Lanes.MAX_RECORD_LENGTH)
            {
                run++;
            }
            if (run > Blake3Lanes.WIDE_LANES / 2)
            {
                wideLanes.hash(buf, offsets, groupLengths, j, run, leaves, j * HASH_LENGTH);
                j += run;
            }
            else if (run >= MIN_LANE_RECORDS)
            {
                final int count = Math.min(run, Blake3Lanes.LANES);
                lanes.hash(buf, offsets, groupLengths, j, count, leaves, j * HASH_LENGTH);
                j += count;
            }
            else
            {
                final int length = groupLengths[j];
                if (length <= Blake3Keyed.CHUNK_LENGTH)
                {
                    keyed.hash(buf, offsets[j], length, leaves, j * HASH_LENGTH);
                }
                else
                {
                    hash(buf, offsets[j], length, leaf);
                    System.arraycopy(leaf, 0, leaves, j * HASH_LENGTH, HASH_LENGTH);
                }
                j++;
            }
        }
    }

    @Override
    public void keyedStep(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        if (length <= Blake3Keyed.CHUNK_LENGTH)
        {
            keyed.keyedHash(prev, record, offset, length, out, 0);
            return;
        }
        keyedReference(prev, record, offset, length, out);
    }

    /** The keyed step through Bouncy Castle, for any length: the reference {@link Blake3Keyed} is tested against. */
    public void keyedReference(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        System.arraycopy(prev, 0, key, 0, HASH_LENGTH);
        keyedDigest.init(Blake3Parameters.key(key));
        keyedDigest.update(record, offset, length);
        keyedDigest.doFinal(out, 0);
    }

    @Override
    public void step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        digest.reset();
        digest.update(prev, 0, HASH_LENGTH);
        digest.update(record, offset, length);
        digest.doFinal(out, 0);
    }

    @Override
    public void hash(final byte[] data, final int offset, final int length, final byte[] out)
    {
        digest.reset();
        digest.update(data, offset, length);
        digest.doFinal(out, 0);
    }

    /** The extended output (XOF), for the official vectors' longer outputs. */
    public void hashExtended(final byte[] data, final int offset, final int length, final byte[] out)
    {
        digest.reset();
        digest.update(data, offset, length);
        digest.doFinal(out, 0, out.length);
    }

    @Override
    public String name()
    {
        return "java";
    }
}
