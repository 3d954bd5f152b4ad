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

    /**
     * The keyed (chain version 2) step three ways: Rust through FFM, the hand-written {@link Blake3Keyed} (every
     * length 0–1,024: each block boundary of the one chunk it handles) and Bouncy Castle (the reference, and
     * the Java path beyond one chunk), chained so a difference anywhere carries on; then random batches through
     * {@link ChainHasher#chainBatch} against the steps.
     */
    @Test
    void keyedStepsAgreeRustHandWrittenAndBouncyCastle()
    {
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        final ChainHasher rust = new Blake3Native();
        final Blake3Java java = new Blake3Java();
        final SplittableRandom random = new SplittableRandom(0x4B3EDL);
        final byte[] buf = new byte[8_192];
        final byte[] linkRust = new byte[32];
        final byte[] linkJava = new byte[32];
        final byte[] linkRef = new byte[32];
        random.nextBytes(linkRust);
        System.arraycopy(linkRust, 0, linkJava, 0, 32);
        System.arraycopy(linkRust, 0, linkRef, 0, 32);
        for (int i = 0; i < 2_000; i++)
        {
            final int len = i <= 1_100 ? i : random.nextInt(buf.length - 8);
            final int off = random.nextInt(8);
            for (int j = off; j < off + len; j++)
            {
                buf[j] = (byte)random.nextInt();
            }
            rust.keyedStep(linkRust, buf, off, len, linkRust);
            java.keyedStep(linkJava, buf, off, len, linkJava);
            java.keyedReference(linkRef, buf, off, len, linkRef);
            assertArrayEquals(linkRef, linkJava, "hand-written vs Bouncy Castle, step " + i + ", len " + len);
            assertArrayEquals(linkRef, linkRust, "Rust vs Bouncy Castle, step " + i + ", len " + len);
        }
        for (int round = 0; round < 50; round++)
        {
            final int count = 1 + random.nextInt(40);
            final int[] lengths = new int[count];
            int total = 0;
            for (int i = 0; i < count; i++)
            {
                lengths[i] = random.nextInt(random.nextBoolean() ? 400 : 3_000);
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
                java.keyedReference(step, expected, at, lengths[i], step);
                System.arraycopy(step, 0, expected, at + lengths[i], 32);
                at += lengths[i] + 32;
            }
            final byte[] headRust = start.clone();
            final byte[] headJava = start.clone();
            rust.chainBatch(headRust, batch, lengths, count);
            java.chainBatch(headJava, batchJava, lengths, count);
            assertArrayEquals(expected, batch, "Rust batch, round " + round);
            assertArrayEquals(expected, batchJava, "Java batch, round " + round);
            assertArrayEquals(step, headRust);
            assertArrayEquals(step, headJava);
        }
    }
}
