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
    int payloadLength;
    OutcomeListener listener;
    long publishedNanos;
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
    Throwable failure;
    AgentRecord sender;
    AgentRecord recipient;
    /** Broadcast only: every candidate recipient with its own verdict, in the same order. */
    List<AgentRecord> broadcastRecipients;
    int[] broadcastCodes;
    boolean completed;

    // ---- journal: bus thread only
    /** The journal index of this message's accepted record, or -1 (not journaled, or no journal). */
    long journalIndex = -1;
    /** Broadcast only: the journal index per recipient (-1 for a refused one), or null. */
    long[] broadcastJournalIndexes;
    /** A message redelivered from the journal after a restart: validated and journaled before, so only routed. */
    boolean replay;

    // ---- governance: bus thread only
    /** The deliberation id when the governance stage held this message (not delivered now), else null. */
    String heldId;
    /** An approved held message put back through routing: replay-like, but journaled now (it never was). */
    boolean reinjected;

    MessageEvent(final int payloadCapacity)
    {
        this.payload = new byte[payloadCapacity];
    }

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
        completed = false;
        journalIndex = -1;
        broadcastJournalIndexes = null;
        replay = false;
        heldId = null;
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

    public byte kind() { return kind; }
    public boolean isReplay() { return replay; }
    public int priority() { return priority; }
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
    public long publishedNanos() { return publishedNanos; }
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
}
