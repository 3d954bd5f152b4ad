package dev.eab.api;

import dev.eab.api.exception.MessageValidationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 7 §2–§3: what a message may carry, and building never throws anything but the documented exception. */
class MessageBuildRobustnessTest
{
    private static AgentMessage build(final Map<String, ?> content)
    {
        return AgentMessage.builder().messageId("m").content(content).build();
    }

    private static String refused(final Map<String, ?> content)
    {
        return assertThrows(MessageValidationException.class, () -> build(content)).getMessage();
    }

    @Test
    void mutableValuesOutsideTheJsonSetAreRefusedNamingPathAndType()
    {
        final String sb = refused(Map.of("steps", List.of("a", Map.of("text", new StringBuilder("benign")))));
        assertTrue(sb.contains("content.steps[1].text is a java.lang.StringBuilder"), sb);
        assertTrue(refused(Map.of("a", new Object[] {"x"})).contains("content.a is a [Ljava.lang.Object;"));
        assertTrue(refused(Map.of("a", Set.of("x"))).contains("content.a is a java.util."));
        assertTrue(refused(Map.of("a", new AtomicLong(1))).contains("java.util.concurrent.atomic.AtomicLong"));
        assertTrue(refused(Map.of("a", 'c')).contains("java.lang.Character"));
        final String meta = assertThrows(MessageValidationException.class,
            () -> AgentMessage.builder().metadata(Map.of("k", new ArrayList<>(List.of(new Object())))).build()).getMessage();
        assertTrue(meta.contains("metadata.k[0] is a java.lang.Object"), meta);
    }

    @Test
    void everyAcceptedTypeIsCarriedAndByteArraysAreCopied()
    {
        final byte[] bytes = {1, 2, 3};
        final Map<String, Object> content = new LinkedHashMap<>();
        content.put("null", null);
        content.put("b", true);
        content.put("i", 1);
        content.put("l", 2L);
        content.put("d", 1.5);
        content.put("f", 2.5f);
        content.put("s", (short)3);
        content.put("y", (byte)4);
        content.put("bi", BigInteger.TEN);
        content.put("bd", BigDecimal.ONE);
        content.put("str", "text");
        content.put("bytes", bytes);
        content.put("list", List.of(1, "two"));
        content.put("map", Map.of("k", "v"));
        final AgentMessage m = build(content);
        bytes[0] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[])m.content().get("bytes"), "the sender's array is not shared");
        assertEquals(content.keySet(), m.content().keySet());
        assertEquals(m, AgentMessage.fromMap(m.toMap()), "equality compares byte arrays by content");
    }

    @Test
    void nonStringKeysAndBadHeadersAreRefused()
    {
        final Map<Object, Object> raw = new HashMap<>();
        raw.put(7, "seven");
        @SuppressWarnings("unchecked") final Map<String, ?> content = (Map<String, ?>)(Map<?, ?>)Map.of("inner", raw);
        assertTrue(refused(content).contains("content.inner has a key of type java.lang.Integer"));
        final Map<Object, Object> headers = new HashMap<>();
        headers.put("h", 5);
        @SuppressWarnings("unchecked") final Map<String, String> badHeaders = (Map<String, String>)(Map<?, ?>)headers;
        assertTrue(assertThrows(MessageValidationException.class, () -> AgentMessage.builder().headers(badHeaders).build()).getMessage()
            .contains("headers must map strings to strings"));
    }

    @Test
    void cyclesAreRefused()
    {
        final Map<String, Object> self = new HashMap<>();
        self.put("me", self);
        assertTrue(refused(self).contains("content.me contains itself (a cycle)"));
        final List<Object> list = new ArrayList<>();
        list.add(list);
        assertTrue(refused(Map.of("l", list)).contains("content.l[0] contains itself"));
    }

    @Test
    void deepNestingIsRefusedWithoutStackOverflow()
    {
        Object deep = "leaf";
        for (int i = 0; i < 10_000; i++)
        {
            deep = List.of(deep);
        }
        final String text = refused(Map.of("deep", deep));
        assertTrue(text.contains("nested deeper than " + ContentValues.MAX_DEPTH), text);
        Object ok = "leaf";
        for (int i = 0; i < ContentValues.MAX_DEPTH - 2; i++)
        {
            ok = List.of(ok);
        }
        final AgentMessage m = build(Map.of("ok", ok));
        assertEquals(m, m.toBuilder().build(), "a message at the depth limit still compares");
    }

    @Test
    void sharedSubtreesCannotBlowUpTheCopy()
    {
        Object shared = List.of("x");
        for (int i = 0; i < 60; i++)
        {
            shared = List.of(shared, shared); // 2^60 paths, 61 objects
        }
        assertTrue(refused(Map.of("dag", shared)).contains("holds more than " + ContentValues.MAX_VALUES + " values"));
    }

    @Test
    void sizeIsALongThatSaturatesNeverNegative()
    {
        final String big = "x".repeat(100_000);
        final List<String> refs = new ArrayList<>();
        for (int i = 0; i < 25_000; i++)
        {
            refs.add(big);
        }
        final AgentMessage m = build(Map.of("refs", refs));
        assertEquals(Integer.MAX_VALUE, m.encodedSizeBytes(), "2.5 GB of text: capped, not wrapped negative");
    }

    @Test
    void aMapThatThrowsWhileReadIsRefused()
    {
        final Map<String, Object> broken = new AbstractMap<>()
        {
            @Override
            public Set<Entry<String, Object>> entrySet()
            {
                throw new IllegalStateException("concurrently modified");
            }
        };
        assertTrue(refused(broken).contains("content could not be read: IllegalStateException: concurrently modified"));
    }

    @Test
    void rebuildingSharesTheFrozenContent()
    {
        final AgentMessage m = build(Map.of("a", List.of(1, 2), "b", "c"));
        final AgentMessage copy = m.toBuilder().toAgent("other").build();
        assertSame(m.content(), copy.content(), "frozen content is immutable, so not copied again");
        final AgentMessage nested = build(Map.of("inner", m.content()));
        assertSame(m.content(), nested.content().get("inner"));
        assertNotSame(m, copy);
    }

    @Test
    void expiryAtTheEndsOfTimeRoundTrips()
    {
        final AgentMessage never = AgentMessage.builder().expiresAt(Instant.MAX).build();
        assertEquals(Instant.MAX, AgentMessage.fromMap(never.toMap()).expiresAt());
        final AgentMessage always = AgentMessage.builder().expiresAt(Instant.MIN).build();
        assertEquals(Instant.MIN, AgentMessage.fromMap(always.toMap()).expiresAt());
    }
}
