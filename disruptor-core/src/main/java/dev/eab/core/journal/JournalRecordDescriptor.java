package dev.eab.core.journal;

/**
 * The journal's record layouts, one Chronicle document each, fields written in this order (little-endian,
 * Chronicle {@code Bytes}). Two queues under the journal directory:
 * <ul>
 *   <li>{@code messages/}: written by the bus thread only (single writer): every decision in ring order.</li>
 *   <li>{@code acks/}: written by the journal's ack writer thread: acknowledgements made off the bus thread
 *       (dispatched handlers, {@code receive}), handed over through {@link AckRing}, one ACK_BATCH record per drain
 *       (journals written before that hold one ACK record per ack; both read).</li>
 * </ul>
 *
 * <pre>
 * every record:         int type
 * RUN_START       (1):  long runId (epoch ms of the start), long startedAtMs
 * AGENT           (2):  int handle, utf8 agentId, utf8 tenant           (first time a run's records name the handle)
 * FLYWEIGHT       (3):  int senderHandle, int recipientHandle, int messageType, int priority, long correlationId,
 *                       long expiresAtMs, long journaledAtMs, int payloadLength, payloadLength bytes, int RECORD_END
 * MESSAGE         (4):  int senderHandle, int recipientHandle, long journaledAtMs, {@link MessageCodec} message, int RECORD_END
 *                       (send: one record; broadcast: one record per accepted recipient)
 * REJECTED        (5):  int reasonCode, int senderHandle, int recipientHandle, long correlationId, long journaledAtMs,
 *                       utf8 messageId ("" on the zero-allocation path: its correlation id is the id)
 * ACK             (6):  long index (of the FLYWEIGHT or MESSAGE record), int status, long ackedAtMs
 * ACK_BATCH       (7):  int count, long ackedAtMs, count x (long index, int status)
 *                       (in messages/: the bus thread's acks, INLINE handlers and route-time refusals, one record per
 *                       ring batch or per {@link #MAX_ACK_BATCH} acks, always after the records they name, which lets
 *                       replay read messages/ in one forward pass; in acks/: one record per ack-writer drain)
 * </pre>
 *
 * The two records that replay redelivers end with {@link #RECORD_END}: a record whose tail was lost (a truncated
 * file re-extended with zeros, a scribbled tail) fails that check and is reported, never replayed as garbage.
 *
 * A FLYWEIGHT or MESSAGE record is an accepted message; it is pending until an ACK names its index (in
 * either queue). Handles are only meaningful within the run that wrote them: replay maps them to agent ids
 * through that run's AGENT records.
 */
public final class JournalRecordDescriptor
{
    public static final int TYPE_RUN_START = 1;
    public static final int TYPE_AGENT = 2;
    public static final int TYPE_FLYWEIGHT = 3;
    public static final int TYPE_MESSAGE = 4;
    public static final int TYPE_REJECTED = 5;
    public static final int TYPE_ACK = 6;
    public static final int TYPE_ACK_BATCH = 7;
    /** Most acks one ACK_BATCH record holds. */
    public static final int MAX_ACK_BATCH = 1024;

    /** The last int of a FLYWEIGHT or MESSAGE record: proves the record is whole. */
    public static final int RECORD_END = 0x5EA1_ED0D;

    /** ACK status: the handler ran, or the message was received. */
    public static final int ACK_DELIVERED = 0;
    /** ACK status: the handler threw or never returned (not redelivered). */
    public static final int ACK_FAILED = 1;
    /** ACK status: refused after it was journaled (inbox full): not delivered, not redelivered. */
    public static final int ACK_REJECTED = 2;

    /** Directory names of the two queues. */
    public static final String MESSAGES_QUEUE = "messages";
    public static final String ACKS_QUEUE = "acks";

    private JournalRecordDescriptor()
    {
    }

    public static String typeName(final int type)
    {
        return switch (type)
        {
            case TYPE_RUN_START -> "run_start";
            case TYPE_AGENT -> "agent";
            case TYPE_FLYWEIGHT -> "flyweight";
            case TYPE_MESSAGE -> "message";
            case TYPE_REJECTED -> "rejected";
            case TYPE_ACK -> "ack";
            case TYPE_ACK_BATCH -> "ack_batch";
            default -> "unknown(" + type + ")";
        };
    }

    public static String ackStatusName(final int status)
    {
        return switch (status)
        {
            case ACK_DELIVERED -> "delivered";
            case ACK_FAILED -> "failed";
            case ACK_REJECTED -> "rejected";
            default -> "unknown(" + status + ")";
        };
    }
}
