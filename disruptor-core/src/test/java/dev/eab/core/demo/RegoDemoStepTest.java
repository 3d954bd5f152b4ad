package dev.eab.core.demo;

import dev.eab.api.BusConfiguration;
import dev.eab.api.NativeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class RegoDemoStepTest
{
    @Test
    void decidesTheDemoTrafficAsExpectedAndReportsIt(@TempDir final Path dir) throws Exception
    {
        final RegoDemoStep.Result r = RegoDemoStep.run(BusConfiguration.forTesting().withNativeMode(NativeMode.AUTO), dir);
        assertTrue(r.ran(), r.why());
        assertNull(r.failure());
        // 50 rounds of 7 cases (3 allowed, 4 denied), then one decision after the reload.
        assertEquals(351, r.decisions());
        assertEquals(151, r.allowed());
        assertEquals(200, r.denied());
        assertEquals(7 + 1, r.cacheMisses(), "one evaluation per distinct input, and one after the reload");
        assertEquals(343, r.cacheHits());
        assertNotEquals(r.versionBefore(), r.versionAfter());
        assertEquals(351L, r.toMap().get("rego_decisions"));
        assertTrue(Files.readString(dir.resolve("data.json")).contains("rogue-bot"), "the demo bundle is left as it started");
    }

    @Test
    void isSkippedAndSaysWhyWithoutNativeCode(@TempDir final Path dir)
    {
        final RegoDemoStep.Result r = RegoDemoStep.run(BusConfiguration.forTesting(), dir);
        assertFalse(r.ran());
        assertEquals(0L, r.toMap().get("rego_decisions"));
        assertTrue(r.line().startsWith("skipped: native"), r.line());
    }
}
