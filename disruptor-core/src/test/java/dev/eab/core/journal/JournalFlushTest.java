package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.JournalFlush;
import dev.eab.api.JournalOptions;
import dev.eab.api.MessageType;
import dev.eab.core.EnhancedAgentBus;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9: under {@link JournalFlush#SYNC_PER_BATCH} the bus thread msyncs the messages queue up to its last
 * record (Chronicle keeps the last msynced index in the queue's metadata), and the journal still replays;
 * under the default page-cache policy nothing is msynced (the index lives in the metadata of a read-write queue).
 */
class JournalFlushTest
{
    private static final int MESSAGES = 200;

    @Test
    void syncPerBatchMsyncsUpToTheLastRecordAndReplays(@TempDir final Path dir) throws Exception
    {
        run(dir, JournalFlush.SYNC_PER_BATCH);
        try (ChronicleQueue q = MessageJournal.queue(dir.resolve(JournalRecordDescriptor.MESSAGES_QUEUE)))
        {
            assertTrue(q.lastIndex() > 0);
            assertEquals(q.lastIndex(), q.lastIndexMSynced(), "synced up to the last record");
        }
        assertEquals(MESSAGES, replay(dir, JournalFlush.SYNC_PER_BATCH));
    }

    @Test
    void pageCacheDoesNotMsync(@TempDir final Path dir) throws Exception
    {
        run(dir, JournalFlush.PAGE_CACHE);
        try (ChronicleQueue q = MessageJournal.queue(dir.resolve(JournalRecordDescriptor.MESSAGES_QUEUE)))
        {
            assertTrue(q.lastIndex() > 0);
            assertNotEquals(q.lastIndex(), q.lastIndexMSynced());
        }
        assertEquals(MESSAGES, replay(dir, JournalFlush.PAGE_CACHE));
    }

    @Test
    void thePretoucherTouchesPagesAheadOfTheTailAndChangesNoRecord(@TempDir final Path dir) throws Exception
    {
        try (EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir)
            .journalOptions(JournalOptions.DEFAULTS.withPretouch(true)).build()))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            bus.registerAgent("r", "worker", Set.of(), "acme", null);
            bus.start();
            bus.send(AgentMessage.builder().messageId("first").fromAgent("s").toAgent("r").tenantId("acme").messageType(MessageType.EVENT)
                .content(Map.of("i", 0)).build()).get(10, TimeUnit.SECONDS);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long pages = 0;
            while (pages == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
                @SuppressWarnings("unchecked")
                final Map<String, Object> j = (Map<String, Object>)bus.getMetrics().get("journal");
                pages = ((Number)j.get("pretouched_pages")).longValue();
            }
            assertTrue(pages > 0, "the housekeeper touched pages ahead of the tail");
            for (int i = 1; i < MESSAGES; i++)
            {
                bus.send(AgentMessage.builder().messageId("m-" + i).fromAgent("s").toAgent("r").tenantId("acme").messageType(MessageType.EVENT)
                    .content(Map.of("i", i)).build()).get(10, TimeUnit.SECONDS);
            }
        }
        // Records written over touched pages read back whole.
        assertEquals(MESSAGES, replay(dir, JournalFlush.PAGE_CACHE));
    }

    private static void run(final Path dir, final JournalFlush flush) throws Exception
    {
        try (EnhancedAgentBus bus = bus(dir, flush))
        {
            bus.start();
            final List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++)
            {
                sent.add(bus.send(AgentMessage.builder().messageId("m-" + i).fromAgent("s").toAgent("r").tenantId("acme").messageType(MessageType.EVENT)
                    .content(Map.of("i", i)).build()));
            }
            for (final CompletableFuture<?> f : sent)
            {
                f.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int replay(final Path dir, final JournalFlush flush)
    {
        final List<String> replayed = new ArrayList<>();
        try (EnhancedAgentBus bus = bus(dir, flush))
        {
            bus.subscribe("r", m -> replayed.add(m.toMessage().messageId()), DeliveryMode.INLINE);
            bus.start();
        }
        return replayed.size();
    }

    private static EnhancedAgentBus bus(final Path dir, final JournalFlush flush)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir)
            .journalOptions(JournalOptions.DEFAULTS.withFlush(flush)).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        return bus;
    }
}
