package dev.eab.core.governance;

import dev.eab.api.DeliberationStatus;
import dev.eab.api.DeliberationVote;
import dev.eab.api.VoteChoice;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.journal.MessageCodec;
import dev.eab.core.journal.SharedAppendQueue;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.eab.core.governance.DeliberationRecordDescriptor.*;

/**
 * Where held messages survive a restart: a Chronicle queue of its own (never the message journal's), one document
 * per transition (held, vote, decided; layout in {@link DeliberationRecordDescriptor}), appended before the
 * transition takes effect in memory. On open, {@link #restore()} replays the records and returns the items not
 * yet decided, votes included.
 *
 * <p>Thread-safe: appends are serialised on this object (one appender, its thread check off). Appends happen on
 * the bus thread (a hold: allocation only then) and on reviewers' threads (votes, decisions).
 */
public final class DeliberationStore implements AutoCloseable
{
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private boolean closed;

    private DeliberationStore(final Path directory, final SingleChronicleQueue queue, final ExcerptAppender appender)
    {
        this.directory = directory;
        this.queue = queue;
        this.appender = appender;
    }

    /** @throws DeliberationException when the queue cannot be opened. */
    public static DeliberationStore open(final Path directory)
    {
        try
        {
            final SharedAppendQueue q = SharedAppendQueue.open(directory);
            return new DeliberationStore(directory, q.queue(), q.appender());
        }
        catch (final Throwable t)
        {
            throw new DeliberationException("Cannot open the deliberation store at " + directory + ": " + ThrowableText.describe(t),
                Map.of("store", String.valueOf(directory)), null, t);
        }
    }

    public Path directory()
    {
        return directory;
    }

    synchronized void appendHeld(final DeliberationEntry e)
    {
        final HeldMessage h = e.held;
        try (DocumentContext dc = writing())
        {
            final Bytes<?> b = header(dc, TYPE_HELD, e.createdAt.toEpochMilli());
            b.writeUtf8(e.id);
            b.writeUtf8(e.tenant);
            b.writeUtf8(h.senderId());
            b.writeUtf8(h.recipientId());
            b.writeInt(h.flyweight() ? FLAG_FLYWEIGHT : 0);
            b.writeInt(h.messageType());
            b.writeInt(h.priority());
            b.writeLong(h.correlationId());
            b.writeDouble(e.score);
            b.writeDouble(e.threshold);
            for (int i = 0; i < ImpactScorer.FACTOR_COUNT; i++)
            {
                b.writeDouble(e.factors[i]);
            }
            b.writeInt(e.requiredVotes);
            b.writeDouble(e.consensusThreshold);
            b.writeLong(e.createdAt.toEpochMilli());
            b.writeLong(e.timeoutAt.toEpochMilli());
            b.writeInt(h.payload().length);
            b.write(h.payload());
            MessageCodec.encode(h.message(), b);
        }
    }

    synchronized void appendVote(final String id, final DeliberationVote v)
    {
        try (DocumentContext dc = writing())
        {
            final Bytes<?> b = header(dc, TYPE_VOTE, v.at().toEpochMilli());
            b.writeUtf8(id);
            b.writeUtf8(v.agentId());
            b.writeInt(v.choice().ordinal());
            b.writeUtf8(v.reasoning());
            b.writeLong(v.at().toEpochMilli());
        }
    }

    synchronized void appendDecided(final DeliberationEntry e)
    {
        try (DocumentContext dc = writing())
        {
            final Bytes<?> b = header(dc, TYPE_DECIDED, e.decidedAt.toEpochMilli());
            b.writeUtf8(e.id);
            b.writeInt(e.status.ordinal());
            b.writeUtf8(e.reviewer);
            b.writeUtf8(e.reasoning);
            b.writeLong(e.decidedAt.toEpochMilli());
        }
    }

    private DocumentContext writing()
    {
        if (closed)
        {
            throw new DeliberationException("The deliberation store is closed", Map.of("store", String.valueOf(directory)));
        }
        return appender.writingDocument();
    }

    private static Bytes<?> header(final DocumentContext dc, final short type, final long atMs)
    {
        final Bytes<?> b = dc.wire().bytes();
        b.writeInt(MAGIC);
        b.writeShort(VERSION);
        b.writeShort(type);
        b.writeLong(atMs);
        return b;
    }

    /**
     * @return the items held and not decided, in the order held, with their votes; a record that cannot be read
     *     ends the read (what came before it stands) and is reported in {@code warnings}.
     */
    public synchronized List<DeliberationEntry> restore(final List<String> warnings)
    {
        final Map<String, DeliberationEntry> open = new LinkedHashMap<>();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> b = dc.wire().bytes();
                    if (b.readRemaining() < HEADER_LENGTH || b.readInt() != MAGIC || b.readShort() != VERSION)
                    {
                        warnings.add("deliberation store: not a deliberation record at index " + dc.index() + "; stopped reading");
                        break;
                    }
                    final short type = b.readShort();
                    b.readLong();
                    switch (type)
                    {
                        case TYPE_HELD ->
                        {
                            final DeliberationEntry e = readHeld(b);
                            open.put(e.id, e);
                        }
                        case TYPE_VOTE ->
                        {
                            final String id = b.readUtf8();
                            final String agent = b.readUtf8();
                            final VoteChoice choice = VoteChoice.values()[b.readInt()];
                            final String reasoning = b.readUtf8();
                            final Instant at = Instant.ofEpochMilli(b.readLong());
                            final DeliberationEntry e = open.get(id);
                            if (e != null)
                            {
                                e.votes.put(agent, new DeliberationVote(agent, choice, reasoning == null ? "" : reasoning, at));
                            }
                        }
                        case TYPE_DECIDED ->
                        {
                            final String id = b.readUtf8();
                            final DeliberationStatus status = DeliberationStatus.values()[b.readInt()];
                            if (status.isFinal())
                            {
                                open.remove(id);
                            }
                        }
                        default ->
                        {
                            warnings.add("deliberation store: unknown record type " + type + " at index " + dc.index() + "; stopped reading");
                            return new ArrayList<>(open.values());
                        }
                    }
                }
            }
        }
        catch (final RuntimeException ex)
        {
            warnings.add("deliberation store: unreadable record (" + ThrowableText.describe(ex) + "); stopped reading");
        }
        return new ArrayList<>(open.values());
    }

    private static DeliberationEntry readHeld(final Bytes<?> b)
    {
        final String id = b.readUtf8();
        final String tenant = b.readUtf8();
        final String sender = b.readUtf8();
        final String recipient = b.readUtf8();
        final int flags = b.readInt();
        final int type = b.readInt();
        final int priority = b.readInt();
        final long correlationId = b.readLong();
        final double score = b.readDouble();
        final double threshold = b.readDouble();
        final double[] factors = new double[ImpactScorer.FACTOR_COUNT];
        for (int i = 0; i < factors.length; i++)
        {
            factors[i] = b.readDouble();
        }
        final int required = b.readInt();
        final double consensus = b.readDouble();
        final Instant created = Instant.ofEpochMilli(b.readLong());
        final Instant timeout = Instant.ofEpochMilli(b.readLong());
        final byte[] payload = new byte[b.readInt()];
        b.read(payload);
        final HeldMessage held = new HeldMessage(MessageCodec.decode(b), (flags & FLAG_FLYWEIGHT) != 0, sender, recipient, type, priority,
            correlationId, payload, null);
        return new DeliberationEntry(id, tenant, held, score, factors, threshold, required, consensus, created, timeout);
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            appender.close();
            queue.close();
        }
    }
}
