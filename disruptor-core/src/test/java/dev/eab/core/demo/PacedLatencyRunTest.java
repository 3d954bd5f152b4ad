package dev.eab.core.demo;

import dev.eab.api.BusConfiguration;
import dev.eab.api.IdleStrategy;
import dev.eab.api.MaciRole;
import dev.eab.api.NativeMode;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The paced run measures every paced message once, refuses none, and reports the machine beside it (no timing asserted). */
class PacedLatencyRunTest
{
    static final PacedLatencyRun.Settings SMALL = new PacedLatencyRun.Settings(20_000, 2_000, 500, 1, 3);

    @Test
    void measuresEveryMessageOfTheWindowAndNamesTheMachine()
    {
        final BusConfiguration config = BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.OFF).ringSize(1024)
            .idleStrategy(IdleStrategy.BLOCKING).build();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
        {
            bus.start();
            bus.registerAgent("feed", "feed", Set.of(), "acme", MaciRole.IMPLEMENTER);
            bus.registerAgent("exec", "executor", Set.of(), "acme", MaciRole.IMPLEMENTER);
            final PacedLatencyRun.Result r = new PacedLatencyRun(bus, "feed", "exec", SMALL).run();

            assertEquals(SMALL.measuredMessages(), r.latency().getTotalCount(), "warm-up windows are dropped, every measured message counted once");
            assertEquals(0, r.rejected());
            assertTrue(r.warmupSeconds() > 0);
            assertTrue(r.seconds() > 0);
            assertTrue(r.us(50) <= r.us(99) && r.us(99) <= r.us(99.9));
            assertTrue(r.latencyLine().startsWith("2,000 messages at 20,000 msg/s, p50 "), r.latencyLine());
            assertTrue(r.machineLine().matches("hiccups max [0-9.]+ ms, \\d+ over 1 ms in [0-9.]+ s; other processes [0-9.]+ CPU; "
                + "JVM \\d+ GC, JIT \\d+ ms CPU \\(after [0-9.]+ s warm-up\\); p99 .+"), r.machineLine());
            assertEquals(List.of("p50_us", "p99_us", "p999_us", "max_us", "hiccup_max_ms", "hiccups_over_1ms", "others_cpu",
                "gc_during", "jit_cpu_ms_during"), List.copyOf(r.toMap().keySet()));
            final long warmupMessages = bus.metrics().delivered() - SMALL.measuredMessages();
            assertEquals(0, warmupMessages % SMALL.warmupMessages(), "whole warm-up windows only: " + warmupMessages);
            assertTrue(warmupMessages >= (long)SMALL.minWarmups() * SMALL.warmupMessages(), "at least the minimum warm-up");
            assertTrue(warmupMessages <= (long)SMALL.maxWarmups() * SMALL.warmupMessages(), "at most the maximum warm-up");
        }
    }

    @Test
    void theReadingSaysWhoseTailAnOverPromiseP99Is()
    {
        assertEquals("p99 under 1 ms", PacedLatencyRun.reading(999.9, 50, 1.9, 2));
        // Measured here at load 20: p99 18.7 ms while a sleeping thread stalled up to 28.16 ms.
        assertEquals("p99 over 1 ms, within the machine's own stalls (up to 28.16 ms): the host's tail",
            PacedLatencyRun.reading(18_726.91, 28.16, 1.46, 2));
        assertEquals("p99 over 1 ms, within the machine's own stalls (up to 1.00 ms): the host's tail",
            PacedLatencyRun.reading(1_000, 1.0, 0, 2), "a stall as long as the p99 explains it");
        assertEquals("p99 over 1 ms; other processes left 0.60 of 2 cores for the producer and the bus thread: contention for cores",
            PacedLatencyRun.reading(175_898.62, 126.16, 1.40, 2));
        assertEquals("p99 over 1 ms; other processes left 0.00 of 2 cores for the producer and the bus thread: contention for cores",
            PacedLatencyRun.reading(5_000, 1, 2.3, 2), "more than the machine's cores (sampling edges) reads as none left");
        assertEquals("p99 over 1 ms on a quiet machine: the bus's own tail", PacedLatencyRun.reading(3_000, 0.5, 0.2, 2),
            "a few daemons' crumbs are not contention");
        assertEquals("p99 over 1 ms; other processes left 1.50 of 2 cores for the producer and the bus thread: contention for cores",
            PacedLatencyRun.reading(3_000, 0.5, 0.5, 2), "half a core taken is");
        assertEquals("p99 over 1 ms on a quiet machine: the bus's own tail", PacedLatencyRun.reading(3_000, 0.5, 1.9, 4),
            "a bigger machine has cores to spare");
    }
}
