package dev.eab.core.pipeline;

import dev.eab.api.AgentMessage;
import dev.eab.api.OutcomeListener;
import dev.eab.api.ValidationResult;
import dev.eab.core.registry.AgentRecord;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A pre-allocated ring slot. A publisher fills the input fields between claim and publish; the bus
 * thread then owns the slot and each stage writes its outputs, in order. Nothing here is allocated per
 * message on the flyweight path: the payload and hash buffers belong to the slot for its lifetime.
 *
 * <p>Kinds: {@link #KIND_MESSAGE} ({@code send}: direct or capability-routed {@link AgentMessage}),
 * {@link #KIND_BROADCAST} ({@code broadcast}), {@link #KIND_FLYWEIGHT} (zero-allocation publisher).
 */
public final class MessageEvent
{
    public static final byte KIND_MESSAGE = 1;
    public static final byte KIND_BROADCAST = 2;
    public static final byte KIND_FLYWEIGHT = 3;
    /** Chaos ballast ({@link RingBallast}): holds ring capacity; the bus thread waits on it until released, never routes it. */
    public static final byte KIND_BALLAST = 4;

    // ---- input: written by the publisher thread before publish
    byte kind;
    AgentMessage message;
    CompletableFuture<ValidationResult> future;
    CompletableFuture<Map<String, ValidationResult>> broadcastFuture;
    int senderHandle;
    int recipientHandle;
    int messageType;
    int priority;
    long correlationId;
    long expiresAtMs;
    final byte[] hash = new byte[16];
    int hashLength;
    final byte[] payload;
    /** {@code MemorySegment.ofArray(payload)}, made once: the native scanner reads the payload through it (no copy). */
    final java.lang.foreign.MemorySegment payloadSegment;
    int payloadLength;
    OutcomeListener listener;
    long publishedNanos;
    /** MACI targets named by a flyweight claim: the agent's handle (-1 none) and the output id (when named). */
    int maciTargetAgent = -1;
    boolean maciHasTargetOutput;
    long maciTargetOutput;
    /** Set by the publisher when the claim itself was bad (payload too long): rejected with this code. */
    int presetReject;

    // ---- stage outputs: bus thread only
    int rejectCode;
    /** The value behind a rejection, for its text: retry-after ms, the depth/keys/length found. */
    long rejectDetail;
    /** Warnings for an accepted {@code send} (null when none: the flyweight path never allocates one). */
    List<String> warnings;
    /** Guardrail families that matched with action FLAG (a send's result reports them). */
    long flagged;
    /**
     * The impact keywords the content scan found in this message's text in its own pass
     * ({@code ContentScanner.impactKeywords()}), set by the validate stage; -1 when not found that way (no scan, or a
     * scanner that does not find keywords): the governance stage's scorer then searches the text itself.
     */
    int impactKeywords = -1;
    Throwable failure;
    AgentRecord sender;
    AgentRecord recipient;
    /** Broadcast only: every candidate recipient with its own verdict, in the same order. */
    List<AgentRecord> broadcastRecipients;
    int[] broadcastCodes;
    boolean completed;
    /** The Rego bundle version that decided this message (the bundle's own string: no allocation), or null. */
    String regoVersion;

    // ---- journal: bus thread only
    /** The journal index of this message's accepted record, or -1 (not journaled, or no journal). */
    long journalIndex = -1;
    /** Broadcast only: the journal index per recipient (-1 for a refused one), or null. */
    long[] broadcastJournalIndexes;
    /** A message redelivered from the journal after a restart: validated and journaled before, so only routed. */
    boolean replay;
    /** Ballast only: true once the chaos scenario that published it ends. */
    java.util.function.BooleanSupplier ballastReleased;

    // ---- governance: bus thread only
    /** The deliberation id when the governance stage held this message (not delivered now), else null. */
    String heldId;
    /** An approved held message put back through routing: replay-like, but journaled now (it never was). */
    boolean reinjected;

    // ---- audit capture: copied by the bus thread just before clear() (only when the audit log is on), then
    // read and released by the audit capture thread, which runs behind the bus thread on the same ring.
    int auditCode;
    /** True from captureAudit to releaseAudit: the slot holds an outcome for the audit writer (ballast never does). */
    boolean auditPending;
    boolean auditReplay;
    String auditHeldId;
    AgentMessage auditMessage;
    AgentRecord auditSender;
    AgentRecord auditRecipient;
    List<AgentRecord> auditBroadcastRecipients;
    int[] auditBroadcastCodes;

    MessageEvent(final int payloadCapacity)
    {
        this.payload = new byte[payloadCapacity];
        this.payloadSegment = java.lang.foreign.MemorySegment.ofArray(payload);
    }

    /**
     * Bus thread, after the last stage and before {@link #clear()}: keeps the outcome for the audit capture
     * (primitives and references the slot already holds: no allocation).
     */
    void captureAudit()
    {
        auditCode = rejectCode;
        auditPending = true;
        auditReplay = replay;
        auditHeldId = heldId;
        auditMessage = message;
        auditSender = sender;
        auditRecipient = recipient;
        auditBroadcastRecipients = broadcastRecipients;
        auditBroadcastCodes = broadcastCodes;
    }

    /** Audit capture thread, once it has read the outcome: drops the references so the slot keeps nothing alive. */
    public void releaseAudit()
    {
        auditPending = false;
        auditHeldId = null;
        auditMessage = null;
        auditSender = null;
        auditRecipient = null;
        auditBroadcastRecipients = null;
        auditBroadcastCodes = null;
    }

    /** Audit capture: the final reject code (0 = accepted). */
    public int auditCode() { return auditCode; }
    /** Audit writer: true when the slot holds an outcome not yet encoded. */
    public boolean auditPending() { return auditPending; }
    public boolean auditReplay() { return auditReplay; }
    /** Audit capture: the deliberation id when the governance stage held the message (not delivered), else null. */
    public String auditHeldId() { return auditHeldId; }
    public AgentMessage auditMessage() { return auditMessage; }
    public AgentRecord auditSender() { return auditSender; }
    public AgentRecord auditRecipient() { return auditRecipient; }
    public List<AgentRecord> auditBroadcastRecipients() { return auditBroadcastRecipients; }
    public int[] auditBroadcastCodes() { return auditBroadcastCodes; }
    /** When the message was published ({@link System#nanoTime()}). */
    public long publishedNanos() { return publishedNanos; }

    /** Drops references so a processed slot keeps nothing alive; bus thread, after the last stage. */
    void clear()
    {
        message = null;
        future = null;
        broadcastFuture = null;
        listener = null;
        failure = null;
        sender = null;
        recipient = null;
        broadcastRecipients = null;
        broadcastCodes = null;
        rejectCode = 0;
        rejectDetail = 0;
        warnings = null;
        flagged = 0;
        impactKeywords = -1;
        completed = false;
        journalIndex = -1;
        broadcastJournalIndexes = null;
        replay = false;
        ballastReleased = null;
        heldId = null;
        regoVersion = null;
        reinjected = false;
    }

    void warn(final String warning)
    {
        if (warnings == null)
        {
            warnings = new java.util.ArrayList<>(2);
        }
        warnings.add(warning);
    }

    /** A {@link PipelineMeter}'s refusal after validation: the message is rejected with {@code code}, {@code detail} behind its text. */
    public void refuse(final int code, final long detail)
    {
        rejectCode = code;
        rejectDetail = detail;
    }

    /** @return the value behind the rejection (retry-after ms for the rate and budget refusals). */
    public long rejectDetail() { return rejectDetail; }

    public byte kind() { return kind; }
    public boolean isReplay() { return replay; }
    public int priority() { return priority; }
    /** @return the impact keyword mask found by the content scan, or -1 (see the field) */
    public int impactKeywords() { return impactKeywords; }
    public long expiresAtMs() { return expiresAtMs; }
    public byte[] payload() { return payload; }
    public int payloadLength() { return payloadLength; }
    public List<AgentRecord> broadcastRecipients() { return broadcastRecipients; }
    public int broadcastCode(final int i) { return broadcastCodes[i]; }
    /** Journal stage: the index of this message's accepted record. */
    public void journalIndex(final long index) { journalIndex = index; }
    /** Journal stage: the index per broadcast recipient. */
    public void broadcastJournalIndexes(final long[] indexes) { broadcastJournalIndexes = indexes; }
    public AgentMessage message() { return message; }
    public int rejectCode() { return rejectCode; }
    public AgentRecord sender() { return sender; }
    public AgentRecord recipient() { return recipient; }
    public int messageType() { return messageType; }
    public long correlationId() { return correlationId; }
    public OutcomeListener listener() { return listener; }
    /** Governance stage: holds this message for deliberation under {@code id} (not journaled, not delivered now). */
    public void hold(final String id) { heldId = id; }
    public boolean isHeld() { return heldId != null; }
    public boolean isReinjected() { return reinjected; }
    public String heldId() { return heldId; }
    /** Governance stage: refuses the message with {@code code} (and the value behind it, for its text). */
    public void rejectForGovernance(final int code, final long detail)
    {
        rejectCode = code;
        rejectDetail = detail;
    }
    /** Governance stage: the scorer failed; rejected, fail closed. */
    public void failGovernance(final Throwable t)
    {
        failure = t;
        rejectCode = dev.eab.api.RejectReason.VALIDATOR_ERROR.code();
    }
    /** @return the MACI target agent a flyweight claim named, -1 for none. */
    public int maciTargetAgent() { return maciTargetAgent; }
    /** @return true when a flyweight claim named a MACI target output. */
    public boolean maciHasTargetOutput() { return maciHasTargetOutput; }
    /** @return the MACI target output a flyweight claim named. */
    public long maciTargetOutput() { return maciTargetOutput; }
}
