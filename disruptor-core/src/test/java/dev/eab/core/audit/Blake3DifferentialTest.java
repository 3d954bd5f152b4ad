package dev.eab.core.audit;

import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rust BLAKE3 (FFM) and Bouncy Castle's {@code Blake3Digest} over generated inputs: every length from 0 to
 * 2,100 bytes (each chunk and block boundary), then random lengths up to 20 KB, as plain hashes and as chain
 * steps fed with the previous output, so a difference anywhere shows up.
 */
final class Blake3DifferentialTest
{
    @Test
    void nativeAndJavaAgreeOnGeneratedInputs()
    {
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        final ChainHasher rust = new Blake3Native();
        final ChainHasher java = new Blake3Java();
        final SplittableRandom random = new SplittableRandom(0xB1A4E3L);
        final byte[] buf = new byte[20_480];
        final byte[] a = new byte[32];
        final byte[] b = new byte[32];
        final byte[] linkA = new byte[32];
        final byte[] linkB = new byte[32];
        int cases = 0;
        for (int i = 0; i < 3_000; i++)
        {
            final int len = i <= 2_100 ? i : random.nextInt(buf.length);
            final int off = random.nextInt(8);
            for (int j = 0; j < len + off && j < buf.length; j++)
            {
                buf[j] = (byte)random.nextInt();
            }
            final int n = Math.min(len, buf.length - off);
            rust.hash(buf, off, n, a);
            java.hash(buf, off, n, b);
            assertArrayEquals(b, a, "hash, len " + n + " off " + off);
            rust.step(linkA, buf, off, n, linkA);
            java.step(linkB, buf, off, n, linkB);
            assertArrayEquals(linkB, linkA, "chain step " + i + ", len " + n);
            cases++;
        }
        assertTrue(cases == 3_000);
    }
}
