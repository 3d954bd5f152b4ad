package dev.eab.core;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.AgentNotRegisteredException;
import dev.eab.api.exception.BackpressureException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 7: publishers at full speed (send and the zero-allocation publisher) while another thread
 * subscribes, unsubscribes, registers and unregisters the recipients for {@value #CHURN_S} s. Every send
 * completes, no control call takes more than {@value #CONTROL_CALL_BOUND_MS} ms, and stop() returns within
 * {@value #STOP_BOUND_S} s. These are hang bounds from the issue, not performance targets.
 */
class ChurnTest
{
    private static final int CHURN_S = 10;
    private static final long CONTROL_CALL_BOUND_MS = 1_000;
    private static final long STOP_BOUND_S = 5;
    private static final int RECIPIENTS = 4;

    @Test
    void everySendCompletesWhileSubscriptionsAndRegistrationsChurn() throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("ChurnTest seed " + seed);
        final EnhancedAgentBus bus = started(config(NativeMode.OFF).ringSize(4096).build());
        bus.registerAgent("s1", "worker", Set.of(), "acme", null);
        bus.registerAgent("s2", "worker", Set.of(), "acme", null);
        for (int i = 0; i < RECIPIENTS; i++)
        {
            bus.registerAgent("r" + i, "worker", Set.of(), "acme", null);
        }
        final AtomicBoolean running = new AtomicBoolean(true);
        final ConcurrentLinkedQueue<CompletableFuture<ValidationResult>> futures = new ConcurrentLinkedQueue<>();
        final LongAdder flyweightSent = new LongAdder();
        final LongAdder flyweightOutcomes = new LongAdder();
        final List<Thread> publishers = new ArrayList<>();
        publishers.add(Thread.ofPlatform().name("churn-send").start(() -> {
            final Random rnd = new Random(seed);
            while (running.get())
            {
                try
                {
                    futures.add(bus.send(msg("s1", "r" + rnd.nextInt(RECIPIENTS), "acme").build()));
                }
                catch (final BackpressureException e)
                {
                    Thread.onSpinWait();
                }
            }
        }));
        publishers.add(Thread.ofPlatform().name("churn-publisher").start(() -> {
            final MessagePublisher pub = bus.publisher("s2", new dev.eab.api.OutcomeListener()
            {
                @Override public void onDelivered(final long c, final int h) { flyweightOutcomes.increment(); }
                @Override public void onRejected(final long c, final RejectReason r) { flyweightOutcomes.increment(); }
                @Override public void onHandlerFailed(final long c, final Throwable e) { flyweightOutcomes.increment(); }
            });
            final Random rnd = new Random(seed + 1);
            final byte[] payload = {1, 2, 3};
            long id = 0;
            while (running.get())
            {
                final dev.eab.api.AgentInfo info = bus.getAgentInfo("r" + rnd.nextInt(RECIPIENTS));
                final int handle = info == null ? 12_345 : info.handle();
                if (pub.tryPublish(handle, MessageType.EVENT, id++, payload, 0, payload.length))
                {
                    flyweightSent.increment();
                }
            }
        }));
        final AtomicLong slowestControlMs = new AtomicLong();
        final long[] slowestByOp = new long[5];
        final String[] opNames = {"subscribe DISPATCHED", "subscribe INLINE", "unsubscribe", "unregister", "register"};
        final LongAdder controlCalls = new LongAdder();
        final Random rnd = new Random(seed + 2);
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHURN_S);
        while (System.nanoTime() < end)
        {
            final String agent = "r" + rnd.nextInt(RECIPIENTS);
            final int op = rnd.nextInt(5);
            final long t0 = System.nanoTime();
            try
            {
                switch (op)
                {
                    case 0 -> bus.subscribe(agent, m -> { }, DeliveryMode.DISPATCHED);
                    case 1 -> bus.subscribe(agent, m -> { }, DeliveryMode.INLINE);
                    case 2 -> bus.unsubscribe(agent);
                    case 3 -> bus.unregisterAgent(agent);
                    default -> bus.registerAgent(agent, "worker", Set.of(), "acme", null);
                }
            }
            catch (final AgentNotRegisteredException e)
            {
                // subscribing an agent the churn just unregistered
            }
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            slowestControlMs.accumulateAndGet(ms, Math::max);
            slowestByOp[op] = Math.max(slowestByOp[op], ms);
            controlCalls.increment();
            // Keep inboxes of unsubscribed agents from filling: receive as an agent would.
            if (bus.getAgentInfo(agent) != null)
            {
                while (bus.receive(agent, Duration.ZERO) != null)
                {
                    // drain
                }
            }
        }
        running.set(false);
        for (final Thread t : publishers)
        {
            t.join();
        }
        int completed = 0;
        for (final CompletableFuture<ValidationResult> f : futures)
        {
            assertNotNull(get(f));
            completed++;
        }
        await(() -> flyweightOutcomes.sum() == flyweightSent.sum(), "one outcome per published message");
        final long t0 = System.nanoTime();
        bus.close();
        final long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("ChurnTest: " + completed + " sends and " + flyweightSent.sum() + " flyweight messages, all with an outcome; " +
            controlCalls.sum() + " control calls, slowest " + slowestControlMs.get() + " ms; close() " + stopMs + " ms");
        for (int i = 0; i < opNames.length; i++)
        {
            System.out.println("ChurnTest: slowest " + opNames[i] + " " + slowestByOp[i] + " ms");
        }
        assertTrue(slowestControlMs.get() < CONTROL_CALL_BOUND_MS, "slowest control call " + slowestControlMs.get() + " ms");
        assertTrue(stopMs < TimeUnit.SECONDS.toMillis(STOP_BOUND_S), "close took " + stopMs + " ms");
        assertTrue(completed > 10_000 && controlCalls.sum() > 100, "the churn really ran");
    }
}
