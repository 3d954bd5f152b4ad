package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import dev.eab.api.TenantIds;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.eab.core.journal.JournalRecordDescriptor.*;

/**
 * Offline reading of a journal directory for people ({@code ./eab journal dump|stats}): opens both
 * queues read-only (a running bus may keep writing), prints one line per record with agents resolved
 * through each run's AGENT records, and counts records, cycles, bytes and unacknowledged messages.
 */
public final class JournalInspector
{
    /** Which records {@link #dump} prints; null fields match everything. */
    public record Filter(String tenant, String agent, String messageId, long limit)
    {
        public static final Filter ALL = new Filter(null, null, null, Long.MAX_VALUE);

        boolean matches(final String recordTenant, final String from, final String to, final String id)
        {
            return (tenant == null || tenant.equals(recordTenant)) && (agent == null || agent.equals(from) || agent.equals(to)) &&
                (messageId == null || messageId.equals(id));
        }
    }

    private JournalInspector()
    {
    }

    /** Prints the matching records of both queues, messages first; @return how many were printed. */
    public static long dump(final Path dir, final Filter filter, final PrintStream out)
    {
        requireJournal(dir);
        final long[] printed = {0};
        final Map<Integer, String> agents = new HashMap<>();
        final Map<Integer, String> tenants = new HashMap<>();
        try (ChronicleQueue messages = MessageJournal.readOnlyQueue(dir.resolve(MESSAGES_QUEUE)))
        {
            MessageJournal.readRecords(messages, MESSAGES_QUEUE, null, (document, index, b) -> {
                final String line = describe(index, b, agents, tenants, filter);
                if (line != null && printed[0] < filter.limit())
                {
                    out.println(MESSAGES_QUEUE + " " + Long.toHexString(index) + " " + line);
                    printed[0]++;
                }
            });
        }
        if (filter.tenant() == null && filter.agent() == null && filter.messageId() == null)
        {
            try (ChronicleQueue acks = MessageJournal.readOnlyQueue(dir.resolve(ACKS_QUEUE)))
            {
                MessageJournal.readRecords(acks, ACKS_QUEUE, null, (document, index, b) -> {
                    final String line = describe(index, b, agents, tenants, filter);
                    if (line != null && printed[0] < filter.limit())
                    {
                        out.println(ACKS_QUEUE + " " + Long.toHexString(index) + " " + line);
                        printed[0]++;
                    }
                });
            }
        }
        return printed[0];
    }

    /** @return the line for one record, or null when the filter rejects it. */
    private static String describe(
        final long index, final Bytes<?> b, final Map<Integer, String> agents, final Map<Integer, String> tenants, final Filter f)
    {
        final int type = b.readInt();
        return switch (type)
        {
            case TYPE_RUN_START ->
            {
                agents.clear();
                tenants.clear();
                yield f.equals(Filter.ALL) ? "run_start run=" + b.readLong() : null;
            }
            case TYPE_AGENT ->
            {
                final int handle = b.readInt();
                final String id = b.readUtf8();
                final String tenant = b.readUtf8();
                agents.put(handle, id);
                tenants.put(handle, tenant);
                yield f.matches(tenant, id, id, null) && f.messageId() == null ? "agent handle=" + handle + " id=" + id + " tenant=" + tenant : null;
            }
            case TYPE_FLYWEIGHT ->
            {
                final String tenant = tenants.get(b.readInt(b.readPosition())); // the sender's handle, read ahead
                final PendingMessage p = MessageJournal.decodeAccepted(type, index, b, agents);
                final String fromId = p.senderId() == null ? "?" : p.senderId();
                final String toId = p.recipientId() == null ? "?" : p.recipientId();
                final String id = fromId + ":" + p.correlationId();
                yield f.matches(tenant, fromId, toId, id)
                    ? "flyweight id=" + id + " from=" + fromId + " to=" + toId + " tenant=" + (tenant == null ? "?" : tenant) +
                      " type=" + MessageType.fromOrdinal(p.messageType()).value() + " payload=" + p.payload().length + "B"
                    : null;
            }
            case TYPE_MESSAGE ->
            {
                final PendingMessage p = MessageJournal.decodeAccepted(type, index, b, agents);
                final AgentMessage m = p.message();
                final String tenant = TenantIds.normalize(m.tenantId());
                final String toId = p.recipientId() == null ? m.toAgent() : p.recipientId();
                yield f.matches(tenant, m.sendingAgent(), toId, m.messageId())
                    ? "message id=" + m.messageId() + " from=" + m.sendingAgent() + " to=" + toId + " tenant=" + tenant + " type=" +
                      m.messageType().value() + " content_keys=" + m.content().keySet()
                    : null;
            }
            case TYPE_REJECTED ->
            {
                final RejectReason reason = RejectReason.fromCode(b.readInt());
                final int fromHandle = b.readInt();
                final String fromId = agents.getOrDefault(fromHandle, "?");
                final String toId = agents.getOrDefault(b.readInt(), "?");
                final long correlationId = b.readLong();
                b.readLong();
                final String messageId = b.readUtf8();
                final String id = messageId.isEmpty() ? fromId + ":" + correlationId : messageId;
                yield f.matches(tenants.get(fromHandle), fromId, toId, id)
                    ? "rejected id=" + id + " reason=" + reason.metricName() + " from=" + fromId + " to=" + toId
                    : null;
            }
            case TYPE_ACK -> f.equals(Filter.ALL)
                ? "ack index=" + Long.toHexString(b.readLong()) + " status=" + ackStatusName(b.readInt()) : null;
            case TYPE_ACK_BATCH ->
            {
                if (!f.equals(Filter.ALL))
                {
                    yield null;
                }
                final int n = b.readInt();
                b.readLong();
                final StringBuilder sb = new StringBuilder("ack_batch count=").append(n);
                for (int i = 0; i < n; i++)
                {
                    sb.append(i == 0 ? " " : ",").append(Long.toHexString(b.readLong())).append('=').append(ackStatusName(b.readInt()));
                }
                yield sb.toString();
            }
            default -> "unknown record type " + type;
        };
    }

    /**
     * Counts of a journal directory. {@code recordsByType} counts records (a BATCH document's records one by one);
     * {@code documents} counts the Chronicle documents holding them in both queues.
     */
    public record Stats(Map<String, Long> recordsByType, long cycles, long bytes, int pending, int acks, List<String> warnings, long documents)
    {
    }

    public static Stats stats(final Path dir)
    {
        requireJournal(dir);
        final Map<String, Long> byType = new LinkedHashMap<>();
        final long[] documents = {0};
        final MessageJournal.Pending pending;
        try (ChronicleQueue messages = MessageJournal.readOnlyQueue(dir.resolve(MESSAGES_QUEUE));
             ChronicleQueue acks = MessageJournal.readOnlyQueue(dir.resolve(ACKS_QUEUE)))
        {
            for (final ChronicleQueue q : List.of(messages, acks))
            {
                MessageJournal.readQueue(q, "stats", null, (index, b) -> documents[0]++);
                MessageJournal.readRecords(q, "stats", null, (document, index, b) -> byType.merge(typeName(b.readInt()), 1L, Long::sum));
            }
            pending = MessageJournal.readPending(messages, acks);
        }
        long cycles = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : (Iterable<Path>)files.filter(Files::isRegularFile)::iterator)
            {
                bytes += Files.size(p);
                if (p.toString().endsWith(".cq4"))
                {
                    cycles++;
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return new Stats(byType, cycles, bytes, pending.size(), pending.acks(), pending.warnings(), documents[0]);
    }

    private static void requireJournal(final Path dir)
    {
        if (!Files.isDirectory(dir.resolve(MESSAGES_QUEUE)))
        {
            throw new IllegalArgumentException("no journal in " + dir.toAbsolutePath() + " (expected a '" + MESSAGES_QUEUE + "' queue directory)");
        }
    }
}
