package dev.eab.core.audit;

import java.util.List;
import java.util.Map;

/**
 * One decision record's content, the original's {@code DecisionLog} fields (trace id, span id, agent id,
 * tenant id, policy version, risk score, decision, constitutional hash, timestamp, compliance tags,
 * metadata) plus what kind of decision it is and the reject reason code. The chain adds the sequence number
 * and the hash ({@link AuditRecord}).
 *
 * @param kind               what the record is about.
 * @param reasonCode         a {@code RejectReason} code for REJECT, 0 otherwise.
 * @param timestampNanos     when the decision was made, epoch nanoseconds.
 * @param traceId            the message id (or the flyweight correlation id), or an operation id; "" for none.
 * @param spanId             the conversation id, a broadcast recipient, or ""; "" for none.
 * @param agentId            the deciding subject: the sender, the registering or revoked agent; "" for none.
 * @param tenantId           the tenant, or "".
 * @param policyVersion      the policy version in force.
 * @param riskScore          the message's impact score, or {@code NaN} when none was computed.
 * @param decision           readable decision: "accept", "reject:policy_denied", "register", ...
 * @param constitutionalHash the hash in force.
 * @param complianceTags     tags for a SIEM (e.g. "identity", "tenant_isolation"); copied.
 * @param metadata           extra context (recipient, reason text, ...); copied, insertion order kept.
 */
public record AuditEntry(
    AuditKind kind, int reasonCode, long timestampNanos, String traceId, String spanId, String agentId, String tenantId,
    String policyVersion, double riskScore, String decision, String constitutionalHash, List<String> complianceTags,
    Map<String, String> metadata)
{
    /** Normalises nulls to "" / empty so every record encodes the same way. */
    public AuditEntry
    {
        if (kind == null)
        {
            throw new IllegalArgumentException("kind must not be null");
        }
        traceId = orEmpty(traceId);
        spanId = orEmpty(spanId);
        agentId = orEmpty(agentId);
        tenantId = orEmpty(tenantId);
        policyVersion = orEmpty(policyVersion);
        decision = orEmpty(decision);
        constitutionalHash = orEmpty(constitutionalHash);
        // List.copyOf returns an already-immutable list as it is: shared tag lists cost nothing per record.
        complianceTags = complianceTags == null ? List.of() : List.copyOf(complianceTags);
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    private static String orEmpty(final String s)
    {
        return s == null ? "" : s;
    }

    /** @return the current time in epoch nanoseconds (microsecond precision on most clocks). */
    public static long nowNanos()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
