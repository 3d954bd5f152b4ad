package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.api.RoutingContext;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MessageCodecTest
{
    private static AgentMessage roundTrip(final AgentMessage m)
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(256);
        MessageCodec.encode(m, bytes);
        final AgentMessage back = MessageCodec.decode(bytes);
        assertEquals(0, bytes.readRemaining(), "decode reads exactly what encode wrote");
        return back;
    }

    @Test
    void everyFieldAndEveryValueTypeRoundTrips()
    {
        final Map<String, Object> content = new LinkedHashMap<>();
        content.put("null", null);
        content.put("t", true);
        content.put("f", false);
        content.put("i", 1);
        content.put("l", Long.MIN_VALUE);
        content.put("d", -0.0);
        content.put("fl", 2.5f);
        content.put("s", (short)3);
        content.put("b", (byte)-4);
        content.put("bi", BigInteger.TWO.pow(100));
        content.put("bd", new BigDecimal("1.2345678901234567890e-30"));
        content.put("str", "ünïcödé \uD83D\uDE00");
        content.put("bytes", new byte[] {0, -1, 127});
        content.put("list", Arrays.asList(1, null, List.of("x", Map.of("k", "v"))));
        content.put("map", Map.of("nested", Map.of("deeper", List.of())));
        final AgentMessage m = AgentMessage.builder().messageId("id-1").conversationId("conv").content(content)
            .payload(Map.of("p", 1)).fromAgent("a").toAgent("b").senderId("s").messageType(MessageType.GOVERNANCE_REQUEST)
            .routing(new RoutingContext("a", "b", "key", List.of("t1", "t2"), 1, 5, 777)).headers(Map.of("h1", "v1", "h2", ""))
            .tenantId("Tenant-A").securityContext(Map.of("role", "x")).priority(Priority.CRITICAL).status(MessageStatus.PROCESSING)
            .constitutionalHash("cdd01ef066bc6cf2").metadata(Map.of("m", 2L)).pqcSignature("sig").pqcPublicKey("pk").pqcAlgorithm("dilithium")
            .createdAt(Instant.parse("2026-12-01T10:15:30.123456789Z")).updatedAt(Instant.MIN).expiresAt(Instant.MAX).impactScore(0.81)
            .performanceMetrics(Map.of("lat", 1.5)).build();
        assertEquals(m, roundTrip(m));
    }

    @Test
    void nullsAndDefaultsRoundTrip()
    {
        final AgentMessage m = AgentMessage.builder().constitutionalHash(null).build();
        final AgentMessage back = roundTrip(m);
        assertEquals(m, back);
        assertNull(back.constitutionalHash());
        assertNull(back.expiresAt());
        assertNull(back.impactScore());
        assertNull(back.routing());
    }

    @Test
    void garbageIsAFormatErrorNotAnythingElse()
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(16);
        bytes.writeByte((byte)99);
        assertThrows(JournalFormatException.class, () -> MessageCodec.decode(bytes));
    }
}
