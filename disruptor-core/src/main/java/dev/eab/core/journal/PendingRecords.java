package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import net.openhft.chronicle.bytes.Bytes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The accepted-but-unacknowledged records of one journal read, kept in columns instead of one {@link PendingMessage}
 * and one payload array per message: a replay of a million zero-allocation messages used to build a million of each
 * (about 100 MB of garbage) before the first was published. Flyweight payloads are copied into large shared chunks;
 * a {@code send}'s {@link AgentMessage} is kept as decoded (it is an object anyway). Replay fills ring slots straight
 * from here ({@link dev.eab.core.pipeline.EventSlots#fillReplay(dev.eab.core.pipeline.MessageEvent, PendingRecords, int,
 * dev.eab.core.registry.AgentRecord, dev.eab.core.registry.AgentRecord)}).
 *
 * <p>Positions are in journal order (ids ascending, {@link PendingIndexes}); an ack met later in the read clears its
 * position, and {@link #compact()} drops the cleared ones. Written by the one reading thread, then read by the
 * replaying thread after it (handed over by the caller; not thread-safe).
 */
public final class PendingRecords
{
    /** Payload bytes per chunk (a larger payload gets a chunk of its own). */
    private static final int CHUNK_BYTES = 16 * 1024 * 1024;
    private static final int INITIAL = 1024;

    private final PendingIndexes positions = new PendingIndexes(INITIAL);
    private long[] ids = new long[INITIAL];
    private String[] senders = new String[INITIAL];
    private String[] recipients = new String[INITIAL];
    private AgentMessage[] messages = new AgentMessage[INITIAL];
    private int[] messageTypes = new int[INITIAL];
    private int[] priorities = new int[INITIAL];
    private long[] correlationIds = new long[INITIAL];
    private long[] expiresAtMs = new long[INITIAL];
    private int[] payloadChunks = new int[INITIAL];
    private int[] payloadOffsets = new int[INITIAL];
    private int[] payloadLengths = new int[INITIAL];
    /** The id of the RUN_START of each entry's run (what retention must keep for it). */
    private long[] runStarts = new long[INITIAL];
    private boolean[] cleared = new boolean[INITIAL];
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk;
    private int chunkUsed;
    private int size;

    PendingRecords()
    {
    }

    /** @return pending records (after {@link #compact()}: all of them; before: including cleared positions). */
    public int size()
    {
        return size;
    }

    public long id(final int i)
    {
        return ids[i];
    }

    /** @return the sender's agent id, or null when its run never named it. */
    public String senderId(final int i)
    {
        return senders[i];
    }

    /** @return the recipient's agent id, or null when its run never named it. */
    public String recipientId(final int i)
    {
        return recipients[i];
    }

    /** @return the whole message of a {@code send}, or null for a zero-allocation message. */
    public AgentMessage message(final int i)
    {
        return messages[i];
    }

    public boolean isFlyweight(final int i)
    {
        return messages[i] == null;
    }

    public int messageType(final int i)
    {
        return messageTypes[i];
    }

    public int priority(final int i)
    {
        return priorities[i];
    }

    public long correlationId(final int i)
    {
        return correlationIds[i];
    }

    public long expiresAtMs(final int i)
    {
        return expiresAtMs[i];
    }

    public int payloadLength(final int i)
    {
        return payloadLengths[i];
    }

    /** Copies entry {@code i}'s payload into {@code dst} at 0 (the caller checked it fits). */
    public void copyPayload(final int i, final byte[] dst)
    {
        System.arraycopy(chunks.get(payloadChunks[i]), payloadOffsets[i], dst, 0, payloadLengths[i]);
    }

    long runStart(final int i)
    {
        return runStarts[i];
    }

    /**
     * Adds a FLYWEIGHT record (its type read; {@code b} at the sender handle), copying its payload into a chunk.
     *
     * @throws JournalFormatException when the record is not whole.
     */
    void addFlyweight(final long id, final Bytes<?> b, final java.util.function.IntFunction<String> agentIds, final long runStart)
    {
        final String sender = agentIds.apply(b.readInt());
        final String recipient = agentIds.apply(b.readInt());
        final int messageType = b.readInt();
        final int priority = b.readInt();
        final long correlationId = b.readLong();
        final long expires = b.readLong();
        b.readLong(); // journaled at
        final int length = b.readInt();
        if (length < 0 || length > b.readRemaining() - Integer.BYTES)
        {
            throw new JournalFormatException("record at index " + Long.toHexString(id) + " names a payload of " + length +
                " bytes that it does not hold: a torn or corrupt record");
        }
        final int at = next(id, sender, recipient, runStart);
        if (chunk == null || chunk.length - chunkUsed < length)
        {
            chunk = new byte[Math.max(CHUNK_BYTES, length)];
            chunkUsed = 0;
            chunks.add(chunk);
        }
        b.read(chunk, chunkUsed, length);
        MessageJournal.checkEnd(b, id);
        messageTypes[at] = messageType;
        priorities[at] = priority;
        correlationIds[at] = correlationId;
        expiresAtMs[at] = expires;
        payloadChunks[at] = chunks.size() - 1;
        payloadOffsets[at] = chunkUsed;
        payloadLengths[at] = length;
        chunkUsed += length;
        commit(at, id);
    }

    /** Adds a MESSAGE record decoded into {@code p} (a {@code send}). */
    void addMessage(final PendingMessage p, final long runStart)
    {
        final int at = next(p.index(), p.senderId(), p.recipientId(), runStart);
        messages[at] = p.message();
        messageTypes[at] = p.messageType();
        priorities[at] = p.priority();
        commit(at, p.index());
    }

    /** Clears the entry of record {@code id} when one is pending (an ack named it). */
    void clear(final long id)
    {
        final int at = positions.positionOf(id);
        if (at >= 0 && !cleared[at])
        {
            cleared[at] = true;
            messages[at] = null;
        }
    }

    /** Drops the cleared entries, keeping journal order (payload chunks stay: copies are not worth it). */
    void compact()
    {
        int to = 0;
        for (int from = 0; from < size; from++)
        {
            if (cleared[from])
            {
                continue;
            }
            if (to != from)
            {
                ids[to] = ids[from];
                senders[to] = senders[from];
                recipients[to] = recipients[from];
                messages[to] = messages[from];
                messageTypes[to] = messageTypes[from];
                priorities[to] = priorities[from];
                correlationIds[to] = correlationIds[from];
                expiresAtMs[to] = expiresAtMs[from];
                payloadChunks[to] = payloadChunks[from];
                payloadOffsets[to] = payloadOffsets[from];
                payloadLengths[to] = payloadLengths[from];
                runStarts[to] = runStarts[from];
                cleared[to] = false;
            }
            to++;
        }
        Arrays.fill(senders, to, size, null);
        Arrays.fill(recipients, to, size, null);
        Arrays.fill(messages, to, size, null);
        size = to;
    }

    /** @return entry {@code i} as a {@link PendingMessage} (allocates: for tools and tests, not replay). */
    public PendingMessage toPendingMessage(final int i)
    {
        if (messages[i] != null)
        {
            return PendingMessage.message(ids[i], senders[i], recipients[i], messages[i]);
        }
        final byte[] payload = new byte[payloadLengths[i]];
        copyPayload(i, payload);
        return PendingMessage.flyweight(ids[i], senders[i], recipients[i], messageTypes[i], priorities[i], correlationIds[i], expiresAtMs[i], payload);
    }

    private int next(final long id, final String sender, final String recipient, final long runStart)
    {
        final int at = size;
        if (at == ids.length)
        {
            grow(at * 2);
        }
        ids[at] = id;
        senders[at] = sender;
        recipients[at] = recipient;
        messages[at] = null;
        correlationIds[at] = 0L;
        expiresAtMs[at] = 0L;
        payloadLengths[at] = 0;
        runStarts[at] = runStart;
        cleared[at] = false;
        return at;
    }

    /** Makes entry {@code at} part of the set, once whole (a record that failed mid-read leaves no entry). */
    private void commit(final int at, final long id)
    {
        positions.add(id);
        size = at + 1;
    }

    private void grow(final int capacity)
    {
        ids = Arrays.copyOf(ids, capacity);
        senders = Arrays.copyOf(senders, capacity);
        recipients = Arrays.copyOf(recipients, capacity);
        messages = Arrays.copyOf(messages, capacity);
        messageTypes = Arrays.copyOf(messageTypes, capacity);
        priorities = Arrays.copyOf(priorities, capacity);
        correlationIds = Arrays.copyOf(correlationIds, capacity);
        expiresAtMs = Arrays.copyOf(expiresAtMs, capacity);
        payloadChunks = Arrays.copyOf(payloadChunks, capacity);
        payloadOffsets = Arrays.copyOf(payloadOffsets, capacity);
        payloadLengths = Arrays.copyOf(payloadLengths, capacity);
        runStarts = Arrays.copyOf(runStarts, capacity);
        cleared = Arrays.copyOf(cleared, capacity);
    }
}
