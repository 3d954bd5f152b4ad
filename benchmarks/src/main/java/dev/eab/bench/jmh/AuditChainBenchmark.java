package dev.eab.bench.jmh;

import dev.eab.core.audit.AuditChainWriter;
import dev.eab.core.audit.AuditEntry;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.Blake3Java;
import dev.eab.core.audit.Blake3Native;
import dev.eab.core.audit.ChainHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The audit chain's per-record costs: one BLAKE3 chain step over a 256-byte record (Rust through FFM, and
 * Bouncy Castle; target ≤ 200 ns each), and a whole append (encode a decision record, chain it, append it to
 * the Chronicle queue) on the writer thread, whose inverse is the writer's throughput (target ≥ 1 M records/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditChainBenchmark
{
    /** The record size the targets name. */
    public static final int RECORD_BYTES = 256;

    private final byte[] record = new byte[RECORD_BYTES];
    private final byte[] link = new byte[ChainHasher.HASH_LENGTH];
    private ChainHasher rust;
    private ChainHasher java;
    private Path dir;
    private AuditChainWriter writer;
    private AuditEntry entry;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        for (int i = 0; i < record.length; i++)
        {
            record[i] = (byte)(i * 31 + 7);
        }
        rust = new Blake3Native();
        java = new Blake3Java();
        dir = Files.createTempDirectory("eab-jmh-audit");
        writer = new AuditChainWriter(dir, new Blake3Native());
        // A typical accept: message and conversation ids (UUIDs), agent, tenant, policy version, hash, one tag, two metadata pairs.
        entry = new AuditEntry(AuditKind.ACCEPT, 0, AuditEntry.nowNanos(), "4f6c1f5e-3b7a-4c1e-9d2a-0b8e5f7a6c31",
            "9a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d", "acme-planner", "acme", "default-1", 0.42, "accept", "cdd01ef066bc6cf2",
            List.of("delivery"), Map.of("recipient", "acme-risk", "message_type", "query"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        writer.close();
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public byte[] chainStepRust()
    {
        rust.step(link, record, 0, RECORD_BYTES, link);
        return link;
    }

    @Benchmark
    public byte[] chainStepJava()
    {
        java.step(link, record, 0, RECORD_BYTES, link);
        return link;
    }

    /** Encode + BLAKE3 (Rust) + Chronicle append of one decision record: the writer thread's cost per record. */
    @Benchmark
    public long appendRecord()
    {
        return writer.append(entry);
    }
}
