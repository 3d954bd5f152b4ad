package dev.eab.bench.audit;

import dev.eab.core.audit.AuditEntry;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.AuditRecordDescriptor;
import dev.eab.core.audit.Blake3Native;
import dev.eab.core.audit.ChainHasher;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the compact record body ({@code EAB4}) saves the chain, in thread CPU time: the same bus decision record (the
 * bench's sender, tenant, recipient and a flyweight correlation id) encoded with the compact body and with the int32
 * body every log before it used, each chained (version 3, Rust, one FFM call per batch of 64) in the same JVM and run.
 *
 * <p>{@code java @jvm.options -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt):disruptor-core/target/cli-lib/*"
 * dev.eab.bench.audit.AuditRecordSizeMain [rounds]}
 */
public final class AuditRecordSizeMain
{
    private static final int BATCH = 64;
    private static final int CALLS = 400_000 / BATCH;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AuditRecordSizeMain()
    {
    }

    public static void main(final String[] args)
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("recipient", "bench-recipient");
        meta.put("message_type_code", "4");
        meta.put("path", "flyweight");
        final AuditEntry e = new AuditEntry(AuditKind.ACCEPT, 0, 1_764_640_000_000_000_000L, "1234567", "", "bench-sender", "bench",
            "policy-v1", Double.NaN, "accept", "cdd01ef066bc6cf2", List.of("delivery"), meta);
        final AuditRecordDescriptor.Encoder enc = new AuditRecordDescriptor.Encoder();
        final int compactLength = enc.encode(0, e);
        final byte[] compact = Arrays.copyOf(enc.bytes(), compactLength);
        final byte[] wide = intBody(compact, e);
        final ChainHasher rust = new Blake3Native();
        System.out.printf(Locale.ROOT, "compact body vs int32 body: %d rounds, load %.2f; records %d B vs %d B, chain v3 Rust, batches of %d%n",
            rounds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), compact.length, wide.length, BATCH);
        for (int pass = 0; pass < 2; pass++)
        {
            measure("int32 body (" + wide.length + " B)", rounds, wide, rust);
            measure("compact body (" + compact.length + " B)", rounds, compact, rust);
        }
    }

    /** The int32-prefixed body (logs before EAB4) of the same record. */
    private static byte[] intBody(final byte[] compact, final AuditEntry e)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (final String s : List.of(e.traceId(), e.spanId(), e.agentId(), e.tenantId(), e.policyVersion(), e.decision(), e.constitutionalHash()))
        {
            string(body, s);
        }
        count(body, e.complianceTags().size());
        e.complianceTags().forEach(t -> string(body, t));
        count(body, e.metadata().size());
        e.metadata().forEach((k, v) ->
        {
            string(body, k);
            string(body, v);
        });
        final byte[] b = body.toByteArray();
        final ByteBuffer out = ByteBuffer.allocate(AuditRecordDescriptor.HEADER_LENGTH + b.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(compact, 0, AuditRecordDescriptor.HEADER_LENGTH).put(b);
        out.putInt(AuditRecordDescriptor.MAGIC_OFFSET, AuditRecordDescriptor.MAGIC_V3).putInt(AuditRecordDescriptor.BODY_LENGTH_OFFSET, b.length);
        return out.array();
    }

    private static void string(final ByteArrayOutputStream out, final String s)
    {
        final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        count(out, utf8.length);
        out.writeBytes(utf8);
    }

    private static void count(final ByteArrayOutputStream out, final int n)
    {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array());
    }

    private static void measure(final String name, final int rounds, final byte[] record, final ChainHasher hasher)
    {
        final int stride = record.length + ChainHasher.HASH_LENGTH;
        final byte[] batch = new byte[BATCH * stride];
        final int[] lengths = new int[BATCH];
        for (int i = 0; i < BATCH; i++)
        {
            System.arraycopy(record, 0, batch, i * stride, record.length);
            lengths[i] = record.length;
        }
        final byte[] link = new byte[ChainHasher.HASH_LENGTH];
        for (int w = 0; w < 3 * CALLS; w++)
        {
            hasher.chainBatchV3(link, batch, lengths, BATCH);
        }
        final double[] cpu = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            final long c0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < CALLS; i++)
            {
                hasher.chainBatchV3(link, batch, lengths, BATCH);
            }
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / (double)CALLS / BATCH;
        }
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-40s cpu ns/record median %7.1f best %7.1f%n", name, cpu[rounds / 2], cpu[0]);
    }
}
