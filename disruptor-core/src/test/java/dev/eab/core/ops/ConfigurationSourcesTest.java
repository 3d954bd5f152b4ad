package dev.eab.core.ops;

import dev.eab.api.BusConfiguration;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code ./eab serve} and {@code ./eab demo} print about the validator, scanner and idle strategy they ended up with. */
final class ConfigurationSourcesTest
{
    @Test
    void eachChoiceNamesItsSource()
    {
        assertEquals("default", ConfigurationSources.nativeMode(Map.of(), null));
        assertEquals("-Deab.native=off", ConfigurationSources.nativeMode(Map.of(), "off"));
        assertEquals("USE_RUST=no", ConfigurationSources.nativeMode(Map.of("USE_RUST", "no"), "auto"));
        assertEquals("-Deab.native=auto", ConfigurationSources.nativeMode(Map.of("USE_RUST", "yes"), "auto"), "USE_RUST=true sets nothing");
        assertEquals("EAB_NATIVE=required", ConfigurationSources.nativeMode(Map.of("USE_RUST", "false", "EAB_NATIVE", "required"), null));
        assertEquals("default", ConfigurationSources.contentScanning(Map.of()));
        assertEquals("EAB_CONTENT_SCANNING=off", ConfigurationSources.contentScanning(Map.of("EAB_CONTENT_SCANNING", "off")));
        assertEquals("the library's default", ConfigurationSources.idleStrategy(Map.of()));
        assertEquals("EAB_IDLE_STRATEGY=blocking", ConfigurationSources.idleStrategy(Map.of("EAB_IDLE_STRATEGY", "blocking")));
    }

    @Test
    void theFallbackWithoutTheNativeLibraryIsSaid()
    {
        final BusConfiguration auto = BusConfiguration.fromEnvironment(Map.of("EAB_NATIVE", "auto"));
        assertEquals("java: native mode auto (EAB_NATIVE=auto), but the native library is unavailable: no library",
            ConfigurationSources.validatorReason(auto, "EAB_NATIVE=auto", "java", "no library"));
        assertEquals("native: native mode auto (default)", ConfigurationSources.validatorReason(auto, "default", "native", null));
        assertEquals("java: content scanning on (default), the Rust scanner did not load",
            ConfigurationSources.scannerReason(auto, "default", "java", "native"));
    }

    @Test
    void aBusFromTheEnvironmentIsDescribedAsItRuns()
    {
        final Map<String, String> env = Map.of("EAB_NATIVE", "off", "EAB_IDLE_STRATEGY", "blocking");
        final BusConfiguration config = BusConfiguration.fromEnvironment(env);
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
        {
            bus.start();
            final String validator = bus.validator().name();
            final String scanner = bus.contentScanner() == null ? null : bus.contentScanner().name();
            assertNull(ConfigurationSources.nativeFailure(config), "nothing to fail when native mode is off");
            final List<String> lines = ConfigurationSources.describe(config, env, null, validator, null, scanner);
            assertEquals(List.of(
                "validator       java: native mode off (EAB_NATIVE=off)",
                "content scanner java: content scanning on (default), Java like the validator",
                "idle strategy   blocking: EAB_IDLE_STRATEGY=blocking"), lines);
        }
    }

    @Test
    void theNativeLibraryLoadsInThisBuildSoThereIsNoFailureToReport()
    {
        // The Maven build packs the Rust library into the core jar; the tests load it from target/classes.
        assertNull(ConfigurationSources.nativeFailure(BusConfiguration.fromEnvironment(Map.of("EAB_NATIVE", "required"))));
        assertTrue(ConfigurationSources.nativeMode(Map.of("EAB_NATIVE", "required"), null).startsWith("EAB_NATIVE="));
    }
}
