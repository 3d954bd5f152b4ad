package dev.eab.api;

/**
 * The constitutional hash every message must carry. It is a version tag shared by all parties
 * (reference §3.2), compared in constant time at the bus boundary; it lives here once.
 */
public final class Constitution
{
    /** The default constitutional hash: exactly {@value #HASH_LENGTH} lowercase hex characters. */
    public static final String HASH = "cdd01ef066bc6cf2";
    /** Length of a constitutional hash in characters (and ASCII bytes on the native boundary). */
    public static final int HASH_LENGTH = 16;

    private Constitution()
    {
    }

    /**
     * The original's {@code validate_constitutional_hash}, for agents that pre-check before sending: the bus's
     * own constant-time comparison against {@link #HASH} (see {@link ConstitutionalHashMatcher#validate}; for a bus
     * configured with another hash, use {@code new ConstitutionalHashMatcher(hash).validate(value)}).
     */
    public static ValidationResult validateConstitutionalHash(final Object value)
    {
        return ConstitutionalHashMatcher.DEFAULT.validate(value);
    }

    /** @return true when {@code hash} is exactly 16 ASCII hex characters. */
    public static boolean isWellFormed(final String hash)
    {
        if (hash == null || hash.length() != HASH_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < HASH_LENGTH; i++)
        {
            // ASCII only: Character.digit also accepts e.g. Arabic-Indic and fullwidth digits, which
            // would turn into '?' on the native boundary.
            final char c = hash.charAt(i);
            if (c >= 0x80 || Character.digit(c, 16) < 0)
            {
                return false;
            }
        }
        return true;
    }
}
