package dev.eab.core.journal;

import dev.eab.api.MessageHandler;
import dev.eab.api.MessageView;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.HashSet;
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
 * <p>Thread-safe: calls are serialised (a DISPATCHED handler runs on one thread at a time anyway).
 */
public final class IdempotentHandler implements MessageHandler, AutoCloseable
{
    private final MessageHandler delegate;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Set<String> processed = new HashSet<>();
    private long skipped;

    private IdempotentHandler(final ChronicleQueue queue, final MessageHandler delegate)
    {
        this.queue = queue;
        this.delegate = delegate;
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
        return new IdempotentHandler(MessageJournal.queue(dir.resolve("processed-" + agentId.replaceAll("[^A-Za-z0-9_.-]", "_"))), delegate);
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
        delegate.onMessage(message);
        processed.add(id);
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().writeUtf8(id);
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
