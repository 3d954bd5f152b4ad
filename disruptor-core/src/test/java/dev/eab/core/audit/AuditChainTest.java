package dev.eab.core.audit;

import dev.eab.api.exception.ConfigurationException;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of tampering with a real chain (Chronicle files on disk) is caught and pinned to the first bad
 * record: an edited byte in the file, a deleted, reordered or inserted record, a cut tail (only the anchor can
 * see that one), a whole chain re-hashed after a change (the anchor again), and a writer refusing to continue
 * a cut log. The tampering tests run on a log of each chain version (3: what the writer writes now; 2 and 1:
 * logs written before, rebuilt here from the same records with their magic and links), so old logs stay
 * verifiable and every version's links catch the same tampering.
 */
final class AuditChainTest
{
    private static final int RECORDS = 10;

    static AuditEntry entry(final int i)
    {
        return new AuditEntry(i % 2 == 0 ? AuditKind.ACCEPT : AuditKind.REJECT, i % 2 == 0 ? 0 : 12, 1_700_000_000_000_000_000L + i,
            "trace-" + String.format("%04d", i) + "-mark", "span-" + i, "agent-" + (i % 3), "acme", "v1", i / 10.0,
            i % 2 == 0 ? "accept" : "reject:policy_denied", "cdd01ef066bc6cf2", List.of("policy"), Map.of("recipient", "agent-x", "n", "" + i));
    }

    /**
     * A log of {@code n} records of chain version {@code version}: the writer's own (version 3), or the same records
     * re-stamped with an older magic and re-linked by that version's definition (with its anchor), as an older
     * writer would have left them.
     */
    static void writeChain(final Path dir, final int n, final int version) throws IOException
    {
        if (version == 3)
        {
            writeChain(dir, n);
            return;
        }
        final Path source = dir.resolveSibling(dir.getFileName() + "-v3");
        writeChain(source, n);
        final List<byte[]> records = new ArrayList<>();
        byte[] prev = AuditRecordDescriptor.GENESIS;
        for (final byte[] r : rawRecords(source))
        {
            final byte[] old = relink(withVersion(r, version), prev);
            records.add(old);
            prev = Arrays.copyOfRange(old, old.length - 32, old.length);
        }
        Files.createDirectories(dir);
        new AuditAnchor(n - 1, prev).write(dir);
        rewrite(dir, dir, records);
    }

    /**
     * A copy of {@code record} (written by today's writer) as chain version {@code version} stores it (its hash not yet
     * redone): version 3 is the writer's own; versions 2 and 1 carry their magic and the int32-prefixed body they were
     * written with.
     */
    static byte[] withVersion(final byte[] record, final int version)
    {
        if (version == 3)
        {
            return record.clone();
        }
        return withIntBody(record, version == 2 ? AuditRecordDescriptor.MAGIC_V2 : AuditRecordDescriptor.MAGIC_V1);
    }

    /**
     * {@code record} re-encoded with the body every log before the compact one held (int32 lengths and counts, no
     * well-known strings), stamped {@code magic}; its hash slot zeroed.
     */
    static byte[] withIntBody(final byte[] record, final int magic)
    {
        final AuditEntry e = AuditRecordDescriptor.decode(record, record.length).entry();
        final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        final List<String> strings = new ArrayList<>(List.of(e.traceId(), e.spanId(), e.agentId(), e.tenantId(), e.policyVersion(),
            e.decision(), e.constitutionalHash()));
        for (final String s : strings)
        {
            intString(body, s);
        }
        intCount(body, e.complianceTags().size());
        e.complianceTags().forEach(t -> intString(body, t));
        intCount(body, e.metadata().size());
        e.metadata().forEach((k, v) ->
        {
            intString(body, k);
            intString(body, v);
        });
        final byte[] b = body.toByteArray();
        final java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(AuditRecordDescriptor.HEADER_LENGTH + b.length + 32)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(record, 0, AuditRecordDescriptor.HEADER_LENGTH).put(b);
        out.putInt(AuditRecordDescriptor.MAGIC_OFFSET, magic).putInt(AuditRecordDescriptor.BODY_LENGTH_OFFSET, b.length);
        return out.array();
    }

    private static void intString(final java.io.ByteArrayOutputStream out, final String s)
    {
        final byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        intCount(out, utf8.length);
        out.writeBytes(utf8);
    }

    private static void intCount(final java.io.ByteArrayOutputStream out, final int n)
    {
        out.writeBytes(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(n).array());
    }

    static void writeChain(final Path dir, final int n)
    {
        try (AuditChainWriter w = new AuditChainWriter(dir, new Blake3Java()))
        {
            for (int i = 0; i < n; i++)
            {
                assertEquals(i, w.append(entry(i)));
            }
        }
    }

    static List<byte[]> rawRecords(final Path dir)
    {
        final List<byte[]> out = new ArrayList<>();
        AuditQueues.read(dir, (position, record, length) -> out.add(Arrays.copyOf(record, length)) || true);
        return out;
    }

    /** Rebuilds {@code dir}'s log in {@code to} from raw records (as an attacker with file access could), keeping the anchor. */
    static void rewrite(final Path from, final Path to, final List<byte[]> records) throws IOException
    {
        Files.createDirectories(to);
        try (ChronicleQueue q = AuditQueues.open(to); ExcerptAppender a = q.createAppender())
        {
            for (final byte[] r : records)
            {
                try (DocumentContext dc = a.writingDocument())
                {
                    dc.wire().bytes().write(r);
                }
            }
        }
        if (!from.equals(to))
        {
            Files.copy(from.resolve(AuditAnchor.FILE_NAME), to.resolve(AuditAnchor.FILE_NAME));
        }
    }

    @Test
    void anUntouchedChainVerifiesWithBothHashers(@TempDir final Path dir)
    {
        writeChain(dir, RECORDS);
        for (final ChainHasher h : List.of(new Blake3Java(), ChainHashers.best()))
        {
            final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir, h);
            assertTrue(r.ok(), r.describe());
            assertEquals(RECORDS, r.records());
            assertTrue(r.anchored());
        }
        final List<byte[]> raw = rawRecords(dir);
        final AuditRecord third = AuditRecordDescriptor.decode(raw.get(3), raw.get(3).length);
        assertEquals(entry(3), third.entry());
        assertEquals(3, third.sequence());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void anEditedByteInTheFileIsPinnedToItsRecord(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir, RECORDS, version);
        final Path file;
        try (Stream<Path> s = Files.list(dir.resolve(AuditQueues.CHAIN_DIR)))
        {
            file = s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] marker = "trace-0005-mark".getBytes(StandardCharsets.UTF_8);
        final int at = indexOf(bytes, marker);
        assertTrue(at > 0, "marker found in the queue file");
        bytes[at + 6] = '9';
        Files.write(file, bytes);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir);
        assertFalse(r.ok());
        assertEquals(5, r.badSequence(), r.describe());
        assertTrue(r.problem().contains("edited"), r.problem());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void aDeletedRecordIsCaughtWhereItWas(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, version);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        raw.remove(3);
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(3, r.badSequence(), r.describe());
        assertTrue(r.problem().contains("sequence number 4"), r.problem());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void reorderedRecordsAreCaught(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, version);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        final byte[] two = raw.get(2);
        raw.set(2, raw.get(3));
        raw.set(3, two);
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(2, r.badSequence(), r.describe());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void anInsertedRecordIsCaughtEvenWhenCorrectlyLinked(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, version);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        // A forgery that links properly onto record 2 and carries the next number: the records after it no longer fit.
        final byte[] prev = AuditRecordDescriptor.decode(raw.get(2), raw.get(2).length).hash();
        raw.add(3, forged(prev, 3, version));
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(4, r.badSequence(), r.describe());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void aChainRehashedAfterAnEditIsCaughtByTheAnchor(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, version);
        final List<byte[]> raw = rawRecords(dir.resolve("a"));
        // The attacker rebuilds the whole chain with one record changed: every link is valid again.
        final List<byte[]> rebuilt = new ArrayList<>();
        byte[] prev = AuditRecordDescriptor.GENESIS;
        for (int i = 0; i < raw.size(); i++)
        {
            final byte[] r = i == 6 ? forged(prev, 6, version) : relink(raw.get(i), prev);
            rebuilt.add(r);
            prev = Arrays.copyOfRange(r, r.length - 32, r.length);
        }
        rewrite(dir.resolve("a"), dir.resolve("b"), rebuilt);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertTrue(r.problem().contains("anchor"), r.describe());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void aCutTailIsCaughtByTheAnchor(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, version);
        final List<byte[]> raw = rawRecords(dir.resolve("a"));
        rewrite(dir.resolve("a"), dir.resolve("b"), raw.subList(0, 7));
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(7, r.badSequence(), r.describe());
        assertTrue(r.problem().contains("tail was cut"), r.problem());
        // Without its anchor the same cut log looks whole: the reason the anchor is kept apart from the log.
        Files.delete(dir.resolve("b").resolve(AuditAnchor.FILE_NAME));
        final AuditChainVerifier.Result unanchored = AuditChainVerifier.verify(dir.resolve("b"));
        assertTrue(unanchored.ok());
        assertFalse(unanchored.anchored());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void aWriterRefusesToContinueACutLogAndContinuesAnIntactOne(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, version);
        rewrite(dir.resolve("a"), dir.resolve("b"), rawRecords(dir.resolve("a")).subList(0, 4));
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> new AuditChainWriter(dir.resolve("b"), new Blake3Java()));
        assertTrue(e.getMessage().contains("tail was cut"), e.getMessage());
        // An intact log is continued: numbers and links carry on, and the whole verifies.
        try (AuditChainWriter w = new AuditChainWriter(dir.resolve("a"), ChainHashers.best()))
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals(RECORDS + i, w.append(entry(i)));
            }
        }
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("a"));
        assertTrue(r.ok(), r.describe());
        assertEquals(RECORDS + 3, r.records());
    }

    @ParameterizedTest(name = "chain version {0}")
    @ValueSource(ints = {1, 2, 3})
    void damagedRecordBytesAreReportedNotThrown(final int version, @TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, version);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        raw.set(1, Arrays.copyOf(raw.get(1), 20));
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(1, r.badSequence(), r.describe());
        assertTrue(r.problem().contains("unreadable"), r.problem());
    }

    /** Re-labelling a record with another chain version (its magic) without re-hashing is an edit like any other. */
    @Test
    void aRecordSwitchedToAnotherChainVersionIsCaught(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, 3);
        for (final int older : new int[] {2, 1})
        {
            final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
            raw.set(4, withVersion(raw.get(4), older));
            final Path b = dir.resolve("b" + older);
            rewrite(dir.resolve("a"), b, raw);
            final AuditChainVerifier.Result r = AuditChainVerifier.verify(b);
            assertFalse(r.ok());
            assertEquals(4, r.badSequence(), r.describe());
            assertTrue(r.problem().contains("edited"), r.problem());
        }
    }

    /** An older log continued by today's writer holds two versions and verifies end to end. */
    @Test
    void aVersionTwoLogContinuedByTheVersionThreeWriterVerifies(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS, 2);
        try (AuditChainWriter w = new AuditChainWriter(dir.resolve("a"), ChainHashers.best()))
        {
            for (int i = 0; i < 20; i++)
            {
                w.append(entry(i));
            }
        }
        final List<byte[]> raw = rawRecords(dir.resolve("a"));
        assertEquals(2, AuditRecordDescriptor.chainVersion(raw.get(RECORDS - 1)));
        assertEquals(3, AuditRecordDescriptor.chainVersion(raw.get(RECORDS)));
        for (final ChainHasher h : List.of(new Blake3Java(), ChainHashers.best()))
        {
            final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("a"), h);
            assertTrue(r.ok(), r.describe());
            assertEquals(RECORDS + 20, r.records());
        }
    }

    /**
     * A log written before the compact body (chain version 3, magic EAB3, int32-prefixed strings) still decodes and
     * verifies, an edit in it is still found, and today's writer continues it: two body encodings, one chain.
     */
    @Test
    void anIntBodyVersionThreeLogReadsVerifiesAndIsContinued(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("src"), RECORDS);
        final List<byte[]> old = new ArrayList<>();
        byte[] prev = AuditRecordDescriptor.GENESIS;
        for (final byte[] r : rawRecords(dir.resolve("src")))
        {
            final byte[] o = relink(withIntBody(r, AuditRecordDescriptor.MAGIC_V3), prev);
            assertTrue(o.length > r.length, "the int32 body is the longer one");
            old.add(o);
            prev = Arrays.copyOfRange(o, o.length - 32, o.length);
        }
        final Path a = dir.resolve("a");
        Files.createDirectories(a);
        new AuditAnchor(RECORDS - 1, prev).write(a);
        rewrite(a, a, old);
        final List<AuditRecord> decoded = AuditQueues.records(a);
        for (int i = 0; i < RECORDS; i++)
        {
            assertEquals(entry(i), decoded.get(i).entry(), "record " + i);
        }
        assertTrue(AuditChainVerifier.verify(a).ok());
        try (AuditChainWriter w = new AuditChainWriter(a, ChainHashers.best()))
        {
            for (int i = 0; i < 20; i++)
            {
                w.append(entry(i));
            }
        }
        final List<byte[]> raw = rawRecords(a);
        assertEquals(AuditRecordDescriptor.MAGIC_V3, java.nio.ByteBuffer.wrap(raw.get(RECORDS - 1)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertEquals(AuditRecordDescriptor.MAGIC, java.nio.ByteBuffer.wrap(raw.get(RECORDS)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0));
        for (final ChainHasher h : List.of(new Blake3Java(), ChainHashers.best()))
        {
            final AuditChainVerifier.Result r = AuditChainVerifier.verify(a, h);
            assertTrue(r.ok(), r.describe());
            assertEquals(RECORDS + 20, r.records());
        }
        final List<byte[]> edited = new ArrayList<>(raw);
        final byte[] e = edited.get(5).clone();
        e[AuditRecordDescriptor.HEADER_LENGTH + 6] ^= 1;
        edited.set(5, e);
        rewrite(a, dir.resolve("b"), edited);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(5, r.badSequence(), r.describe());
    }

    /**
     * The writer's pretouch thread touches pages ahead of the tail (the file's and Chronicle's mapping's); records written
     * over them read back and verify.
     */
    @Test
    void thePretouchThreadTouchesPagesAheadOfTheWriterAndChangesNoRecord(@TempDir final Path dir) throws InterruptedException
    {
        final int n = 5_000;
        final String before = System.getProperty(AuditPretouch.PROPERTY);
        System.setProperty(AuditPretouch.PROPERTY, "true");
        try (AuditChainWriter w = new AuditChainWriter(dir, ChainHashers.best()))
        {
            restore(before);
            w.append(entry(0));
            w.commit();
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (w.pagesPretouched() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(w.pagesPretouched() > 0, "pages touched ahead of the tail");
            for (int i = 1; i < n; i++)
            {
                w.append(entry(i));
            }
        }
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir);
        assertTrue(r.ok(), r.describe());
        assertEquals(n, r.records());
        final List<AuditRecord> records = AuditQueues.records(dir);
        assertEquals(entry(n - 1), records.get(n - 1).entry());
    }

    private static void restore(final String pretouch)
    {
        if (pretouch == null)
        {
            System.clearProperty(AuditPretouch.PROPERTY);
        }
        else
        {
            System.setProperty(AuditPretouch.PROPERTY, pretouch);
        }
    }

    private static byte[] forged(final byte[] prev, final int sequence, final int version)
    {
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final AuditEntry fake = new AuditEntry(AuditKind.ACCEPT, 0, 1L, "forged", "", "mallory", "acme", "v1", Double.NaN, "accept",
            "cdd01ef066bc6cf2", List.of(), Map.of());
        final int n = enc.encode(sequence, fake);
        return relink(withVersion(Arrays.copyOf(enc.bytes(), n + 32), version), prev);
    }

    /** {@code record} with its hash redone onto {@code prev}, by the chain version its magic names. */
    private static byte[] relink(final byte[] record, final byte[] prev)
    {
        final byte[] out = record.clone();
        final byte[] link = new byte[32];
        new Blake3Java().linkRecord(prev, out, out.length - 32, link);
        System.arraycopy(link, 0, out, out.length - 32, 32);
        return out;
    }

    private static int indexOf(final byte[] hay, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (hay[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
