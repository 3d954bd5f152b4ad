package dev.eab.core.audit;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.eab.api.AgentMessage;
import dev.eab.api.RejectReason;
import dev.eab.api.TenantIds;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.registry.AgentRecord;

import java.util.List;
import java.util.function.Supplier;

/**
 * The second consumer of the bus's ring, behind the pipeline: copies each outcome the bus thread kept in the
 * slot ({@code MessageEvent.captureAudit}) into the audit log's pre-allocated hand-off ring ({@link AuditSlot}),
 * one per message (one per recipient for a broadcast): primitives and references only, no per-message object,
 * map or string; the {@code eab-audit} writer turns slots into record bytes ({@link #encode}). Runs on its own
 * thread ({@code eab-audit-capture}), so capturing costs the bus thread nothing; because it gates the ring, an audit log that cannot keep
 * up fills the ring and publishers feel it, while the bus thread never waits.
 *
 * <p>Single writer of the slots' audit fields once the pipeline has passed them: it reads then
 * {@code releaseAudit()}s each slot.
 */
public final class AuditCapture implements EventHandler<MessageEvent>
{
    /** Lower-case message type names and tags, built once: the capture thread makes millions of records a second. */
    private static final String[] TYPE_NAMES = typeNames();
    private static final String[] TAGS = tags();
    /** "reject:" + the reason's metric name, per reason: built once. */
    private static final String[] REJECT_DECISIONS = rejectDecisions();
    private static final String[] PATHS = {"send", "flyweight", "broadcast"};

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

    /** Counted down when the capture's processor ends (a stop's drain or halt). */
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private volatile Sequence sequence;

    @Override
    public void onStart()
    {
        started.countDown();
    }

    @Override
    public void onShutdown()
    {
        ended.countDown();
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.sequence = sequenceCallback;
    }

    /**
     * The run's bus thread, as it ends: makes sure every slot the pipeline processed (up to {@code processed})
     * is captured before the bus fails what is left. Waits until the capture processor has passed
     * {@code processed}, or has ended short of it (a halt after a stop timed out stops it mid-ring); then
     * captures the rest itself. Never both: once the processor has ended it reads nothing more.
     *
     * @return false when neither happened within {@code timeoutMs} (logged; the rest is then not captured here).
     */
    public boolean catchUp(final RingBuffer<MessageEvent> ring, final long processed, final long timeoutMs)
    {
        final Sequence s = sequence;
        if (s == null)
        {
            return true;
        }
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (s.get() < processed)
        {
            try
            {
                if (ended.await(1, java.util.concurrent.TimeUnit.MILLISECONDS))
                {
                    for (long seq = s.get() + 1; seq <= processed; seq++)
                    {
                        onEvent(ring.get(seq), seq, seq == processed);
                    }
                    return true;
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return false;
            }
            if (System.nanoTime() - deadline > 0)
            {
                java.util.logging.Logger.getLogger(AuditCapture.class.getName()).severe("audit: the capture did not reach sequence " + processed +
                    " within " + timeoutMs + " ms as the bus stopped; decisions after " + s.get() + " may be missing from the chain");
                return false;
            }
        }
        return true;
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
                    capture(e, at, codes[i], recipients.get(i));
                }
            }
            else
            {
                capture(e, at, e.auditCode(), e.auditRecipient());
            }
        }
        finally
        {
            e.releaseAudit();
        }
    }

    /** Copies one decision into a hand-off slot: primitives and references only, nothing allocated. */
    private void capture(final MessageEvent e, final long at, final int code, final AgentRecord recipient)
    {
        final long claimed = log.claim();
        try
        {
            final AuditSlot s = log.slot(claimed);
            s.entry = null;
            s.code = code;
            s.path = e.kind() == MessageEvent.KIND_FLYWEIGHT ? AuditSlot.PATH_FLYWEIGHT
                : e.kind() == MessageEvent.KIND_BROADCAST ? AuditSlot.PATH_BROADCAST : AuditSlot.PATH_SEND;
            s.replay = e.auditReplay();
            s.timestampNanos = at;
            s.correlationId = e.correlationId();
            s.messageType = e.messageType();
            s.heldId = e.auditHeldId();
            s.policyVersion = policyVersion.get();
            s.constitutionalHash = constitutionalHash;
            s.message = e.auditMessage();
            s.sender = e.auditSender();
            s.recipient = recipient;
        }
        finally
        {
            log.publish(claimed);
        }
    }

    /**
     * Writer thread: encodes a slot as record {@code sequence} into the writer's batch, with the fields the
     * original's {@code DecisionLog} carries (trace id = message id or correlation id, span id = conversation
     * id, agent = sender, tenant, policy version, risk, decision, constitutional hash, one compliance tag,
     * metadata: recipient, message type, path, replay, deliberation id). Strings come straight from the
     * message and agent records (no per-record String is built for ASCII content).
     *
     * @return the record's length (without its hash slot).
     */
    static int encode(final AuditSlot s, final long sequence, final AuditRecordDescriptor.Encoder enc)
    {
        if (s.entry != null)
        {
            return enc.append(sequence, s.entry);
        }
        final AgentMessage m = s.message;
        final AgentRecord sender = s.sender;
        final AgentRecord recipient = s.recipient;
        final RejectReason reason = RejectReason.fromCode(s.code);
        final boolean accepted = s.code == 0;
        final boolean held = accepted && s.heldId != null;
        enc.begin();
        if (m != null)
        {
            enc.string(m.messageId());
            enc.string(m.conversationId());
            enc.string(m.sendingAgent());
            enc.string(TenantIds.normalize(m.tenantId()));
        }
        else
        {
            enc.decimal(s.correlationId);
            enc.string("");
            enc.string(sender == null ? "" : sender.agentId());
            enc.string(sender == null ? null : sender.tenantId());
        }
        enc.string(s.policyVersion);
        enc.string(held ? "hold" : accepted ? "accept" : REJECT_DECISIONS[reason.ordinal()]);
        enc.string(s.constitutionalHash);
        enc.count(1);
        enc.string(TAGS[reason.ordinal()]);
        enc.count(2 + 1 + (s.replay ? 1 : 0) + (held ? 1 : 0));
        enc.string("recipient");
        if (m != null)
        {
            enc.string(recipient != null ? recipient.agentId() : m.toAgent());
            enc.string("message_type");
            enc.string(TYPE_NAMES[m.messageType().ordinal()]);
        }
        else
        {
            enc.string(recipient == null ? "" : recipient.agentId());
            enc.string("message_type_code");
            enc.decimal(s.messageType);
        }
        enc.string("path");
        enc.string(PATHS[s.path]);
        if (s.replay)
        {
            enc.string("replay");
            enc.string("true");
        }
        if (held)
        {
            // Held for deliberation, not delivered: its approval or rejection is recorded when decided (APPROVAL, REVIEW_REJECTION).
            enc.string("deliberation_id");
            enc.string(s.heldId);
        }
        final double risk = m == null || m.impactScore() == null ? Double.NaN : m.impactScore();
        return enc.finish(sequence, held ? AuditKind.HOLD : accepted ? AuditKind.ACCEPT : AuditKind.REJECT, s.code, s.timestampNanos, risk);
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

    private static String[] tags()
    {
        final RejectReason[] reasons = RejectReason.values();
        final String[] tags = new String[reasons.length];
        for (int i = 0; i < reasons.length; i++)
        {
            tags[i] = tagOf(reasons[i]);
        }
        return tags;
    }

    private static String[] rejectDecisions()
    {
        final RejectReason[] reasons = RejectReason.values();
        final String[] decisions = new String[reasons.length];
        for (int i = 0; i < reasons.length; i++)
        {
            decisions[i] = "reject:" + reasons[i].metricName();
        }
        return decisions;
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
