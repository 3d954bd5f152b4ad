package dev.eab.api.exception;

/**
 * Thrown when a message's constitutional hash differs from the one the bus enforces
 * (mirrors {@code ConstitutionalHashMismatchError}).
 *
 * <p>Security: both hashes appear only {@linkplain AgentBusException#sanitizeHash sanitised} in the
 * message, the details and {@link #toMap()}; the full values are reachable only through
 * {@link #expectedHash()} and {@link #actualHash()}, for internal checks.
 */
public class ConstitutionalHashMismatchException extends ConstitutionalException
{
    private final String expectedHash;
    private final String actualHash;
    private final String context;

    /**
     * @param expectedHash the hash the bus enforces.
     * @param actualHash   the hash received, may be {@code null}.
     * @param context      where the check happened, may be {@code null}.
     */
    public ConstitutionalHashMismatchException(final String expectedHash, final String actualHash, final String context)
    {
        super(
            message(expectedHash, actualHash, context),
            detailsOf(
                "expected_hash_prefix", sanitizeHash(expectedHash),
                "actual_hash_prefix", sanitizeHash(actualHash),
                "context", context));
        this.expectedHash = expectedHash;
        this.actualHash = actualHash;
        this.context = context;
    }

    /**
     * Without context.
     *
     * @param expectedHash the hash the bus enforces.
     * @param actualHash   the hash received, may be {@code null}.
     */
    public ConstitutionalHashMismatchException(final String expectedHash, final String actualHash)
    {
        this(expectedHash, actualHash, null);
    }

    private static String message(final String expectedHash, final String actualHash, final String context)
    {
        final String text = "Constitutional hash mismatch: expected '" + sanitizeHash(expectedHash)
            + "', got '" + sanitizeHash(actualHash) + "'";
        return present(context) ? text + " (context: " + context + ")" : text;
    }

    /** @return the full expected hash; for internal validation only, never log it. */
    public String expectedHash()
    {
        return expectedHash;
    }

    /** @return the full actual hash, may be {@code null}; for internal validation only, never log it. */
    public String actualHash()
    {
        return actualHash;
    }

    /** @return where the check happened, may be {@code null}. */
    public String context()
    {
        return context;
    }
}
