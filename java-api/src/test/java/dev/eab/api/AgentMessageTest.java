package dev.eab.api;

import dev.eab.api.exception.MessageValidationException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.*;

/** AgentMessage: the original's defaults (reference §2.1), deep immutability, and a lossless toMap/fromMap. */
class AgentMessageTest
{
    @Test
    void builderDefaultsFollowTheOriginal()
    {
        final Instant before = Instant.now();
        final AgentMessage m = AgentMessage.builder().build();
        final Instant after = Instant.now();

        assertDoesNotThrow(() -> UUID.fromString(m.messageId()), "message_id is a uuid4 string");
        assertDoesNotThrow(() -> UUID.fromString(m.conversationId()), "conversation_id is a uuid4 string");
        assertNotEquals(m.messageId(), m.conversationId());
        assertEquals(Map.of(), m.content());
        assertEquals(Map.of(), m.payload());
        assertEquals("", m.fromAgent());
        assertEquals("", m.toAgent());
        assertEquals("", m.senderId());
        assertEquals(MessageType.COMMAND, m.messageType());
        assertNull(m.routing());
        assertEquals(Map.of(), m.headers());
        assertEquals("", m.tenantId());
        assertEquals(Map.of(), m.securityContext());
        assertSame(Priority.MEDIUM, m.priority());
        assertSame(Priority.NORMAL, m.priority());
        assertEquals(MessageStatus.PENDING, m.status());
        assertEquals(Constitution.HASH, m.constitutionalHash());
        assertEquals("cdd01ef066bc6cf2", m.constitutionalHash());
        assertEquals(Map.of(), m.metadata());
        assertNull(m.pqcSignature());
        assertNull(m.pqcPublicKey());
        assertNull(m.pqcAlgorithm());
        assertFalse(m.createdAt().isBefore(before), "created_at is now");
        assertFalse(m.createdAt().isAfter(after), "created_at is now");
        assertEquals(m.createdAt(), m.updatedAt());
        assertNull(m.expiresAt(), "no expiry by default");
        assertNull(m.impactScore());
        assertEquals(Map.of(), m.performanceMetrics());
        assertEquals(List.of(), m.requiredCapabilities());
    }

    @Test
    void idsAreFreshPerMessage()
    {
        final Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(ids.add(AgentMessage.builder().build().messageId()));
        }
    }

    @Test
    void nullStringsBecomeEmptyButANullHashStaysMissing()
    {
        final AgentMessage m = AgentMessage.builder().fromAgent(null).toAgent(null).senderId(null).tenantId(null)
            .constitutionalHash(null).build();
        assertEquals("", m.fromAgent());
        assertEquals("", m.toAgent());
        assertEquals("", m.senderId());
        assertEquals("", m.tenantId());
        assertNull(m.constitutionalHash(), "null means missing: the bus rejects it as HASH_MISSING");
        assertEquals("", AgentMessage.builder().messageId("").build().messageId(), "an explicit empty id is kept, not replaced");
    }

    @Test
    void requiredEnumsMayNotBeNull()
    {
        assertTrue(assertThrows(MessageValidationException.class, () -> AgentMessage.builder().messageType(null).build()).getMessage()
            .contains("message_type is required"));
        assertTrue(assertThrows(MessageValidationException.class, () -> AgentMessage.builder().priority(null).build()).getMessage()
            .contains("priority is required"));
        assertTrue(assertThrows(MessageValidationException.class, () -> AgentMessage.builder().status(null).build()).getMessage()
            .contains("status is required"));
    }

    @Test
    void contentIsDeepFrozenAndCopied()
    {
        final List<Object> innerList = new ArrayList<>(List.of("x", "y"));
        final Map<String, Object> innerMap = new HashMap<>(Map.of("k", "v"));
        final List<Object> listOfMaps = new ArrayList<>();
        listOfMaps.add(new HashMap<>(Map.of("deep", "1")));
        listOfMaps.add(new ArrayList<>(List.of(1, 2)));
        final byte[] innerBytes = {1, 2, 3};
        final Map<String, Object> content = new HashMap<>();
        content.put("list", innerList);
        content.put("map", innerMap);
        content.put("listOfMaps", listOfMaps);
        content.put("bytes", innerBytes);
        content.put("action", "go");

        final AgentMessage m = AgentMessage.builder().content(content).build();

        // The sender changes everything after building: the message must not see it.
        content.put("action", "changed");
        content.put("extra", 1);
        innerList.add("z");
        innerMap.put("k2", "v2");
        ((Map<String, Object>)listOfMaps.get(0)).put("deep", "2");
        ((List<Object>)listOfMaps.get(1)).add(3);
        innerBytes[0] = 9;

        assertEquals("go", m.content().get("action"));
        assertFalse(m.content().containsKey("extra"));
        assertEquals(List.of("x", "y"), m.content().get("list"));
        assertEquals(Map.of("k", "v"), m.content().get("map"));
        final List<?> lom = (List<?>)m.content().get("listOfMaps");
        assertEquals(Map.of("deep", "1"), lom.get(0));
        assertEquals(List.of(1, 2), lom.get(1));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[])m.content().get("bytes"));

        // And nothing reachable from the message can be modified.
        assertThrows(UnsupportedOperationException.class, () -> m.content().put("a", 1));
        assertThrows(UnsupportedOperationException.class, () -> m.content().remove("action"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>)m.content().get("list")).add("w"));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>)m.content().get("map")).put("q", 1));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>)lom.get(0)).put("deep", "3"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>)lom.get(1)).add(4));
    }

    @Test
    void everyMapFieldIsFrozen()
    {
        final Map<String, Object> nested = new HashMap<>(Map.of("n", new ArrayList<>(List.of(1))));
        final Map<String, String> headers = new HashMap<>(Map.of("h", "1"));
        final AgentMessage m = AgentMessage.builder()
            .payload(new HashMap<>(Map.of("p", nested)))
            .headers(headers)
            .securityContext(new HashMap<>(Map.of("s", nested)))
            .metadata(new HashMap<>(Map.of("m", nested)))
            .performanceMetrics(new HashMap<>(Map.of("pm", nested)))
            .build();
        headers.put("h2", "2");
        ((List<Object>)nested.get("n")).add(2);
        nested.put("x", 1);

        assertEquals(Map.of("h", "1"), m.headers());
        for (final Map<String, Object> field : List.of(m.payload(), m.securityContext(), m.metadata(), m.performanceMetrics()))
        {
            final Map<String, Object> inner = (Map<String, Object>)field.values().iterator().next();
            assertEquals(Map.of("n", List.of(1)), inner);
            assertThrows(UnsupportedOperationException.class, () -> field.put("new", 1));
            assertThrows(UnsupportedOperationException.class, () -> inner.put("new", 1));
            assertThrows(UnsupportedOperationException.class, () -> ((List<Object>)inner.get("n")).add(3));
        }
        assertThrows(UnsupportedOperationException.class, () -> m.headers().put("x", "y"));
    }

    @Test
    void toBuilderCopiesAndLeavesTheOriginalAlone()
    {
        final AgentMessage a = full();
        final AgentMessage b = a.toBuilder().toAgent("other").priority(Priority.LOW).content(Map.of("c", 2)).build();
        assertEquals("agent-b", a.toAgent());
        assertEquals(Priority.CRITICAL, a.priority());
        assertEquals("other", b.toAgent());
        assertEquals(Priority.LOW, b.priority());
        assertEquals(a.messageId(), b.messageId());
        assertEquals(a.createdAt(), b.createdAt());
        assertEquals(a.routing(), b.routing());
        assertEquals(a.toMap().size(), b.toMap().size());
        assertEquals(a, a.toBuilder().build(), "an unchanged copy is equal");
        assertNotEquals(a, b);
    }

    @Test
    void toMapWritesEveryFieldWithWireValues()
    {
        final AgentMessage m = full();
        final Map<String, Object> map = m.toMap();
        assertEquals(List.of(
            "message_id", "conversation_id", "content", "payload", "from_agent", "to_agent", "sender_id", "message_type", "routing",
            "headers", "tenant_id", "security_context", "priority", "status", "constitutional_hash", "metadata", "pqc_signature",
            "pqc_public_key", "pqc_algorithm", "created_at", "updated_at", "expires_at", "impact_score", "performance_metrics"),
            new ArrayList<>(map.keySet()));
        assertEquals(3, map.get("priority"), "priority is written as its int value");
        assertInstanceOf(Integer.class, map.get("priority"));
        assertEquals("governance_request", map.get("message_type"));
        assertEquals("processing", map.get("status"));
        assertEquals("2026-01-02T03:04:05.123456789Z", map.get("created_at"));
        assertEquals("2026-01-02T03:04:06Z", map.get("updated_at"));
        assertEquals("2027-01-01T00:00:00Z", map.get("expires_at"));
        assertEquals(0.85, map.get("impact_score"));
        final Map<?, ?> routing = (Map<?, ?>)map.get("routing");
        assertEquals("agent-a", routing.get("source_agent_id"));
        assertEquals("agent-b", routing.get("target_agent_id"));
        assertEquals("rk", routing.get("routing_key"));
        assertEquals(List.of("t1", "t2"), routing.get("routing_tags"));
        assertEquals(1, routing.get("retry_count"));
        assertEquals(7, routing.get("max_retries"));
        assertEquals(1234L, routing.get("timeout_ms"));

        // The map is a snapshot: changing it does not touch the message.
        map.put("to_agent", "mallory");
        assertEquals("agent-b", m.toAgent());
    }

    @Test
    void fromMapRestoresEveryField()
    {
        final AgentMessage m = full();
        final AgentMessage r = AgentMessage.fromMap(m.toMap());
        assertEquals(m.messageId(), r.messageId());
        assertEquals(m.conversationId(), r.conversationId());
        assertEquals(m.content(), r.content());
        assertEquals(m.payload(), r.payload());
        assertEquals(m.fromAgent(), r.fromAgent());
        assertEquals(m.toAgent(), r.toAgent());
        assertEquals(m.senderId(), r.senderId());
        assertEquals(m.messageType(), r.messageType());
        assertEquals(m.routing(), r.routing());
        assertEquals(m.headers(), r.headers());
        assertEquals(m.tenantId(), r.tenantId());
        assertEquals(m.securityContext(), r.securityContext());
        assertEquals(m.priority(), r.priority());
        assertEquals(m.status(), r.status());
        assertEquals(m.constitutionalHash(), r.constitutionalHash());
        assertEquals(m.metadata(), r.metadata());
        assertEquals(m.pqcSignature(), r.pqcSignature());
        assertEquals(m.pqcPublicKey(), r.pqcPublicKey());
        assertEquals(m.pqcAlgorithm(), r.pqcAlgorithm());
        assertEquals(m.createdAt(), r.createdAt());
        assertEquals(m.updatedAt(), r.updatedAt());
        assertEquals(m.expiresAt(), r.expiresAt());
        assertEquals(m.impactScore(), r.impactScore());
        assertEquals(m.performanceMetrics(), r.performanceMetrics());
        assertEquals(m, r);
        assertEquals(m.hashCode(), r.hashCode());
        assertEquals(m.toMap(), r.toMap());
        assertEquals(m.encodedSizeBytes(), r.encodedSizeBytes());
        // The restored message is as frozen as one built directly.
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>)r.content().get("nested")).put("x", 1));
    }

    @Test
    void roundTripKeepsNullsAndDefaults()
    {
        final AgentMessage m = AgentMessage.builder().constitutionalHash(null).build();
        final AgentMessage r = AgentMessage.fromMap(m.toMap());
        assertNull(r.constitutionalHash(), "a missing hash stays missing, it is not defaulted to the right one");
        assertNull(r.routing());
        assertNull(r.expiresAt());
        assertNull(r.impactScore());
        assertNull(r.pqcSignature());
        assertEquals(m, r);

        // Keys absent altogether take the builder defaults, except the hash, which stays missing.
        final AgentMessage sparse = AgentMessage.fromMap(Map.of("message_id", "m1", "content", Map.of("a", 1)));
        assertEquals("m1", sparse.messageId());
        assertEquals(MessageType.COMMAND, sparse.messageType());
        assertEquals(Priority.NORMAL, sparse.priority());
        assertEquals(MessageStatus.PENDING, sparse.status());
        assertNull(sparse.constitutionalHash(), "an absent hash is missing (fail closed), not silently the right one");
    }

    @Test
    void fromMapAcceptsPriorityNamesAndRefusesWrongTypesNamingTheKey()
    {
        final Map<String, Object> base = new LinkedHashMap<>(full().toMap());
        base.put("priority", "medium");
        assertEquals(Priority.NORMAL, AgentMessage.fromMap(base).priority());
        base.put("priority", 1);
        assertEquals(Priority.MEDIUM, AgentMessage.fromMap(base).priority());
        base.put("priority", "high");
        assertEquals(Priority.HIGH, AgentMessage.fromMap(base).priority());

        final Map<String, Object> badContent = new LinkedHashMap<>(full().toMap());
        badContent.put("content", "not a map");
        assertTrue(assertThrows(MessageValidationException.class, () -> AgentMessage.fromMap(badContent)).getMessage().contains("content"));
        final Map<String, Object> badFrom = new LinkedHashMap<>(full().toMap());
        badFrom.put("from_agent", 42);
        assertTrue(assertThrows(MessageValidationException.class, () -> AgentMessage.fromMap(badFrom)).getMessage().contains("from_agent"));
        final Map<String, Object> badType = new LinkedHashMap<>(full().toMap());
        badType.put("message_type", "gossip");
        assertTrue(assertThrows(MessageValidationException.class, () -> AgentMessage.fromMap(badType)).getMessage().contains("gossip"));
    }

    @Test
    void mediumIsNormal()
    {
        assertSame(Priority.NORMAL, Priority.MEDIUM);
        assertEquals("NORMAL", Priority.MEDIUM.name(), "as in Python, MEDIUM's name is NORMAL");
        assertEquals(1, Priority.MEDIUM.value());
        assertSame(Priority.NORMAL, Priority.parse("MEDIUM"));
        assertSame(Priority.NORMAL, Priority.parse("normal"));
        assertSame(Priority.NORMAL, Priority.parse("1"));
        assertSame(Priority.NORMAL, Priority.fromValue(1));
        assertEquals(List.of(0, 1, 2, 3), Arrays.stream(Priority.values()).map(Priority::value).toList(), "ascending, as in the original");
        assertThrows(IllegalArgumentException.class, () -> Priority.fromValue(4));
        assertThrows(IllegalArgumentException.class, () -> Priority.fromValue(-1));
        assertThrows(IllegalArgumentException.class, () -> Priority.parse("urgent"));
    }

    @Test
    void messageTypeValues()
    {
        assertEquals(List.of("command", "query", "response", "event", "notification", "heartbeat", "governance_request",
            "governance_response", "constitutional_validation", "task_request", "task_response", "audit_log"),
            Arrays.stream(MessageType.values()).map(MessageType::value).toList());
        for (final MessageType t : MessageType.values())
        {
            assertSame(t, MessageType.fromValue(t.value()));
            assertSame(t, MessageType.fromValue(t.name()));
            assertSame(t, MessageType.fromOrdinal(t.ordinal()));
        }
        assertThrows(IllegalArgumentException.class, () -> MessageType.fromValue("bounty_submission"));
    }

    @Test
    void messageStatusValues()
    {
        assertEquals(List.of("pending", "processing", "delivered", "failed", "expired", "pending_deliberation", "validated"),
            Arrays.stream(MessageStatus.values()).map(MessageStatus::value).toList());
        for (final MessageStatus s : MessageStatus.values())
        {
            assertSame(s, MessageStatus.fromValue(s.value()));
        }
    }

    @Test
    void routingContextValidatesWithTheOriginalsTexts()
    {
        assertEquals("source_agent_id is required",
            assertThrows(IllegalArgumentException.class, () -> RoutingContext.of("", "b")).getMessage());
        assertEquals("target_agent_id is required",
            assertThrows(IllegalArgumentException.class, () -> RoutingContext.of("a", null)).getMessage());
        final RoutingContext r = RoutingContext.of("a", "b");
        assertEquals("", r.routingKey());
        assertEquals(List.of(), r.routingTags());
        assertEquals(0, r.retryCount());
        assertEquals(3, r.maxRetries());
        assertEquals(5000, r.timeoutMs());
        final List<String> tags = new ArrayList<>(List.of("t"));
        final RoutingContext withTags = new RoutingContext("a", "b", null, tags, 0, 3, 5000);
        tags.add("u");
        assertEquals(List.of("t"), withTags.routingTags());
        assertThrows(UnsupportedOperationException.class, () -> withTags.routingTags().add("v"));
    }

    @Test
    void requiredCapabilitiesComeFromContent()
    {
        final AgentMessage m = AgentMessage.builder().content(Map.of("required_capabilities", List.of("translate", "summarize"))).build();
        assertEquals(List.of("translate", "summarize"), m.requiredCapabilities());
        assertEquals(List.of(), AgentMessage.builder().content(Map.of("required_capabilities", "translate")).build().requiredCapabilities());
    }

    @Test
    void encodedSizeGrowsWithEveryKindOfContent()
    {
        final int empty = AgentMessage.builder().messageId("m").conversationId("c").build().encodedSizeBytes();
        final String big = "x".repeat(10_000);
        assertTrue(AgentMessage.builder().messageId("m").conversationId("c").content(Map.of("s", big)).build().encodedSizeBytes() > empty + 10_000);
        assertTrue(AgentMessage.builder().messageId("m").conversationId("c").content(Map.of("l", List.of(big))).build().encodedSizeBytes() > empty + 10_000);
        assertTrue(AgentMessage.builder().messageId("m").conversationId("c").content(Map.of("bytes", new byte[10_001])).build().encodedSizeBytes() > empty + 10_000);
        assertTrue(AgentMessage.builder().messageId("m").conversationId("c").payload(Map.of("p", big)).build().encodedSizeBytes() > empty + 10_000);
        assertTrue(AgentMessage.builder().messageId("m").conversationId("c").headers(Map.of("h", big)).build().encodedSizeBytes() > empty + 10_000);
    }

    /** A message with every field set to a non-default value. */
    static AgentMessage full()
    {
        final Map<String, Object> content = new LinkedHashMap<>();
        content.put("action", "propose");
        content.put("nested", Map.of("k", List.of(1, 2, Map.of("deep", true))));
        content.put("n", 3.5);
        return AgentMessage.builder()
            .messageId("msg-1")
            .conversationId("conv-1")
            .content(content)
            .payload(Map.of("amount", 1500, "currency", "EUR"))
            .fromAgent("agent-a")
            .toAgent("agent-b")
            .senderId("sender-a")
            .messageType(MessageType.GOVERNANCE_REQUEST)
            .routing(new RoutingContext("agent-a", "agent-b", "rk", List.of("t1", "t2"), 1, 7, 1234))
            .headers(Map.of("trace", "abc", "span", "def"))
            .tenantId("acme")
            .securityContext(Map.of("auth", "jwt", "scopes", List.of("read", "write")))
            .priority(Priority.CRITICAL)
            .status(MessageStatus.PROCESSING)
            .constitutionalHash("0123456789abcdef")
            .metadata(Map.of("origin", "test", "attempt", 2))
            .pqcSignature("sig")
            .pqcPublicKey("pk")
            .pqcAlgorithm("dilithium3")
            .createdAt(Instant.parse("2026-01-02T03:04:05.123456789Z"))
            .updatedAt(Instant.parse("2026-01-02T03:04:06Z"))
            .expiresAt(Instant.parse("2027-01-01T00:00:00Z"))
            .impactScore(0.85)
            .performanceMetrics(Map.of("latency_ms", 0.25, "hops", 2))
            .build();
    }

    @Test
    void expiryIsCarriedAsGiven()
    {
        final Instant soon = Instant.now().plus(Duration.ofMinutes(5));
        assertEquals(soon, AgentMessage.builder().expiresAt(soon).build().expiresAt());
    }
}
