package dev.eab.core.audit;

import dev.eab.api.exception.ConfigurationException;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * a cut log.
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
        Files.copy(from.resolve(AuditAnchor.FILE_NAME), to.resolve(AuditAnchor.FILE_NAME));
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

    @Test
    void anEditedByteInTheFileIsPinnedToItsRecord(@TempDir final Path dir) throws IOException
    {
        writeChain(dir, RECORDS);
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

    @Test
    void aDeletedRecordIsCaughtWhereItWas(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        raw.remove(3);
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(3, r.badSequence(), r.describe());
        assertTrue(r.problem().contains("sequence number 4"), r.problem());
    }

    @Test
    void reorderedRecordsAreCaught(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        final byte[] two = raw.get(2);
        raw.set(2, raw.get(3));
        raw.set(3, two);
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(2, r.badSequence(), r.describe());
    }

    @Test
    void anInsertedRecordIsCaughtEvenWhenCorrectlyLinked(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        // A forgery that links properly onto record 2 and carries the next number: the records after it no longer fit.
        final byte[] prev = AuditRecordDescriptor.decode(raw.get(2), raw.get(2).length).hash();
        raw.add(3, forged(prev, 3));
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(4, r.badSequence(), r.describe());
    }

    @Test
    void aChainRehashedAfterAnEditIsCaughtByTheAnchor(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS);
        final List<byte[]> raw = rawRecords(dir.resolve("a"));
        // The attacker rebuilds the whole chain with one record changed: every link is valid again.
        final List<byte[]> rebuilt = new ArrayList<>();
        byte[] prev = AuditRecordDescriptor.GENESIS;
        for (int i = 0; i < raw.size(); i++)
        {
            final byte[] r = i == 6 ? forged(prev, 6) : relink(raw.get(i), prev);
            rebuilt.add(r);
            prev = Arrays.copyOfRange(r, r.length - 32, r.length);
        }
        rewrite(dir.resolve("a"), dir.resolve("b"), rebuilt);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertTrue(r.problem().contains("anchor"), r.describe());
    }

    @Test
    void aCutTailIsCaughtByTheAnchor(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS);
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

    @Test
    void aWriterRefusesToContinueACutLogAndContinuesAnIntactOne(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS);
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

    @Test
    void damagedRecordBytesAreReportedNotThrown(@TempDir final Path dir) throws IOException
    {
        writeChain(dir.resolve("a"), RECORDS);
        final List<byte[]> raw = new ArrayList<>(rawRecords(dir.resolve("a")));
        raw.set(1, Arrays.copyOf(raw.get(1), 20));
        rewrite(dir.resolve("a"), dir.resolve("b"), raw);
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir.resolve("b"));
        assertFalse(r.ok());
        assertEquals(1, r.badSequence(), r.describe());
        assertTrue(r.problem().contains("unreadable"), r.problem());
    }

    private static byte[] forged(final byte[] prev, final int sequence)
    {
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final AuditEntry fake = new AuditEntry(AuditKind.ACCEPT, 0, 1L, "forged", "", "mallory", "acme", "v1", Double.NaN, "accept",
            "cdd01ef066bc6cf2", List.of(), Map.of());
        final int n = enc.encode(sequence, fake);
        final byte[] out = Arrays.copyOf(enc.bytes(), n + 32);
        final byte[] link = new byte[32];
        new Blake3Java().keyedStep(prev, out, 0, n, link);
        System.arraycopy(link, 0, out, n, 32);
        return out;
    }

    private static byte[] relink(final byte[] record, final byte[] prev)
    {
        final byte[] out = record.clone();
        final byte[] link = new byte[32];
        new Blake3Java().keyedStep(prev, out, 0, out.length - 32, link);
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
