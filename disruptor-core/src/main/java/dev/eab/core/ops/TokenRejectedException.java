package dev.eab.core.ops;

/**
 * A bearer token refused by {@link BearerAuth}: the HTTP status to answer (401: no, malformed, badly signed,
 * expired, not-yet-valid token, wrong issuer, audience or subject; 403: a good token without the needed role),
 * the error code sent in the JSON body, the finer reason counted, and a message safe to show the caller (it
 * names what was wrong, never a key or the token itself).
 */
public final class TokenRejectedException extends RuntimeException
{
    private final int status;
    private final String code;
    private final String reason;

    /**
     * @param status  401 or 403
     * @param code    the JSON {@code error} value ({@code invalid_token}, {@code insufficient_role})
     * @param reason  the finer cause, counted by {@link BearerAuth#counts()} (e.g. {@code expired})
     * @param message what was wrong, for the caller
     */
    public TokenRejectedException(final int status, final String code, final String reason, final String message)
    {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.reason = reason;
    }

    /** @return the HTTP status to answer. */
    public int status()
    {
        return status;
    }

    /** @return the JSON error code. */
    public String code()
    {
        return code;
    }

    /** @return the finer reason, as counted. */
    public String reason()
    {
        return reason;
    }
}
