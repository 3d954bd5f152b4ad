package dev.eab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time per live thread, by name, so a run can say which thread a saturation figure is bound by: the producer
 * (the driver's thread) or the delivery side (the bus thread), and what the helpers (metering, reporters) cost.
 * Read before and after the measured window; the difference over the messages delivered is each thread's CPU
 * nanoseconds per message ({@code thread_cpu_ns_per_msg.<name>} in the results). Threads of the same name add up.
 */
final class ThreadCpu
{
    private static final long MIN_REPORTED_NANOS = 1_000_000;

    private ThreadCpu()
    {
    }

    /** @return CPU ns used so far, by thread id (empty when the JVM does not measure thread CPU). */
    static Map<Long, Long> sample()
    {
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final Map<Long, Long> cpu = new HashMap<>();
        if (!mx.isThreadCpuTimeSupported())
        {
            return cpu;
        }
        for (final long id : mx.getAllThreadIds())
        {
            final long t = mx.getThreadCpuTime(id);
            if (t >= 0)
            {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    /**
     * @return per thread name, CPU ns per message between the two samples, for threads that used at least 1 ms
     * (a thread started in between counts from zero); the calling thread is named {@code producer}.
     */
    static Map<String, String> perMessage(final Map<Long, Long> before, final Map<Long, Long> after, final long messages)
    {
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final long self = Thread.currentThread().threadId();
        final Map<String, Long> byName = new TreeMap<>();
        for (final Map.Entry<Long, Long> e : after.entrySet())
        {
            final long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (used < MIN_REPORTED_NANOS)
            {
                continue;
            }
            final ThreadInfo info = mx.getThreadInfo(e.getKey());
            final String name = e.getKey() == self ? "producer" : info == null ? "thread-" + e.getKey() : info.getThreadName();
            byName.merge(name, used, Long::sum);
        }
        final Map<String, String> out = new TreeMap<>();
        byName.forEach((name, used) -> out.put("thread_cpu_ns_per_msg." + name.replace(' ', '_'),
            String.format(java.util.Locale.ROOT, "%.1f", messages == 0 ? 0.0 : (double)used / messages)));
        return out;
    }
}
