package dev.eab.core.validate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Java writes the compact input ({@link RegoInput}); Rust decodes it ({@code eab_rego_input_json}). The object Rust
 * hands the policy must be the one Java means: compared with Java's own rendering ({@link RegoPolicyStrategy#inputJson})
 * over generated fields, including quotes, backslashes, control characters and non-ASCII text.
 */
class RegoInputAgreementTest
{
    private static final String ALPHABET = "abcXYZ019_-.:\"\\/\n\t\u0001 é漢😀";

    @BeforeAll
    static void nativeLibrary()
    {
        assertTrue(NativeRegoEngine.available());
    }

    @Test
    void rustDecodesWhatJavaEncodes()
    {
        final SplittableRandom rnd = new SplittableRandom(11);
        final RegoInput input = new RegoInput(16);
        for (int n = 0; n < 2_000; n++)
        {
            final String[] fields = new String[RegoInputDescriptor.FIELD_COUNT];
            long size = 0;
            for (int i = 0; i < fields.length; i++)
            {
                fields[i] = random(rnd, rnd.nextInt(n % 50 == 0 ? 300 : 12));
                size += RegoInputDescriptor.LENGTH_PREFIX_BYTES + fields[i].getBytes(StandardCharsets.UTF_8).length;
            }
            input.begin(size);
            for (final String f : fields)
            {
                input.field(f.getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(input.complete());
            assertEquals(RegoPolicyStrategy.inputJson(fields), NativeRegoEngine.inputJson(input.segment(), input.length()), "case " + n);
        }
    }

    @Test
    void rustRefusesAMalformedInput()
    {
        final RegoInput input = new RegoInput(16).begin(64);
        for (int i = 0; i < RegoInputDescriptor.FIELD_COUNT - 1; i++)
        {
            input.field(new byte[] {'x'});
        }
        assertFalse(input.complete());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> NativeRegoEngine.inputJson(input.segment(), input.length()));
        assertTrue(e.getMessage().contains("policy_version"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> input.field(new byte[RegoInputDescriptor.MAX_FIELD_BYTES + 1]));
    }

    private static String random(final SplittableRandom rnd, final int len)
    {
        final StringBuilder sb = new StringBuilder();
        while (sb.length() < len)
        {
            sb.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, rnd.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
        }
        return sb.toString();
    }
}
