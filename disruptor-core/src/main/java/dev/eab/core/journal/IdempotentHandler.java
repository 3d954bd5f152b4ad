package dev.eab.core.journal;

import dev.eab.api.MessageHandler;
import dev.eab.api.MessageView;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An idempotent consumer: wraps an agent's handler so that it sees each message once even though the
 * journal redelivers after a crash (at-least-once). The ids of messages the handler completed are kept in
 * a Chronicle queue of their own ({@code <dir>/processed-<agent>}) and loaded when the helper opens, so
 * the set survives restarts; a message whose id is in it is acknowledged without running the handler.
 *
 * <p>The id is the message id (for a zero-allocation message, {@code senderId:correlationId}). The id is
 * recorded after the handler returns: if the process dies in the microseconds between the two, that one
 * message runs again after the restart. A handler whose effect must be exactly-once without that window
 * records its effect and the id in one transaction of its own.
 *
 * <p>A handler whose whole effect is a line of text ({@link #recording}) closes that window: its effect is
 * written in the same queue record as the id, and a Chronicle record is either whole or absent after a
 * crash, so the effect happens exactly once ({@code ./eab crashtest} proves it under kill -9).
 *
 * <p>Record layout: the id (UTF-8 with a stop-bit length), then for a recording handler its effect, the same way.
 *
 * <p>Thread-safe: calls are serialised (a DISPATCHED handler runs on one thread at a time anyway).
 */
public final class IdempotentHandler implements MessageHandler, AutoCloseable
{
    /** A handler whose effect is the text it returns, recorded with the message id in one record. */
    @FunctionalInterface
    public interface RecordingHandler
    {
        /** @return the effect to record (never null). */
        String onMessage(MessageView message) throws Exception;
    }

    /** One processed message as its queue holds it: the id and the recorded effect ("" for a plain handler). */
    public record Processed(String id, String effect)
    {
    }

    private final MessageHandler delegate;
    private final RecordingHandler recorder;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Set<String> processed = new HashSet<>();
    private long skipped;

    private IdempotentHandler(final ChronicleQueue queue, final MessageHandler delegate, final RecordingHandler recorder)
    {
        this.queue = queue;
        this.delegate = delegate;
        this.recorder = recorder;
        MessageJournal.readQueue(queue, "processed", null, (index, bytes) -> processed.add(bytes.readUtf8()));
        this.appender = queue.createAppender();
        // Serialised by this object's lock, but called from whichever thread runs the handler.
        this.appender.singleThreadedCheckDisabled(true);
    }

    /**
     * @param dir      a directory for the processed-id queues (the journal directory is a good home).
     * @param agentId  whose handler this is (one queue per agent).
     * @param delegate the handler to run once per message id.
     */
    public static IdempotentHandler open(final Path dir, final String agentId, final MessageHandler delegate)
    {
        return new IdempotentHandler(MessageJournal.queue(queueDir(dir, agentId)), delegate, null);
    }

    /**
     * A handler whose whole effect is the text it returns: kept with the id in one record, so exactly once
     * across crashes (read it back with {@link #readProcessed}).
     */
    public static IdempotentHandler recording(final Path dir, final String agentId, final RecordingHandler handler)
    {
        return new IdempotentHandler(MessageJournal.queue(queueDir(dir, agentId)), null, handler);
    }

    /** Reads an agent's processed ids and effects, in order, read-only (empty when it has none). */
    public static List<Processed> readProcessed(final Path dir, final String agentId)
    {
        final Path q = queueDir(dir, agentId);
        final List<Processed> out = new ArrayList<>();
        if (!Files.isDirectory(q))
        {
            return out;
        }
        try (ChronicleQueue queue = MessageJournal.readOnlyQueue(q))
        {
            MessageJournal.readQueue(queue, "processed", new ArrayList<>(), (index, bytes) -> {
                final String id = bytes.readUtf8();
                out.add(new Processed(id, bytes.readRemaining() > 0 ? bytes.readUtf8() : ""));
            });
        }
        return out;
    }

    private static Path queueDir(final Path dir, final String agentId)
    {
        return dir.resolve("processed-" + agentId.replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    @Override
    public synchronized void onMessage(final MessageView message) throws Exception
    {
        final String id = message.toMessage().messageId();
        if (processed.contains(id))
        {
            skipped++;
            return;
        }
        final String effect;
        if (recorder != null)
        {
            effect = recorder.onMessage(message);
        }
        else
        {
            delegate.onMessage(message);
            effect = null;
        }
        processed.add(id);
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().writeUtf8(id);
            if (effect != null)
            {
                dc.wire().bytes().writeUtf8(effect);
            }
        }
    }

    /** @return messages not run again because their id was already processed. */
    public synchronized long skipped()
    {
        return skipped;
    }

    /** @return ids remembered. */
    public synchronized int processedCount()
    {
        return processed.size();
    }

    @Override
    public synchronized void close()
    {
        appender.close();
        queue.close();
    }
}
