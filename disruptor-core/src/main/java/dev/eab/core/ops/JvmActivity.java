package dev.eab.core.ops;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the JVM itself did between two readings: garbage collections and JIT compilation. On a 2-vCPU host
 * where a producer and the bus thread each hold a core, a compiler or GC thread that wakes up must take a
 * core from one of them for a scheduler slice (milliseconds), so a latency measurement names these beside
 * its percentiles. Cumulative counters from the platform MXBeans; -1 where the JVM does not report them.
 *
 * @param gcCount         collections so far, all collectors.
 * @param gcTimeMs        their accumulated time.
 * @param compilationMs   accumulated time of finished JIT compilations (wall time, summed over compiler threads).
 * @param compilerCpuMs   CPU time the compiler threads used so far, finished compilations or not (Linux; 0 elsewhere):
 *                        a long C2 compilation shows here while it runs, in {@code compilationMs} only once done.
 */
public record JvmActivity(long gcCount, long gcTimeMs, long compilationMs, long compilerCpuMs)
{
    /** HotSpot's compiler threads, as the kernel names them (truncated to 15 characters). */
    private static final String[] COMPILER_THREADS = {"C1 CompilerThre", "C2 CompilerThre"};

    /** @return the counters now. */
    public static JvmActivity now()
    {
        long count = 0;
        long time = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
            time += Math.max(0, gc.getCollectionTime());
        }
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final long compilation = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
        return new JvmActivity(count, time, compilation, CpuSampler.threadsCpuMs(COMPILER_THREADS));
    }

    /** @return what happened from {@code earlier} to this reading. */
    public JvmActivity since(final JvmActivity earlier)
    {
        return new JvmActivity(gcCount - earlier.gcCount, gcTimeMs - earlier.gcTimeMs,
            compilationMs < 0 || earlier.compilationMs < 0 ? -1 : compilationMs - earlier.compilationMs, compilerCpuMs - earlier.compilerCpuMs);
    }
}
