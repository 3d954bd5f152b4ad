package dev.eab.core.demo;

import dev.eab.api.BusConfiguration;
import dev.eab.api.NativeMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's MACI step passes its own expectations and reports the bus's real counts. */
class MaciDemoStepTest
{
    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void stepRejectsTheViolationsAndDeliversTheRest(final NativeMode mode) throws Exception
    {
        final MaciDemoStep.Result r = MaciDemoStep.run(BusConfiguration.forTesting().toBuilder().nativeMode(mode).build());
        assertEquals(List.of(), r.failures());
        assertEquals(5, r.maciRejected(), r.lines().toString());
        assertEquals(3, r.delivered(), r.lines().toString());
        assertTrue(r.lines().get(2).contains("allowed roles: judicial"), r.lines().get(2));
        assertTrue(r.lines().get(3).contains("Gödel bypass prevention"), r.lines().get(3));
    }
}
