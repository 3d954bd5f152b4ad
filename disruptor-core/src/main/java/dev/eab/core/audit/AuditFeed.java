package dev.eab.core.audit;

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
 * One bus run's ring as the audit writer's source: the {@code eab-audit} writer thread is the ring's second
 * consumer, behind the pipeline (it follows the pipeline's per-event sequence, {@link #upstream}), and encodes
 * each decision straight from the ring slot ({@code MessageEvent.captureAudit} kept the outcome there) into the
 * chain's batch: no copy into a hand-off ring, no capture thread, no per-message object, map or string. Its own
 * {@link #sequence()} gates the ring, and the writer advances it only once the batch holding a slot's records is
 * committed to Chronicle: a slot is never reused before its decision is in the log, so a writer that falls behind
 * (or fails) fills the ring and publishers get the bus's backpressure, while the bus thread never waits on audit.
 *
 * <p>Also the one encoder of captured decisions: from a ring slot ({@link #encode(MessageEvent, int, AgentRecord, long,
 * AuditRecordDescriptor.Encoder)}) and from an {@link AuditSlot} (decisions the bus fails as it stops, handed over by
 * the bus thread through the slot ring: {@link AuditLog#recordFailed}).
 *
 * <p>Ownership: created per run by the bus; read by the writer thread (the single writer of {@link #sequence()} and of
 * the slots' audit fields once the pipeline has passed them), and by that run's bus thread in {@link AuditLog#recordFailed}.
 */
public final class AuditFeed
{
    /** Lower-case message type names, tags and decisions, pre-encoded once: the writer makes millions of records a second. */
    private static final byte[][] TYPE_NAMES = typeNames();
    private static final byte[][] TAGS = tags();
    /** "reject:" + the reason's metric name, per reason. */
    private static final byte[][] REJECT_DECISIONS = rejectDecisions();
    private static final byte[][] PATHS = {
        AuditRecordDescriptor.Encoder.preEncode("send"),
        AuditRecordDescriptor.Encoder.preEncode("flyweight"),
        AuditRecordDescriptor.Encoder.preEncode("broadcast")};
    private static final byte[] EMPTY = AuditRecordDescriptor.Encoder.preEncode("");
    private static final byte[] HOLD = AuditRecordDescriptor.Encoder.preEncode("hold");
    private static final byte[] ACCEPT = AuditRecordDescriptor.Encoder.preEncode("accept");
    private static final byte[] RECIPIENT = AuditRecordDescriptor.Encoder.preEncode("recipient");
    private static final byte[] MESSAGE_TYPE = AuditRecordDescriptor.Encoder.preEncode("message_type");
    private static final byte[] MESSAGE_TYPE_CODE = AuditRecordDescriptor.Encoder.preEncode("message_type_code");
    private static final byte[] PATH = AuditRecordDescriptor.Encoder.preEncode("path");
    private static final byte[] REPLAY = AuditRecordDescriptor.Encoder.preEncode("replay");
    private static final byte[] TRUE = AuditRecordDescriptor.Encoder.preEncode("true");
    private static final byte[] DELIBERATION_ID = AuditRecordDescriptor.Encoder.preEncode("deliberation_id");

    private final RingBuffer<MessageEvent> ring;
    private final Sequence upstream;
    private final Sequence sequence = new Sequence();
    private final byte[] constitutionalHash;
    private final Supplier<String> policyVersion;
    /** The policy version last read and its encoding: re-encoded only when a reload changes it. */
    private String lastPolicyVersion;
    private byte[] lastPolicyVersionBytes;
    /**
     * Writer thread only: the last agent ids and tenant written and their encodings. Most records repeat the previous
     * record's sender, tenant and recipient (the same String objects, from the agent records), so each is copied
     * pre-encoded instead of re-encoded; a different string is encoded and remembered.
     */
    private final StringCache senders = new StringCache();
    private final StringCache tenants = new StringCache();
    private final StringCache recipients = new StringCache();
    // nanoTime → epoch ns: publishedNanos is on the monotonic clock, records carry wall-clock time.
    private final long epochNanosAtStart;
    private final long nanoTimeAtStart;

    /**
     * @param upstream      the pipeline's sequence, advanced after each event has its outcome (the writer reads no further).
     * @param policyVersion the policy version in force (read per batch of records: reloads change it).
     */
    public AuditFeed(
        final RingBuffer<MessageEvent> ring, final Sequence upstream, final String constitutionalHash, final Supplier<String> policyVersion)
    {
        this.ring = ring;
        this.upstream = upstream;
        this.constitutionalHash = AuditRecordDescriptor.Encoder.preEncode(constitutionalHash);
        this.policyVersion = policyVersion;
        this.nanoTimeAtStart = System.nanoTime();
        this.epochNanosAtStart = AuditEntry.nowNanos();
    }

    /** @return the writer's sequence on this ring (gates it): every slot up to it is committed to the chain. */
    public Sequence sequence()
    {
        return sequence;
    }

    /** @return the last sequence the pipeline finished (the writer may read up to it). */
    long upstream()
    {
        return upstream.get();
    }

    RingBuffer<MessageEvent> ring()
    {
        return ring;
    }

    /** @return decisions the pipeline finished that the writer has not committed yet. */
    long backlog()
    {
        return upstream.get() - sequence.get();
    }

    /** Writer thread, before a run of slots: the policy version in force, encoded once per version. */
    void refreshPolicyVersion()
    {
        final String v = policyVersion.get();
        if (v != lastPolicyVersion)
        {
            lastPolicyVersionBytes = AuditRecordDescriptor.Encoder.preEncode(v);
            lastPolicyVersion = v;
        }
    }

    /** @return how many records the slot's outcome makes (one per broadcast recipient), 0 for a slot with none (chaos ballast). */
    static int records(final MessageEvent e)
    {
        if (!e.auditPending())
        {
            return 0;
        }
        final List<AgentRecord> recipients = e.auditBroadcastRecipients();
        return e.kind() == MessageEvent.KIND_BROADCAST && recipients != null ? recipients.size() : 1;
    }

    /** @return the code of record {@code i} of the slot's outcome. */
    static int code(final MessageEvent e, final int i)
    {
        final List<AgentRecord> recipients = e.auditBroadcastRecipients();
        return e.kind() == MessageEvent.KIND_BROADCAST && recipients != null ? e.auditBroadcastCodes()[i] : e.auditCode();
    }

    /** @return the recipient of record {@code i} of the slot's outcome. */
    static AgentRecord recipient(final MessageEvent e, final int i)
    {
        final List<AgentRecord> recipients = e.auditBroadcastRecipients();
        return e.kind() == MessageEvent.KIND_BROADCAST && recipients != null ? recipients.get(i) : e.auditRecipient();
    }

    private static int pathOf(final MessageEvent e)
    {
        return e.kind() == MessageEvent.KIND_FLYWEIGHT ? AuditSlot.PATH_FLYWEIGHT
            : e.kind() == MessageEvent.KIND_BROADCAST ? AuditSlot.PATH_BROADCAST : AuditSlot.PATH_SEND;
    }

    private long timestampOf(final MessageEvent e)
    {
        return epochNanosAtStart + (e.publishedNanos() - nanoTimeAtStart);
    }

    /** Writer thread: encodes record {@code sequence} from a ring slot's kept outcome (after {@link #refreshPolicyVersion()}). */
    int encode(final MessageEvent e, final int code, final AgentRecord recipient, final long sequence, final AuditRecordDescriptor.Encoder enc)
    {
        return encode(enc, sequence, code, pathOf(e), e.auditReplay(), timestampOf(e), e.correlationId(), e.messageType(), e.auditHeldId(),
            lastPolicyVersionBytes, constitutionalHash, e.auditMessage(), e.auditSender(), recipient, senders, tenants, recipients);
    }

    /** The run's bus thread, as it fails what a stop left: copies one outcome into a hand-off slot (references and primitives). */
    void fill(final AuditSlot s, final MessageEvent e, final int code, final AgentRecord recipient)
    {
        s.entry = null;
        s.code = code;
        s.path = pathOf(e);
        s.replay = e.auditReplay();
        s.timestampNanos = timestampOf(e);
        s.correlationId = e.correlationId();
        s.messageType = e.messageType();
        s.heldId = e.auditHeldId();
        s.policyVersion = AuditRecordDescriptor.Encoder.preEncode(policyVersion.get());
        s.constitutionalHash = constitutionalHash;
        s.message = e.auditMessage();
        s.sender = e.auditSender();
        s.recipient = recipient;
    }

    /**
     * Writer thread: encodes a hand-off slot as record {@code sequence} (an {@link AuditEntry} from another layer, or a
     * decision the bus failed as it stopped).
     *
     * @return the record's length (without its hash slot).
     */
    static int encode(final AuditSlot s, final long sequence, final AuditRecordDescriptor.Encoder enc)
    {
        if (s.entry != null)
        {
            return enc.append(sequence, s.entry);
        }
        return encode(enc, sequence, s.code, s.path, s.replay, s.timestampNanos, s.correlationId, s.messageType, s.heldId, s.policyVersion,
            s.constitutionalHash, s.message, s.sender, s.recipient, null, null, null);
    }

    /**
     * The decision record, with the fields the original's {@code DecisionLog} carries (trace id = message id or
     * correlation id, span id = conversation id, agent = sender, tenant, policy version, risk, decision, constitutional
     * hash, one compliance tag, metadata: recipient, message type, path, replay, deliberation id). Strings come straight
     * from the message and agent records; constants are copied pre-encoded.
     */
    private static int encode(
        final AuditRecordDescriptor.Encoder enc, final long sequence, final int code, final int path, final boolean replay, final long timestampNanos,
        final long correlationId, final int messageType, final String heldId, final byte[] policyVersion, final byte[] constitutionalHash,
        final AgentMessage m, final AgentRecord sender, final AgentRecord recipient, final StringCache senders, final StringCache tenants,
        final StringCache recipients)
    {
        final RejectReason reason = RejectReason.fromCode(code);
        final boolean accepted = code == 0;
        final boolean held = accepted && heldId != null;
        enc.begin();
        if (m != null)
        {
            enc.string(m.messageId());
            enc.string(m.conversationId());
            StringCache.write(senders, enc, m.sendingAgent());
            StringCache.write(tenants, enc, TenantIds.normalize(m.tenantId()));
        }
        else
        {
            enc.decimal(correlationId);
            enc.raw(EMPTY);
            StringCache.write(senders, enc, sender == null ? "" : sender.agentId());
            StringCache.write(tenants, enc, sender == null ? null : sender.tenantId());
        }
        enc.raw(policyVersion);
        enc.raw(held ? HOLD : accepted ? ACCEPT : REJECT_DECISIONS[reason.ordinal()]);
        enc.raw(constitutionalHash);
        enc.count(1);
        enc.raw(TAGS[reason.ordinal()]);
        enc.count(2 + 1 + (replay ? 1 : 0) + (held ? 1 : 0));
        enc.raw(RECIPIENT);
        if (m != null)
        {
            StringCache.write(recipients, enc, recipient != null ? recipient.agentId() : m.toAgent());
            enc.raw(MESSAGE_TYPE);
            enc.raw(TYPE_NAMES[m.messageType().ordinal()]);
        }
        else
        {
            StringCache.write(recipients, enc, recipient == null ? "" : recipient.agentId());
            enc.raw(MESSAGE_TYPE_CODE);
            enc.decimal(messageType);
        }
        enc.raw(PATH);
        enc.raw(PATHS[path]);
        if (replay)
        {
            enc.raw(REPLAY);
            enc.raw(TRUE);
        }
        if (held)
        {
            // Held for deliberation, not delivered: its approval or rejection is recorded when decided (APPROVAL, REVIEW_REJECTION).
            enc.raw(DELIBERATION_ID);
            enc.string(heldId);
        }
        final double risk = m == null || m.impactScore() == null ? Double.NaN : m.impactScore();
        return enc.finish(sequence, held ? AuditKind.HOLD : accepted ? AuditKind.ACCEPT : AuditKind.REJECT, code, timestampNanos, risk);
    }

    /**
     * The last string written in one field and its encoding, compared by identity (a hit is the same String object, so
     * nothing needs comparing); single writer, the writer thread.
     */
    static final class StringCache
    {
        private String last;
        /** The last string's encoding (its length prefix + bytes, as {@code Encoder.string} writes it) in [0, length): reused, grown only for a longer string. */
        private byte[] encoded = new byte[64];
        private int length;

        /** Writes {@code s} through {@code cache} (copied when it is the last one seen), or plainly when {@code cache} is null. */
        static void write(final StringCache cache, final AuditRecordDescriptor.Encoder enc, final String s)
        {
            if (cache == null || s == null)
            {
                enc.string(s);
                return;
            }
            if (s != cache.last)
            {
                // Encode once through the encoder itself (the one definition of a body string), then keep the bytes.
                final int at = enc.size();
                enc.string(s);
                final int n = enc.size() - at;
                if (cache.encoded.length < n)
                {
                    cache.encoded = new byte[Math.max(n, cache.encoded.length * 2)];
                }
                System.arraycopy(enc.bytes(), at, cache.encoded, 0, n);
                cache.length = n;
                cache.last = s;
                return;
            }
            enc.raw(cache.encoded, cache.length);
        }
    }

    private static byte[][] typeNames()
    {
        final dev.eab.api.MessageType[] types = dev.eab.api.MessageType.values();
        final byte[][] names = new byte[types.length][];
        for (int i = 0; i < types.length; i++)
        {
            names[i] = AuditRecordDescriptor.Encoder.preEncode(types[i].name().toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static byte[][] tags()
    {
        final RejectReason[] reasons = RejectReason.values();
        final byte[][] tags = new byte[reasons.length][];
        for (int i = 0; i < reasons.length; i++)
        {
            tags[i] = AuditRecordDescriptor.Encoder.preEncode(tagOf(reasons[i]));
        }
        return tags;
    }

    private static byte[][] rejectDecisions()
    {
        final RejectReason[] reasons = RejectReason.values();
        final byte[][] decisions = new byte[reasons.length][];
        for (int i = 0; i < reasons.length; i++)
        {
            decisions[i] = AuditRecordDescriptor.Encoder.preEncode("reject:" + reasons[i].metricName());
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
