package dev.eab.core.audit;

import dev.eab.api.AgentMessage;
import dev.eab.core.registry.AgentRecord;

/**
 * One pre-allocated entry of the audit log's hand-off ring ({@link AuditLog}): either a decision the audit
 * capture copied out of a bus ring slot (primitives and references the slot already held: nothing is
 * allocated per message, no string is built) or, for the rarer decisions other layers record (registration,
 * identity, holds decided, policy reloads), an {@link AuditEntry}. The writer thread turns it into record bytes
 * ({@link AuditCapture#encode}) and then {@link #clear()}s it, so a slot keeps nothing alive.
 *
 * <p>Ownership: written by the producer that claimed its sequence, read and cleared by the writer after the
 * ring published it; the ring's sequences order the two.
 */
final class AuditSlot
{
    /** Path codes ({@code metadata.path}). */
    static final int PATH_SEND = 0;
    static final int PATH_FLYWEIGHT = 1;
    static final int PATH_BROADCAST = 2;

    /** A whole entry from {@link AuditLog#record}, or null for a captured decision. */
    AuditEntry entry;

    // ---- captured decision (entry == null)
    int code;
    int path;
    boolean replay;
    long timestampNanos;
    long correlationId;
    int messageType;
    String heldId;
    String policyVersion;
    String constitutionalHash;
    AgentMessage message;
    AgentRecord sender;
    AgentRecord recipient;

    /** Drops every reference once encoded. */
    void clear()
    {
        entry = null;
        heldId = null;
        policyVersion = null;
        constitutionalHash = null;
        message = null;
        sender = null;
        recipient = null;
    }
}
