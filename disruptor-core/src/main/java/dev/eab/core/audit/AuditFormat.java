package dev.eab.core.audit;

import dev.eab.core.ops.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How records are shown: one readable line ({@code ./eab audit tail}) or one JSON object ({@code export --jsonl}, for a SIEM). */
public final class AuditFormat
{
    private AuditFormat()
    {
    }

    /** @return the record as a map with the original's DecisionLog field names, plus the chain fields. */
    public static Map<String, Object> toMap(final AuditRecord r)
    {
        final AuditEntry e = r.entry();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", r.sequence());
        m.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("timestamp", instant(e.timestampNanos()).toString());
        m.put("trace_id", e.traceId());
        m.put("span_id", e.spanId());
        m.put("agent_id", e.agentId());
        m.put("tenant_id", e.tenantId());
        m.put("policy_version", e.policyVersion());
        m.put("risk_score", Double.isNaN(e.riskScore()) ? null : e.riskScore());
        m.put("decision", e.decision());
        m.put("reason_code", e.reasonCode());
        m.put("constitutional_hash", e.constitutionalHash());
        m.put("compliance_tags", e.complianceTags());
        m.put("metadata", e.metadata());
        m.put("hash", r.hashHex());
        return m;
    }

    /** @return one JSON line (no newline). */
    public static String jsonLine(final AuditRecord r)
    {
        return Json.compact(toMap(r));
    }

    /** @return one readable line. */
    public static String line(final AuditRecord r)
    {
        final AuditEntry e = r.entry();
        final StringBuilder sb = new StringBuilder(160);
        sb.append('#').append(r.sequence()).append(' ').append(instant(e.timestampNanos())).append(' ').append(e.decision());
        if (!e.agentId().isEmpty())
        {
            sb.append(" agent=").append(e.agentId());
        }
        if (!e.tenantId().isEmpty())
        {
            sb.append(" tenant=").append(e.tenantId());
        }
        if (!e.traceId().isEmpty())
        {
            sb.append(" trace=").append(e.traceId());
        }
        if (!Double.isNaN(e.riskScore()))
        {
            sb.append(" risk=").append(e.riskScore());
        }
        sb.append(" policy=").append(e.policyVersion());
        e.metadata().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        sb.append(" hash=").append(r.hashHex(), 0, 16);
        return sb.toString();
    }

    private static Instant instant(final long epochNanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
