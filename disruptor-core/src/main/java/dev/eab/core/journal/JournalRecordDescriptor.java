package dev.eab.core.journal;

/**
 * The journal's record layouts (little-endian, Chronicle {@code Bytes}). Two queues under the journal directory:
 * <ul>
 *   <li>{@code messages/}: written by the bus thread only (single writer): every decision in ring order, as
 *       BATCH documents (one Chronicle document per ring batch, below).</li>
 *   <li>{@code acks/}: written by the journal's ack writer thread: acknowledgements made off the bus thread
 *       (dispatched handlers, {@code receive}), handed over through {@link AckRing}, one ACK_BATCH document per drain.</li>
 * </ul>
 *
 * <p><b>Documents.</b> The first int of a document says what it holds: {@link #TYPE_BATCH} is a batch of records;
 * any other value is one record in the layout below (every journal written before batching, and still the
 * {@code acks/} documents). A reader splits a batch into its records ({@code MessageJournal.readRecords}) and hands
 * each to the same per-record code, so both formats read, in one queue too.
 *
 * <pre>
 * BATCH document (8):   int TYPE_BATCH, int count, long firstRecordId, count x (int length, length bytes: one record as below)
 *                       (at most {@link #MAX_BATCH_RECORDS} records; closed at the end of the ring batch, or once it
 *                       holds {@link #MAX_BATCH_BYTES} bytes; journaledAtMs and ackedAtMs of its records are the time
 *                       the batch was opened: one clock read per document)
 * </pre>
 *
 * <p><b>Record ids.</b> Every record has a 64-bit id, the "index" an accepted message carries to its ack and what
 * replay, acks and the tools print: in a batch, {@code firstRecordId + slot}; a single-record document's id is its
 * Chronicle index, so the acks written before batching (which name document indexes) need no translation. Ids grow
 * along the queue: each run of the bus continues from the last id in {@code messages/} plus one, and starts at no
 * less than its start time in ms {@code << }{@value #RUN_ID_SHIFT} (so ids keep growing even when retention has
 * deleted every earlier file; a run would need more than 2^20 records per ms of its life to reach the next run's
 * floor). An id is not a Chronicle index (a Chronicle index has no room for a slot: the secondly and five-minutely
 * roll cycles already use 55-63 of its bits), so retention keeps the document index of a run's RUN_START itself.
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
 * ACK             (6):  long recordId, int status, long ackedAtMs           (journals before ACK_BATCH; read only)
 * ACK_BATCH       (7):  int count, long ackedAtMs, count x (long recordId, int status)
 *                       (in messages/: the bus thread's acks, INLINE handlers and route-time refusals, one record per
 *                       ring batch or per {@link #MAX_ACK_BATCH} acks, always after the records they name, which lets
 *                       replay read messages/ in one forward pass; in acks/: one document per ack-writer drain)
 * </pre>
 *
 * The two records that replay redelivers end with {@link #RECORD_END}. A reader checks a whole batch (count,
 * lengths inside the document, every accepted record's end marker) before it hands out any of its records: a
 * scribbled batch is reported and the queue is cut before it, never replayed in part or as garbage. A batch torn
 * by a crash mid-write has no complete Chronicle header and is cut the same way.
 *
 * A FLYWEIGHT or MESSAGE record is an accepted message; it is pending until an ack names its id (in
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
    /** A document of several records (see the class comment); never a record type itself. */
    public static final int TYPE_BATCH = 8;
    /** Most records one BATCH document holds. */
    public static final int MAX_BATCH_RECORDS = 1024;
    /** A run's first record id is at least its start time in ms shifted left by this. */
    public static final int RUN_ID_SHIFT = 20;
    /** A batch document is closed once it holds this many bytes (bounds a torn batch and one Chronicle document). */
    public static final int MAX_BATCH_BYTES = 256 * 1024;
    /** type, count and first record id. */
    public static final int BATCH_HEADER_LENGTH = 2 * Integer.BYTES + Long.BYTES;
    /** Offsets in a BATCH document. */
    public static final int BATCH_COUNT_OFFSET = Integer.BYTES;
    public static final int BATCH_FIRST_ID_OFFSET = 2 * Integer.BYTES;
    /** The int before each record of a batch: the record's length in bytes. */
    public static final int RECORD_LENGTH_FIELD = Integer.BYTES;
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
            case TYPE_BATCH -> "batch";
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
