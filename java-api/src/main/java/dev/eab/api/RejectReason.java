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
    /**
     * MACI (codes 23..28 are returned by the native validator too: {@code EAB_MACI_*}; never reorder): the sender
     * has no MACI role, strict mode ({@code MaciRoleNotAssignedException}).
     */
    MACI_ROLE_NOT_ASSIGNED("maci_role_not_assigned"),
    /** MACI, strict mode: the message type maps to no MACI action ("Unknown type"). */
    MACI_UNMAPPED_TYPE("maci_unmapped_type"),
    /** MACI: the sender's role does not permit the message's action ({@code MaciRoleViolationException}). */
    MACI_ROLE_VIOLATION("maci_role_violation"),
    /** MACI: a validation aimed at the sender or its own output ({@code MaciSelfValidationException}, godel_bypass). */
    MACI_SELF_VALIDATION("maci_self_validation"),
    /** MACI: the sender's role may not validate the target's role ({@code MaciCrossRoleValidationException}). */
    MACI_CROSS_ROLE("maci_cross_role"),
    /** MACI, strict mode: the target agent is not registered or the target output's producer is unknown. */
    MACI_TARGET_NOT_FOUND("maci_target_not_found"),

    /**
     * The sender's tenant used up its message budget for the current window (metering's per-tenant budgets);
     * the text is the original's {@code RateLimitExceeded} with the tenant's budget.
     */
    TENANT_BUDGET_EXCEEDED("tenant_budget_exceeded"),
    /** A held (high-impact) message was rejected by review: by judicial votes or a human reviewer. */
    DELIBERATION_REJECTED("deliberation_rejected"),
    /** A held message was not decided within the deliberation timeout: it fails (fail closed). */
    DELIBERATION_TIMED_OUT("deliberation_timed_out"),
    /**
     * The Rego policy bundle's rule (e.g. {@code data.eab.allow}) did not evaluate to true for the message's
     * decision input, or Rego is configured, unavailable, and the fallback is deny-all.
     */
    REGO_DENIED("rego_denied"),
    /** The sender's identity was revoked (API call or revocation list): it can no longer send. */
    AGENT_REVOKED("agent_revoked");

    private static final RejectReason[] VALUES = values();
    /** Highest code the native validator may return. */
    public static final int MAX_NATIVE_CODE = POLICY_DENIED.ordinal();
    /** First MACI code: the native validator also returns {@code MACI_FIRST_CODE..MACI_LAST_CODE}. */
    public static final int MACI_FIRST_CODE = 23;
    /** Last MACI code. */
    public static final int MACI_LAST_CODE = 28;

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

    /** @return true for the MACI reasons ({@link #MACI_FIRST_CODE}..{@link #MACI_LAST_CODE}). */
    public boolean isMaci()
    {
        return ordinal() >= MACI_FIRST_CODE && ordinal() <= MACI_LAST_CODE;
    }

    /** @return true for a code the native validator (and its Java twin) may return: 0..12 and the MACI codes. */
    public static boolean isValidatorCode(final int code)
    {
        return code >= 0 && code <= MAX_NATIVE_CODE || code >= MACI_FIRST_CODE && code <= MACI_LAST_CODE;
    }

    /** @return how many reasons exist, for arrays indexed by code. */
    public static int count()
    {
        return VALUES.length;
    }
}
