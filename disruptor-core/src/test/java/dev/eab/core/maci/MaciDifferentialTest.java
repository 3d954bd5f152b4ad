package dev.eab.core.maci;

import dev.eab.api.MaciAction;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.NativeValidationStrategy;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Rust ({@code eab_engine_new_maci} + {@code eab_validate}) and the Java twin give the same code for generated
 * headers covering every sender role (and none, and out-of-range bytes), every message type (and out-of-range
 * ones), every combination of the six MACI flags and every target/producer role, in strict and non-strict mode,
 * with a policy that denies some traffic (MACI must come before policy, after the tenant checks). Every MACI code
 * must be produced, so the corpus cannot pass by never reaching the checks.
 */
class MaciDifferentialTest
{
    static final int HEADERS = 200_000;
    static final String HASH = "cdd01ef066bc6cf2";
    static final long SEED = Long.getLong("eab.test.seed", new SplittableRandom().nextLong());
    static final PolicyTable POLICY = PolicyCompiler.compile("""
        version: "maci-diff"
        default: allow
        rules:
          - name: no-audit-log
            effect: deny
            message_types: [audit_log]
        """, "maci-diff");

    @ParameterizedTest(name = "strict={0}")
    @ValueSource(booleans = {true, false})
    void rustAndJavaAgreeOnGeneratedRoleTypeTargetHeaders(final boolean strict)
    {
        // An extra mapping so a non-original table is covered too.
        final MaciTables tables = new MaciTables(strict, with(MessageType.COMMAND, MaciAction.ENFORCE_CONTROL));
        final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1 << 20, POLICY, tables);
        final long[] counts = new long[RejectReason.count()];
        try (Arena arena = Arena.ofConfined(); NativeValidationStrategy rust = new NativeValidationStrategy(HASH, 1 << 20, POLICY, tables))
        {
            final MemorySegment h = arena.allocate(LENGTH, ALIGNMENT);
            final SplittableRandom r = new SplittableRandom(SEED ^ (strict ? 1 : 2));
            for (int i = 0; i < HEADERS; i++)
            {
                generate(h, r);
                final int j = java.validate(h);
                final int n = rust.validate(h);
                if (j != n)
                {
                    fail("seed " + SEED + " header " + i + ": java " + RejectReason.fromCode(j) + " rust " + n + " " + describe(h));
                }
                counts[j]++;
            }
        }
        for (int code = RejectReason.MACI_FIRST_CODE; code <= RejectReason.MACI_LAST_CODE; code++)
        {
            final boolean strictOnly = code == RejectReason.MACI_ROLE_NOT_ASSIGNED.code() || code == RejectReason.MACI_UNMAPPED_TYPE.code()
                || code == RejectReason.MACI_TARGET_NOT_FOUND.code();
            if (strict || !strictOnly)
            {
                assertTrue(counts[code] > 500, RejectReason.fromCode(code) + " produced " + counts[code] + " times: " + Arrays.toString(counts));
            }
            else
            {
                assertEquals(0, counts[code], RejectReason.fromCode(code) + " in non-strict mode");
            }
        }
        assertTrue(counts[0] > 1_000, "some headers pass: " + Arrays.toString(counts));
        assertTrue(counts[RejectReason.POLICY_DENIED.code()] > 100, "policy is reached after MACI: " + Arrays.toString(counts));
        assertTrue(counts[RejectReason.TENANT_MISMATCH_SENDER.code()] > 100, "tenant checks come first: " + Arrays.toString(counts));
    }

    /** Every role byte x type x MACI flag combination x target role, exhaustively, in both modes. */
    @Test
    void everyRoleTypeCellAgreesExhaustively()
    {
        for (final boolean strict : new boolean[] {true, false})
        {
            final MaciTables tables = MaciTables.reference(strict);
            final JavaValidationStrategy java = new JavaValidationStrategy(HASH, 1 << 20, PolicyTable.allowAll(), tables);
            try (Arena arena = Arena.ofConfined(); NativeValidationStrategy rust = new NativeValidationStrategy(HASH, 1 << 20, PolicyTable.allowAll(), tables))
            {
                final MemorySegment h = arena.allocate(LENGTH, ALIGNMENT);
                int cells = 0;
                for (int role = -2; role < 9; role++)
                {
                    for (int type = -1; type < 17; type++)
                    {
                        for (int flags = 0; flags < 64; flags++)
                        {
                            for (int target = -1; target < 8; target++)
                            {
                                valid(h);
                                h.set(ValueLayout.JAVA_BYTE, SENDER_ROLE_OFFSET, (byte)role);
                                h.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, type);
                                h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, h.get(ValueLayout.JAVA_INT, FLAGS_OFFSET) | flags << 4);
                                h.set(ValueLayout.JAVA_BYTE, TARGET_AGENT_ROLE_OFFSET, (byte)target);
                                h.set(ValueLayout.JAVA_BYTE, PRODUCER_ROLE_OFFSET, (byte)(7 - target));
                                assertEquals(java.validate(h), rust.validate(h), describe(h));
                                cells++;
                            }
                        }
                    }
                }
                assertEquals(11 * 18 * 64 * 9, cells);
            }
        }
    }

    static Map<MessageType, MaciAction> with(final MessageType type, final MaciAction action)
    {
        final Map<MessageType, MaciAction> m = new java.util.EnumMap<>(MaciTables.DEFAULT_TYPE_ACTIONS);
        m.put(type, action);
        return m;
    }

    static void valid(final MemorySegment h)
    {
        h.fill((byte)0);
        MemorySegment.copy(HASH.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, h, ValueLayout.JAVA_BYTE, HASH_OFFSET, 16);
        h.set(ValueLayout.JAVA_INT, HASH_LENGTH_OFFSET, 16);
        h.set(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET, 8);
        h.set(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET, 1);
        h.set(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET, 100);
        h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, FLAG_TENANT_FORMAT_VALID | FLAG_SENDER_REGISTERED | FLAG_RECIPIENT_REGISTERED | FLAG_HAS_RECIPIENT);
        h.set(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET, 3);
        h.set(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET, 3);
        h.set(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET, 3);
        h.set(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET, -1);
        h.set(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET, -1);
    }

    static void generate(final MemorySegment h, final SplittableRandom r)
    {
        valid(h);
        if (r.nextInt(100) < 3)
        {
            h.set(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET, 4);
        }
        final int p = r.nextInt(100);
        final int role = p < 85 ? r.nextInt(7) : p < 95 ? -1 : r.nextInt(256) - 128;
        h.set(ValueLayout.JAVA_BYTE, SENDER_ROLE_OFFSET, (byte)role);
        // Validation types often, so the target checks are reached; every type sometimes; out of range rarely.
        final int t = r.nextInt(100);
        final int type = t < 45 ? MessageType.CONSTITUTIONAL_VALIDATION.ordinal() : t < 97 ? r.nextInt(12) : r.nextInt(40) - 8;
        h.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, type);
        int flags = h.get(ValueLayout.JAVA_INT, FLAGS_OFFSET);
        flags |= r.nextInt(64) << 4;
        if (r.nextInt(100) < 2)
        {
            flags |= r.nextInt() & ~0x3FF; // undefined bits are ignored
        }
        h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, flags);
        h.set(ValueLayout.JAVA_BYTE, TARGET_AGENT_ROLE_OFFSET, (byte)(r.nextInt(100) < 90 ? r.nextInt(8) - 1 : r.nextInt(256)));
        h.set(ValueLayout.JAVA_BYTE, PRODUCER_ROLE_OFFSET, (byte)(r.nextInt(100) < 90 ? r.nextInt(8) - 1 : r.nextInt(256)));
        h.set(ValueLayout.JAVA_BYTE, RESERVED_OFFSET, (byte)r.nextInt(256));
    }

    static String describe(final MemorySegment h)
    {
        return "role=" + h.get(ValueLayout.JAVA_BYTE, SENDER_ROLE_OFFSET) + " type=" + h.get(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET) +
            " flags=0x" + Integer.toHexString(h.get(ValueLayout.JAVA_INT, FLAGS_OFFSET)) + " target=" +
            h.get(ValueLayout.JAVA_BYTE, TARGET_AGENT_ROLE_OFFSET) + " producer=" + h.get(ValueLayout.JAVA_BYTE, PRODUCER_ROLE_OFFSET);
    }
}
