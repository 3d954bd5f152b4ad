package dev.eab.api.exception;

/**
 * Thrown when the OPA server cannot be reached (mirrors {@code OPAConnectionError}).
 */
public class OpaConnectionException extends PolicyException
{
    private final String opaUrl;
    private final String reason;

    /**
     * @param opaUrl the OPA server's URL.
     * @param reason why the connection failed.
     */
    public OpaConnectionException(final String opaUrl, final String reason)
    {
        this(opaUrl, reason, null);
    }

    /**
     * With the underlying failure.
     *
     * @param opaUrl the OPA server's URL.
     * @param reason why the connection failed.
     * @param cause  the underlying failure, may be {@code null}.
     */
    public OpaConnectionException(final String opaUrl, final String reason, final Throwable cause)
    {
        super(
            "Failed to connect to OPA at '" + opaUrl + "': " + reason,
            detailsOf("opa_url", opaUrl, "reason", reason),
            DEFAULT_CONSTITUTIONAL_HASH,
            cause);
        this.opaUrl = opaUrl;
        this.reason = reason;
    }

    /** @return the OPA server's URL. */
    public String opaUrl()
    {
        return opaUrl;
    }

    /** @return why the connection failed. */
    public String reason()
    {
        return reason;
    }
}
