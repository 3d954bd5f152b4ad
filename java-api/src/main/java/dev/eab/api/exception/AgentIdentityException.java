package dev.eab.api.exception;

/**
 * Thrown when an agent's identity cannot be verified at registration: no token where one is required, a
 * malformed token, an unknown key or algorithm, a bad signature, an expired or not-yet-valid token, the wrong
 * issuer or audience, claims that disagree with the registration, or a revoked agent. The original accepted
 * any token containing a "." as the tenant id itself; here nothing is trusted that was not verified.
 *
 * <p>{@link #reason()} is a stable snake_case code for metrics and the audit log; the message says what was
 * wrong without echoing the token.
 */
public class AgentIdentityException extends AgentException
{
    private final String agentId;
    private final String reason;

    /**
     * @param agentId the agent that tried to register.
     * @param reason  the stable code: {@code missing_token}, {@code malformed}, {@code unsupported_algorithm},
     *                {@code unknown_key}, {@code bad_signature}, {@code expired}, {@code not_yet_valid},
     *                {@code wrong_issuer}, {@code wrong_audience}, {@code claim_mismatch}, {@code revoked}.
     * @param detail  what exactly was wrong (never the token).
     */
    public AgentIdentityException(final String agentId, final String reason, final String detail)
    {
        super("Identity of agent '" + agentId + "' refused (" + reason + "): " + detail,
            detailsOf("agent_id", agentId, "reason", reason));
        this.agentId = agentId;
        this.reason = reason;
    }

    /** @return the agent that tried to register. */
    public String agentId()
    {
        return agentId;
    }

    /** @return the stable reason code. */
    public String reason()
    {
        return reason;
    }
}
