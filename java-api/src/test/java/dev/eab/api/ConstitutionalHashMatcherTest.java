package dev.eab.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The public hash pre-check: the original's texts, sanitised hashes, and an exact comparison. */
class ConstitutionalHashMatcherTest
{
    static final String HASH = Constitution.HASH;

    @Test
    void theRightHashIsValid()
    {
        final ValidationResult r = Constitution.validateConstitutionalHash(HASH);
        assertTrue(r.isValid());
        assertEquals(Decision.ALLOW, r.decision());
        assertEquals(List.of(), r.errors());
        assertTrue(Constitution.validateConstitutionalHash(new StringBuilder(HASH)).isValid(), "any CharSequence");
    }

    @Test
    void nonStringsAreMissingWithTheOriginalsText()
    {
        for (final Object value : new Object[] {null, 42, new char[] {'c'}, List.of(HASH)})
        {
            final ValidationResult r = Constitution.validateConstitutionalHash(value);
            assertFalse(r.isValid());
            assertEquals(RejectReason.HASH_MISSING, r.rejectReason());
            assertEquals(List.of("Constitutional hash must be a string"), r.errors());
        }
    }

    @Test
    void mismatchShowsOnlyAnEightCharacterPrefix()
    {
        final ValidationResult r = Constitution.validateConstitutionalHash("0123456789abcdef");
        assertFalse(r.isValid());
        assertEquals(Decision.DENY, r.decision());
        assertEquals(RejectReason.HASH_MISMATCH, r.rejectReason());
        assertEquals(List.of("Constitutional hash mismatch (provided: 01234567...)"), r.errors());
        assertEquals(Map.of("expected_hash_prefix", "cdd01ef0...", "actual_hash_prefix", "01234567..."), r.metadata());
        assertFalse(r.toString().contains("0123456789abcdef"), "the full hash never appears");
        assertEquals(List.of("Constitutional hash mismatch (provided: abc)"), Constitution.validateConstitutionalHash("abc").errors(),
            "8 characters or fewer are shown whole");
        assertEquals(List.of("Constitutional hash mismatch (provided: )"), Constitution.validateConstitutionalHash("").errors());
    }

    @Test
    void everyCharacterAndTheLengthCount()
    {
        final ConstitutionalHashMatcher m = ConstitutionalHashMatcher.DEFAULT;
        assertTrue(m.matches(HASH));
        for (int i = 0; i < HASH.length(); i++)
        {
            final char other = HASH.charAt(i) == '0' ? '1' : '0';
            final String changed = HASH.substring(0, i) + other + HASH.substring(i + 1);
            assertFalse(m.matches(changed), changed);
            assertFalse(m.matches(HASH.substring(0, i)), "prefix of " + i);
        }
        assertFalse(m.matches(HASH + "0"), "a longer hash with the right first 16 characters");
        assertFalse(m.matches(HASH.toUpperCase()), "case matters, as in the original");
        assertFalse(m.matches(null));
        // A wide character is never truncated into a matching byte: U+0163 would end in 0x63 ('c').
        assertFalse(m.matches(HASH.substring(0, 15) + '\u0132'));
        assertFalse(m.matches(HASH.substring(0, 14) + "\u0163f"));
    }

    @Test
    void anotherConfiguredHash()
    {
        final ConstitutionalHashMatcher m = new ConstitutionalHashMatcher("~!ZZ  zz09{}|:<>");
        assertTrue(m.validate("~!ZZ  zz09{}|:<>").isValid());
        assertEquals(RejectReason.HASH_MISMATCH, m.validate(HASH).rejectReason());
        assertEquals("~!ZZ  zz09{}|:<>", m.expected());
        assertEquals("~!ZZ  zz09{}|:<>", m.validate(HASH).constitutionalHash());
    }

    @Test
    void theEnforcedHashMustBe16AsciiCharacters()
    {
        for (final String bad : new String[] {null, "", "cdd01ef066bc6cf", "cdd01ef066bc6cf22", "cdd01ef066bc6cf\u00e9", "cdd01ef066bc6cf\0"})
        {
            assertThrows(IllegalArgumentException.class, () -> new ConstitutionalHashMatcher(bad), () -> "accepted '" + bad + "'");
        }
    }

    @Test
    void comparedFormIsLittleEndianAsciiWithNonAsciiAsFF()
    {
        assertEquals('c', ConstitutionalHashMatcher.encodedByte(HASH, 0));
        assertEquals((byte)0xFF, ConstitutionalHashMatcher.encodedByte("\u00e9", 0));
        assertEquals(0, ConstitutionalHashMatcher.encodedByte("ab", 2), "zero past the end");
        assertEquals(0x3066653130646463L, ConstitutionalHashMatcher.word(HASH, 0), "'cdd01ef0' little-endian");
    }
}
