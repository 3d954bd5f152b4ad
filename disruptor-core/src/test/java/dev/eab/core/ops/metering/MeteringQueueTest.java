package dev.eab.core.ops.metering;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class MeteringQueueTest
{
    private static final TenantSlots TENANTS = new TenantSlots(4, i -> "t" + i, t -> t.startsWith("t") ? Integer.parseInt(t.substring(1)) : -1);

    @Test
    void aFullQueueDropsAndCountsNeverBlocks()
    {
        // The original's test: max 2, five enqueues give queued=2 and dropped=3.
        final MeteringQueue q = new MeteringQueue(2);
        int accepted = 0;
        for (int i = 0; i < 5; i++)
        {
            if (q.offer(MeteringEventType.AGENT_MESSAGE.ordinal(), 1, i, true, i, i))
            {
                accepted++;
            }
        }
        assertEquals(2, accepted);
        assertEquals(2, q.queued());
        assertEquals(3, q.dropped());
        assertEquals(2, q.size());
        // Draining makes room again.
        final List<Long> values = new ArrayList<>();
        assertEquals(2, q.drain(new MeteringBatch(), b -> { for (int i = 0; i < b.size(); i++) values.add(b.value(i)); }, 100));
        assertEquals(List.of(0L, 1L), values);
        assertTrue(q.offer(0, 0, 0, true, 9, 0));
        assertEquals(3, q.queued());
        assertEquals(3, q.dropped());
    }

    @Test
    void aDrainTakesEverythingQueuedInBatchesInOrderWithEveryField()
    {
        final MeteringQueue q = new MeteringQueue(MeteringConfig.DEFAULT_MAX_QUEUE_SIZE);
        for (int i = 0; i < MeteringConfig.DEFAULT_MAX_QUEUE_SIZE; i++)
        {
            assertTrue(q.offer(i % MeteringEventType.count(), i % 3, i, i % 2 == 0, 1000L + i, 5000L + i));
        }
        assertFalse(q.offer(0, 0, 0, true, 0, 0), "the 10,001st is dropped");
        final List<Integer> batchSizes = new ArrayList<>();
        final long[] next = {0};
        final long drained = q.drain(new MeteringBatch(), b ->
        {
            batchSizes.add(b.size());
            for (int i = 0; i < b.size(); i++)
            {
                final long n = next[0]++;
                assertEquals(n, b.firstPosition() + i);
                assertEquals(MeteringEventType.fromCode((int)(n % MeteringEventType.count())), b.type(i));
                assertEquals(n % 3, b.tenant(i));
                assertEquals(n, b.agent(i));
                assertEquals(n % 2 == 0, b.outcome(i));
                assertEquals(1000L + n, b.value(i));
                assertEquals(5000L + n, b.timestampNanos(i));
            }
        }, MeteringConfig.DEFAULT_BATCH_SIZE);
        assertEquals(10_000, drained, "one drain takes everything, not one batch (the original's defect)");
        assertEquals(100, batchSizes.size());
        assertTrue(batchSizes.stream().allMatch(n -> n == 100));
        assertEquals(10_000, q.flushed());
        assertEquals(0, q.size());
        assertEquals(0, q.drain(new MeteringBatch(), b -> fail("an empty queue calls no sink"), 10));
    }

    @Test
    void stopDrainsEverythingEvenWhenTheFlusherWouldSleepForAnHour() throws Exception
    {
        final MeteringConfig config = MeteringConfig.defaults().withFlushIntervalMs(3_600_000L);
        final Metering m = new Metering(config, TENANTS, id -> -1);
        m.start();
        final int events = 9_999;
        for (int i = 0; i < events; i++)
        {
            assertTrue(m.record(MeteringEventType.POLICY_EVALUATION, 2, -1, i % 4 != 0, 0, System.nanoTime()));
        }
        m.stop();
        assertEquals(events, m.queue().queued());
        assertEquals(events, m.queue().flushed(), "stop() drains everything");
        assertEquals(0, m.queue().size());
        assertEquals(0, m.queue().dropped());
        assertEquals(events, m.usage().count(2, MeteringEventType.POLICY_EVALUATION));
        assertEquals(events - (events + 3) / 4, m.usage().positive(2, MeteringEventType.POLICY_EVALUATION));
        assertFalse(m.record(MeteringEventType.POLICY_EVALUATION, 2, -1, true, 0, 0), "stopped: not queued, not counted");
        assertEquals(events, m.queue().queued());
        assertEquals(0, m.queue().dropped());
    }

    @Test
    void concurrentProducersLoseNothingQueuedAndEveryEventIsAccountedFor() throws Exception
    {
        final Metering m = new Metering(MeteringConfig.defaults(), TENANTS, id -> -1);
        final AtomicLong sinkEvents = new AtomicLong();
        m.addSink(b -> sinkEvents.addAndGet(b.size()));
        m.start();
        final int producers = 3;
        final int perProducer = 200_000;
        final CountDownLatch go = new CountDownLatch(1);
        final AtomicLong accepted = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int tenant = p + 1;
            threads.add(Thread.ofPlatform().start(() ->
            {
                try
                {
                    go.await();
                }
                catch (final InterruptedException e)
                {
                    return;
                }
                long ok = 0;
                for (int i = 0; i < perProducer; i++)
                {
                    if (m.record(MeteringEventType.AGENT_MESSAGE, tenant, i, true, 0, i))
                    {
                        ok++;
                    }
                    else
                    {
                        // A well-behaved producer: the full queue is the flusher's cue, give it the core.
                        Thread.yield();
                    }
                }
                accepted.addAndGet(ok);
            }));
        }
        go.countDown();
        for (final Thread t : threads)
        {
            t.join();
        }
        m.stop();
        final long offered = (long)producers * perProducer;
        assertEquals(offered, m.queue().queued() + m.queue().dropped(), "every offer is queued or counted as dropped");
        assertEquals(accepted.get(), m.queue().queued());
        assertEquals(m.queue().queued(), m.queue().flushed(), "everything queued was flushed");
        assertEquals(m.queue().flushed(), sinkEvents.get());
        long usage = 0;
        for (int t = 1; t <= producers; t++)
        {
            usage += m.usage().count(t, MeteringEventType.AGENT_MESSAGE);
        }
        assertEquals(m.queue().flushed(), usage);
        System.out.printf("MeteringQueueTest: %d offered by %d threads, %d queued, %d dropped, %d flushes%n", offered, producers,
            m.queue().queued(), m.queue().dropped(), m.flushes());
    }

    @Test
    void aProducerFindingTheQueueFullDrainsABatchItselfUnlessASinkIsAttached()
    {
        // As if the flusher never got a CPU: no flusher thread at all.
        final MeteringConfig small = MeteringConfig.defaults().withMaxQueueSize(200);
        final Metering m = new Metering(small, TENANTS, id -> -1);
        m.startWithoutFlusher();
        int queued = 0;
        for (int i = 0; i < 1_000; i++)
        {
            if (m.record(MeteringEventType.AGENT_MESSAGE, 1, -1, true, 0, 0))
            {
                queued++;
            }
        }
        assertEquals(1_000, queued, "no sink attached: a full queue is drained by the producer, nothing dropped");
        assertEquals(0, m.queue().dropped());
        assertEquals(8, m.producerDrains(), "200 fill the queue; the other 800 free a batch of 100 per 100 events");
        m.stop();
        assertEquals(1_000, m.usage().count(1, MeteringEventType.AGENT_MESSAGE));

        final long[] seen = new long[1];
        final Metering withSink = new Metering(small, TENANTS, id -> -1).addSink(b -> seen[0] += b.size());
        withSink.startWithoutFlusher();
        long accepted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            accepted += withSink.record(MeteringEventType.AGENT_MESSAGE, 1, -1, true, 0, 0) ? 1 : 0;
        }
        withSink.stop();
        assertEquals(200, accepted, "with a sink attached the producer never runs it");
        assertEquals(99_800, withSink.queue().dropped(), "dropped and counted");
        assertEquals(accepted, seen[0]);
    }

    @Test
    void aThrowingSinkIsContainedAndCountedAndTheQueueMovesOn()
    {
        final Metering m = new Metering(MeteringConfig.defaults(), TENANTS, id -> -1);
        m.addSink(b -> { throw new IllegalStateException("sink down"); });
        m.start();
        for (int i = 0; i < 250; i++)
        {
            m.record(MeteringEventType.HITL_APPROVAL, 0, -1, true, 10, 0);
        }
        m.stop();
        assertEquals(250, m.queue().flushed());
        assertEquals(3, m.sinkFailures(), "three batches of 100, 100, 50");
        assertEquals(250, m.usage().count(0, MeteringEventType.HITL_APPROVAL), "the aggregation ran before the failing sink");
    }

    @Test
    void disabledMeteringNeitherQueuesNorCounts()
    {
        final Metering m = new Metering(MeteringConfig.defaults().withEnabled(false), TENANTS, id -> -1);
        m.start();
        assertFalse(m.hooks().onAgentMessage("t1", "a", true));
        m.stop();
        assertEquals(0, m.queue().queued());
        assertEquals(0, m.queue().dropped());
    }

    @Test
    void theOriginalsHooksAggregatePerTenantWithTheDefaultTenant()
    {
        final Metering m = new Metering(MeteringConfig.defaults(), TENANTS, id -> id.equals("judge") ? 7 : -1);
        m.start();
        final MeteringHooks h = m.hooks();
        assertTrue(h.onConstitutionalValidation("t1", "judge", true, 1200));
        assertTrue(h.onConstitutionalValidation("t1", "judge", false, 1300));
        assertTrue(h.onPolicyEvaluation("T2", "x", "allow", 500));
        assertTrue(h.onPolicyEvaluation("t2", "x", "deny", 500));
        assertTrue(h.onDeliberationRequest(null, "x", 0.85));
        assertTrue(h.onHitlApproval("t3", "reviewer", true, 4_000));
        assertTrue(h.onAgentMessage("t9", "a", true), "a tenant past the bound goes to 'other'");
        m.stop();
        final TenantUsage u = m.usage();
        assertEquals(2, u.count(TENANTS.slotOf(1), MeteringEventType.CONSTITUTIONAL_VALIDATION));
        assertEquals(1, u.positive(TENANTS.slotOf(1), MeteringEventType.CONSTITUTIONAL_VALIDATION));
        assertEquals(2500, u.valueSum(TENANTS.slotOf(1), MeteringEventType.CONSTITUTIONAL_VALIDATION));
        assertEquals(2, u.count(TENANTS.slotOf(2), MeteringEventType.POLICY_EVALUATION), "tenant ids are normalised");
        assertEquals(1, u.positive(TENANTS.slotOf(2), MeteringEventType.POLICY_EVALUATION));
        assertEquals(1, u.count(0, MeteringEventType.DELIBERATION_REQUEST), "no tenant: the default tenant");
        assertEquals(850_000, u.valueSum(0, MeteringEventType.DELIBERATION_REQUEST));
        assertEquals(1, u.count(TENANTS.slotOf(3), MeteringEventType.HITL_APPROVAL));
        assertEquals(1, u.count(TENANTS.slots() - 1, MeteringEventType.AGENT_MESSAGE));
        final Map<String, Object> snap = u.snapshot();
        assertEquals("{t1={constitutional_validation={events=2, compliant=1, compliance_rate=0.5}}, t2={policy_evaluation={events=2, compliant=1, "
            + "compliance_rate=0.5}}, t3={hitl_approval={events=1, compliant=1, compliance_rate=1.0}}, default={deliberation_request={events=1, "
            + "compliant=1, compliance_rate=1.0}}, other={constitutional_validation={events=1, compliant=1, compliance_rate=1.0}, agent_message="
            + "{events=1, compliant=1, compliance_rate=1.0}}}", snapshotText(snap));
        assertEquals(5, snap.size(), "only tenants with events: " + snap.keySet());
    }

    private static String snapshotText(final Map<String, Object> snap)
    {
        // t1..t3 in slot order, then "default" is slot 0: build the expected order explicitly.
        final Map<String, Object> ordered = new java.util.LinkedHashMap<>();
        for (final String k : List.of("t1", "t2", "t3", "default", "other"))
        {
            ordered.put(k, snap.get(k));
        }
        return ordered.toString();
    }

    @Test
    void rejectsNonsenseSettingsWithTypedExceptions()
    {
        assertThrows(IllegalArgumentException.class, () -> new MeteringQueue(0));
        assertThrows(dev.eab.api.exception.ConfigurationException.class, () -> MeteringConfig.defaults().withMaxQueueSize(0));
        assertThrows(dev.eab.api.exception.ConfigurationException.class, () -> MeteringConfig.defaults().withFlushIntervalMs(0));
    }
}
