package dev.eab.core.guard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Rust scanner lowercases with a table generated from {@link Character#toLowerCase(int)}
 * ({@code native-rust/src/guard_lower.rs}), because Rust's std follows its own, newer Unicode version.
 * This test regenerates the table and fails when the checked-in file differs, e.g. after a JDK upgrade
 * changed a case mapping. {@code EAB_BLESS=1} (environment) rewrites the file instead.
 */
class GuardLowercaseTableTest
{
    /** Entries per line in the generated Rust array. */
    private static final int ENTRIES_PER_LINE = 4;

    static String render()
    {
        final List<String> entries = new ArrayList<>();
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++)
        {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
            {
                continue;
            }
            final int lower = Character.toLowerCase(cp);
            if (lower != cp)
            {
                entries.add(String.format("(0x%X, 0x%X)", cp, lower));
            }
        }
        final StringBuilder sb = new StringBuilder();
        sb.append("//! Simple lowercase mapping, GENERATED from Java's `Character.toLowerCase(int)`\n");
        sb.append("//! (JDK ").append(Runtime.version().feature()).append(") by disruptor-core's GuardLowercaseTableTest. DO NOT EDIT:\n");
        sb.append("//! run `EAB_BLESS=1 mvn test -pl disruptor-core -Dtest=GuardLowercaseTableTest`.\n");
        sb.append("//!\n//! Why a table and not `char::to_lowercase`: Rust's std follows its own (newer)\n");
        sb.append("//! Unicode version and applies SpecialCasing, and the Java twin must lowercase\n");
        sb.append("//! identically. Non-ASCII entries only; ASCII is lowercased inline.\n\n");
        sb.append("/// `(code point, lowercase)` for every non-ASCII code point whose simple\n/// lowercase mapping differs from itself, sorted by code point.\n");
        sb.append("#[rustfmt::skip]\n");
        sb.append("pub(crate) static SIMPLE_LOWERCASE: [(u32, u32); ").append(entries.size()).append("] = [\n");
        for (int i = 0; i < entries.size(); i += ENTRIES_PER_LINE)
        {
            sb.append("   ");
            for (int j = i; j < Math.min(i + ENTRIES_PER_LINE, entries.size()); j++)
            {
                sb.append(' ').append(entries.get(j)).append(',');
            }
            sb.append('\n');
        }
        return sb.append("];\n").toString();
    }

    @Test
    void rustTableMatchesCharacterToLowerCase() throws IOException
    {
        final String path = System.getProperty("eab.guardLowercaseTable");
        assertNotNull(path, "system property eab.guardLowercaseTable (native-rust/src/guard_lower.rs) is not set");
        final Path file = Path.of(path);
        final String expected = render();
        if ("1".equals(System.getenv("EAB_BLESS")))
        {
            Files.writeString(file, expected);
            return;
        }
        assertTrue(Files.isRegularFile(file), "missing " + file.toAbsolutePath());
        final String actual = Files.readString(file);
        assertEquals(expected, actual, file + " is stale for this JDK: rerun with EAB_BLESS=1 and rebuild the native library "
            + "(the differential test compares every code point)");
    }

    @Test
    void asciiNeedsNoTable()
    {
        for (int c = 0; c < 0x80; c++)
        {
            final int expected = c >= 'A' && c <= 'Z' ? c + 32 : c;
            assertEquals(expected, Character.toLowerCase(c), "ASCII is lowercased inline on both sides");
        }
    }
}
