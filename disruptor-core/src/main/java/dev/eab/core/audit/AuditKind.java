package dev.eab.core.audit;

/**
 * What a decision record is about. The code is stored in the record ({@link AuditRecordDescriptor#KIND_OFFSET}),
 * so codes never change meaning; add new kinds at the end.
 */
public enum AuditKind
{
    /** A message (or one broadcast recipient) accepted and handed to routing. */
    ACCEPT(1),
    /** A message (or one broadcast recipient) refused; the reason code says why. */
    REJECT(2),
    /** An agent registered (with a verified identity when a token was given). */
    REGISTER(3),
    /** A registration refused by identity verification (bad or missing token, claim mismatch, revoked). */
    IDENTITY_FAILURE(4),
    /** An agent's identity revoked (API call or revocation list file). */
    REVOKE(5),
    /** Governance hook: a message held for deliberation or human approval. */
    HOLD(6),
    /** Governance hook: a held message approved. */
    APPROVAL(7),
    /** Governance hook: a held message rejected by review. */
    REVIEW_REJECTION(8),
    /** Policy hook: a policy (tables, Rego bundle) reloaded; the record carries the new version. */
    POLICY_RELOAD(9),
    /** An agent unregistered. */
    UNREGISTER(10),
    /** The audit log was opened by a bus (start of a run); metadata says which process. */
    LOG_OPENED(11);

    private static final AuditKind[] BY_CODE = new AuditKind[16];

    static
    {
        for (final AuditKind k : values())
        {
            BY_CODE[k.code] = k;
        }
    }

    private final int code;

    AuditKind(final int code)
    {
        this.code = code;
    }

    /** @return the stored code. */
    public int code()
    {
        return code;
    }

    /** @return the kind for a stored code, or null for a code no kind has (a damaged or foreign record). */
    public static AuditKind fromCode(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
