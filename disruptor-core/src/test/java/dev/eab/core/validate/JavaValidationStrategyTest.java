package dev.eab.core.validate;

import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.eab.api.RejectReason.*;
import static dev.eab.core.validate.MessageHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each check of the Java twin, their order, and the constant-time hash comparison. */
class JavaValidationStrategyTest
{
    static final String HASH = TestHeaders.HASH;
    static final int LIMIT = 1024;
    static final long NOW = 1_700_000_000_000L;
    /** Denies AUDIT_LOG, allows the rest. */
    static final PolicyTable POLICY = PolicyCompiler.compile("rules:\n  - name: no-audit\n    effect: deny\n    message_types: [audit_log]\n", "t");
    static final JavaValidationStrategy JAVA = new JavaValidationStrategy(HASH, LIMIT, POLICY);

    /** Heap segment (long[]-backed, so 8-aligned): the twin reads any segment. */
    static MemorySegment valid()
    {
        final MemorySegment h = MemorySegment.ofArray(new long[LENGTH / 8]);
        TestHeaders.valid(h, -1, -1, MessageType.COMMAND.ordinal(), 0);
        return h;
    }

    static int flags(final MemorySegment h)
    {
        return h.get(ValueLayout.JAVA_INT, FLAGS_OFFSET);
    }

    /** One way to fail each check, indexed by the code it must produce. */
    static final List<Consumer<MemorySegment>> BREAK = new ArrayList<>();

    static
    {
        BREAK.add(null); // 0 = no failure
        BREAK.add(h -> TestHeaders.setInt(h, HASH_LENGTH_OFFSET, -1));                               // 1
        BREAK.add(h -> h.set(ValueLayout.JAVA_BYTE, HASH_OFFSET + 15, (byte)'3'));                  // 2
        BREAK.add(h -> TestHeaders.setInt(h, MESSAGE_ID_LENGTH_OFFSET, 0));                          // 3
        BREAK.add(h -> TestHeaders.setInt(h, CONTENT_LENGTH_OFFSET, 0));                             // 4
        BREAK.add(h -> TestHeaders.setInt(h, MESSAGE_SIZE_OFFSET, LIMIT + 1));                       // 5
        BREAK.add(h -> TestHeaders.setLong(h, EXPIRES_AT_MS_OFFSET, h.get(ValueLayout.JAVA_LONG, NOW_MS_OFFSET))); // 6
        BREAK.add(h -> TestHeaders.setInt(h, FLAGS_OFFSET, flags(h) & ~FLAG_TENANT_FORMAT_VALID));  // 7
        BREAK.add(h -> TestHeaders.setInt(h, FLAGS_OFFSET, flags(h) & ~FLAG_SENDER_REGISTERED));    // 8
        BREAK.add(h -> TestHeaders.setInt(h, FLAGS_OFFSET, flags(h) & ~FLAG_RECIPIENT_REGISTERED)); // 9
        BREAK.add(h -> TestHeaders.setInt(h, SENDER_TENANT_OFFSET, 99));                             // 10
        BREAK.add(h -> TestHeaders.setInt(h, RECIPIENT_TENANT_OFFSET, 98));                          // 11
        BREAK.add(h -> TestHeaders.setInt(h, MESSAGE_TYPE_OFFSET, MessageType.AUDIT_LOG.ordinal())); // 12
    }

    @Test
    void validHeaderPasses()
    {
        assertEquals(NONE.code(), JAVA.validate(valid()));
        assertEquals("java", JAVA.name());
    }

    @Test
    void eachCheckAlone()
    {
        assertEquals(RejectReason.MAX_NATIVE_CODE + 1, BREAK.size());
        for (int code = 1; code < BREAK.size(); code++)
        {
            final MemorySegment h = valid();
            BREAK.get(code).accept(h);
            assertEquals(code, JAVA.validate(h), RejectReason.fromCode(code) + ": " + TestHeaders.describe(h));
        }
    }

    /** For every pair of failing checks the earlier one wins; with all failing, HASH_MISSING. */
    @Test
    void checksRunInOrder()
    {
        for (int a = 1; a < BREAK.size(); a++)
        {
            for (int b = a + 1; b < BREAK.size(); b++)
            {
                final MemorySegment h = valid();
                BREAK.get(b).accept(h);
                BREAK.get(a).accept(h);
                assertEquals(a, JAVA.validate(h), RejectReason.fromCode(a) + " must beat " + RejectReason.fromCode(b));
            }
        }
        final MemorySegment all = valid();
        for (int code = BREAK.size() - 1; code >= 1; code--)
        {
            BREAK.get(code).accept(all);
        }
        assertEquals(HASH_MISSING.code(), JAVA.validate(all));
    }

    @Test
    void hashMismatchBeatsExpired()
    {
        final MemorySegment h = valid();
        TestHeaders.hash(h, "deadbeefdeadbeef", 16);
        TestHeaders.setLong(h, EXPIRES_AT_MS_OFFSET, 1);
        assertEquals(HASH_MISMATCH.code(), JAVA.validate(h));
        TestHeaders.hash(h, HASH, 16);
        assertEquals(EXPIRED.code(), JAVA.validate(h));
    }

    @Test
    void boundaries()
    {
        final MemorySegment h = valid();
        for (final int size : new int[] {LIMIT, LIMIT - 1, 0, -1, Integer.MIN_VALUE})
        {
            TestHeaders.setInt(h, MESSAGE_SIZE_OFFSET, size);
            assertEquals(NONE.code(), JAVA.validate(h), "size " + size);
        }
        for (final int size : new int[] {LIMIT + 1, Integer.MAX_VALUE})
        {
            TestHeaders.setInt(h, MESSAGE_SIZE_OFFSET, size);
            assertEquals(MESSAGE_TOO_LARGE.code(), JAVA.validate(h), "size " + size);
        }
        TestHeaders.setInt(h, MESSAGE_SIZE_OFFSET, 10);
        TestHeaders.setLong(h, NOW_MS_OFFSET, NOW);
        for (final long expires : new long[] {0, -1, Long.MIN_VALUE, NOW + 1, Long.MAX_VALUE})
        {
            TestHeaders.setLong(h, EXPIRES_AT_MS_OFFSET, expires);
            assertEquals(NONE.code(), JAVA.validate(h), "expires " + expires);
        }
        for (final long expires : new long[] {NOW, NOW - 1, 1})
        {
            TestHeaders.setLong(h, EXPIRES_AT_MS_OFFSET, expires);
            assertEquals(EXPIRED.code(), JAVA.validate(h), "expires " + expires);
        }
        TestHeaders.setLong(h, EXPIRES_AT_MS_OFFSET, 0);
        for (final int len : new int[] {0, -1, Integer.MIN_VALUE})
        {
            TestHeaders.setInt(h, MESSAGE_ID_LENGTH_OFFSET, len);
            assertEquals(EMPTY_MESSAGE_ID.code(), JAVA.validate(h), "id length " + len);
            TestHeaders.setInt(h, MESSAGE_ID_LENGTH_OFFSET, 1);
            TestHeaders.setInt(h, CONTENT_LENGTH_OFFSET, len);
            assertEquals(EMPTY_CONTENT.code(), JAVA.validate(h), "content length " + len);
            TestHeaders.setInt(h, CONTENT_LENGTH_OFFSET, 1);
        }
        assertEquals(NONE.code(), JAVA.validate(h));
        for (final int len : new int[] {-1, -2, Integer.MIN_VALUE})
        {
            TestHeaders.setInt(h, HASH_LENGTH_OFFSET, len);
            assertEquals(HASH_MISSING.code(), JAVA.validate(h), "hash length " + len);
        }
    }

    @Test
    void broadcastSkipsRecipientChecks()
    {
        final MemorySegment h = valid();
        TestHeaders.setInt(h, FLAGS_OFFSET, FLAG_TENANT_FORMAT_VALID | FLAG_SENDER_REGISTERED);
        TestHeaders.setInt(h, RECIPIENT_TENANT_OFFSET, 12345);
        assertEquals(NONE.code(), JAVA.validate(h));
        TestHeaders.setInt(h, FLAGS_OFFSET, FLAG_TENANT_FORMAT_VALID | FLAG_SENDER_REGISTERED | FLAG_HAS_RECIPIENT);
        assertEquals(RECIPIENT_NOT_REGISTERED.code(), JAVA.validate(h));
        TestHeaders.setInt(h, FLAGS_OFFSET, TestHeaders.ALL_FLAGS);
        assertEquals(TENANT_MISMATCH_RECIPIENT.code(), JAVA.validate(h));
    }

    @Test
    void tenantsCompareAsInterned()
    {
        final MemorySegment h = valid();
        for (final int t : new int[] {NO_TENANT, UNKNOWN_TENANT, 0, 5})
        {
            TestHeaders.setInt(h, MESSAGE_TENANT_OFFSET, t);
            TestHeaders.setInt(h, SENDER_TENANT_OFFSET, t);
            TestHeaders.setInt(h, RECIPIENT_TENANT_OFFSET, t);
            assertEquals(NONE.code(), JAVA.validate(h), "all tenants " + t);
        }
        // an unknown tenant (-2) never equals "none" (-1)
        TestHeaders.setInt(h, MESSAGE_TENANT_OFFSET, UNKNOWN_TENANT);
        TestHeaders.setInt(h, SENDER_TENANT_OFFSET, NO_TENANT);
        assertEquals(TENANT_MISMATCH_SENDER.code(), JAVA.validate(h));
        TestHeaders.setInt(h, SENDER_TENANT_OFFSET, UNKNOWN_TENANT);
        TestHeaders.setInt(h, RECIPIENT_TENANT_OFFSET, NO_TENANT);
        assertEquals(TENANT_MISMATCH_RECIPIENT.code(), JAVA.validate(h));
    }

    @Test
    void undefinedBitsAndReservedAreIgnored()
    {
        final MemorySegment h = valid();
        TestHeaders.setInt(h, FLAGS_OFFSET, TestHeaders.ALL_FLAGS | 0xFFFF_FFF0);
        TestHeaders.setInt(h, SENDER_ROLE_OFFSET, 0xDEADBEEF);
        assertEquals(NONE.code(), JAVA.validate(h));
    }

    /** The comparison is constant-time (no early exit) and must still be exact. */
    @Test
    void hashComparisonIsExactForEveryLength()
    {
        final byte[] expected = HASH.getBytes(StandardCharsets.US_ASCII);
        final MemorySegment h = valid();
        for (int len = 0; len <= 20; len++)
        {
            // the claimed hash is the first len characters of the right one, zero padded (as the bus writes it)
            final byte[] prefix = new byte[16];
            System.arraycopy(expected, 0, prefix, 0, Math.min(len, 16));
            TestHeaders.hash(h, prefix, len);
            assertEquals(len == 16 ? NONE.code() : HASH_MISMATCH.code(), JAVA.validate(h), "prefix of length " + len);
            // all 16 bytes right but the length claims otherwise
            TestHeaders.hash(h, expected, len);
            assertEquals(len == 16 ? NONE.code() : HASH_MISMATCH.code(), JAVA.validate(h), "full bytes, length " + len);
        }
        for (final int len : new int[] {32, 48, 1 << 4 | 1 << 20, Integer.MAX_VALUE})
        {
            TestHeaders.hash(h, expected, len);
            assertEquals(HASH_MISMATCH.code(), JAVA.validate(h), "length " + len);
        }
        // every single-byte change at every position, non-ASCII and NUL included
        for (int i = 0; i < 16; i++)
        {
            for (int v = 0; v < 256; v++)
            {
                final byte[] b = expected.clone();
                b[i] = (byte)v;
                TestHeaders.hash(h, b, 16);
                assertEquals(b[i] == expected[i] ? NONE.code() : HASH_MISMATCH.code(), JAVA.validate(h), "byte " + i + " = " + v);
            }
        }
        // a byte that differs only in its sign bit, at the last position (a naive signed compare could miss it)
        final byte[] high = expected.clone();
        high[15] = (byte)(expected[15] | 0x80);
        TestHeaders.hash(h, high, 16);
        assertEquals(HASH_MISMATCH.code(), JAVA.validate(h));
        // the bus writes non-ASCII characters as 0xFF
        final byte[] ff = expected.clone();
        ff[3] = (byte)0xFF;
        TestHeaders.hash(h, ff, 16);
        assertEquals(HASH_MISMATCH.code(), JAVA.validate(h));
        TestHeaders.hash(h, new byte[16], 16);
        assertEquals(HASH_MISMATCH.code(), JAVA.validate(h), "16 NULs");
    }

    @Test
    void offHeapAndHeapAgree()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment off = TestHeaders.allocate(arena);
            for (int code = 0; code < BREAK.size(); code++)
            {
                final MemorySegment heap = valid();
                if (BREAK.get(code) != null)
                {
                    BREAK.get(code).accept(heap);
                }
                off.copyFrom(heap);
                assertEquals(JAVA.validate(heap), JAVA.validate(off));
                assertEquals(code, JAVA.validate(off));
            }
        }
    }

    @Test
    void configuredHashMustBe16AsciiCharacters()
    {
        for (final String bad : new String[] {"", "cdd01ef066bc6cf", "cdd01ef066bc6cf22", "cdd01ef066bc6cf\u00e9", "cdd01ef066bc6cf\0",
            "cdd01ef066bc6c\u20ac2", "\ud83d\ude00dd01ef066bc6c"})
        {
            assertThrows(IllegalArgumentException.class, () -> new JavaValidationStrategy(bad, LIMIT, POLICY), () -> "accepted hash '" + bad + "'");
        }
        assertArrayEquals(HASH.getBytes(StandardCharsets.US_ASCII), JavaValidationStrategy.hashBytes(HASH));
        // any 16 printable ASCII characters work, not only hex
        final JavaValidationStrategy other = new JavaValidationStrategy("~!ZZ  zz09{}|:<>", LIMIT, POLICY);
        final MemorySegment h = valid();
        assertEquals(HASH_MISMATCH.code(), other.validate(h));
        TestHeaders.hash(h, "~!ZZ  zz09{}|:<>", 16);
        assertEquals(NONE.code(), other.validate(h));
    }
}
