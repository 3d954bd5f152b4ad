package dev.eab.core.audit;

import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BLAKE3 vectors shared with Rust ({@code ffi-headers/blake3_vectors.csv}, also read by
 * {@code native-rust/tests/audit_vectors.rs}): the official BLAKE3 test vectors and the audit chain rows,
 * through both Java implementations (Bouncy Castle and the Rust library through FFM).
 */
final class AuditHashVectorsTest
{
    static List<String> rows(final String kind) throws Exception
    {
        final Path header = Path.of(System.getProperty("eab.ffiHeader"));
        return Files.readAllLines(header.resolveSibling("blake3_vectors.csv")).stream().filter(l -> l.startsWith(kind + ",")).toList();
    }

    static byte[] official(final int len)
    {
        final byte[] b = new byte[len];
        for (int i = 0; i < len; i++)
        {
            b[i] = (byte)(i % 251);
        }
        return b;
    }

    static byte[] chainRecord(final int len, final int seed)
    {
        final byte[] b = new byte[len];
        for (int i = 0; i < len; i++)
        {
            b[i] = (byte)((i * 7 + seed) % 256);
        }
        return b;
    }

    private static List<ChainHasher> hashers()
    {
        assertTrue(NativeBindings.available(), "the native library must load: build with ./eab build");
        return List.of(new Blake3Java(), new Blake3Native());
    }

    @Test
    void officialVectorsMatchBothImplementations() throws Exception
    {
        final List<String> rows = rows("official");
        assertTrue(rows.size() >= 17, "official vectors: " + rows.size());
        for (final ChainHasher h : hashers())
        {
            for (final String row : rows)
            {
                final String[] f = row.split(",", -1);
                final byte[] input = official(Integer.parseInt(f[1]));
                final byte[] out = new byte[32];
                h.hash(input, 0, input.length, out);
                assertEquals(f[3].substring(0, 64), HexFormat.of().formatHex(out), h.name() + " input_len " + f[1]);
            }
        }
        // Bouncy Castle's extended output against the whole 131-byte vector.
        final Blake3Java java = new Blake3Java();
        for (final String row : rows)
        {
            final String[] f = row.split(",", -1);
            final byte[] input = official(Integer.parseInt(f[1]));
            final byte[] xof = new byte[f[3].length() / 2];
            java.hashExtended(input, 0, input.length, xof);
            assertEquals(f[3], HexFormat.of().formatHex(xof), "extended, input_len " + f[1]);
        }
    }

    @Test
    void chainVectorsMatchBothImplementations() throws Exception
    {
        final List<String> rows = rows("chain");
        assertTrue(rows.size() >= 10, "chain vectors: " + rows.size());
        for (final ChainHasher h : hashers())
        {
            byte[] prev = new byte[32];
            for (final String row : rows)
            {
                // chain,<len>,<seed>:<prev hex>,<hash hex>
                final String[] f = row.split(",", -1);
                final String[] seedPrev = f[2].split(":");
                assertArrayEquals(HexFormat.of().parseHex(seedPrev[1]), prev, "rows chain on from each other");
                final byte[] record = chainRecord(Integer.parseInt(f[1]), Integer.parseInt(seedPrev[0]));
                final byte[] out = new byte[32];
                h.step(prev, record, 0, record.length, out);
                assertEquals(f[3], HexFormat.of().formatHex(out), h.name() + " chain row " + row);
                prev = out;
            }
        }
    }

    @Test
    void keyedChainVectorsMatchBothImplementationsStepByStepAndInOneBatch() throws Exception
    {
        final List<String> rows = rows("keyed");
        assertTrue(rows.size() >= 10, "keyed vectors: " + rows.size());
        for (final ChainHasher h : hashers())
        {
            byte[] prev = new byte[32];
            final java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            final int[] lengths = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++)
            {
                // keyed,<len>,<seed>:<key hex>,<hash hex>
                final String[] f = rows.get(i).split(",", -1);
                final String[] seedPrev = f[2].split(":");
                assertArrayEquals(HexFormat.of().parseHex(seedPrev[1]), prev, "rows chain on from each other");
                final byte[] record = chainRecord(Integer.parseInt(f[1]), Integer.parseInt(seedPrev[0]));
                final byte[] out = new byte[32];
                h.keyedStep(prev, record, 0, record.length, out);
                assertEquals(f[3], HexFormat.of().formatHex(out), h.name() + " keyed row " + rows.get(i));
                prev = out;
                batch.writeBytes(record);
                batch.writeBytes(new byte[32]);
                lengths[i] = record.length;
            }
            // The same rows as one batch (one FFM call for the native hasher): each slot gets its row's hash.
            final byte[] buf = batch.toByteArray();
            final byte[] link = new byte[32];
            h.chainBatch(link, buf, lengths, lengths.length);
            assertArrayEquals(prev, link, h.name() + " batch head");
            int end = 0;
            for (int i = 0; i < rows.size(); i++)
            {
                end += lengths[i];
                assertEquals(rows.get(i).split(",", -1)[3], HexFormat.of().formatHex(Arrays.copyOfRange(buf, end, end + 32)), h.name() + " batch row " + i);
                end += 32;
            }
        }
    }

    /** Chain version 3 rows ({@code v3,...}, generated by Rust as one lane-parallel batch): step by step and as one batch. */
    @Test
    void v3ChainVectorsMatchBothImplementationsStepByStepAndInOneBatch() throws Exception
    {
        final List<String> rows = rows("v3");
        assertTrue(rows.size() >= 10, "v3 vectors: " + rows.size());
        for (final ChainHasher h : hashers())
        {
            byte[] prev = new byte[32];
            final java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            final int[] lengths = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++)
            {
                // v3,<len>,<seed>:<key hex>,<hash hex>
                final String[] f = rows.get(i).split(",", -1);
                final String[] seedPrev = f[2].split(":");
                assertArrayEquals(HexFormat.of().parseHex(seedPrev[1]), prev, "rows chain on from each other");
                final byte[] record = chainRecord(Integer.parseInt(f[1]), Integer.parseInt(seedPrev[0]));
                final byte[] out = new byte[32];
                h.v3Step(prev, record, 0, record.length, out);
                assertEquals(f[3], HexFormat.of().formatHex(out), h.name() + " v3 row " + rows.get(i));
                prev = out;
                batch.writeBytes(record);
                batch.writeBytes(new byte[32]);
                lengths[i] = record.length;
            }
            final byte[] buf = batch.toByteArray();
            final byte[] link = new byte[32];
            h.chainBatchV3(link, buf, lengths, lengths.length);
            assertArrayEquals(prev, link, h.name() + " v3 batch head");
            int end = 0;
            for (int i = 0; i < rows.size(); i++)
            {
                end += lengths[i];
                assertEquals(rows.get(i).split(",", -1)[3], HexFormat.of().formatHex(Arrays.copyOfRange(buf, end, end + 32)), h.name() + " v3 batch row " + i);
                end += 32;
            }
        }
    }

    @Test
    void aBatchThatDoesNotFitItsBufferIsRefusedBeforeAnythingIsWritten()
    {
        for (final ChainHasher h : hashers())
        {
            final byte[] buf = new byte[100];
            final byte[] link = new byte[32];
            assertThrows(IndexOutOfBoundsException.class, () -> h.chainBatch(link, buf, new int[] {40, 40}, 2), h.name());
            assertArrayEquals(new byte[100], buf, h.name());
            assertArrayEquals(new byte[32], link, h.name());
        }
    }

    @Test
    void stepMayWriteOverItsPreviousLinkAndHonoursOffsets()
    {
        for (final ChainHasher h : hashers())
        {
            final byte[] record = chainRecord(300, 3);
            final byte[] padded = new byte[310];
            System.arraycopy(record, 0, padded, 7, 300);
            final byte[] expected = new byte[32];
            final byte[] prev = new byte[32];
            prev[0] = 1;
            h.step(prev, record, 0, 300, expected);
            final byte[] link = prev.clone();
            h.step(link, padded, 7, 300, link);
            assertArrayEquals(expected, link, h.name());
            final byte[] keyedExpected = new byte[32];
            h.keyedStep(prev, record, 0, 300, keyedExpected);
            final byte[] keyedLink = prev.clone();
            h.keyedStep(keyedLink, padded, 7, 300, keyedLink);
            assertArrayEquals(keyedExpected, keyedLink, h.name() + " keyed");
        }
    }
}
