package dev.eab.core.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * STOP 10's {@code Blake3Lanes}, kept unchanged as the same-run baseline of {@code AuditChainV3Benchmark} and
 * {@code ChainV3CostMain} (its message transposition read 16 ints per block one by one into a 2-D array).
 *
 * <p>Plain BLAKE3 of up to {@value #LANES} single-chunk records at once: the Java twin of the lane path in
 * {@code native-rust/src/chain3.rs}, for the leaves of chain version 3 ({@link ChainHasher#chainBatchV3}).
 *
 * <p>The state is kept transposed: row {@code i} of {@link #v} holds state word {@code i} of every record, so each
 * step of BLAKE3's G function is one short loop over the lanes ({@link #g}) with no dependence between lanes.
 * C2's SuperWord turns each such loop into whole-register instructions (16 ints in one AVX-512 register, two
 * AVX2 registers otherwise) without the incubating Vector API, so no {@code --add-modules} flag (and no
 * incubator warning) is needed. Each lane has its own block count and flags; a lane whose record has ended
 * keeps its chaining value (a mask select) while longer records finish.
 *
 * <p>One thread per instance: the rows are reused scratch (no allocation per call).
 */
final class Stop10Blake3Lanes
{
    /** Records hashed together by default: one AVX-512 register of ints. */
    static final int LANES = 16;
    /**
     * The wide width, for runs of many records: with 16 lanes each G loop is too short for C2's vectorised main
     * loop (most iterations land in its pre/post loops); 64 lanes keep the main loop busy and measured ~1.8x
     * cheaper per record, but cost as much for 17 records as for 64.
     */
    static final int WIDE_LANES = 64;
    /** Longest record hashed here: one BLAKE3 chunk. */
    static final int MAX_RECORD_LENGTH = 1024;
    private static final int BLOCK_LENGTH = 64;
    private static final int CHUNK_START = Blake3Keyed.CHUNK_START;
    private static final int CHUNK_END = Blake3Keyed.CHUNK_END;
    private static final int ROOT = Blake3Keyed.ROOT;
    private static final int[] IV = {Blake3Keyed.IV0, Blake3Keyed.IV1, Blake3Keyed.IV2, Blake3Keyed.IV3, Blake3Keyed.IV4, Blake3Keyed.IV5,
        Blake3Keyed.IV6, Blake3Keyed.IV7};
    /** The message word order of each round (BLAKE3's permutation applied 0..6 times). */
    private static final int[][] SCHEDULE = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
        {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
        {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
        {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
        {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
        {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
    };
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int lanes;
    private final int[][] v;
    private final int[][] m;
    private final int[][] cv;
    private final int[] blockLength;
    private final int[] flags;
    private final int[] active;
    private final int[] blocks;
    private final byte[] pad = new byte[BLOCK_LENGTH];

    /** {@value #LANES} lanes. */
    Stop10Blake3Lanes()
    {
        this(LANES);
    }

    /** @param lanes records hashed together (a multiple of 16). */
    Stop10Blake3Lanes(final int lanes)
    {
        this.lanes = lanes;
        v = new int[16][lanes];
        m = new int[16][lanes];
        cv = new int[8][lanes];
        blockLength = new int[lanes];
        flags = new int[lanes];
        active = new int[lanes];
        blocks = new int[lanes];
    }

    /** @return records hashed together. */
    int lanes()
    {
        return lanes;
    }

    /**
     * Hashes records {@code first .. first + count - 1}: record {@code j} is {@code data[offsets[j], offsets[j] +
     * lengths[j])}; its 32-byte hash goes to {@code out[outOffset + 32 * (j - first)]}.
     *
     * @throws IllegalArgumentException when {@code count} exceeds {@link #lanes()} or a record exceeds one chunk.
     */
    void hash(final byte[] data, final int[] offsets, final int[] lengths, final int first, final int count,
        final byte[] out, final int outOffset)
    {
        final int lanes = this.lanes;
        if (count < 0 || count > lanes)
        {
            throw new IllegalArgumentException(count + " records for " + lanes + " lanes");
        }
        int maxBlocks = 1;
        for (int l = 0; l < lanes; l++)
        {
            int b = 0;
            if (l < count)
            {
                final int length = lengths[first + l];
                if (length > MAX_RECORD_LENGTH)
                {
                    throw new IllegalArgumentException("one chunk (" + MAX_RECORD_LENGTH + " bytes) at most, got " + length);
                }
                b = length == 0 ? 1 : (length + BLOCK_LENGTH - 1) / BLOCK_LENGTH;
                maxBlocks = Math.max(maxBlocks, b);
            }
            blocks[l] = b;
        }
        for (int i = 0; i < 8; i++)
        {
            java.util.Arrays.fill(cv[i], IV[i]);
        }
        for (int b = 0; b < maxBlocks; b++)
        {
            loadBlock(data, offsets, lengths, first, count, b);
            compress();
        }
        for (int l = 0; l < count; l++)
        {
            final int at = outOffset + 32 * l;
            for (int i = 0; i < 8; i++)
            {
                LE_INT.set(out, at + 4 * i, cv[i][l]);
            }
        }
    }

    /** Transposes block {@code b} of every lane into the message rows and sets each lane's length, flags and mask. */
    private void loadBlock(final byte[] data, final int[] offsets, final int[] lengths, final int first, final int count, final int b)
    {
        final int at = b * BLOCK_LENGTH;
        for (int l = 0; l < lanes; l++)
        {
            final boolean live = b < blocks[l];
            final int length = l < count ? lengths[first + l] : 0;
            final int n = live ? Math.min(length - at, BLOCK_LENGTH) : 0;
            blockLength[l] = n;
            active[l] = live ? -1 : 0;
            int f = b == 0 ? CHUNK_START : 0;
            if (live && b + 1 == blocks[l])
            {
                f |= CHUNK_END | ROOT;
            }
            flags[l] = f;
            if (n == BLOCK_LENGTH)
            {
                final int src = offsets[first + l] + at;
                for (int w = 0; w < 16; w++)
                {
                    m[w][l] = (int)LE_INT.get(data, src + 4 * w);
                }
            }
            else
            {
                java.util.Arrays.fill(pad, (byte)0);
                if (n > 0)
                {
                    System.arraycopy(data, offsets[first + l] + at, pad, 0, n);
                }
                for (int w = 0; w < 16; w++)
                {
                    m[w][l] = (int)LE_INT.get(pad, 4 * w);
                }
            }
        }
    }

    /** One compression of every lane; lanes whose record has ended keep their chaining value. */
    private void compress()
    {
        final int[][] v = this.v;
        final int[][] m = this.m;
        final int[][] cv = this.cv;
        final int lanes = this.lanes;
        for (int i = 0; i < 8; i++)
        {
            System.arraycopy(cv[i], 0, v[i], 0, lanes);
        }
        for (int i = 0; i < 4; i++)
        {
            java.util.Arrays.fill(v[8 + i], IV[i]);
        }
        java.util.Arrays.fill(v[12], 0);
        java.util.Arrays.fill(v[13], 0);
        System.arraycopy(blockLength, 0, v[14], 0, lanes);
        System.arraycopy(flags, 0, v[15], 0, lanes);
        final int[] v0 = v[0];
        final int[] v1 = v[1];
        final int[] v2 = v[2];
        final int[] v3 = v[3];
        final int[] v4 = v[4];
        final int[] v5 = v[5];
        final int[] v6 = v[6];
        final int[] v7 = v[7];
        final int[] v8 = v[8];
        final int[] v9 = v[9];
        final int[] v10 = v[10];
        final int[] v11 = v[11];
        final int[] v12 = v[12];
        final int[] v13 = v[13];
        final int[] v14 = v[14];
        final int[] v15 = v[15];
        for (int r = 0; r < 7; r++)
        {
            final int[] s = SCHEDULE[r];
            g(v0, v4, v8, v12, m[s[0]], m[s[1]]);
            g(v1, v5, v9, v13, m[s[2]], m[s[3]]);
            g(v2, v6, v10, v14, m[s[4]], m[s[5]]);
            g(v3, v7, v11, v15, m[s[6]], m[s[7]]);
            g(v0, v5, v10, v15, m[s[8]], m[s[9]]);
            g(v1, v6, v11, v12, m[s[10]], m[s[11]]);
            g(v2, v7, v8, v13, m[s[12]], m[s[13]]);
            g(v3, v4, v9, v14, m[s[14]], m[s[15]]);
        }
        final int[] mask = active;
        for (int i = 0; i < 8; i++)
        {
            final int[] c = cv[i];
            final int[] lo = v[i];
            final int[] hi = v[i + 8];
            for (int l = 0; l < lanes; l++)
            {
                final int a = mask[l];
                c[l] = ((lo[l] ^ hi[l]) & a) | (c[l] & ~a);
            }
        }
    }

    /** BLAKE3's G on every lane: a loop with no dependence between iterations, which SuperWord vectorises. */
    private static void g(final int[] a, final int[] b, final int[] c, final int[] d, final int[] x, final int[] y)
    {
        for (int l = 0; l < a.length; l++)
        {
            int va = a[l] + b[l] + x[l];
            int vd = Integer.rotateRight(d[l] ^ va, 16);
            int vc = c[l] + vd;
            int vb = Integer.rotateRight(b[l] ^ vc, 12);
            va += vb + y[l];
            vd = Integer.rotateRight(vd ^ va, 8);
            vc += vd;
            vb = Integer.rotateRight(vb ^ vc, 7);
            a[l] = va;
            b[l] = vb;
            c[l] = vc;
            d[l] = vd;
        }
    }
}
