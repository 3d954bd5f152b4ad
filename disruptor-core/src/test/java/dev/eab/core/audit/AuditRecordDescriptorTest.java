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
}
