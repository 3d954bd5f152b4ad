package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.BusFixtures.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** No message ever crosses tenants, by any route. */
class TenantIsolationTest
{
    private EnhancedAgentBus bus;

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private void startBus(final NativeMode mode)
    {
        bus = started(config(mode).inboxCapacity(65_536).build());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void directSendToAnotherTenantIsRejected(final NativeMode mode) throws Exception
    {
        startBus(mode);
        bus.registerAgent("a1", "worker", Set.of(), "alpha", null);
        bus.registerAgent("b1", "worker", Set.of(), "bravo", null);
        bus.registerAgent("n1", "worker", Set.of(), null, null);

        assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT, send(bus, msg("a1", "b1", "alpha").build()).rejectReason());
        assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT, send(bus, msg("a1", "n1", "alpha").build()).rejectReason());
        assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT, send(bus, msg("n1", "a1", "").build()).rejectReason());
        // Claiming the recipient's tenant does not help: the sender's tenant must match too.
        assertEquals(RejectReason.TENANT_MISMATCH_SENDER, send(bus, msg("a1", "b1", "bravo").build()).rejectReason());
        assertEquals(RejectReason.TENANT_MISMATCH_SENDER, send(bus, msg("a1", "n1", "").build()).rejectReason());
        assertEquals(RejectReason.TENANT_MISMATCH_SENDER, send(bus, msg("n1", "b1", "bravo").build()).rejectReason());
        for (final String id : List.of("a1", "b1", "n1"))
        {
            assertNull(bus.receive(id, Duration.ZERO), id + " received something");
        }
        assertEquals(0, bus.metrics().delivered());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void tenantSpoofingIsRejected(final NativeMode mode) throws Exception
    {
        startBus(mode);
        bus.registerAgent("a1", "worker", Set.of(), "alpha", null);
        bus.registerAgent("b1", "worker", Set.of("x"), "bravo", null);
        bus.registerAgent("b2", "worker", Set.of(), "bravo", null);
        // a1 (alpha) claims to be bravo, to reach b2 (bravo), by every route.
        final ValidationResult direct = send(bus, msg("a1", "b2", "bravo").build());
        assertEquals(RejectReason.TENANT_MISMATCH_SENDER, direct.rejectReason());
        assertEquals("Tenant mismatch: message tenant_id 'bravo' does not match sender tenant_id 'alpha'", direct.errors().get(0));
        assertEquals(RejectReason.TENANT_MISMATCH_SENDER, send(bus, capabilityMsg("a1", "bravo", List.of("x"))).rejectReason());
        final ExecutionException e = assertThrows(ExecutionException.class,
            () -> bus.broadcast(msg("a1", "", "BRAVO").build()).get(HANG_GUARD_S, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("does not match sender tenant_id 'alpha'"), e.getCause().getMessage());
        // Using sender_id instead of from_agent changes nothing.
        final AgentMessage viaSenderId = AgentMessage.builder().senderId("a1").toAgent("b2").tenantId("bravo").content(Map.of("q", 1)).build();
        assertEquals(RejectReason.TENANT_MISMATCH_SENDER, send(bus, viaSenderId).rejectReason());
        assertNull(bus.receive("b1", Duration.ZERO));
        assertNull(bus.receive("b2", Duration.ZERO));
        assertEquals(0, bus.metrics().delivered());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void broadcastReachesOnlyTheSendersTenantAndNeverTheSender(final NativeMode mode) throws Exception
    {
        startBus(mode);
        for (final String t : List.of("alpha", "bravo"))
        {
            for (int i = 1; i <= 3; i++)
            {
                bus.registerAgent(t.charAt(0) + "" + i, "worker", Set.of(), t, null);
            }
        }
        bus.registerAgent("n1", "worker", Set.of(), null, null);
        bus.registerAgent("n2", "worker", Set.of(), "", null);
        bus.registerAgent("n3", "worker", Set.of(), "  ", null);

        final Map<String, ValidationResult> alpha = get(bus.broadcast(msg("a1", "", "alpha").messageType(MessageType.EVENT).build()));
        assertEquals(Set.of("a2", "a3"), alpha.keySet());
        alpha.forEach((id, r) -> {
            assertTrue(r.isValid(), r.toString());
            assertEquals(id, r.metadata().get("recipient"), "each result is keyed by its own recipient");
        });
        assertEquals("a1", bus.receive("a2", Duration.ofSeconds(1)).fromAgent());
        assertNull(bus.receive("a2", Duration.ZERO), "one copy per recipient");
        assertEquals("a1", bus.receive("a3", Duration.ofSeconds(1)).fromAgent());
        for (final String id : List.of("a1", "b1", "b2", "b3", "n1", "n2", "n3"))
        {
            assertNull(bus.receive(id, Duration.ZERO), id + " must not get alpha's broadcast");
        }

        // No tenant reaches only no-tenant agents.
        final Map<String, ValidationResult> none = get(bus.broadcast(msg("n1", "", "").build()));
        assertEquals(Set.of("n2", "n3"), none.keySet());
        assertNotNull(bus.receive("n2", Duration.ofSeconds(1)));
        assertNotNull(bus.receive("n3", Duration.ofSeconds(1)));
        for (final String id : List.of("a1", "a2", "a3", "b1", "b2", "b3", "n1"))
        {
            assertNull(bus.receive(id, Duration.ZERO), id + " must not get the no-tenant broadcast");
        }

        // A tenant whose only member is the sender: an empty result, nothing delivered.
        bus.registerAgent("solo", "worker", Set.of(), "charlie", null);
        assertEquals(Map.of(), get(bus.broadcast(msg("solo", "", "charlie").build())));
        assertEquals(4, bus.metrics().delivered());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void capabilityRoutingNeverChoosesAnotherTenant(final NativeMode mode) throws Exception
    {
        startBus(mode);
        bus.registerAgent("a1", "worker", Set.of(), "alpha", null);
        bus.registerAgent("a2", "worker", Set.of("translate"), "alpha", null);
        // Registered before and after a2, so index order cannot hide a missing tenant check.
        bus.registerAgent("b0", "worker", Set.of("translate", "ocr"), "bravo", null);
        bus.registerAgent("b1", "worker", Set.of("translate", "ocr"), "bravo", null);
        bus.registerAgent("n1", "worker", Set.of("translate", "ocr"), null, null);
        for (int i = 0; i < 50; i++)
        {
            final ValidationResult r = send(bus, capabilityMsg("a1", "alpha", List.of("translate")));
            assertTrue(r.isValid(), r.toString());
            assertEquals("a2", r.metadata().get("recipient"));
        }
        for (int i = 0; i < 50; i++)
        {
            assertEquals("alpha", bus.getAgentInfo(bus.receive("a2", Duration.ofSeconds(1)).fromAgent()).tenantId());
        }
        // Only other tenants hold 'ocr'.
        assertEquals(RejectReason.NO_CAPABLE_AGENT, send(bus, capabilityMsg("a1", "alpha", List.of("ocr"))).rejectReason());
        assertEquals(RejectReason.NO_CAPABLE_AGENT, send(bus, capabilityMsg("a2", "alpha", List.of("translate"))).rejectReason(),
            "the only alpha holder is the sender itself");
        for (final String id : List.of("b0", "b1", "n1", "a1"))
        {
            assertNull(bus.receive(id, Duration.ZERO), id);
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void publisherCannotReachAnotherTenantsHandle(final NativeMode mode) throws Exception
    {
        startBus(mode);
        bus.registerAgent("a1", "worker", Set.of(), "alpha", null);
        bus.registerAgent("a2", "worker", Set.of(), "alpha", null);
        bus.registerAgent("b1", "worker", Set.of(), "bravo", null);
        bus.registerAgent("n1", "worker", Set.of(), null, null);
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("a1", listener);
        final byte[] p = {1, 2, 3};
        assertTrue(pub.tryPublish(bus.getAgentInfo("b1").handle(), MessageType.COMMAND, 1, p, 0, p.length));
        assertTrue(pub.tryPublish(bus.getAgentInfo("n1").handle(), MessageType.COMMAND, 2, p, 0, p.length));
        assertTrue(pub.tryPublish(bus.getAgentInfo("a2").handle(), MessageType.COMMAND, 3, p, 0, p.length));
        assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT, listener.awaitOutcome(1).reason());
        assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT, listener.awaitOutcome(2).reason());
        assertEquals("delivered", listener.awaitOutcome(3).kind());
        assertNull(bus.receive("b1", Duration.ZERO));
        assertNull(bus.receive("n1", Duration.ZERO));
        final AgentMessage got = bus.receive("a2", Duration.ofSeconds(1));
        assertEquals("a1", got.fromAgent());
        assertEquals("alpha", got.tenantId());
    }

    @Test
    void receiveReturnsOnlyTheAgentsOwnMessages() throws Exception
    {
        startBus(NativeMode.OFF);
        bus.registerAgent("s", "worker", Set.of(), "alpha", null);
        bus.registerAgent("r1", "worker", Set.of(), "alpha", null);
        bus.registerAgent("r2", "worker", Set.of(), "alpha", null);
        bus.registerAgent("x", "worker", Set.of(), "bravo", null);
        bus.registerAgent("xs", "worker", Set.of(), "bravo", null);
        for (int i = 0; i < 100; i++)
        {
            assertTrue(send(bus, msg("s", i % 2 == 0 ? "r1" : "r2", "alpha").messageId("m" + i).build()).isValid());
            assertTrue(send(bus, msg("xs", "x", "bravo").messageId("x" + i).build()).isValid());
        }
        for (int i = 0; i < 50; i++)
        {
            final AgentMessage m = bus.receive("r1", Duration.ofSeconds(1));
            assertEquals("r1", m.toAgent());
            assertEquals("m" + (2 * i), m.messageId(), "in order");
        }
        assertNull(bus.receive("r1", Duration.ZERO));
        for (int i = 0; i < 50; i++)
        {
            assertEquals("r2", bus.receive("r2", Duration.ofSeconds(1)).toAgent());
        }
        for (int i = 0; i < 100; i++)
        {
            final AgentMessage m = bus.receive("x", Duration.ofSeconds(1));
            assertEquals("x", m.toAgent());
            assertEquals("bravo", m.tenantId());
        }
        assertNull(bus.receive("r2", Duration.ZERO));
        assertNull(bus.receive("x", Duration.ZERO));
        assertNull(bus.receive("s", Duration.ZERO));
        assertThrows(dev.eab.api.exception.AgentNotRegisteredException.class, () -> bus.receive("stranger", Duration.ZERO));
    }

    /**
     * Several tenants (and no tenant) × agents; thousands of random sends by every route, with the
     * message's tenant sometimes spoofed and recipients picked across tenants. Every delivery is
     * recorded at the recipient (inline handler, dispatched handler or inbox) and must be same-tenant;
     * every outcome must be exactly what the rules predict.
     */
    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void randomizedTrafficNeverCrossesTenants(final NativeMode mode) throws Exception
    {
        // BLOCK: the sends are asynchronous and outrun the bus; waiting for ring space keeps every one.
        bus = started(config(mode).inboxCapacity(65_536).backpressurePolicy(dev.eab.api.BackpressurePolicy.BLOCK).build());
        final Random rnd = new Random(20261126L + mode.ordinal());
        final List<String> tenants = new ArrayList<>(List.of("alpha", "bravo", "charlie"));
        tenants.add(null);
        final List<String> caps = List.of("c1", "c2", "c3");
        final List<String> agents = new ArrayList<>();
        final Map<String, String> tenantOf = new HashMap<>();
        final Map<String, Set<String>> capsOf = new HashMap<>();
        // (sender id, recipient id) of every delivery, as seen by the recipient.
        final ConcurrentLinkedQueue<String[]> deliveries = new ConcurrentLinkedQueue<>();
        final List<String> inboxAgents = new ArrayList<>();
        int n = 0;
        for (final String t : tenants)
        {
            for (int i = 0; i < 4; i++)
            {
                final String id = "ag" + n++;
                final Set<String> held = new HashSet<>();
                for (final String c : caps)
                {
                    if (rnd.nextInt(3) == 0)
                    {
                        held.add(c);
                    }
                }
                bus.registerAgent(id, "worker", held, t, null);
                agents.add(id);
                tenantOf.put(id, t);
                capsOf.put(id, held);
                final String self = id;
                switch (i % 3)
                {
                    case 0 -> bus.subscribe(id, v -> deliveries.add(new String[] {idOfHandle(v.senderHandle()), self}), DeliveryMode.INLINE);
                    case 1 -> bus.subscribe(id, v -> deliveries.add(new String[] {v.toMessage().fromAgent(), self}), DeliveryMode.DISPATCHED);
                    default -> inboxAgents.add(id);
                }
            }
        }
        final Map<String, MessagePublisher> publishers = new HashMap<>();
        final AtomicLong flyDelivered = new AtomicLong();
        final Map<Long, RejectReason> flyRejected = new java.util.concurrent.ConcurrentHashMap<>();
        final OutcomeListener listener = new OutcomeListener()
        {
            @Override public void onDelivered(final long c, final int r) { flyDelivered.incrementAndGet(); }
            @Override public void onRejected(final long c, final RejectReason reason) { flyRejected.put(c, reason); }
        };
        for (final String id : agents)
        {
            publishers.put(id, bus.publisher(id, listener));
        }

        final List<CompletableFuture<ValidationResult>> sends = new ArrayList<>();
        final List<Boolean> sendExpected = new ArrayList<>();
        final List<CompletableFuture<Map<String, ValidationResult>>> broadcasts = new ArrayList<>();
        final List<Set<String>> broadcastExpected = new ArrayList<>();
        final Map<Long, Boolean> flyExpected = new HashMap<>();
        long expectedDeliveries = 0;
        final int operations = 4_000;
        for (int op = 0; op < operations; op++)
        {
            final String from = agents.get(rnd.nextInt(agents.size()));
            final String senderTenant = tenantOf.get(from);
            // Mostly honest, sometimes spoofed.
            final String claimed = rnd.nextInt(4) == 0 ? tenants.get(rnd.nextInt(tenants.size())) : senderTenant;
            final boolean honest = Objects.equals(claimed, senderTenant);
            switch (rnd.nextInt(4))
            {
                case 0 ->
                {
                    final String to = agents.get(rnd.nextInt(agents.size()));
                    final boolean ok = honest && Objects.equals(tenantOf.get(to), senderTenant);
                    sends.add(bus.send(msg(from, to, claimed).build()));
                    sendExpected.add(ok);
                    expectedDeliveries += ok ? 1 : 0;
                }
                case 1 ->
                {
                    final List<String> required = List.of(caps.get(rnd.nextInt(caps.size())));
                    boolean anyCapable = false;
                    for (final String a : agents)
                    {
                        anyCapable |= !a.equals(from) && Objects.equals(tenantOf.get(a), senderTenant) && capsOf.get(a).containsAll(required);
                    }
                    final boolean ok = honest && anyCapable;
                    sends.add(bus.send(capabilityMsg(from, claimed, required)));
                    sendExpected.add(ok);
                    expectedDeliveries += ok ? 1 : 0;
                }
                case 2 ->
                {
                    final Set<String> expected = new HashSet<>();
                    if (honest)
                    {
                        for (final String a : agents)
                        {
                            if (!a.equals(from) && Objects.equals(tenantOf.get(a), senderTenant))
                            {
                                expected.add(a);
                            }
                        }
                    }
                    broadcasts.add(bus.broadcast(msg(from, "", claimed).messageType(MessageType.EVENT).build()));
                    broadcastExpected.add(honest ? expected : null);
                    expectedDeliveries += expected.size();
                }
                default ->
                {
                    final String to = agents.get(rnd.nextInt(agents.size()));
                    final boolean ok = Objects.equals(tenantOf.get(to), senderTenant);
                    final long corr = op;
                    final byte[] p = {(byte)op};
                    while (!publishers.get(from).tryPublish(bus.getAgentInfo(to).handle(), MessageType.COMMAND, corr, p, 0, 1))
                    {
                        Thread.yield();
                    }
                    flyExpected.put(corr, ok);
                    expectedDeliveries += ok ? 1 : 0;
                }
            }
        }

        for (int i = 0; i < sends.size(); i++)
        {
            final ValidationResult r = get(sends.get(i));
            assertEquals(sendExpected.get(i), r.isValid(), r.toString());
            if (r.isValid())
            {
                assertNotNull(r.metadata().get("recipient"));
            }
            else
            {
                assertTrue(Set.of(RejectReason.TENANT_MISMATCH_SENDER, RejectReason.TENANT_MISMATCH_RECIPIENT, RejectReason.NO_CAPABLE_AGENT)
                    .contains(r.rejectReason()), r.toString());
            }
        }
        for (int i = 0; i < broadcasts.size(); i++)
        {
            final Set<String> expected = broadcastExpected.get(i);
            if (expected == null)
            {
                final int index = i;
                final ExecutionException e = assertThrows(ExecutionException.class,
                    () -> broadcasts.get(index).get(HANG_GUARD_S, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("Tenant mismatch"), e.getCause().getMessage());
            }
            else
            {
                final Map<String, ValidationResult> results = get(broadcasts.get(i));
                assertEquals(expected, results.keySet());
                results.values().forEach(r -> assertTrue(r.isValid(), r.toString()));
            }
        }
        final long flyOk = flyExpected.values().stream().filter(b -> b).count();
        await(() -> flyDelivered.get() + flyRejected.size() == flyExpected.size(), "all publisher outcomes");
        assertEquals(flyOk, flyDelivered.get());
        flyRejected.forEach((corr, reason) -> {
            assertFalse(flyExpected.get(corr), "rejected although same-tenant: " + corr);
            assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT, reason);
        });

        // Collect inbox deliveries, then wait for dispatched handlers to catch up.
        for (final String id : inboxAgents)
        {
            AgentMessage m;
            while ((m = bus.receive(id, Duration.ZERO)) != null)
            {
                assertEquals(id, m.toAgent());
                deliveries.add(new String[] {m.fromAgent(), id});
            }
        }
        final long total = expectedDeliveries;
        await(() -> deliveries.size() == total, "every accepted message recorded by its recipient");
        assertTrue(total > 1_000, "the random traffic must actually deliver a lot: " + total);
        int refusedSends = 0;
        for (final String[] d : deliveries)
        {
            assertTrue(tenantOf.containsKey(d[0]), "unknown sender " + d[0]);
            assertEquals(tenantOf.get(d[0]), tenantOf.get(d[1]), "delivery from " + d[0] + " to " + d[1] + " crossed tenants");
        }
        for (int i = 0; i < sendExpected.size(); i++)
        {
            refusedSends += sendExpected.get(i) ? 0 : 1;
        }
        assertTrue(refusedSends > 100, "the random traffic must actually try to cross tenants: " + refusedSends);
        await(() -> bus.metrics().delivered() == total, "delivered counter agrees");
    }

    private String idOfHandle(final int handle)
    {
        return bus.registry().byHandle(handle).agentId();
    }
}
