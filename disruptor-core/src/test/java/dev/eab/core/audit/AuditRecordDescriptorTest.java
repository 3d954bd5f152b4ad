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
            assertEquals(Long.toString(v), new String(Arrays.copyOfRange(enc.bytes(), 1, enc.size()), java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(Arrays.equals(plain.bytes(), 0, plain.size(), enc.bytes(), 0, enc.size()), "decimal " + v);
        }
        // Pre-encoded: a well-known string is its one-byte reference, any other string is what string() writes; both
        // decode to the string itself.
        final String longer = "x".repeat(200);
        for (final String s : new String[] {"", "accept", "é-ü", "cdd01ef066bc6cf2", null, "not-a-well-known-one", longer, "reject:agent_revoked"})
        {
            final byte[] pre = AuditRecordDescriptor.Encoder.preEncode(s);
            final boolean known = AuditRecordDescriptor.WELL_KNOWN.contains(s == null ? "" : s);
            assertEquals(known, pre.length == 1 && (pre[0] & 0xFF) >= 0x80, "pre-encoded " + s);
            if (!known)
            {
                plain.reset();
                plain.string(s);
                assertTrue(Arrays.equals(plain.bytes(), 0, plain.size(), pre, 0, pre.length), "pre-encoded " + s);
            }
            enc.reset();
            enc.begin();
            for (int i = 0; i < 7; i++)
            {
                enc.raw(pre);
            }
            enc.count(0);
            enc.count(1);
            enc.raw(pre);
            enc.raw(pre);
            final int n = enc.finish(0, AuditKind.ACCEPT, 0, 1, Double.NaN);
            final AuditEntry e = AuditRecordDescriptor.decode(Arrays.copyOf(enc.bytes(), n + 32), n + 32).entry();
            final String expected = s == null ? "" : s;
            assertEquals(expected, e.traceId());
            assertEquals(expected, e.constitutionalHash());
            assertEquals(expected, e.metadata().get(expected));
        }
    }

    /**
     * The compact body: a bus decision record fits two BLAKE3 blocks (the point of it), every well-known string and
     * long strings and counts (past the one-byte prefix) round-trip, and an undefined reference or prefix is refused.
     */
    @Test
    void theCompactBodyIsShortAndRoundTripsEveryPrefixForm()
    {
        final AuditEntry typical = new AuditEntry(AuditKind.ACCEPT, 0, 1_700_000_000_000_000_000L, "1234567", "", "bench-sender", "bench",
            "policy-v1", Double.NaN, "accept", "cdd01ef066bc6cf2", List.of("delivery"),
            new java.util.LinkedHashMap<>(Map.of("recipient", "bench-recipient")));
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final int typicalLength = enc.encode(0, typical);
        assertTrue(typicalLength <= 128, "a typical record is " + typicalLength + " bytes, more than two BLAKE3 blocks");
        for (final String s : AuditRecordDescriptor.WELL_KNOWN)
        {
            final AuditEntry e = new AuditEntry(AuditKind.ACCEPT, 0, 1, s, s, s, s, s, 0.5, s, s, List.of(s), Map.of(s, s));
            assertEquals(e, roundTrip(1, e).entry(), s);
        }
        final List<String> many = new java.util.ArrayList<>();
        final Map<String, String> meta = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 300; i++)
        {
            many.add("t" + i);
            meta.put("k" + i, "é".repeat(i));
        }
        final AuditEntry big = new AuditEntry(AuditKind.REJECT, 12, 1, "t".repeat(127), "s".repeat(128), "ü".repeat(64), "", "v", 1.0,
            "reject:policy_denied", "other-hash", many, meta);
        assertEquals(big, roundTrip(2, big).entry());
        final int n = enc.encode(3, typical);
        final byte[] undefined = Arrays.copyOf(enc.bytes(), n + 32);
        undefined[AuditRecordDescriptor.HEADER_LENGTH] = (byte)0xFE;
        assertTrue(assertThrows(AuditFormatException.class, () -> AuditRecordDescriptor.decode(undefined, undefined.length)).getMessage()
            .contains("not defined"));
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
