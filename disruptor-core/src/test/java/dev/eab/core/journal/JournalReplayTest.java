package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 9: what was accepted but not acknowledged is redelivered by the next bus over the same journal. */
class JournalReplayTest
{
    private static final long HANG_GUARD_S = 10;

    private static EnhancedAgentBus bus(final Path dir)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.AUTO).journalDir(dir).build());
        for (final String id : List.of("s", "inbox", "inline", "dispatched"))
        {
            bus.registerAgent(id, "worker", Set.of(), "acme", null);
        }
        return bus;
    }

    private static AgentMessage msg(final String to, final String id)
    {
        return AgentMessage.builder().messageId(id).fromAgent("s").toAgent(to).tenantId("acme").messageType(MessageType.QUERY)
            .content(Map.of("q", id, "bytes", new byte[] {1, 2})).build();
    }

    @Test
    void unreceivedMessagesAreRedeliveredWithTheirIdsAndAckedOnesAreNot(@TempDir final Path dir) throws Exception
    {
        final List<String> handledFirst = new ArrayList<>();
        try (EnhancedAgentBus first = bus(dir))
        {
            first.subscribe("inline", m -> handledFirst.add(m.toMessage().messageId()), DeliveryMode.INLINE);
            first.subscribe("dispatched", m -> handledFirst.add(m.toMessage().messageId()));
            first.start();
            for (int i = 0; i < 5; i++)
            {
                assertEquals(MessageStatus.DELIVERED, first.send(msg("inbox", "queued-" + i)).get(HANG_GUARD_S, TimeUnit.SECONDS).status());
                first.send(msg("inline", "inline-" + i)).get(HANG_GUARD_S, TimeUnit.SECONDS);
                first.send(msg("dispatched", "dispatched-" + i)).get(HANG_GUARD_S, TimeUnit.SECONDS);
            }
            assertEquals(RejectReason.RECIPIENT_NOT_REGISTERED, first.send(msg("nobody", "rejected")).get(HANG_GUARD_S, TimeUnit.SECONDS).rejectReason());
            // Two of the five queued ones are received (acked); three stay in the inbox.
            assertEquals("queued-0", first.receive("inbox", java.time.Duration.ofSeconds(1)).messageId());
            assertEquals("queued-1", first.receive("inbox", java.time.Duration.ofSeconds(1)).messageId());
            final Map<?, ?> journal = (Map<?, ?>)first.getMetrics().get("journal");
            assertEquals(true, journal.get("enabled"));
        }
        assertEquals(10, handledFirst.size());

        final MessageJournal.Pending pending;
        try (MessageJournal j = MessageJournal.open(dir, 16))
        {
            pending = j.readPending();
        }
        assertEquals(List.of("queued-2", "queued-3", "queued-4"), pending.messages().stream().map(p -> p.message().messageId()).toList());

        final Set<String> replayed = ConcurrentHashMap.newKeySet();
        try (EnhancedAgentBus second = bus(dir))
        {
            second.subscribe("inbox", m -> {
                final AgentMessage m2 = m.toMessage();
                assertArrayEquals(new byte[] {1, 2}, (byte[])m2.content().get("bytes"));
                replayed.add(m2.messageId());
            }, DeliveryMode.INLINE);
            second.start();
            assertEquals(Set.of("queued-2", "queued-3", "queued-4"), replayed, "redelivered before start() returned, ids kept");
            assertEquals(3L, ((Map<?, ?>)second.getMetrics().get("journal")).get("replayed"));
        }
        try (MessageJournal j = MessageJournal.open(dir, 16))
        {
            assertEquals(List.of(), j.readPending().messages(), "the replay acknowledged them");
        }
    }

    @Test
    void zeroAllocationMessagesAreJournaledAndReplayedToTheSameAgentEvenWithOtherHandles(@TempDir final Path dir) throws Exception
    {
        try (EnhancedAgentBus first = bus(dir))
        {
            first.start();
            final MessagePublisher pub = first.publisher("s", new OutcomeListener()
            {
                @Override public void onDelivered(final long c, final int h) { }
                @Override public void onRejected(final long c, final RejectReason r) { }
            });
            final int inbox = first.getAgentInfo("inbox").handle();
            for (int i = 0; i < 4; i++)
            {
                assertTrue(pub.tryPublish(inbox, MessageType.EVENT, 100 + i, new byte[] {(byte)i}, 0, 1));
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
            while (first.registry().inboxOf("inbox").size() < 4 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertNotNull(first.receive("inbox", java.time.Duration.ofSeconds(1)));
        }
        final List<Long> replayed = new ArrayList<>();
        // Registered in another order: handles differ from the first run's.
        final EnhancedAgentBus second = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir).build());
        for (final String id : List.of("dispatched", "inline", "inbox", "s"))
        {
            second.registerAgent(id, "worker", Set.of(), "acme", null);
        }
        second.subscribe("inbox", m -> replayed.add(m.correlationId()), DeliveryMode.INLINE);
        second.start();
        second.close();
        assertEquals(List.of(101L, 102L, 103L), replayed);
    }
}
