package dev.eab.core.audit;

import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The version-3 link three ways: {@link Blake3Link} (Java's single-compression link), Bouncy Castle's keyed
 * {@code Blake3Digest} over the 32-byte leaf (the reference) and Rust's link through FFM (its row-form
 * compression, {@code chain3.rs}), on generated keys and leaves chained so that a difference anywhere carries
 * on; offsets and the aliasing of {@code out} with {@code key} as the batch uses them.
 */
final class Blake3LinkTest
{
    @Test
    void linkAgreesWithBouncyCastleAndRustOnChainedGeneratedLeaves()
    {
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        final Blake3Java java = new Blake3Java();
        final Blake3Native rust = new Blake3Native();
        final SplittableRandom random = new SplittableRandom(0x11AC4L);
        final byte[] leaves = new byte[64 * 32 + 7];
        final byte[] link = new byte[32 + 5];
        final byte[] reference = new byte[32];
        final byte[] viaRust = new byte[32];
        final byte[] rustLeafHolder = new byte[32];
        for (int i = 0; i < leaves.length; i++)
        {
            leaves[i] = (byte)random.nextInt();
        }
        for (int i = 0; i < 5_000; i++)
        {
            final int leafAt = random.nextInt(64 * 32 + 7 - 32 + 1);
            final byte[] before = new byte[32];
            System.arraycopy(link, 5, before, 0, 32);
            java.keyedReference(before, leaves, leafAt, 32, reference);
            // Rust: the v3 link over a record whose leaf is this leaf is not reachable directly, so compare the
            // keyed step over the 32 leaf bytes, which is the same function (one keyed block).
            System.arraycopy(leaves, leafAt, rustLeafHolder, 0, 32);
            rust.keyedStep(before, rustLeafHolder, 0, 32, viaRust);
            Blake3Link.link(link, 5, leaves, leafAt, link, 5);
            final byte[] got = new byte[32];
            System.arraycopy(link, 5, got, 0, 32);
            assertArrayEquals(reference, got, "link " + i);
            assertArrayEquals(reference, viaRust, "rust link " + i);
        }
    }

    @Test
    void aLinkDependsOnEveryKeyAndLeafByte()
    {
        final byte[] key = new byte[32];
        final byte[] leaf = new byte[32];
        final byte[] base = new byte[32];
        Blake3Link.link(key, 0, leaf, 0, base, 0);
        for (int i = 0; i < 64; i++)
        {
            final byte[] k = key.clone();
            final byte[] l = leaf.clone();
            if (i < 32)
            {
                k[i] ^= 1;
            }
            else
            {
                l[i - 32] ^= (byte)0x80;
            }
            final byte[] out = new byte[32];
            Blake3Link.link(k, 0, l, 0, out, 0);
            assertFalse(java.util.Arrays.equals(base, out), "byte " + i);
        }
    }
}
