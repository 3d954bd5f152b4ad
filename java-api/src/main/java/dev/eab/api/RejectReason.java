package dev.eab.api;

/**
 * Why the bus refused a message. Codes 0..12 are the native validator's return codes
 * ({@code EAB_OK} .. {@code EAB_POLICY_DENIED} in {@code ffi-headers/eab_native.h}); the ordinal is
 * the code, so never reorder. Codes above 12 are decided by the Java pipeline around the validator.
 */
public enum RejectReason
{
    /** Not rejected. */
    NONE("none"),
    HASH_MISSING("hash_missing"),
    HASH_MISMATCH("hash_mismatch"),
    EMPTY_MESSAGE_ID("empty_message_id"),
    EMPTY_CONTENT("empty_content"),
    MESSAGE_TOO_LARGE("message_too_large"),
    EXPIRED("expired"),
    INVALID_TENANT("invalid_tenant"),
    SENDER_NOT_REGISTERED("sender_not_registered"),
    RECIPIENT_NOT_REGISTERED("recipient_not_registered"),
    TENANT_MISMATCH_SENDER("tenant_mismatch_sender"),
    TENANT_MISMATCH_RECIPIENT("tenant_mismatch_recipient"),
    POLICY_DENIED("policy_denied"),
    /** Capability routing found no agent in the tenant holding every required capability. */
    NO_CAPABLE_AGENT("no_capable_agent"),
    /** The recipient's inbox was full and the backpressure policy is REJECT. */
    INBOX_FULL("inbox_full"),
    /** A check threw or the validator failed: rejected, fail closed. */
    VALIDATOR_ERROR("validator_error"),
    /** The bus stopped before the message could be processed. */
    BUS_STOPPED("bus_stopped"),
    /** The sender ran out of its rate-limit tokens ({@code RateLimitExceededException}'s text). */
    RATE_LIMITED("rate_limited"),
    /** Content nests maps/lists deeper than {@code maxNestingDepth}. */
    NESTING_TOO_DEEP("nesting_too_deep"),
    /** Content holds more keys, over all its maps, than {@code maxKeys}. */
    TOO_MANY_KEYS("too_many_keys"),
    /** A key or string in content is longer than {@code maxStringLength}. */
    STRING_TOO_LONG("string_too_long"),
    /** Content is not a map (JSON object): "Content must be a dictionary". */
    CONTENT_NOT_A_MAP("content_not_a_map"),
    /**
     * The content scanner matched a guardrail family whose action is BLOCK (prompt injection, XSS, ...);
     * labelled {@code security_block} like the original's {@code rejection_reason}.
     */
    SECURITY_BLOCKED("security_block"),
    /** The sender's identity was revoked (API call or revocation list): it can no longer send. */
    AGENT_REVOKED("agent_revoked");

    private static final RejectReason[] VALUES = values();
    /** Highest code the native validator may return. */
    public static final int MAX_NATIVE_CODE = POLICY_DENIED.ordinal();

    private final String metricName;

    RejectReason(final String metricName)
    {
        this.metricName = metricName;
    }

    /** @return the code (the ordinal), shared with the native ABI for 0..12. */
    public int code()
    {
        return ordinal();
    }

    /** @return the snake_case label used in metrics and the demo summary. */
    public String metricName()
    {
        return metricName;
    }

    /** @return the reason for a code; {@link #VALIDATOR_ERROR} for anything out of range (fail closed). */
    public static RejectReason fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : VALIDATOR_ERROR;
    }

    /** @return how many reasons exist, for arrays indexed by code. */
    public static int count()
    {
        return VALUES.length;
    }
}
