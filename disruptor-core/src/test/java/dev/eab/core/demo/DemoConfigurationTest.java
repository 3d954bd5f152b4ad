package dev.eab.core.demo;

import dev.eab.api.IdleStrategy;
import dev.eab.api.NativeMode;
import dev.eab.api.RateLimit;
import dev.eab.api.exception.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's configuration step: the environment first (as the README's table says), then the demo's adjustments. */
class DemoConfigurationTest
{
    @Test
    void emptyEnvironmentGivesTheDemosChoices()
    {
        final DemoConfiguration c = DemoConfiguration.from(Map.of(), null);
        assertEquals(NativeMode.AUTO, c.bus().nativeMode());
        assertEquals(DemoConfiguration.IDLE_STRATEGY, c.bus().idleStrategy());
        assertTrue(c.idleReason().contains("the demo's choice"), c.idleReason());
        assertEquals(DurabilityDemoStep.DEFAULT_JOURNAL_DIR, c.bus().journalDir(), "the demo journals by default");
        assertNull(DemoConfiguration.from(Map.of("EAB_JOURNAL_DIR", "off"), null).bus().journalDir(), "off turns it off");
        final DemoConfiguration journaled = DemoConfiguration.from(java.util.Map.of("EAB_JOURNAL_DIR", "/tmp/mine"), null);
        assertEquals(java.nio.file.Path.of("/tmp/mine"), journaled.bus().journalDir());
        assertTrue(journaled.journalReason().startsWith("/tmp/mine: EAB_JOURNAL_DIR=/tmp/mine"), journaled.journalReason());
        assertEquals(DemoConfiguration.ROLL_CYCLE, c.bus().journalOptions().rollCycle(), "the demo's roll cycle");
        assertTrue(c.rollCycleReason().startsWith("ten_minutely: the demo's choice"), c.rollCycleReason());
        final DemoConfiguration hourly = DemoConfiguration.from(Map.of("EAB_JOURNAL_ROLL_CYCLE", "hourly"), null);
        assertEquals(dev.eab.api.JournalRollCycle.HOURLY, hourly.bus().journalOptions().rollCycle(), "the variable wins");
        assertEquals("hourly: EAB_JOURNAL_ROLL_CYCLE=hourly", hourly.rollCycleReason());
        assertEquals(DemoConfiguration.FLOOD_LIMIT, c.bus().tenantRateLimits().get(DemoConfiguration.FLOOD_TENANT));
        assertTrue(c.bus().contentScanning());
        assertEquals("native: native mode auto (default)", c.validatorReason("native", null));
        assertEquals("java: native mode auto (default), but the native library is unavailable: no library for x",
            c.validatorReason("java", "no library for x"));
    }

    @Test
    void eabNativeOffReachesTheDemo()
    {
        final DemoConfiguration c = DemoConfiguration.from(Map.of("EAB_NATIVE", "off"), null);
        assertEquals(NativeMode.OFF, c.bus().nativeMode());
        assertEquals("java: native mode off (EAB_NATIVE=off)", c.validatorReason("java", null));
        assertTrue(c.scannerReason("java", "java").startsWith("java: content scanning on (default)"), c.scannerReason("java", "java"));
    }

    @Test
    void useRustFalseAndThePropertyAreNamed()
    {
        assertEquals("java: native mode off (USE_RUST=false)",
            DemoConfiguration.from(Map.of("USE_RUST", "false"), null).validatorReason("java", null));
        assertEquals("native: native mode required (EAB_NATIVE=required)",
            DemoConfiguration.from(Map.of("USE_RUST", "false", "EAB_NATIVE", "required"), null).validatorReason("native", null),
            "EAB_NATIVE wins over USE_RUST, as in fromEnvironment");
        assertEquals("java: native mode off (-Deab.native=off)", DemoConfiguration.from(Map.of(), "off").validatorReason("java", null));
        assertEquals(NativeMode.OFF, DemoConfiguration.from(Map.of(), "off").bus().nativeMode());
        assertEquals(NativeMode.AUTO, DemoConfiguration.from(Map.of("EAB_NATIVE", "auto"), "off").bus().nativeMode(), "the variable wins");
    }

    @Test
    void theEnvironmentWinsOverTheDemosIdleStrategy()
    {
        final DemoConfiguration c = DemoConfiguration.from(Map.of("EAB_IDLE_STRATEGY", "blocking"), null);
        assertEquals(IdleStrategy.BLOCKING, c.bus().idleStrategy());
        assertEquals("blocking: EAB_IDLE_STRATEGY=blocking", c.idleReason());
    }

    @Test
    void otherVariablesReachTheDemo()
    {
        final DemoConfiguration c = DemoConfiguration.from(Map.of("EAB_CONTENT_SCANNING", "off", "EAB_RING_SIZE", "1024",
            "EAB_RATE_LIMIT", "5000/100"), null);
        assertFalse(c.bus().contentScanning());
        assertEquals("off: content scanning off (EAB_CONTENT_SCANNING=off)", c.scannerReason(null, "native"));
        assertEquals(1024, c.bus().ringSize());
        assertEquals(new RateLimit(5000, 100), c.bus().rateLimit());
        assertEquals(DemoConfiguration.FLOOD_LIMIT, c.bus().rateLimitFor(DemoConfiguration.FLOOD_TENANT), "the flood tenant keeps its own limit");
        assertTrue(String.join("\n", c.describe("native", null, null)).contains("idle strategy"));
    }

    @Test
    void aMalformedVariableIsNamed()
    {
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> DemoConfiguration.from(Map.of("EAB_IDLE_STRATEGY", "nap"), null));
        assertEquals("EAB_IDLE_STRATEGY", e.configKey());
    }
}
