package dev.eab.core.maci;

import dev.eab.api.RejectReason;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.NativeValidationStrategy;
import dev.eab.core.validate.PolicyTable;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ffi-headers/maci_vectors.csv} (hand-written expectations, also run by {@code native-rust/tests/maci_vectors.rs})
 * through the Java twin and through Rust, both built from {@link MaciTables#reference}.
 */
class MaciSharedVectorsTest
{
    static final String HASH = "cdd01ef066bc6cf2";

    static Path vectors()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("ffi-headers/maci_vectors.csv")))
        {
            dir = dir.getParent();
        }
        assertNotNull(dir, "ffi-headers/maci_vectors.csv not found above " + Path.of("").toAbsolutePath());
        return dir.resolve("ffi-headers/maci_vectors.csv");
    }

    @Test
    void sharedVectorsHoldForJavaAndRust() throws Exception
    {
        final List<String> lines = Files.readAllLines(vectors());
        final TreeSet<Integer> codes = new TreeSet<>();
        int rows = 0;
        try (Arena arena = Arena.ofConfined();
             NativeValidationStrategy rustLax = new NativeValidationStrategy(HASH, 1 << 20, PolicyTable.allowAll(), MaciTables.reference(false));
             NativeValidationStrategy rustStrict = new NativeValidationStrategy(HASH, 1 << 20, PolicyTable.allowAll(), MaciTables.reference(true)))
        {
            final JavaValidationStrategy javaLax = new JavaValidationStrategy(HASH, 1 << 20, PolicyTable.allowAll(), MaciTables.reference(false));
            final JavaValidationStrategy javaStrict = new JavaValidationStrategy(HASH, 1 << 20, PolicyTable.allowAll(), MaciTables.reference(true));
            final MemorySegment h = arena.allocate(LENGTH, ALIGNMENT);
            for (int i = 0; i < lines.size(); i++)
            {
                final String l = lines.get(i).strip();
                if (l.isEmpty() || l.startsWith("#"))
                {
                    continue;
                }
                final String[] f = l.split(",");
                assertEquals(8, f.length, "line " + (i + 1));
                final boolean strict = f[1].equals("1");
                MaciDifferentialTest.valid(h);
                h.set(ValueLayout.JAVA_BYTE, SENDER_ROLE_OFFSET, (byte)Integer.parseInt(f[2]));
                h.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, Integer.parseInt(f[3]));
                h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, h.get(ValueLayout.JAVA_INT, FLAGS_OFFSET) | Integer.parseInt(f[4]));
                h.set(ValueLayout.JAVA_BYTE, TARGET_AGENT_ROLE_OFFSET, (byte)Integer.parseInt(f[5]));
                h.set(ValueLayout.JAVA_BYTE, PRODUCER_ROLE_OFFSET, (byte)Integer.parseInt(f[6]));
                final int expected = Integer.parseInt(f[7]);
                final String what = "line " + (i + 1) + " (" + f[0] + ", expected " + RejectReason.fromCode(expected) + ")";
                assertEquals(expected, (strict ? javaStrict : javaLax).validate(h), "java " + what);
                assertEquals(expected, (strict ? rustStrict : rustLax).validate(h), "rust " + what);
                codes.add(expected);
                rows++;
            }
        }
        assertTrue(rows >= 40, rows + " vectors");
        assertEquals(List.of(0, 23, 24, 25, 26, 27, 28), List.copyOf(codes), "every MACI code has a vector");
    }
}
