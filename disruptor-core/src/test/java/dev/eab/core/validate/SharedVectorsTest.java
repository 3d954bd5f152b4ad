package dev.eab.core.validate;

import dev.eab.api.RejectReason;
import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs every row of {@code ffi-headers/validate_vectors.csv} through the Java twin and the native engine,
 * both built from the {@code #!engine} / {@code #!rule} lines. The Rust side checks the same file in
 * {@code native-rust/tests/validate_vectors.rs}, so all three agree on one hand-written expectation.
 */
class SharedVectorsTest
{
    static final int FIELDS = 17;

    record Engine(String hash, int maxMessageSize, int defaultEffect) { }

    record Rule(long tenantMask, long senderTypeMask, long requiredCapabilities, int messageTypeMask, int effect) { }

    record Case(int line, String name, String hash, int hashLength, int messageIdLength, int contentLength, int messageSize, long nowMs,
        long expiresAtMs, int flags, int messageTenant, int senderTenant, int recipientTenant, int policyTenant, int senderType,
        int messageType, long senderCapabilities, int expected) { }

    record Vectors(Engine engine, List<Rule> rules, List<Case> cases) { }

    static Vectors vectors;
    static PolicyTable policy;
    static Arena arena;

    static Path vectorsFile()
    {
        final String header = System.getProperty("eab.ffiHeader");
        final Path p = header != null ? Path.of(header).resolveSibling("validate_vectors.csv") : Path.of("../ffi-headers/validate_vectors.csv");
        assertTrue(Files.isRegularFile(p), "vectors file not found: " + p.toAbsolutePath());
        return p;
    }

    static Vectors parse(final List<String> lines)
    {
        Engine engine = null;
        final List<Rule> rules = new ArrayList<>();
        final List<Case> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final int line = i + 1;
            final String l = lines.get(i).strip();
            if (l.startsWith("#!"))
            {
                final String[] f = l.substring(2).split(",", -1);
                switch (f[0])
                {
                    case "engine" ->
                    {
                        assertEquals(4, f.length, "line " + line + ": #!engine needs 3 values");
                        assertNull(engine, "line " + line + ": second #!engine");
                        engine = new Engine(f[1], Integer.parseInt(f[2]), Integer.parseUnsignedInt(f[3]));
                    }
                    case "rule" ->
                    {
                        assertEquals(7, f.length, "line " + line + ": #!rule needs 6 values");
                        assertEquals(rules.size(), Integer.parseInt(f[1]), "line " + line + ": rule index must equal its position");
                        rules.add(new Rule(Long.parseUnsignedLong(f[2]), Long.parseUnsignedLong(f[3]), Long.parseUnsignedLong(f[4]),
                            Integer.parseUnsignedInt(f[5]), Integer.parseUnsignedInt(f[6])));
                    }
                    default -> fail("line " + line + ": unknown directive #!" + f[0]);
                }
                continue;
            }
            if (l.isEmpty() || l.startsWith("#"))
            {
                continue;
            }
            final String[] f = l.split(",", -1);
            assertEquals(FIELDS, f.length, "line " + line + ": expected " + FIELDS + " fields: " + l);
            assertTrue(f[0].matches("[a-z0-9_]+"), "line " + line + ": bad name " + f[0]);
            assertTrue(f[1].length() <= 16 && StandardCharsets.US_ASCII.newEncoder().canEncode(f[1]), "line " + line + ": hash must be 0..16 ASCII");
            cases.add(new Case(line, f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]),
                Long.parseLong(f[6]), Long.parseLong(f[7]), Integer.parseUnsignedInt(f[8]), Integer.parseInt(f[9]), Integer.parseInt(f[10]),
                Integer.parseInt(f[11]), Integer.parseInt(f[12]), Integer.parseInt(f[13]), Integer.parseInt(f[14]),
                Long.parseUnsignedLong(f[15]), Integer.parseInt(f[16])));
        }
        assertNotNull(engine, "no #!engine line");
        return new Vectors(engine, rules, cases);
    }

    static PolicyTable table(final Vectors v)
    {
        final int n = v.rules().size();
        final long[] tenant = new long[n];
        final long[] type = new long[n];
        final long[] caps = new long[n];
        final int[] types = new int[n];
        final int[] effects = new int[n];
        for (int i = 0; i < n; i++)
        {
            final Rule r = v.rules().get(i);
            tenant[i] = r.tenantMask();
            type[i] = r.senderTypeMask();
            caps[i] = r.requiredCapabilities();
            types[i] = r.messageTypeMask();
            effects[i] = r.effect();
        }
        return TestHeaders.table("validate_vectors.csv", v.engine().defaultEffect(), tenant, type, caps, types, effects);
    }

    static void write(final MemorySegment h, final Case c)
    {
        h.fill((byte)0);
        TestHeaders.hash(h, c.hash().getBytes(StandardCharsets.US_ASCII), c.hashLength());
        h.set(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET, c.messageIdLength());
        h.set(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET, c.contentLength());
        h.set(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET, c.messageSize());
        h.set(ValueLayout.JAVA_LONG, NOW_MS_OFFSET, c.nowMs());
        h.set(ValueLayout.JAVA_LONG, EXPIRES_AT_MS_OFFSET, c.expiresAtMs());
        h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, c.flags());
        h.set(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET, c.messageTenant());
        h.set(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET, c.senderTenant());
        h.set(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET, c.recipientTenant());
        h.set(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET, c.policyTenant());
        h.set(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET, c.senderType());
        h.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, c.messageType());
        h.set(ValueLayout.JAVA_LONG, SENDER_CAPABILITIES_OFFSET, c.senderCapabilities());
    }

    @BeforeAll
    static void load()
    {
        try
        {
            vectors = parse(Files.readAllLines(vectorsFile(), StandardCharsets.UTF_8));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        policy = table(vectors);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void close()
    {
        arena.close();
    }

    /** The file is what its header says: the engine, five rules, and rows covering every code. */
    @Test
    void fileIsComplete()
    {
        assertEquals(new Engine(TestHeaders.HASH, 1024, PolicyTable.EFFECT_DENY), vectors.engine());
        assertEquals(5, vectors.rules().size());
        assertEquals(new Rule(PolicyTable.ANY, 0x4, 0x4, 0xC0, PolicyTable.EFFECT_ALLOW), vectors.rules().get(0));
        assertEquals(new Rule(PolicyTable.ANY, PolicyTable.ANY, 0, 0xC0, PolicyTable.EFFECT_DENY), vectors.rules().get(1));
        assertEquals(new Rule(0x2, PolicyTable.ANY, 0, PolicyTable.ANY_MESSAGE_TYPE, PolicyTable.EFFECT_DENY), vectors.rules().get(2));
        assertEquals(new Rule(0x9, PolicyTable.ANY, 0x1, PolicyTable.ANY_MESSAGE_TYPE, PolicyTable.EFFECT_ALLOW), vectors.rules().get(3));
        assertEquals(new Rule(PolicyTable.ANY, PolicyTable.ANY, 0, 0x20, PolicyTable.EFFECT_ALLOW), vectors.rules().get(4));
        assertTrue(vectors.cases().size() >= 40, "only " + vectors.cases().size() + " cases parsed");
        final Set<Integer> codes = new TreeSet<>();
        final Set<String> names = new TreeSet<>();
        for (final Case c : vectors.cases())
        {
            codes.add(c.expected());
            assertTrue(names.add(c.name()), "duplicate case name " + c.name());
        }
        for (int code = 0; code <= RejectReason.MAX_NATIVE_CODE; code++)
        {
            assertTrue(codes.contains(code), "no row expects code " + code + "; codes present: " + codes);
        }
        assertEquals(RejectReason.MAX_NATIVE_CODE, codes.stream().mapToInt(Integer::intValue).max().orElseThrow());
    }

    @TestFactory
    Stream<DynamicTest> javaTwin()
    {
        final JavaValidationStrategy java = new JavaValidationStrategy(vectors.engine().hash(), vectors.engine().maxMessageSize(), policy);
        return vectors.cases().stream().map(c -> DynamicTest.dynamicTest("java " + c.name(), () -> check(java, c)));
    }

    @TestFactory
    Stream<DynamicTest> nativeEngine()
    {
        assertTrue(NativeBindings.available(), "native library must load for the shared vectors");
        final NativeValidationStrategy nat = new NativeValidationStrategy(vectors.engine().hash(), vectors.engine().maxMessageSize(), policy);
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Case c : vectors.cases())
        {
            tests.add(DynamicTest.dynamicTest("native " + c.name(), () -> check(nat, c)));
        }
        tests.add(DynamicTest.dynamicTest("close native engine", nat::close));
        return tests.stream();
    }

    static void check(final ValidationStrategy s, final Case c)
    {
        final MemorySegment h = TestHeaders.allocate(arena);
        write(h, c);
        assertEquals(c.expected(), s.validate(h), () -> s.name() + " line " + c.line() + " " + c.name() + ": " + TestHeaders.describe(h));
    }

    /** The parser rejects a malformed row instead of skipping it (the test cannot pass on a misread file). */
    @Test
    void parserRejectsMalformedRows()
    {
        final String engine = "#!engine,cdd01ef066bc6cf2,1024,1";
        assertThrows(AssertionError.class, () -> parse(List.of(engine, "short,row,1")));
        assertThrows(AssertionError.class, () -> parse(List.of(engine, "#!rule,1,0,0,0,0,0")));
        assertThrows(AssertionError.class, () -> parse(List.of("ok," + TestHeaders.HASH + ",16,36,5,512,1700000000000,0,15,7,7,7,0,1,0,1,0")));
        assertEquals(1, parse(List.of(engine, "ok," + TestHeaders.HASH + ",16,36,5,512,1700000000000,0,15,7,7,7,0,1,0,1,0")).cases().size());
    }
}
