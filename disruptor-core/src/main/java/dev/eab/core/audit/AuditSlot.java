package dev.eab.core.audit;

import dev.eab.api.AgentMessage;
import dev.eab.core.registry.AgentRecord;

/**
 * One pre-allocated entry of the audit log's hand-off ring ({@link AuditLog}), for the records that do not come
 * straight off the bus ring: the decisions other layers record (registration, identity, holds decided, policy
 * reloads), as an {@link AuditEntry}, and the messages a stopping bus fails ({@code BUS_STOPPED}), copied out of
 * their ring slot ({@link AuditFeed#fill}). The writer thread turns it into record bytes ({@link AuditFeed#encode})
 * and then {@link #clear()}s it, so a slot keeps nothing alive.
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
    /** Pre-encoded ({@code AuditRecordDescriptor.Encoder.preEncode}). */
    byte[] policyVersion;
    byte[] constitutionalHash;
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
