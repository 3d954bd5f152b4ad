package dev.eab.core;

import dev.eab.api.AgentInfo;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Direct, capability and broadcast routing; registration, re-registration and unregistration as routing sees them. */
class RoutingTest
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

    @Test
    void capabilityRoutingSpreadsLoadRoundRobin()
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("sender", "worker", Set.of("translate"), "acme", null);
        bus.registerAgent("w1", "worker", Set.of("translate"), "acme", null);
        bus.registerAgent("idle", "worker", Set.of("summarize"), "acme", null);
        bus.registerAgent("w2", "worker", Set.of("translate", "ocr"), "acme", null);
        bus.registerAgent("w3", "worker", Set.of("translate"), "acme", null);
        final Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++)
        {
            final ValidationResult r = send(bus, capabilityMsg("sender", "acme", List.of("translate")));
            assertTrue(r.isValid(), r.toString());
            counts.merge((String)r.metadata().get("recipient"), 1, Integer::sum);
        }
        assertEquals(Map.of("w1", 10, "w2", 10, "w3", 10), counts, "each capable agent gets a third, the sender none");
        for (final String w : List.of("w1", "w2", "w3"))
        {
            assertEquals(10, bus.registry().inboxOf(w).size(), w);
        }
        assertEquals(0, bus.registry().inboxOf("sender").size());
        assertEquals(0, bus.registry().inboxOf("idle").size());
    }

    @Test
    void capabilityRoutingRequiresEveryCapability()
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("t", "worker", Set.of("translate"), "acme", null);
        bus.registerAgent("o", "worker", Set.of("ocr"), "acme", null);
        bus.registerAgent("to", "worker", Set.of("translate", "ocr", "extra"), "acme", null);
        for (int i = 0; i < 10; i++)
        {
            final ValidationResult r = send(bus, capabilityMsg("s", "acme", List.of("translate", "ocr")));
            assertEquals("to", r.metadata().get("recipient"), r.toString());
            final ValidationResult reversed = send(bus, capabilityMsg("s", "acme", List.of("ocr", "translate")));
            assertEquals("to", reversed.metadata().get("recipient"), reversed.toString());
        }
        assertEquals(RejectReason.NO_CAPABLE_AGENT, send(bus, capabilityMsg("s", "acme", List.of("translate", "ocr", "fly"))).rejectReason());
        assertEquals(20, bus.registry().inboxOf("to").size());
        assertEquals(0, bus.registry().inboxOf("t").size());
        assertEquals(0, bus.registry().inboxOf("o").size());
    }

    @Test
    void capabilityRoutingExcludesTheSender()
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("only", "worker", Set.of("translate"), "acme", null);
        assertEquals(RejectReason.NO_CAPABLE_AGENT, send(bus, capabilityMsg("only", "acme", List.of("translate"))).rejectReason());
        bus.registerAgent("other", "worker", Set.of("translate"), "acme", null);
        for (int i = 0; i < 5; i++)
        {
            assertEquals("other", send(bus, capabilityMsg("only", "acme", List.of("translate"))).metadata().get("recipient"));
        }
        assertEquals(0, bus.registry().inboxOf("only").size());
    }

    @Test
    void anExplicitRecipientWinsOverCapabilities()
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("direct", "worker", Set.of(), "acme", null);
        bus.registerAgent("capable", "worker", Set.of("translate"), "acme", null);
        final ValidationResult r = send(bus, msg("s", "direct", "acme").content(Map.of("required_capabilities", List.of("translate"))).build());
        assertTrue(r.isValid());
        assertEquals("direct", r.metadata().get("recipient"));
        assertEquals(0, bus.registry().inboxOf("capable").size());
    }

    @Test
    void broadcastReturnsOneResultPerRecipient() throws Exception
    {
        bus = started(config(NativeMode.OFF).inboxCapacity(1).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r1", "worker", Set.of(), "acme", null);
        bus.registerAgent("r2", "worker", Set.of(), "acme", null);
        bus.registerAgent("r3", "sandboxed", Set.of(), "acme", null);
        final Set<String> inline = new HashSet<>();
        bus.subscribe("r2", v -> inline.add(v.toMessage().fromAgent()), DeliveryMode.INLINE);
        // Fill r1's one-slot inbox so its copy is refused while the others are delivered.
        assertTrue(send(bus, msg("s", "r1", "acme").build()).isValid());

        final Map<String, ValidationResult> results = get(bus.broadcast(msg("s", "", "acme").messageType(MessageType.EVENT).build()));
        assertEquals(List.of("r1", "r2", "r3"), List.copyOf(results.keySet()), "keyed by agent id, in registration order");
        assertEquals(RejectReason.INBOX_FULL, results.get("r1").rejectReason());
        assertTrue(results.get("r2").isValid());
        assertTrue(results.get("r3").isValid());
        assertEquals(Set.of("s"), inline);
        assertEquals("s", bus.receive("r3", Duration.ofSeconds(1)).fromAgent());
        assertEquals(1, bus.metrics().rejected(RejectReason.INBOX_FULL));

        // Policy judges the sender: a broadcast from a sandboxed agent is refused as a whole.
        bus.registerAgent("sb", "sandboxed", Set.of(), "acme", null);
        final var refused = bus.broadcast(msg("sb", "", "acme").messageType(MessageType.COMMAND).build());
        final var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> refused.get(HANG_GUARD_S, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("sandbox-read-only"), e.getCause().getMessage());
    }

    @Test
    void unregisteredAgentsNoLongerReceiveOrSend() throws Exception
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of("translate"), "acme", null);
        bus.registerAgent("r2", "worker", Set.of(), "acme", null);
        assertTrue(send(bus, msg("s", "r", "acme").build()).isValid());
        assertTrue(bus.unregisterAgent("r"));
        assertFalse(bus.unregisterAgent("r"), "second unregister reports nothing removed");
        assertFalse(bus.unregisterAgent("never"));
        assertNull(bus.getAgentInfo("r"));
        assertFalse(bus.getRegisteredAgents().contains("r"));
        assertEquals(List.of(), bus.getAgentsByCapability("translate"));

        final ValidationResult r = send(bus, msg("s", "r", "acme").build());
        assertEquals(RejectReason.RECIPIENT_NOT_REGISTERED, r.rejectReason());
        assertEquals(RejectReason.NO_CAPABLE_AGENT, send(bus, capabilityMsg("s", "acme", List.of("translate"))).rejectReason());
        assertEquals(RejectReason.SENDER_NOT_REGISTERED, send(bus, msg("r", "s", "acme").build()).rejectReason());
        assertEquals(Set.of("r2"), get(bus.broadcast(msg("s", "", "acme").build())).keySet());
        // What was delivered before unregistering can still be drained.
        assertEquals("s", bus.receive("r", Duration.ofSeconds(1)).fromAgent());
        assertNull(bus.receive("r", Duration.ZERO));

        // Registering again brings it back, with the same handle.
        final int handleBefore = bus.registry().inboxOf("r").handle();
        final AgentInfo again = bus.registerAgent("r", "worker", Set.of(), "acme", null);
        assertEquals(handleBefore, again.handle());
        assertTrue(send(bus, msg("s", "r", "acme").build()).isValid());
    }

    @Test
    void reRegistrationOverwrites()
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        final AgentInfo first = bus.registerAgent("x", "worker", Set.of("translate"), "acme", MaciRole.EXECUTIVE);
        assertEquals("x", send(bus, capabilityMsg("s", "acme", List.of("translate"))).metadata().get("recipient"));

        final AgentInfo second = bus.registerAgent("x", "analyst", Set.of("ocr"), "acme", MaciRole.JUDICIAL);
        assertEquals(first.handle(), second.handle(), "same id, same handle");
        final AgentInfo info = bus.getAgentInfo("x");
        assertEquals("analyst", info.agentType());
        assertEquals(Set.of("ocr"), info.capabilities());
        assertEquals(MaciRole.JUDICIAL, info.maciRole());
        assertEquals(List.of("x"), bus.getAgentsByType("analyst"));
        assertEquals(List.of(), bus.getAgentsByType("worker").stream().filter("x"::equals).toList());
        assertEquals(List.of(), bus.getAgentsByCapability("translate"));
        assertEquals(List.of("x"), bus.getAgentsByCapability("ocr"));
        assertEquals(RejectReason.NO_CAPABLE_AGENT, send(bus, capabilityMsg("s", "acme", List.of("translate"))).rejectReason());
        assertEquals("x", send(bus, capabilityMsg("s", "acme", List.of("ocr"))).metadata().get("recipient"));
        assertEquals(2, bus.getRegisteredAgents().size());

        // An id never moves tenants (its inbox may hold the old tenant's messages), not even after unregistering.
        final IllegalArgumentException move = assertThrows(IllegalArgumentException.class,
            () -> bus.registerAgent("x", "analyst", Set.of("ocr"), "beta", null));
        assertTrue(move.getMessage().contains("cannot move to 'beta'"), move.getMessage());
        assertEquals("acme", bus.getAgentInfo("x").tenantId());
        assertTrue(bus.unregisterAgent("x"));
        assertThrows(IllegalArgumentException.class, () -> bus.registerAgent("x", "analyst", Set.of("ocr"), "beta", null));
        assertEquals("acme", bus.registerAgent("x", "analyst", Set.of("ocr"), "acme", null).tenantId());
    }

    @Test
    void registrationNormalisesAndValidates()
    {
        bus = started(config(NativeMode.OFF).build());
        final AgentInfo a = bus.registerAgent("a", null, null, "  ACME ", null);
        assertEquals("acme", a.tenantId());
        assertEquals("worker", a.agentType(), "default agent type");
        assertEquals(Set.of(), a.capabilities());
        assertNull(bus.registerAgent("b", "worker", Set.of(), "", null).tenantId());
        assertNull(bus.registerAgent("c", "worker", Set.of(), "   ", null).tenantId());
        assertThrows(IllegalArgumentException.class, () -> bus.registerAgent("d", "worker", Set.of(), "A!", null));
        assertThrows(IllegalArgumentException.class, () -> bus.registerAgent("", "worker", Set.of(), "acme", null));
        assertThrows(IllegalArgumentException.class, () -> bus.registerAgent(null, "worker", Set.of(), "acme", null));
        assertNull(bus.getAgentInfo("d"));
        assertEquals(List.of("a", "b", "c"), bus.getRegisteredAgents());
    }

    @Test
    void lookupsByTypeAndCapability()
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("w1", "worker", Set.of("translate", "ocr"), "acme", null);
        bus.registerAgent("w2", "worker", Set.of("translate"), "beta", null);
        bus.registerAgent("v1", "validator", Set.of("audit"), "acme", MaciRole.JUDICIAL);
        bus.registerAgent("n1", "worker", Set.of(), null, null);
        assertEquals(Set.of("w1", "w2", "n1"), Set.copyOf(bus.getAgentsByType("worker")));
        assertEquals(List.of("v1"), bus.getAgentsByType("validator"));
        assertEquals(List.of(), bus.getAgentsByType("nobody"));
        assertEquals(Set.of("w1", "w2"), Set.copyOf(bus.getAgentsByCapability("translate")));
        assertEquals(List.of("w1"), bus.getAgentsByCapability("ocr"));
        assertEquals(List.of(), bus.getAgentsByCapability("fly"));
        assertEquals(List.of("w1", "w2", "v1", "n1"), bus.getRegisteredAgents());
        final AgentInfo v1 = bus.getAgentInfo("v1");
        assertEquals(MaciRole.JUDICIAL, v1.maciRole());
        assertEquals("acme", v1.tenantId());
        assertNull(bus.getAgentInfo("nobody"));
        assertThrows(UnsupportedOperationException.class, () -> v1.capabilities().add("x"));
    }

    @Test
    void directRoutingDeliversToExactlyTheNamedAgent() throws Exception
    {
        bus = started(config(NativeMode.OFF).build());
        for (final String id : List.of("s", "r1", "r2", "r3"))
        {
            bus.registerAgent(id, "worker", Set.of(), "acme", null);
        }
        for (int i = 0; i < 30; i++)
        {
            final String to = "r" + (1 + i % 3);
            final ValidationResult r = send(bus, msg("s", to, "acme").messageId("m" + i).build());
            assertEquals(to, r.metadata().get("recipient"));
        }
        for (int i = 0; i < 30; i++)
        {
            final String to = "r" + (1 + i % 3);
            final var m = bus.receive(to, Duration.ofSeconds(1));
            assertEquals("m" + i, m.messageId());
            assertEquals(to, m.toAgent());
            assertEquals(dev.eab.api.MessageStatus.DELIVERED, m.status());
        }
    }
}
