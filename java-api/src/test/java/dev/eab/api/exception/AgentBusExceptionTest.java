package dev.eab.api.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentBusExceptionTest
{
    private static final String FULL_HASH = "cdd01ef066bc6cf2";

    @Test
    void defaultHashIsTheConstitutionalHash()
    {
        assertEquals(FULL_HASH, AgentBusException.DEFAULT_CONSTITUTIONAL_HASH);
        assertEquals(FULL_HASH, new AgentBusException("m", Map.of()).constitutionalHash());
        assertEquals(FULL_HASH, new AgentBusException("m").constitutionalHash());
        assertEquals(FULL_HASH, new AgentBusException("m", null, null).constitutionalHash());
    }

    @Test
    void explicitHashIsKept()
    {
        assertEquals("abc", new AgentBusException("m", Map.of(), "abc").constitutionalHash());
    }

    @Test
    void sanitizeHashNull()
    {
        assertEquals("None", AgentBusException.sanitizeHash(null));
    }

    @Test
    void sanitizeHashShortOrEightCharsIsUnchanged()
    {
        assertEquals("", AgentBusException.sanitizeHash(""));
        assertEquals("abc", AgentBusException.sanitizeHash("abc"));
        assertEquals("12345678", AgentBusException.sanitizeHash("12345678"));
    }

    @Test
    void sanitizeHashNineCharsIsTruncated()
    {
        assertEquals("12345678...", AgentBusException.sanitizeHash("123456789"));
    }

    @Test
    void sanitizeHashFullHash()
    {
        assertEquals("cdd01ef0...", AgentBusException.sanitizeHash(FULL_HASH));
    }

    @Test
    void toMapHasExactKeysInOrder()
    {
        final Map<String, Object> details = new LinkedHashMap<>();
        details.put("k", "v");
        final AgentBusException e = new AgentBusException("boom", details, "h1");
        final Map<String, Object> map = e.toMap();
        assertEquals(List.of("error_type", "message", "details", "constitutional_hash"), new ArrayList<>(map.keySet()));
        assertEquals("AgentBusException", map.get("error_type"));
        assertEquals("boom", map.get("message"));
        assertEquals(Map.of("k", "v"), map.get("details"));
        assertEquals("h1", map.get("constitutional_hash"));
    }

    @Test
    void toMapOfSubclassUsesSimpleName()
    {
        final Map<String, Object> map = new BusNotStartedException("send").toMap();
        assertEquals("BusNotStartedException", map.get("error_type"));
        assertEquals("Agent bus not started for operation: send", map.get("message"));
        assertEquals(Map.of("operation", "send"), map.get("details"));
        assertEquals(FULL_HASH, map.get("constitutional_hash"));
        assertEquals("BusNotStartedException", new BusNotStartedException("x").errorType());
    }

    @Test
    void detailsAreACopyAndUnmodifiable()
    {
        final Map<String, Object> source = new HashMap<>();
        source.put("a", 1);
        final AgentBusException e = new AgentBusException("m", source);
        source.put("b", 2);
        assertEquals(Map.of("a", 1), e.details());
        assertThrows(UnsupportedOperationException.class, () -> e.details().put("c", 3));
        assertThrows(UnsupportedOperationException.class, () -> e.details().clear());
    }

    @Test
    void toMapIsAFreshMapWhoseDetailsStayUnmodifiable()
    {
        final AgentBusException e = new AgentBusException("m", Map.of("a", 1));
        final Map<String, Object> map = e.toMap();
        map.put("extra", "x");
        assertEquals(4, e.toMap().size());
        @SuppressWarnings("unchecked")
        final Map<String, Object> details = (Map<String, Object>) map.get("details");
        assertThrows(UnsupportedOperationException.class, () -> details.put("z", 0));
        assertEquals(Map.of("a", 1), e.details());
    }

    @Test
    void detailsNeverNull()
    {
        assertTrue(new AgentBusException("m", null).details().isEmpty());
        assertTrue(new AgentBusException("m").details().isEmpty());
        assertTrue(new BusAlreadyStartedException().details().isEmpty());
    }

    @Test
    void detailsAllowNullValuesAndKeepOrder()
    {
        final AgentNotRegisteredException e = new AgentNotRegisteredException("a1");
        assertEquals(List.of("agent_id", "operation"), new ArrayList<>(e.details().keySet()));
        assertTrue(e.details().containsKey("operation"));
        assertNull(e.details().get("operation"));
    }

    @Test
    void detailListsAreUnmodifiableCopies()
    {
        final List<String> errors = new ArrayList<>(List.of("e1"));
        final MessageValidationException e = new MessageValidationException("m1", errors, null);
        errors.add("e2");
        assertEquals(List.of("e1"), e.errors());
        assertEquals(List.of("e1"), e.details().get("errors"));
        assertEquals(List.of(), e.warnings());
        assertThrows(UnsupportedOperationException.class, () -> e.errors().add("x"));
        @SuppressWarnings("unchecked")
        final List<String> detailErrors = (List<String>) e.details().get("errors");
        assertThrows(UnsupportedOperationException.class, () -> detailErrors.add("x"));
    }

    @Test
    void causeIsKept()
    {
        final IllegalStateException cause = new IllegalStateException("root");
        final AgentBusException e = new AgentBusException("m", Map.of(), FULL_HASH, cause);
        assertSame(cause, e.getCause());
        final MessageException sub = new MessageException("m", null, null, cause);
        assertSame(cause, sub.getCause());
        assertSame(cause, new ConfigurationException("k", "r", cause).getCause());
        assertSame(cause, new OpaConnectionException("http://opa", "down", cause).getCause());
    }

    @Test
    void isUnchecked()
    {
        final RuntimeException e = new GovernanceException("g", Map.of("x", 1));
        assertInstanceOf(AgentBusException.class, e);
        assertEquals("g", e.getMessage());
    }
}
