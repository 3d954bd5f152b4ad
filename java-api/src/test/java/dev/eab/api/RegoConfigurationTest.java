package dev.eab.api;

import dev.eab.api.exception.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The Rego options: defaults, the environment, validation, and copies that keep them. */
class RegoConfigurationTest
{
    @Test
    void defaultsLeaveRegoOffAndFailClosedWhenConfiguredWithoutTheLibrary()
    {
        final BusConfiguration c = BusConfiguration.defaults();
        assertNull(c.regoDir());
        assertEquals("data.eab.allow", c.regoQuery());
        assertEquals(RegoFallback.FAIL, c.regoFallback());
        assertEquals(BusConfiguration.DEFAULT_REGO_CACHE_ENTRIES, c.regoCacheEntries());
        assertTrue(c.regoWatch());
        assertEquals("off", c.toMap().get("rego_dir"));
        assertEquals("fail", c.toMap().get("rego_fallback"));
    }

    @Test
    void readsTheEnvironment()
    {
        final BusConfiguration c = BusConfiguration.fromEnvironment(Map.of("EAB_REGO_DIR", "/etc/eab/policies", "EAB_REGO_QUERY", "data.acme.permit",
            "EAB_REGO_FALLBACK", "deny-all", "EAB_REGO_CACHE_ENTRIES", "1_024", "EAB_REGO_WATCH", "no"));
        assertEquals(Path.of("/etc/eab/policies"), c.regoDir());
        assertEquals("data.acme.permit", c.regoQuery());
        assertEquals(RegoFallback.DENY_ALL, c.regoFallback());
        assertEquals(1024, c.regoCacheEntries());
        assertFalse(c.regoWatch());
        assertNull(BusConfiguration.fromEnvironment(Map.of("EAB_REGO_DIR", "off")).regoDir());
        assertEquals(RegoFallback.ALLOW_ALL, BusConfiguration.fromEnvironment(Map.of("EAB_REGO_FALLBACK", "allow-all")).regoFallback());
    }

    @Test
    void refusesWhatCannotWork()
    {
        assertKey("rego_query", () -> BusConfiguration.builder().regoQuery("allow").build());
        assertKey("rego_query", () -> BusConfiguration.builder().regoQuery("data.eab.allow; true").build());
        assertKey("rego_query", () -> BusConfiguration.builder().regoQuery(null).build());
        assertKey("rego_cache_entries", () -> BusConfiguration.builder().regoCacheEntries(1000).build());
        assertKey("rego_cache_entries", () -> BusConfiguration.builder().regoCacheEntries(-1).build());
        assertKey("rego_fallback", () -> BusConfiguration.builder().regoFallback(null).build());
        assertKey("EAB_REGO_FALLBACK", () -> BusConfiguration.fromEnvironment(Map.of("EAB_REGO_FALLBACK", "maybe")));
        assertKey("EAB_REGO_WATCH", () -> BusConfiguration.fromEnvironment(Map.of("EAB_REGO_WATCH", "sometimes")));
        assertEquals(0, BusConfiguration.builder().regoCacheEntries(0).build().regoCacheEntries(), "0 turns the cache off");
    }

    @Test
    void copiesKeepTheRegoOptions()
    {
        final BusConfiguration c = BusConfiguration.builder().regoDir(Path.of("p")).regoQuery("data.x.ok").regoFallback(RegoFallback.DENY_ALL)
            .regoCacheEntries(16).regoWatch(false).build();
        final BusConfiguration copy = c.withRingSize(2048);
        assertEquals(c.regoDir(), copy.regoDir());
        assertEquals(c.regoQuery(), copy.regoQuery());
        assertEquals(c.regoFallback(), copy.regoFallback());
        assertEquals(c.regoCacheEntries(), copy.regoCacheEntries());
        assertEquals(c.regoWatch(), copy.regoWatch());
        assertEquals(Path.of("q"), c.withRegoDir(Path.of("q")).regoDir());
    }

    private static void assertKey(final String key, final java.util.function.Supplier<BusConfiguration> build)
    {
        final ConfigurationException e = assertThrows(ConfigurationException.class, build::get, key);
        assertEquals(key, e.configKey(), e.getMessage());
    }
}
