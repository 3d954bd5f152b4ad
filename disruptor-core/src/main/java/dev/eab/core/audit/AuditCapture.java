package dev.eab.core.audit;

import com.lmax.disruptor.EventHandler;
import dev.eab.api.AgentMessage;
import dev.eab.api.RejectReason;
import dev.eab.api.TenantIds;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.registry.AgentRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The second consumer of the bus's ring, behind the pipeline: turns each outcome the bus thread kept in the
 * slot ({@code MessageEvent.captureAudit}) into decision records, one per message (one per recipient for a
 * broadcast), and hands them to the {@link AuditLog}. Runs on its own thread ({@code eab-audit-capture}), so
 * building records costs the bus thread nothing; because it gates the ring, an audit log that cannot keep
 * up fills the ring and publishers feel it, while the bus thread never waits.
 *
 * <p>Single writer of the slots' audit fields once the pipeline has passed them: it reads then
 * {@code releaseAudit()}s each slot.
 */
public final class AuditCapture implements EventHandler<MessageEvent>
{
    /** Lower-case message type names and tags, built once: the capture thread makes millions of records a second. */
    private static final String[] TYPE_NAMES = typeNames();
    private static final List<String>[] TAGS = tags();

    private final AuditLog log;
    private final String constitutionalHash;
    private final Supplier<String> policyVersion;
    // nanoTime → epoch ns: publishedNanos is on the monotonic clock, records carry wall-clock time.
    private final long epochNanosAtStart;
    private final long nanoTimeAtStart;

    /** @param policyVersion the policy version in force (read per record: reloads change it). */
    public AuditCapture(final AuditLog log, final String constitutionalHash, final Supplier<String> policyVersion)
    {
        this.log = log;
        this.constitutionalHash = constitutionalHash;
        this.policyVersion = policyVersion;
        this.nanoTimeAtStart = System.nanoTime();
        this.epochNanosAtStart = AuditEntry.nowNanos();
    }

    /**
     * Counted down when the capture's processor runs. A stop must not race its start: the Disruptor's shutdown
     * ignores a processor that has not started yet and its halt then ends it before it reads anything, which
     * would lose every decision still behind it. The bus waits for this before it accepts messages.
     */
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    @Override
    public void onStart()
    {
        started.countDown();
    }

    /** @return true once the capture runs (waits up to {@code timeoutMs}). */
    public boolean awaitStarted(final long timeoutMs)
    {
        try
        {
            return started.await(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void onEvent(final MessageEvent e, final long sequence, final boolean endOfBatch)
    {
        try
        {
            final long at = epochNanosAtStart + (e.publishedNanos() - nanoTimeAtStart);
            final List<AgentRecord> recipients = e.auditBroadcastRecipients();
            if (e.kind() == MessageEvent.KIND_BROADCAST && recipients != null)
            {
                final int[] codes = e.auditBroadcastCodes();
                for (int i = 0; i < recipients.size(); i++)
                {
                    log.record(entry(e, at, codes[i], recipients.get(i)));
                }
            }
            else
            {
                log.record(entry(e, at, e.auditCode(), e.auditRecipient()));
            }
        }
        finally
        {
            e.releaseAudit();
        }
    }

    private AuditEntry entry(final MessageEvent e, final long at, final int code, final AgentRecord recipient)
    {
        final AgentMessage m = e.auditMessage();
        final AgentRecord sender = e.auditSender();
        final Map<String, String> meta = new LinkedHashMap<>();
        final String traceId;
        final String spanId;
        final String agentId;
        final String tenant;
        final double risk;
        if (m != null)
        {
            traceId = m.messageId();
            spanId = m.conversationId();
            agentId = m.sendingAgent();
            tenant = TenantIds.normalize(m.tenantId());
            risk = m.impactScore() == null ? Double.NaN : m.impactScore();
            meta.put("recipient", recipient != null ? recipient.agentId() : m.toAgent());
            meta.put("message_type", TYPE_NAMES[m.messageType().ordinal()]);
        }
        else
        {
            traceId = Long.toString(e.correlationId());
            spanId = "";
            agentId = sender == null ? "" : sender.agentId();
            tenant = sender == null ? null : sender.tenantId();
            risk = Double.NaN;
            meta.put("recipient", recipient == null ? "" : recipient.agentId());
            meta.put("message_type_code", Integer.toString(e.messageType()));
        }
        meta.put("path", e.kind() == MessageEvent.KIND_FLYWEIGHT ? "flyweight" : e.kind() == MessageEvent.KIND_BROADCAST ? "broadcast" : "send");
        if (e.auditReplay())
        {
            meta.put("replay", "true");
        }
        final RejectReason reason = RejectReason.fromCode(code);
        final boolean accepted = code == 0;
        if (accepted && e.auditHeldId() != null)
        {
            // Held for deliberation, not delivered: its approval or rejection is recorded when decided (APPROVAL, REVIEW_REJECTION).
            meta.put("deliberation_id", e.auditHeldId());
            return new AuditEntry(AuditKind.HOLD, code, at, traceId, spanId, agentId, tenant, policyVersion.get(), risk, "hold",
                constitutionalHash, TAGS[reason.ordinal()], meta);
        }
        return new AuditEntry(accepted ? AuditKind.ACCEPT : AuditKind.REJECT, code, at, traceId, spanId, agentId, tenant, policyVersion.get(),
            risk, accepted ? "accept" : "reject:" + reason.metricName(), constitutionalHash, TAGS[reason.ordinal()], meta);
    }

    private static String[] typeNames()
    {
        final dev.eab.api.MessageType[] types = dev.eab.api.MessageType.values();
        final String[] names = new String[types.length];
        for (int i = 0; i < types.length; i++)
        {
            names[i] = types[i].name().toLowerCase(java.util.Locale.ROOT);
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] tags()
    {
        final RejectReason[] reasons = RejectReason.values();
        final List<String>[] tags = new List[reasons.length];
        for (int i = 0; i < reasons.length; i++)
        {
            tags[i] = List.of(tagOf(reasons[i]));
        }
        return tags;
    }

    /** @return the compliance area a decision belongs to, for a SIEM's filters. */
    static String tagOf(final RejectReason reason)
    {
        return switch (reason)
        {
            case NONE -> "delivery";
            case HASH_MISSING, HASH_MISMATCH -> "constitutional";
            case TENANT_MISMATCH_SENDER, TENANT_MISMATCH_RECIPIENT, INVALID_TENANT -> "tenant_isolation";
            case POLICY_DENIED, NO_CAPABLE_AGENT -> "policy";
            case SECURITY_BLOCKED, NESTING_TOO_DEEP, TOO_MANY_KEYS, STRING_TOO_LONG, CONTENT_NOT_A_MAP, RATE_LIMITED -> "guardrails";
            case AGENT_REVOKED, SENDER_NOT_REGISTERED, RECIPIENT_NOT_REGISTERED -> "identity";
            default -> "validation";
        };
    }
}
