package dev.eab.core.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** JvmActivity reads counters that only grow, and a difference of two readings is what happened in between. */
class JvmActivityTest
{
    @Test
    void sinceCountsWhatHappenedInBetween()
    {
        final JvmActivity before = JvmActivity.now();
        System.gc();
        final JvmActivity during = JvmActivity.now().since(before);
        assertTrue(during.gcCount() >= 1, "System.gc() is a collection: " + during);
        assertTrue(during.gcTimeMs() >= 0 && during.compilerCpuMs() >= 0, during.toString());
        assertEquals(new JvmActivity(0, 0, 0, 0), before.since(before));
    }

    @Test
    void compilerThreadsAreFoundByName()
    {
        // The JVM running this test has compiled plenty by now; a name nobody has is zero.
        assertTrue(CpuSampler.threadsCpuMs("C1 CompilerThre", "C2 CompilerThre") > 0);
        assertEquals(0, CpuSampler.threadsCpuMs("no-such-thread"));
    }
}
