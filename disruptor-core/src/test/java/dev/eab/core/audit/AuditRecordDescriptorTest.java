package dev.eab.core.audit;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record layout round-trips every field (ASCII fast path and UTF-8 alike) and refuses damaged bytes. */
final class AuditRecordDescriptorTest
{
    private static AuditRecord roundTrip(final long sequence, final AuditEntry e)
    {
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final int n = enc.encode(sequence, e);
        final byte[] stored = Arrays.copyOf(enc.bytes(), n + AuditRecordDescriptor.HASH_LENGTH);
        stored[n] = 42;
        assertEquals(n + AuditRecordDescriptor.HASH_LENGTH, AuditRecordDescriptor.storedLength(stored));
        return AuditRecordDescriptor.decode(stored, stored.length);
    }

    @Test
    void everyFieldRoundTrips()
    {
        final AuditEntry ascii = AuditChainTest.entry(7);
        final AuditRecord r = roundTrip(123_456_789_012L, ascii);
        assertEquals(123_456_789_012L, r.sequence());
        assertEquals(ascii, r.entry());
        assertEquals(42, r.hash()[0]);
        final AuditEntry unicode = new AuditEntry(AuditKind.HOLD, 0, -5, "trace-é", "スパン", "agent-😀", "tenant", "v", Double.NaN, "hold",
            "cdd01ef066bc6cf2", List.of("ß", ""), Map.of("ключ", "значение", "", ""));
        final AuditEntry back = roundTrip(0, unicode).entry();
        assertEquals(unicode.agentId(), back.agentId());
        assertEquals(unicode.spanId(), back.spanId());
        assertEquals(unicode.metadata(), back.metadata());
        assertEquals(unicode.complianceTags(), back.complianceTags());
        assertTrue(Double.isNaN(back.riskScore()));
        assertEquals(-5, back.timestampNanos());
    }

    @Test
    void damagedBytesAreRefusedWithAReason()
    {
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final int n = enc.encode(1, AuditChainTest.entry(1));
        final byte[] ok = Arrays.copyOf(enc.bytes(), n + 32);
        assertThrows(AuditFormatException.class, () -> AuditRecordDescriptor.decode(ok, ok.length - 1));
        final byte[] magic = ok.clone();
        magic[0] ^= 1;
        assertTrue(assertThrows(AuditFormatException.class, () -> AuditRecordDescriptor.decode(magic, magic.length)).getMessage().contains("magic"));
        final byte[] kind = ok.clone();
        kind[AuditRecordDescriptor.KIND_OFFSET] = 99;
        assertTrue(assertThrows(AuditFormatException.class, () -> AuditRecordDescriptor.decode(kind, kind.length)).getMessage().contains("kind"));
        final byte[] count = ok.clone();
        count[AuditRecordDescriptor.HEADER_LENGTH] = (byte)0xff;
        assertThrows(AuditFormatException.class, () -> AuditRecordDescriptor.decode(count, count.length));
    }

    /** Decimals at every digit-count boundary and at random agree with Long.toString; pre-encoded strings with string(). */
    @Test
    void decimalsAtEveryLengthAndPreEncodedStringsMatchThePlainEncoding()
    {
        final java.util.List<Long> values = new java.util.ArrayList<>(java.util.List.of(0L, 9L, 10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1));
        long p = 1;
        for (int i = 0; i < 19; i++, p *= 10)
        {
            values.addAll(java.util.List.of(p - 1, p, p + 1, -p, -(p - 1)));
        }
        final java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 2_000; i++)
        {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final AuditRecordDescriptor.Encoder plain = new AuditRecordDescriptor.Encoder();
        for (final long v : values)
        {
            enc.reset();
            enc.decimal(v);
            plain.reset();
            plain.string(Long.toString(v));
            assertEquals(Long.toString(v), new String(Arrays.copyOfRange(enc.bytes(), 4, enc.size()), java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(Arrays.equals(plain.bytes(), 0, plain.size(), enc.bytes(), 0, enc.size()), "decimal " + v);
        }
        for (final String s : new String[] {"", "accept", "é-ü", "cdd01ef066bc6cf2", null})
        {
            enc.reset();
            enc.raw(AuditRecordDescriptor.Encoder.preEncode(s));
            plain.reset();
            plain.string(s);
            assertTrue(Arrays.equals(plain.bytes(), 0, plain.size(), enc.bytes(), 0, enc.size()), "pre-encoded " + s);
        }
    }

    /** The encoder's building blocks: decimals as Long.toString writes them, null as "", several records in one batch. */
    @Test
    void decimalsNullsAndBatchesEncodeAsTheEntryPathWould()
    {
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final long[] values = {0, 7, -7, 4242, Long.MAX_VALUE, Long.MIN_VALUE, -1_000_000_000_000L};
        for (final long v : values)
        {
            enc.reset();
            enc.begin();
            enc.decimal(v);
            enc.string(null);
            for (int i = 0; i < 5; i++)
            {
                enc.string("x" + i);
            }
            enc.count(0);
            enc.count(1);
            enc.string("k");
            enc.string("é");
            final int n = enc.finish(3, AuditKind.ACCEPT, 0, 1, Double.NaN);
            final AuditEntry e = AuditRecordDescriptor.decode(Arrays.copyOf(enc.bytes(), n + 32), n + 32).entry();
            assertEquals(Long.toString(v), e.traceId());
            assertEquals("", e.spanId());
            assertEquals("x0", e.agentId());
            assertEquals("é", e.metadata().get("k"));
        }
        // Two records back to back, each followed by its hash slot: storedLengthAt delimits them.
        enc.reset();
        final int a = enc.append(0, AuditChainTest.entry(0));
        final int b = enc.append(1, AuditChainTest.entry(1));
        assertEquals(a + 32 + b + 32, enc.size());
        assertEquals(a + 32, AuditRecordDescriptor.storedLengthAt(enc.bytes(), 0, enc.size()));
        assertEquals(b + 32, AuditRecordDescriptor.storedLengthAt(enc.bytes(), a + 32, enc.size()));
        assertEquals(-1, AuditRecordDescriptor.storedLengthAt(enc.bytes(), a + 32, enc.size() - 1), "a record that does not fit is not delimited");
        assertEquals(1, AuditRecordDescriptor.decode(Arrays.copyOfRange(enc.bytes(), a + 32, enc.size()), b + 32).sequence());
    }
}
