package dev.eab.bench;

import dev.eab.core.ops.HiccupMeter;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.DataFormatException;

/**
 * What one child JVM measured for one (series, rate): the latency histogram (ns), counts, and the
 * hiccup meter's histogram over the same measurement window. Travels from child to parent as a
 * properties file with the histograms in HdrHistogram's compressed encoding, base64.
 */
public final class RunResult
{
    public String series;
    public long offeredPerSec;
    public double warmupSec;
    public double measureSec;
    public String waitStrategy = "";
    /** Messages sent during the measurement phase. */
    public long sent;
    /** Messages delivered between the start and the end of the measurement phase's sending. */
    public long deliveredInWindow;
    public double achievedPerSec;
    public long rejected;
    public long retries;
    public long maxSendLagNanos;
    public long gcCount;
    public long gcTimeMs;
    public String hiccupMode = "OFF";
    /** CPUs' worth of time other processes used during the measurement (noise from neighbours). */
    public double foreignCpuCores;
    /** CPUs' worth of time the hypervisor reported stolen during the measurement. */
    public double stealCores;
    /** CPUs' worth of time this child used during the measurement (the spinning producer is one of them). */
    public double selfCpuCores;
    /** CPUs' worth of time the delivery side (bus or consumer thread; not the producer or the meter) used. */
    public double deliveryCpuCores;
    public Histogram latency = newHistogram();
    public Histogram hiccups = newHistogram();
    public Map<String, String> details = new LinkedHashMap<>();
    /** Set by the parent when the child failed; then the numbers are meaningless. */
    public String error;

    public static Histogram newHistogram()
    {
        return new Histogram(1, LatencySink.HIGHEST_TRACKABLE_NANOS, LatencySink.SIGNIFICANT_DIGITS);
    }

    public boolean saturation()
    {
        return offeredPerSec == Schedule.SATURATION;
    }

    public long hiccupsOver1ms()
    {
        return HiccupMeter.countOver1ms(hiccups);
    }

    public double hiccupsOver1msPerSec()
    {
        return measureSec <= 0 ? 0 : hiccupsOver1ms() / measureSec;
    }

    /** @return milliseconds per measured second the hiccup meter spent stalled (sum of recorded gaps). */
    public double hiccupStallMsPerSec()
    {
        return measureSec <= 0 ? 0 : hiccups.getMean() * hiccups.getTotalCount() / 1e6 / measureSec;
    }

    /** @return recorded gaps (all above the meter's floor) per measured second. */
    public double hiccupsPerSec()
    {
        return measureSec <= 0 ? 0 : hiccups.getTotalCount() / measureSec;
    }

    /** @return a file-name-safe key like {@code eab-native_100000} or {@code eab-native_saturation}. */
    public String key()
    {
        return series + "_" + (saturation() ? "saturation" : Long.toString(offeredPerSec));
    }

    public void write(final Path file) throws IOException
    {
        final Properties p = new Properties();
        p.setProperty("series", series);
        p.setProperty("offered_per_s", Long.toString(offeredPerSec));
        p.setProperty("warmup_s", Double.toString(warmupSec));
        p.setProperty("measure_s", Double.toString(measureSec));
        p.setProperty("wait_strategy", waitStrategy);
        p.setProperty("sent", Long.toString(sent));
        p.setProperty("delivered_in_window", Long.toString(deliveredInWindow));
        p.setProperty("achieved_per_s", Double.toString(achievedPerSec));
        p.setProperty("rejected", Long.toString(rejected));
        p.setProperty("retries", Long.toString(retries));
        p.setProperty("max_send_lag_ns", Long.toString(maxSendLagNanos));
        p.setProperty("gc_count", Long.toString(gcCount));
        p.setProperty("gc_time_ms", Long.toString(gcTimeMs));
        p.setProperty("hiccup_mode", hiccupMode);
        p.setProperty("foreign_cpu_cores", Double.toString(foreignCpuCores));
        p.setProperty("steal_cores", Double.toString(stealCores));
        p.setProperty("self_cpu_cores", Double.toString(selfCpuCores));
        p.setProperty("delivery_cpu_cores", Double.toString(deliveryCpuCores));
        p.setProperty("latency", encode(latency));
        p.setProperty("hiccups", encode(hiccups));
        details.forEach((k, v) -> p.setProperty("detail." + k, v));
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))
        {
            p.store(w, "eab open-loop run");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static RunResult read(final Path file) throws IOException
    {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(r);
        }
        final RunResult x = new RunResult();
        x.series = p.getProperty("series");
        x.offeredPerSec = Long.parseLong(p.getProperty("offered_per_s"));
        x.warmupSec = Double.parseDouble(p.getProperty("warmup_s"));
        x.measureSec = Double.parseDouble(p.getProperty("measure_s"));
        x.waitStrategy = p.getProperty("wait_strategy", "");
        x.sent = Long.parseLong(p.getProperty("sent"));
        x.deliveredInWindow = Long.parseLong(p.getProperty("delivered_in_window"));
        x.achievedPerSec = Double.parseDouble(p.getProperty("achieved_per_s"));
        x.rejected = Long.parseLong(p.getProperty("rejected"));
        x.retries = Long.parseLong(p.getProperty("retries"));
        x.maxSendLagNanos = Long.parseLong(p.getProperty("max_send_lag_ns"));
        x.gcCount = Long.parseLong(p.getProperty("gc_count"));
        x.gcTimeMs = Long.parseLong(p.getProperty("gc_time_ms"));
        x.hiccupMode = p.getProperty("hiccup_mode", "OFF");
        x.foreignCpuCores = Double.parseDouble(p.getProperty("foreign_cpu_cores", "0"));
        x.stealCores = Double.parseDouble(p.getProperty("steal_cores", "0"));
        x.selfCpuCores = Double.parseDouble(p.getProperty("self_cpu_cores", "0"));
        x.deliveryCpuCores = Double.parseDouble(p.getProperty("delivery_cpu_cores", "0"));
        x.latency = decode(p.getProperty("latency"));
        x.hiccups = decode(p.getProperty("hiccups"));
        p.stringPropertyNames().stream().filter(k -> k.startsWith("detail.")).sorted()
            .forEach(k -> x.details.put(k.substring("detail.".length()), p.getProperty(k)));
        return x;
    }

    static String encode(final Histogram h)
    {
        final ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        final int n = h.encodeIntoCompressedByteBuffer(buf);
        final byte[] bytes = new byte[n];
        buf.flip();
        buf.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(final String text) throws IOException
    {
        try
        {
            final Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
            final Histogram out = newHistogram();
            out.add(h);
            return out;
        }
        catch (final DataFormatException e)
        {
            throw new IOException("bad histogram encoding", e);
        }
    }
}
