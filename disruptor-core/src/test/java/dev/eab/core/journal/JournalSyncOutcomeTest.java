package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.JournalFlush;
import dev.eab.api.JournalOptions;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9, SYNC_PER_BATCH: a sender hears "accepted" (and a handler sees the message) only after the msync of the
 * batch holding its record. Each outcome compares the count of accepted records the journal had msynced with how
 * many messages had been sent up to it; under PAGE_CACHE no msync happens, so the same check fails there.
 */
class JournalSyncOutcomeTest
{
    private static final int MESSAGES = 5_000;
    private static final long HANG_GUARD_S = 30;

    @Test
    void zeroAllocationOutcomesWaitForTheMsyncOfTheirRecord(@TempDir final Path dir) throws Exception
    {
        assertEquals(0, outcomesBeforeTheirSync(dir, JournalFlush.SYNC_PER_BATCH));
    }

    @Test
    void underPageCacheTheSameCheckSeesOutcomesBeforeAnySync(@TempDir final Path dir) throws Exception
    {
        // The control: proves the check above can fail (nothing is msynced under the page-cache policy).
        assertEquals(MESSAGES, outcomesBeforeTheirSync(dir, JournalFlush.PAGE_CACHE));
    }

    /** @return how many delivered outcomes (and handler calls) came before the journal had msynced their record. */
    private static long outcomesBeforeTheirSync(final Path dir, final JournalFlush flush) throws Exception
    {
        try (EnhancedAgentBus bus = bus(dir, flush))
        {
            final MessageJournal journal = bus.journal();
            final AtomicLong early = new AtomicLong();
            final AtomicLong handledEarly = new AtomicLong();
            final AtomicLong told = new AtomicLong();
            // Correlation ids are 0..n-1 in send order, one sender, one recipient: message k is the (k+1)-th accepted record.
            bus.subscribe("r", m -> {
                if (journal.syncedAccepted() < m.correlationId() + 1)
                {
                    handledEarly.incrementAndGet();
                }
            }, DeliveryMode.INLINE);
            bus.start();
            final MessagePublisher p = bus.publisher("s", new OutcomeListener()
            {
                @Override
                public void onDelivered(final long correlationId, final int recipient)
                {
                    if (journal.syncedAccepted() < correlationId + 1)
                    {
                        early.incrementAndGet();
                    }
                    told.incrementAndGet();
                }

                @Override
                public void onRejected(final long correlationId, final RejectReason reason)
                {
                    fail("rejected: " + reason);
                }
            });
            final int to = bus.getAgentInfo("r").handle();
            final byte[] payload = new byte[32];
            for (int i = 0; i < MESSAGES; i++)
            {
                while (!p.tryPublish(to, MessageType.EVENT, i, payload, 0, payload.length))
                {
                    Thread.onSpinWait();
                }
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
            while (told.get() < MESSAGES && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(MESSAGES, told.get());
            assertEquals(early.get(), handledEarly.get(), "the handler runs at the same point as the outcome");
            if (flush == JournalFlush.SYNC_PER_BATCH)
            {
                assertTrue(journal.syncs() > 0 && journal.syncs() <= MESSAGES, "one msync per batch: " + journal.syncs());
                assertEquals(MESSAGES, journal.syncedAccepted());
            }
            else
            {
                assertEquals(0, journal.syncs());
            }
            return early.get();
        }
    }

    @Test
    void sendFuturesCompleteAfterTheMsync(@TempDir final Path dir) throws Exception
    {
        try (EnhancedAgentBus bus = bus(dir, JournalFlush.SYNC_PER_BATCH))
        {
            final MessageJournal journal = bus.journal();
            bus.subscribe("r", m -> { }, DeliveryMode.INLINE);
            bus.start();
            final List<CompletableFuture<Long>> syncedAtCompletion = new ArrayList<>();
            for (int i = 0; i < 200; i++)
            {
                syncedAtCompletion.add(bus.send(AgentMessage.builder().messageId("m-" + i).fromAgent("s").toAgent("r").tenantId("acme")
                    .messageType(MessageType.EVENT).content(Map.of("i", i)).build()).thenApply(r -> {
                        assertEquals(MessageStatus.DELIVERED, r.status());
                        return journal.syncedAccepted();
                    }));
            }
            for (int i = 0; i < syncedAtCompletion.size(); i++)
            {
                assertTrue(syncedAtCompletion.get(i).get(HANG_GUARD_S, TimeUnit.SECONDS) >= i + 1, "send " + i + " completed before its msync");
            }
        }
        // Held, then routed: nothing is left pending (the acks were written after routing).
        try (MessageJournal j = MessageJournal.open(dir, 16))
        {
            assertEquals(List.of(), j.readPending().messages());
        }
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
