package dev.eab.core.route;

import dev.eab.api.AgentMessage;
import dev.eab.api.Constitution;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageHandler;
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

/** The drainer waits for deliveries without polling, is woken by a stop, and no interrupt reaches or ends it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS) // hang guard only
class InboxDrainerTest
{
    static final ValidationResult OK = ValidationResult.allow(MessageStatus.DELIVERED, Constitution.HASH, Map.of());
    private static final long STOP_GUARD_MS = 10_000;


    static Delivery delivery(final int i, final CompletableFuture<ValidationResult> future, final Subscription routedTo)
    {
        final AgentMessage m = AgentMessage.builder().fromAgent("a").toAgent("b").messageType(MessageType.EVENT).content(Map.of("i", i)).build();
        return new Delivery(m, OK, future, null, i, 0, routedTo, -1);
    }

    private static Subscription subscribe(final Inbox inbox, final MessageHandler handler)
    {
        final Subscription sub = new Subscription(handler, DeliveryMode.DISPATCHED);
        inbox.subscribe(sub, new InboxDrainer(inbox, sub, new BusMetrics(), "b", RoutingBarrier.NO_BUS), RoutingBarrier.NO_BUS);
        return sub;
    }

    @Test
    void aHandlerThatLeavesItsInterruptFlagSetKeepsItsDrainer() throws Exception
    {
        final Inbox inbox = new Inbox(1, 16, new BusMetrics());
        final List<Boolean> interruptedOnEntry = new CopyOnWriteArrayList<>();
        final Subscription sub = subscribe(inbox, m -> {
            interruptedOnEntry.add(Thread.currentThread().isInterrupted());
            Thread.currentThread().interrupt();
        });
        for (int i = 0; i < 3; i++)
        {
            final CompletableFuture<ValidationResult> f = new CompletableFuture<>();
            assertTrue(inbox.offer(delivery(i, f, sub)));
            assertTrue(f.get(10, TimeUnit.SECONDS).isValid(), "delivery " + i + " handled");
        }
        assertEquals(List.of(false, false, false), interruptedOnEntry, "no handler starts interrupted");
        inbox.drainAndStop(STOP_GUARD_MS);
    }

    @Test
    void aStopWakesAnIdleDrainerAndDrainsWhatIsQueued() throws Exception
    {
        final Inbox inbox = new Inbox(1, 64, new BusMetrics());
        final List<Integer> handled = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> gate = new CompletableFuture<>();
        final Subscription sub = subscribe(inbox, m -> {
            gate.join();
            handled.add((Integer)m.toMessage().content().get("i"));
        });
        for (int i = 0; i < 10; i++)
        {
            assertTrue(inbox.offer(delivery(i, null, sub)));
        }
        final Thread stopper = Thread.ofVirtual().start(() -> inbox.drainAndStop(STOP_GUARD_MS));
        gate.complete(null);
        stopper.join();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), handled, "the stop ran everything queued, in order");

        // An idle drainer (nothing queued, waiting) is woken by the stop instead of waiting out its idle wait.
        final Inbox idle = new Inbox(2, 4, new BusMetrics());
        subscribe(idle, m -> { });
        idle.drainAndStop(STOP_GUARD_MS);
        assertEquals(0, idle.size());
    }
}
