package dev.eab.core.validate;

import dev.eab.api.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The native engine and the Java twin must return the same code for every header. Headers are generated
 * from a seeded {@link SplittableRandom} so that every check is reached and fails with useful probability;
 * the seed is printed and named in every failure. Reproduce with {@code -Deab.test.seed=<seed>}.
 */
class DifferentialValidationTest
{
    /** Headers per policy variant. */
    static final int HEADERS_PER_POLICY = 100_000;
    /** Every code 0..12 must be produced at least this often per compiled policy variant. */
    static final int MIN_PER_CODE = 300;
    static final long NOW_BASE = 1_700_000_000_000L;

    static final long SEED = Long.getLong("eab.test.seed", new SplittableRandom().nextLong());

    static Arena arena;

    @BeforeAll
    static void open()
    {
        System.out.println("DifferentialValidationTest seed=" + SEED + " (rerun with -Deab.test.seed=" + SEED + ")");
        arena = Arena.ofConfined();
    }

    @AfterAll
    static void close()
    {
        arena.close();
    }

    static final String POLICY_A = """
        version: diff-a
        default: %s
        rules:
          - name: governors-govern
            effect: allow
            message_types: [governance_request, governance_response]
            sender_types: [governor]
            required_capabilities: [governance]
          - name: nobody-else-governs
            effect: deny
            message_types: [governance_request, governance_response]
          - name: quarantine
            effect: deny
            tenants: [quarantined, Suspended]
          - name: tenant-workers
            effect: allow
            tenants: [acme, globex]
            sender_types: [worker, planner]
            required_capabilities: [execute]
          - name: auditors
            effect: allow
            sender_types: [auditor]
            message_types: [audit_log, query, response]
            required_capabilities: [audit, read]
          - name: heartbeats
            effect: allow
            message_types: [heartbeat]
          - name: sandbox
            effect: deny
            sender_types: [sandboxed]
          - name: readers
            effect: allow
            required_capabilities: [read]
            message_types: [query, response, event, notification]
          - name: no-audit-writes
            effect: deny
            message_types: [audit_log, constitutional_validation]
        """;

    /** Fills all 64 tenant/capability ids and 64 sender types, so the sign bit and id 63 matter. */
    static String policyB(final String defaultEffect)
    {
        final StringBuilder y = new StringBuilder("version: diff-b\ndefault: " + defaultEffect + "\nrules:\n");
        y.append("  - name: low-tenants-no-commands\n    effect: deny\n    message_types: [command, query]\n    tenants: ")
            .append(names("t", 0, 32)).append('\n');
        y.append("  - name: high-tenants\n    effect: allow\n    tenants: ").append(names("t", 32, 64))
            .append("\n    sender_types: ").append(names("s", 0, 41))
            .append("\n    required_capabilities: ").append(names("c", 0, 3)).append('\n');
        y.append("  - name: high-types\n    effect: deny\n    sender_types: ").append(names("s", 41, 64))
            .append("\n    required_capabilities: ").append(names("c", 3, 64)).append('\n');
        y.append("  - name: sign-bit-capability\n    effect: allow\n    message_types: [audit_log, task_response, heartbeat]\n")
            .append("    required_capabilities: [c63]\n");
        y.append("  - name: tenant63\n    effect: deny\n    tenants: [t63, t0]\n    sender_types: [s63, s0]\n");
        y.append("  - name: events\n    effect: allow\n    message_types: [event, notification, response]\n");
        y.append("  - name: s40-denied\n    effect: deny\n    sender_types: [s40, s1, s2, s3]\n");
        return y.toString();
    }

    static String names(final String prefix, final int from, final int to)
    {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).collect(Collectors.joining(", ", "[", "]"));
    }

    record Variant(String name, PolicyTable policy, String hash, int limit, int tenantIds, int typeIds, int capBits) { }

    @Test
    void compiledPoliciesAgreeOnEveryHeaderAndCoverEveryCode()
    {
        requireNative();
        final List<Variant> variants = List.of(
            new Variant("A/deny/1024", PolicyCompiler.compile(POLICY_A.formatted("deny"), "policy-a-deny"), TestHeaders.HASH, 1024, 4, 5, 4),
            new Variant("A/allow/65536", PolicyCompiler.compile(POLICY_A.formatted("allow"), "policy-a-allow"), "0123456789abcdef", 65536, 4, 5, 4),
            new Variant("B/deny/1", PolicyCompiler.compile(policyB("deny"), "policy-b-deny"), TestHeaders.HASH, 1, 64, 64, 64),
            new Variant("B/allow/4096", PolicyCompiler.compile(policyB("allow"), "policy-b-allow"), "~!ZZ  zz09{}|:<>", 4096, 64, 64, 64));
        assertEquals(3, variants.get(0).policy().tenantId("globex"), "policy A vocabulary as expected");
        assertEquals(1, variants.get(0).policy().tenantId("suspended"), "tenants are lowercased");
        assertEquals(63, variants.get(2).policy().tenantId("t63"), "policy B fills the tenant vocabulary");
        assertEquals(Long.MIN_VALUE, variants.get(2).policy().capabilityMask(List.of("c63")), "c63 is the sign bit");

        final SplittableRandom root = new SplittableRandom(SEED);
        for (final Variant v : variants)
        {
            final long[] counts = run(v, root.split(), HEADERS_PER_POLICY);
            System.out.println("  " + v.name() + " codes 0..12: " + Arrays.toString(counts));
            for (int code = 0; code <= RejectReason.MAX_NATIVE_CODE; code++)
            {
                assertTrue(counts[code] >= MIN_PER_CODE, "seed=" + SEED + " variant " + v.name() + ": code " + code + " (" +
                    RejectReason.fromCode(code) + ") produced only " + counts[code] + " times: " + Arrays.toString(counts));
            }
        }
    }

    /** Random raw tables: masks the compiler never emits (bit 31 of the type mask, zero masks, every capability bit). */
    @Test
    void randomTablesAgree()
    {
        requireNative();
        final SplittableRandom root = new SplittableRandom(SEED ^ 0x5DEECE66DL);
        final long[] total = new long[RejectReason.MAX_NATIVE_CODE + 1];
        int headers = 0;
        for (int t = 0; t < 25; t++)
        {
            final SplittableRandom r = root.split();
            final int n = r.nextInt(0, 10);
            final long[] tenant = new long[n];
            final long[] type = new long[n];
            final long[] caps = new long[n];
            final int[] types = new int[n];
            final int[] effects = new int[n];
            for (int i = 0; i < n; i++)
            {
                tenant[i] = randomIdMask(r);
                type[i] = randomIdMask(r);
                caps[i] = switch (r.nextInt(6))
                {
                    case 0, 1 -> 0L;
                    case 2 -> 1L << r.nextInt(64);
                    case 3 -> r.nextLong() & r.nextLong() & r.nextLong();
                    case 4 -> -1L;
                    default -> (1L << r.nextInt(64)) | (1L << r.nextInt(64));
                };
                types[i] = switch (r.nextInt(6))
                {
                    case 0, 1 -> PolicyTable.ANY_MESSAGE_TYPE;
                    case 2 -> 1 << r.nextInt(32);
                    case 3 -> 0;
                    case 4 -> r.nextInt() | Integer.MIN_VALUE;
                    default -> r.nextInt(1 << 12);
                };
                effects[i] = r.nextInt(2);
            }
            final PolicyTable table = TestHeaders.table("random-" + t, r.nextInt(2), tenant, type, caps, types, effects);
            final byte[] hash = new byte[16];
            for (int i = 0; i < 16; i++)
            {
                hash[i] = (byte)r.nextInt(1, 128);
            }
            final Variant v = new Variant("random-" + t, table, new String(hash, StandardCharsets.US_ASCII), r.nextInt(1, 1 << 20), 64, 64, 64);
            final long[] counts = run(v, r, 10_000);
            headers += 10_000;
            for (int c = 0; c < total.length; c++)
            {
                total[c] += counts[c];
            }
        }
        assertEquals(250_000, headers);
        System.out.println("  random tables codes 0..12: " + Arrays.toString(total));
        for (int code = 0; code < total.length; code++)
        {
            assertTrue(total[code] >= MIN_PER_CODE, "seed=" + SEED + ": code " + code + " produced only " + total[code] + " times");
        }
    }

    static long randomIdMask(final SplittableRandom r)
    {
        return switch (r.nextInt(7))
        {
            case 0, 1 -> PolicyTable.ANY;
            case 2 -> 1L << r.nextInt(64);
            case 3 -> r.nextLong();
            case 4 -> 0L;
            case 5 -> -1L ^ (1L << r.nextInt(64));
            default -> r.nextLong(1L << 8);
        };
    }

    /** @return how often each code was returned; fails on the first disagreement. */
    static long[] run(final Variant v, final SplittableRandom r, final int headers)
    {
        final long[] counts = new long[RejectReason.MAX_NATIVE_CODE + 1];
        final JavaValidationStrategy java = new JavaValidationStrategy(v.hash(), v.limit(), v.policy());
        try (NativeValidationStrategy nat = new NativeValidationStrategy(v.hash(), v.limit(), v.policy()))
        {
            final MemorySegment h = TestHeaders.allocate(arena);
            final byte[] expected = v.hash().getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < headers; i++)
            {
                generate(h, r, v, expected);
                final int n = nat.validate(h);
                final int j = java.validate(h);
                if (n != j || n < 0 || n > RejectReason.MAX_NATIVE_CODE)
                {
                    fail("seed=" + SEED + " variant " + v.name() + " header #" + i + ": native=" + n + " java=" + j +
                        "\n  header " + TestHeaders.describe(h) + "\n  policy " + v.policy() + "\n  hash " + v.hash() + " limit " + v.limit() +
                        "\n  rerun with -Deab.test.seed=" + SEED);
                }
                counts[n]++;
            }
        }
        return counts;
    }

    /** Writes one generated header; each check is reached and fails with a probability of a few percent. */
    static void generate(final MemorySegment h, final SplittableRandom r, final Variant v, final byte[] expected)
    {
        writeHash(h, r, expected);
        h.set(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET, length(r));
        h.set(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET, length(r));
        final int limit = v.limit();
        final int p = r.nextInt(100);
        final int size = p < 25 ? limit : p < 45 ? limit - 1 : p < 50 ? limit + 1 : p < 53 ? (int)Math.min(Integer.MAX_VALUE, (long)limit + 1 + r.nextInt(1 << 20))
            : p < 54 ? Integer.MAX_VALUE : p < 56 ? -r.nextInt(1, 1000) : p < 57 ? Integer.MIN_VALUE : r.nextInt(0, limit + 1);
        h.set(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET, size);

        final int q = r.nextInt(100);
        final long now = q < 95 ? NOW_BASE + r.nextLong(-1_000_000, 1_000_000) : q < 97 ? 0L : q < 98 ? -r.nextLong(1, Long.MAX_VALUE) : Long.MAX_VALUE;
        h.set(ValueLayout.JAVA_LONG, NOW_MS_OFFSET, now);
        final int e = r.nextInt(100);
        final long expires = e < 45 ? 0L : e < 50 ? -r.nextLong(1, Long.MAX_VALUE) : e < 53 ? now : e < 56 ? now - 1 : e < 58 ? now - r.nextLong(1, 1_000_000)
            : e < 68 ? now + 1 : e < 69 ? Long.MAX_VALUE : e < 70 ? Long.MIN_VALUE : e < 71 ? r.nextLong() : now + r.nextLong(1, 1_000_000);
        h.set(ValueLayout.JAVA_LONG, EXPIRES_AT_MS_OFFSET, expires);

        int flags = 0;
        if (r.nextInt(100) < 93) flags |= FLAG_TENANT_FORMAT_VALID;
        if (r.nextInt(100) < 93) flags |= FLAG_SENDER_REGISTERED;
        if (r.nextInt(100) < 88) flags |= FLAG_RECIPIENT_REGISTERED;
        if (r.nextBoolean()) flags |= FLAG_HAS_RECIPIENT;
        if (r.nextInt(100) < 5) flags |= r.nextInt() & ~0xF; // undefined bits must be ignored
        h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, flags);

        final int tenant = busTenant(r);
        h.set(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET, tenant);
        h.set(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET, r.nextInt(100) < 93 ? tenant : busTenant(r));
        h.set(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET, r.nextInt(100) < 90 ? tenant : busTenant(r));

        h.set(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET, policyId(r, v.tenantIds()));
        h.set(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET, policyId(r, v.typeIds()));
        final int t = r.nextInt(100);
        final int messageType = t < 88 ? r.nextInt(12)
            : switch (r.nextInt(12))
            {
                case 0 -> -1;
                case 1 -> -2;
                case 2 -> 12;
                case 3 -> 13;
                case 4 -> 31;
                case 5 -> 32;
                case 6 -> 33;
                case 7 -> 63;
                case 8 -> 64;
                case 9 -> Integer.MIN_VALUE;
                case 10 -> Integer.MAX_VALUE;
                default -> r.nextInt();
            };
        h.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, messageType);
        h.set(ValueLayout.JAVA_INT, SENDER_ROLE_OFFSET, r.nextInt(100) < 30 ? r.nextInt() : 0);
        h.set(ValueLayout.JAVA_LONG, SENDER_CAPABILITIES_OFFSET, capabilities(r, v.capBits()));
    }

    static void writeHash(final MemorySegment h, final SplittableRandom r, final byte[] expected)
    {
        final byte[] b = expected.clone();
        int length = 16;
        final int p = r.nextInt(1000);
        if (p < 880)
        {
            // correct
        }
        else if (p < 910)
        {
            // one byte off: any other value, ASCII or not, zero included
            final int i = r.nextInt(16);
            b[i] = (byte)(b[i] + r.nextInt(1, 256));
        }
        else if (p < 930)
        {
            length = switch (r.nextInt(8))
            {
                case 0 -> 15;
                case 1 -> 17;
                case 2 -> 0;
                case 3 -> 20;
                case 4 -> 32;
                case 5 -> Integer.MAX_VALUE;
                case 6 -> 16 + (1 << r.nextInt(4, 31));
                default -> r.nextInt(1, 16);
            };
        }
        else if (p < 960)
        {
            // missing: any negative length, the bytes may still be right
            length = r.nextBoolean() ? -1 : r.nextBoolean() ? Integer.MIN_VALUE : -r.nextInt(1, Integer.MAX_VALUE);
            if (r.nextBoolean())
            {
                Arrays.fill(b, (byte)0);
            }
        }
        else if (p < 970)
        {
            // non-ASCII characters, written as 0xFF by the bus or as raw high bytes
            final int k = r.nextInt(1, 4);
            for (int j = 0; j < k; j++)
            {
                b[r.nextInt(16)] = r.nextBoolean() ? (byte)0xFF : (byte)r.nextInt(0x80, 0x100);
            }
        }
        else if (p < 980)
        {
            // a prefix: length short, rest zero padded
            length = r.nextInt(0, 16);
            Arrays.fill(b, length, 16, (byte)0);
        }
        else if (p < 985)
        {
            // uppercase variant
            for (int j = 0; j < 16; j++)
            {
                if (b[j] >= 'a' && b[j] <= 'z')
                {
                    b[j] -= 32;
                }
                else if (b[j] >= 'A' && b[j] <= 'Z')
                {
                    b[j] += 32;
                }
            }
        }
        else
        {
            // entirely random bytes, correct length
            for (int j = 0; j < 16; j++)
            {
                b[j] = (byte)r.nextInt(256);
            }
        }
        TestHeaders.hash(h, b, length);
    }

    static int length(final SplittableRandom r)
    {
        final int p = r.nextInt(100);
        return p < 94 ? (r.nextBoolean() ? r.nextInt(1, 64) : r.nextInt(1, Integer.MAX_VALUE) | 1) : p < 97 ? 0 : p < 98 ? -1 : p < 99 ? Integer.MIN_VALUE : -r.nextInt(1, Integer.MAX_VALUE);
    }

    static int busTenant(final SplittableRandom r)
    {
        final int p = r.nextInt(100);
        return p < 15 ? NO_TENANT : p < 25 ? UNKNOWN_TENANT : p < 97 ? r.nextInt(0, 6) : r.nextInt();
    }

    static int policyId(final SplittableRandom r, final int vocabulary)
    {
        final int p = r.nextInt(100);
        return p < 80 ? r.nextInt(0, vocabulary) : p < 88 ? -1 : p < 90 ? -2 : p < 97 ? r.nextInt(-1, 71) : switch (r.nextInt(4))
        {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> 64;
            default -> r.nextInt();
        };
    }

    static long capabilities(final SplittableRandom r, final int bits)
    {
        final int p = r.nextInt(100);
        if (p < 55)
        {
            long m = 0;
            for (int i = 0; i < bits; i++)
            {
                if (r.nextInt(100) < (bits > 8 ? 80 : 50))
                {
                    m |= 1L << i;
                }
            }
            return m;
        }
        return p < 70 ? r.nextLong() : p < 80 ? 0L : p < 90 ? -1L : 1L << r.nextInt(64);
    }

    static void requireNative()
    {
        assertTrue(dev.eab.core.ffi.NativeBindings.available(), "the native library must load: build with ./eab build");
    }

    /** The generator must hit the hash variants it claims to (guards against a silently weak corpus). */
    @Test
    void hashVariantsAreGenerated()
    {
        final SplittableRandom r = new SplittableRandom(SEED);
        final JavaValidationStrategy java = new JavaValidationStrategy(TestHeaders.HASH, 1024, PolicyTable.allowAll());
        final byte[] expected = TestHeaders.HASH.getBytes(StandardCharsets.US_ASCII);
        final MemorySegment h = TestHeaders.allocate(arena);
        TestHeaders.valid(h, 0, 0, 0, 0);
        int nonAscii = 0;
        int lengthOnly = 0;
        for (int i = 0; i < 20_000; i++)
        {
            writeHash(h, r, expected);
            final int len = h.get(ValueLayout.JAVA_INT, HASH_LENGTH_OFFSET);
            boolean bytesRight = true;
            boolean high = false;
            for (int j = 0; j < 16; j++)
            {
                final byte b = h.get(ValueLayout.JAVA_BYTE, HASH_OFFSET + j);
                bytesRight &= b == expected[j];
                high |= b < 0;
            }
            if (high && len == 16)
            {
                nonAscii++;
                assertEquals(RejectReason.HASH_MISMATCH.code(), java.validate(h));
            }
            if (bytesRight && len >= 0 && len != 16)
            {
                lengthOnly++;
                assertEquals(RejectReason.HASH_MISMATCH.code(), java.validate(h));
            }
        }
        assertTrue(nonAscii > 100, "non-ASCII hashes generated: " + nonAscii);
        assertTrue(lengthOnly > 100, "right bytes, wrong length generated: " + lengthOnly);
    }
}
