package dev.eab.core.audit;

import dev.eab.core.ffi.NativeBindings;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chain version 3 three ways: Rust through FFM (lane-parallel leaves, {@code eab_audit_chain_batch_v3}), the Java
 * twin ({@link Blake3Lanes} leaves, hand-written links) and a reference built only from Bouncy Castle's
 * {@code Blake3Digest} (leaf = plain hash, link = keyed hash of the leaf), over generated batches: record lengths
 * 0..2,000 (single-chunk lanes, records that end at different blocks, records over one chunk that take the tree
 * path), batch sizes 1..40 (lane groups full, partial and below the lane threshold) and, every 8th round, up to
 * 150 (the 64-lane width and several 64-record groups).
 */
final class ChainV3DifferentialTest
{
    /** Bouncy Castle only: what version 3 means, written as plainly as possible. */
    private static void referenceLink(final byte[] prev, final byte[] data, final int offset, final int length, final byte[] out)
    {
        final Blake3Digest d = new Blake3Digest(256);
        d.update(data, offset, length);
        final byte[] leaf = new byte[32];
        d.doFinal(leaf, 0);
        new Blake3Java().keyedReference(prev, leaf, 0, 32, out);
    }

    @Test
    void generatedBatchesAgreeRustJavaAndBouncyCastle()
    {
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        final ChainHasher rust = new Blake3Native();
        final ChainHasher java = new Blake3Java();
        final SplittableRandom random = new SplittableRandom(0x3EAB3L);
        for (int round = 0; round < 400; round++)
        {
            // 1..40 records (narrow lanes, partial groups, one-by-one); every 8th round up to 150 (wide lanes, groups of 64).
            final int count = 1 + random.nextInt(round % 8 == 0 ? 150 : 40);
            final int[] lengths = new int[count];
            int total = 0;
            for (int i = 0; i < count; i++)
            {
                // Mostly ordinary records, some at block edges, some beyond one chunk.
                final int kind = random.nextInt(4);
                lengths[i] = kind == 0 ? random.nextInt(2_001) : kind == 1 ? 64 * random.nextInt(17) + random.nextInt(3) - 1 : 200 + random.nextInt(200);
                lengths[i] = Math.max(0, Math.min(2_000, lengths[i]));
                total += lengths[i] + 32;
            }
            final byte[] batch = new byte[total + random.nextInt(64)];
            random.nextBytes(batch);
            final byte[] batchJava = batch.clone();
            final byte[] expected = batch.clone();
            final byte[] start = new byte[32];
            random.nextBytes(start);
            final byte[] step = start.clone();
            int at = 0;
            for (int i = 0; i < count; i++)
            {
                referenceLink(step, expected, at, lengths[i], step);
                System.arraycopy(step, 0, expected, at + lengths[i], 32);
                at += lengths[i] + 32;
            }
            final byte[] headRust = start.clone();
            final byte[] headJava = start.clone();
            rust.chainBatchV3(headRust, batch, lengths, count);
            java.chainBatchV3(headJava, batchJava, lengths, count);
            assertArrayEquals(expected, batch, "Rust batch, round " + round);
            assertArrayEquals(expected, batchJava, "Java batch, round " + round);
            assertArrayEquals(step, headRust);
            assertArrayEquals(step, headJava);
        }
    }

    /**
     * Every record length 0..600 at least once, cut into batches of every size 1..70 in turn (one by one, the
     * 16-lane and 64-lane widths, partial groups, groups of 64 plus a remainder), chained by Rust, by the Java
     * twin and by the Bouncy Castle reference, on ONE Java hasher reused across batches: the lanes'
     * message rows keep stale words from the previous batch in lanes that have ended (they are not reloaded), so
     * a leak of a stale word into a hash would show here.
     */
    @Test
    void everyLengthUpTo600InBatchesOfOneTo70()
    {
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        final ChainHasher rust = new Blake3Native();
        final ChainHasher java = new Blake3Java();
        final SplittableRandom random = new SplittableRandom(0x600L);
        final byte[] rustHead = new byte[32];
        random.nextBytes(rustHead);
        final byte[] javaHead = rustHead.clone();
        final byte[] step = rustHead.clone();
        int nextLength = 0;
        // Sizes 1..70, 1..70, 1..60: the 601 lengths are used up within the first 35 batches.
        for (int b = 0; b < 200; b++)
        {
            final int size = b % 70 + 1;
            final int[] lengths = new int[size];
            int total = 0;
            for (int i = 0; i < size; i++)
            {
                // Every length in order, then random lengths once all 601 have been chained.
                lengths[i] = nextLength <= 600 ? nextLength++ : random.nextInt(601);
                total += lengths[i] + 32;
            }
            final byte[] batch = new byte[total];
            random.nextBytes(batch);
            final byte[] javaBatch = batch.clone();
            final byte[] expected = batch.clone();
            int at = 0;
            for (int i = 0; i < size; i++)
            {
                referenceLink(step, expected, at, lengths[i], step);
                System.arraycopy(step, 0, expected, at + lengths[i], 32);
                at += lengths[i] + 32;
            }
            rust.chainBatchV3(rustHead, batch, lengths, size);
            java.chainBatchV3(javaHead, javaBatch, lengths, size);
            assertArrayEquals(expected, batch, "Rust, batch of " + size);
            assertArrayEquals(expected, javaBatch, "Java, batch of " + size);
            assertArrayEquals(step, rustHead);
            assertArrayEquals(step, javaHead);
        }
        assertTrue(nextLength > 600, "every length 0..600 was chained");
    }

    /** Every length of one chunk in lane groups of each width (16 and 64), each lane ending at a different block. */
    @Test
    void lanesMatchBouncyCastleOnEveryLengthUpToAChunk()
    {
        for (final Blake3Lanes lanes : new Blake3Lanes[] {new Blake3Lanes(), new Blake3Lanes(Blake3Lanes.WIDE_LANES)})
        {
            final int width = lanes.lanes();
            final SplittableRandom random = new SplittableRandom(77);
            final byte[] data = new byte[width * (Blake3Lanes.MAX_RECORD_LENGTH + 7)];
            random.nextBytes(data);
            final int[] offsets = new int[width];
            final int[] lengths = new int[width];
            final byte[] out = new byte[32 * width];
            final byte[] expected = new byte[32];
            final Blake3Digest d = new Blake3Digest(256);
            for (int base = 0; base <= Blake3Lanes.MAX_RECORD_LENGTH; base += width == Blake3Lanes.LANES ? 1 : 3)
            {
                final int used = 1 + base % width;
                for (int l = 0; l < used; l++)
                {
                    offsets[l] = l * (Blake3Lanes.MAX_RECORD_LENGTH + 7) + l % 7;
                    lengths[l] = (base + 61 * l) % (Blake3Lanes.MAX_RECORD_LENGTH + 1);
                }
                lanes.hash(data, offsets, lengths, 0, used, out, 0);
                for (int l = 0; l < used; l++)
                {
                    d.reset();
                    d.update(data, offsets[l], lengths[l]);
                    d.doFinal(expected, 0);
                    final byte[] got = java.util.Arrays.copyOfRange(out, 32 * l, 32 * l + 32);
                    assertArrayEquals(expected, got, "width " + width + ", lane " + l + " of " + used + ", length " + lengths[l]);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> lanes.hash(data, offsets, new int[] {1025}, 0, 1, out, 0));
            assertThrows(IllegalArgumentException.class, () -> lanes.hash(data, offsets, lengths, 0, width + 1, out, 0));
        }
    }

    /** The single-record step (the verifier's) agrees across implementations and may write over its key. */
    @Test
    void singleStepsAgreeAndMayAlias()
    {
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        final SplittableRandom random = new SplittableRandom(5);
        final byte[] data = new byte[3_000];
        random.nextBytes(data);
        final byte[] ref = new byte[32];
        random.nextBytes(ref);
        final byte[] r = ref.clone();
        final byte[] j = ref.clone();
        final ChainHasher rust = new Blake3Native();
        final ChainHasher java = new Blake3Java();
        for (int len = 0; len <= 2_100; len += 7)
        {
            referenceLink(ref, data, 3, len, ref);
            rust.v3Step(r, data, 3, len, r);
            java.v3Step(j, data, 3, len, j);
            assertArrayEquals(ref, r, "Rust, length " + len);
            assertArrayEquals(ref, j, "Java, length " + len);
        }
    }

    @Test
    void aBatchThatDoesNotFitIsRefusedBeforeAnythingIsWritten()
    {
        for (final ChainHasher h : new ChainHasher[] {new Blake3Java(), ChainHashers.best()})
        {
            final byte[] buf = new byte[100];
            final byte[] link = new byte[32];
            assertThrows(IndexOutOfBoundsException.class, () -> h.chainBatchV3(link, buf, new int[] {40, 40}, 2), h.name());
            assertThrows(IndexOutOfBoundsException.class, () -> h.chainBatchV3(link, buf, new int[] {-1}, 1), h.name());
            assertArrayEquals(new byte[100], buf, h.name());
            assertArrayEquals(new byte[32], link, h.name());
        }
    }
}
