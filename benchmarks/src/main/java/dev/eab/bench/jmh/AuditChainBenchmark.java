package dev.eab.bench.jmh;

import dev.eab.api.AuditBackpressure;
import dev.eab.core.audit.AuditChainWriter;
import dev.eab.core.audit.AuditLog;
import dev.eab.core.audit.AuditEntry;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.Blake3Java;
import dev.eab.core.audit.Blake3Native;
import dev.eab.core.audit.ChainHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The audit chain's per-record costs, each with its pre-version-2 baseline in the same run:
 * <ul>
 *   <li>one chain step over a 256-byte record (target ≤ 200 ns, Rust and Java): {@code chainStepRustKeyed}
 *   and {@code chainStepJavaKeyed} (version 2, keyed, the hand-written Java BLAKE3) against
 *   {@code chainStepRust}/{@code chainStepJava} (version 1, {@code BLAKE3(prev || record)}, Bouncy Castle in
 *   Java) and {@code chainStepJavaKeyedBouncyCastle};</li>
 *   <li>{@code chainBatchRust}: 256 records of 256 B through one FFM call, per record;</li>
 *   <li>the writer thread's cost per record, whose inverse is its throughput (target ≥ 1 M records/s):
 *   {@code appendRecord} (batched: one hashing call and one Chronicle document per batch) against
 *   {@code appendRecordOnePerDocument} (a document and a hashing call per record, as before);</li>
 *   <li>{@code auditLogRecord}: a producer handing records through the log's ring to the writer thread
 *   (BLOCK): in steady state the producer waits for the writer, so this is the log's throughput end to end.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditChainBenchmark
{
    /** The record size the targets name. */
    public static final int RECORD_BYTES = 256;
    /** Records per batch in {@code chainBatchRust}. */
    public static final int BATCH_RECORDS = 256;

    private final byte[] record = new byte[RECORD_BYTES];
    private final byte[] link = new byte[ChainHasher.HASH_LENGTH];
    private ChainHasher rust;
    private ChainHasher java;
    private Path dir;
    private AuditChainWriter writer;
    private AuditEntry entry;
    private final byte[] batch = new byte[BATCH_RECORDS * (RECORD_BYTES + ChainHasher.HASH_LENGTH)];
    private final int[] batchLengths = new int[BATCH_RECORDS];
    private Path singleDir;
    private AuditChainWriter singleWriter;
    private Path logDir;
    private AuditLog log;

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
        singleDir = Files.createTempDirectory("eab-jmh-audit-single");
        singleWriter = new AuditChainWriter(singleDir, new Blake3Native());
        logDir = Files.createTempDirectory("eab-jmh-audit-log");
        log = new AuditLog(logDir, new Blake3Native(), AuditBackpressure.BLOCK, 16_384, 0);
        Arrays.fill(batchLengths, RECORD_BYTES);
        // A typical accept: message and conversation ids (UUIDs), agent, tenant, policy version, hash, one tag, two metadata pairs.
        entry = new AuditEntry(AuditKind.ACCEPT, 0, AuditEntry.nowNanos(), "4f6c1f5e-3b7a-4c1e-9d2a-0b8e5f7a6c31",
            "9a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d", "acme-planner", "acme", "default-1", 0.42, "accept", "cdd01ef066bc6cf2",
            List.of("delivery"), Map.of("recipient", "acme-risk", "message_type", "query"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        writer.close();
        singleWriter.close();
        log.close();
        for (final Path d : List.of(dir, singleDir, logDir))
        {
            try (Stream<Path> s = Files.walk(d))
            {
                for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
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

    /** Version 2: BLAKE3 keyed by the previous link (4 blocks for 256 B), Rust through FFM. */
    @Benchmark
    public byte[] chainStepRustKeyed()
    {
        rust.keyedStep(link, record, 0, RECORD_BYTES, link);
        return link;
    }

    /** Version 2 in Java: the hand-written allocation-free keyed BLAKE3 ({@code Blake3Keyed}). */
    @Benchmark
    public byte[] chainStepJavaKeyed()
    {
        java.keyedStep(link, record, 0, RECORD_BYTES, link);
        return link;
    }

    /** Version 2 through Bouncy Castle's keyed {@code Blake3Digest}: the reference the hand-written one replaces. */
    @Benchmark
    public byte[] chainStepJavaKeyedBouncyCastle()
    {
        ((Blake3Java)java).keyedReference(link, record, 0, RECORD_BYTES, link);
        return link;
    }

    /** 256 records of 256 B chained in one FFM call; the score is per record. */
    @Benchmark
    @OperationsPerInvocation(BATCH_RECORDS)
    public byte[] chainBatchRust()
    {
        rust.chainBatch(link, batch, batchLengths, BATCH_RECORDS);
        return link;
    }

    /** Encode + stage one decision record; per batch one keyed hashing call and one Chronicle document: the writer thread's cost per record. */
    @Benchmark
    public long appendRecord()
    {
        return writer.append(entry);
    }

    /** Baseline: the same record committed on its own (a hashing call and a Chronicle document per record, as before batching). */
    @Benchmark
    public long appendRecordOnePerDocument()
    {
        final long sequence = singleWriter.append(entry);
        singleWriter.commit();
        return sequence;
    }

    /** A producer handing a record to the log's writer thread through its ring (BLOCK): in steady state, the log's throughput. */
    @Benchmark
    public AuditLog auditLogRecord()
    {
        log.record(entry);
        return log;
    }
}
