package dev.eab.core.route;

import dev.eab.api.AgentMessage;
import dev.eab.api.Constitution;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.ValidationResult;
import dev.eab.core.ops.BusMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The drainer waits for deliveries without polling, is woken by stop, and no interrupt reaches or ends it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS) // hang guard only
class InboxDrainerTest
{
    static final ValidationResult OK = ValidationResult.allow(MessageStatus.DELIVERED, Constitution.HASH, Map.of());

    static Delivery delivery(final int i, final CompletableFuture<ValidationResult> future)
    {
        final AgentMessage m = AgentMessage.builder().fromAgent("a").toAgent("b").messageType(MessageType.EVENT).content(Map.of("i", i)).build();
        return new Delivery(m, OK, future, null, i, 0);
    }

    @Test
    void aHandlerThatLeavesItsInterruptFlagSetKeepsItsDrainer() throws Exception
    {
        final Inbox inbox = new Inbox(1, 16);
        final List<Boolean> interruptedOnEntry = new CopyOnWriteArrayList<>();
        final InboxDrainer drainer = new InboxDrainer(inbox, m -> {
            interruptedOnEntry.add(Thread.currentThread().isInterrupted());
            Thread.currentThread().interrupt();
        }, new BusMetrics(), "b");
        drainer.start();
        for (int i = 0; i < 3; i++)
        {
            final CompletableFuture<ValidationResult> f = new CompletableFuture<>();
            assertTrue(inbox.offer(delivery(i, f)));
            assertTrue(f.get(10, TimeUnit.SECONDS).isValid(), "delivery " + i + " handled");
        }
        assertEquals(List.of(false, false, false), interruptedOnEntry, "no handler starts interrupted");
        drainer.stop(true);
        assertTrue(drainer.isStopped());
    }

    @Test
    void stopWakesAnIdleDrainerAndDrainsWhatIsQueued() throws Exception
    {
        final Inbox inbox = new Inbox(1, 64);
        final List<Integer> handled = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> gate = new CompletableFuture<>();
        final InboxDrainer drainer = new InboxDrainer(inbox, m -> {
            gate.join();
            handled.add((Integer)m.toMessage().content().get("i"));
        }, new BusMetrics(), "b");
        drainer.start();
        for (int i = 0; i < 10; i++)
        {
            assertTrue(inbox.offer(delivery(i, null)));
        }
        final Thread stopper = Thread.ofVirtual().start(() -> drainer.stop(true));
        gate.complete(null);
        stopper.join();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), handled, "stop(true) ran everything queued, in order");

        // An idle drainer (nothing queued, waiting) is woken by stop: this returns instead of waiting out its idle wait.
        final InboxDrainer idle = new InboxDrainer(new Inbox(2, 4), m -> { }, new BusMetrics(), "c");
        idle.start();
        idle.stop(false);
        assertTrue(idle.isStopped());
    }
}
