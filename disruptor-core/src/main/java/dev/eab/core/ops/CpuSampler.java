package dev.eab.core.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads Linux CPU accounting so each run can say how much CPU <em>other</em> processes used during its
 * measurement (a benchmark on a shared 2-vCPU machine is only as good as its neighbours are quiet), and
 * how much the hypervisor stole. Returns zeros where /proc is absent.
 */
public final class CpuSampler
{
    /** Kernel clock ticks per second for /proc/stat and /proc/self/stat (USER_HZ, 100 on Linux). */
    static final double USER_HZ = 100.0;

    /** One reading: jiffies busy on all CPUs, jiffies stolen, jiffies used by this process, and when. */
    public record Sample(long busyJiffies, long stealJiffies, long selfJiffies, long nanos)
    {
    }

    private CpuSampler()
    {
    }

    public static Sample sample()
    {
        long busy = 0;
        long steal = 0;
        long self = 0;
        try
        {
            final String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            final long[] f = parseCpuLine(cpu);
            // user nice system idle iowait irq softirq steal ...
            busy = f[0] + f[1] + f[2] + f[5] + f[6];
            steal = f.length > 7 ? f[7] : 0;
            self = parseSelfJiffies(Files.readString(Path.of("/proc/self/stat")));
        }
        catch (final IOException | RuntimeException e)
        {
            // not Linux: report zeros
        }
        return new Sample(busy, steal, self, System.nanoTime());
    }

    static long[] parseCpuLine(final String line)
    {
        final String[] parts = line.trim().split("\\s+");
        final long[] out = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++)
        {
            out[i - 1] = Long.parseLong(parts[i]);
        }
        return out;
    }

    /** @return utime + stime from a /proc stat line (fields 14 and 15; the command may contain spaces). */
    static long parseSelfJiffies(final String stat)
    {
        final String afterComm = stat.substring(stat.lastIndexOf(')') + 2);
        final String[] f = afterComm.trim().split("\\s+");
        // afterComm starts at field 3 (state): utime is field 14 -> index 11, stime field 15 -> index 12.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * @param namePrefixes thread names as the kernel keeps them (at most 15 characters), e.g. "C2 CompilerThre".
     * @return CPU time, in ms, used so far by this process's threads whose name starts with one of the prefixes;
     *     0 where /proc is absent.
     */
    public static long threadsCpuMs(final String... namePrefixes)
    {
        long jiffies = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final String stat = readOrEmpty(task.resolve("stat"));
                final int open = stat.indexOf('(');
                final int close = stat.lastIndexOf(')');
                if (open < 0 || close < open)
                {
                    continue;
                }
                final String name = stat.substring(open + 1, close);
                for (final String prefix : namePrefixes)
                {
                    if (name.startsWith(prefix))
                    {
                        jiffies += parseSelfJiffies(stat);
                        break;
                    }
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // not Linux: report zero
        }
        return Math.round(jiffies * 1000 / USER_HZ);
    }

    /** A thread may end between listing and reading: its stat reads as empty. */
    private static String readOrEmpty(final Path p)
    {
        try
        {
            return Files.readString(p);
        }
        catch (final IOException e)
        {
            return "";
        }
    }

    /** @return CPUs' worth of time used by other processes between the two samples (0.5 = half a core). */
    public static double foreignCores(final Sample a, final Sample b)
    {
        final double seconds = (b.nanos() - a.nanos()) / 1e9;
        if (seconds <= 0)
        {
            return 0;
        }
        final double foreign = (b.busyJiffies() - a.busyJiffies()) - (b.selfJiffies() - a.selfJiffies());
        return Math.max(0, foreign / USER_HZ / seconds);
    }

    /** @return CPUs' worth of time stolen by the hypervisor between the two samples. */
    public static double stealCores(final Sample a, final Sample b)
    {
        final double seconds = (b.nanos() - a.nanos()) / 1e9;
        return seconds <= 0 ? 0 : (b.stealJiffies() - a.stealJiffies()) / USER_HZ / seconds;
    }

    /** @return CPUs' worth of time this process used between the two samples (all its threads, JIT and GC included). */
    public static double selfCores(final Sample a, final Sample b)
    {
        final double seconds = (b.nanos() - a.nanos()) / 1e9;
        return seconds <= 0 ? 0 : (b.selfJiffies() - a.selfJiffies()) / USER_HZ / seconds;
    }

    /**
     * @return CPU time (ns) used so far by this JVM's live Java threads other than the calling thread (the
     * producer) and {@code excludedThreadId} (the hiccup meter): the delivery side (the bus or consumer thread).
     * Threads that ended in between are not counted.
     */
    public static long otherThreadsCpuNanos(final long excludedThreadId)
    {
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported())
        {
            return 0;
        }
        final long self = Thread.currentThread().threadId();
        long sum = 0;
        for (final long id : mx.getAllThreadIds())
        {
            if (id != self && id != excludedThreadId)
            {
                sum += Math.max(0, mx.getThreadCpuTime(id));
            }
        }
        return sum;
    }
}
