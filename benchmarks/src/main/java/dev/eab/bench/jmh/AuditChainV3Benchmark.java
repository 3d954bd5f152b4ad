package dev.eab.bench.jmh;

import dev.eab.core.audit.Blake3Java;
import dev.eab.core.audit.Blake3Native;
import dev.eab.core.audit.ChainHasher;
import dev.eab.core.audit.Stop10JavaChainV3;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Chain version 3 (leaf = BLAKE3(record), link = BLAKE3-keyed(previous link, leaf); the leaves of a batch hashed
 * many records at a time) against version 2 (BLAKE3-keyed(previous link, record), one record after another) in
 * the same run, per record of 256 B (the size the target, ≤ 200 ns a chain step, names), Rust (one FFM call per
 * batch) and Java:
 * <ul>
 *   <li>{@code v3Batch64*}, {@code v3Batch16*}: batches of 64 and 16 records, the score per record;</li>
 *   <li>{@code v3Batch1*}: a lone record, which pays its 4 leaf compressions and 1 link with nothing to share
 *   them with (the honest worst case);</li>
 *   <li>{@code v2Batch64*}, {@code v2Batch1*}: the version-2 baseline through the same batch call;</li>
 *   <li>{@code v3Batch64JavaStop10}, {@code v3Batch16JavaStop10}: stop 10's Java batch ({@link Stop10JavaChainV3}),
 *   the same-run baseline of the Java rows.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditChainV3Benchmark
{
    /** The record size the target names. */
    public static final int RECORD_BYTES = 256;
    private static final int LARGE = 64;
    private static final int SMALL = 16;

    private final byte[] link = new byte[ChainHasher.HASH_LENGTH];
    private final byte[] batch = new byte[LARGE * (RECORD_BYTES + ChainHasher.HASH_LENGTH)];
    private final int[] lengths = new int[LARGE];
    private ChainHasher rust;
    private ChainHasher java;
    private Stop10JavaChainV3 javaStop10;

    @Setup(Level.Trial)
    public void setUp()
    {
        for (int i = 0; i < batch.length; i++)
        {
            batch[i] = (byte)(i * 31 + 7);
        }
        Arrays.fill(lengths, RECORD_BYTES);
        rust = new Blake3Native();
        java = new Blake3Java();
        javaStop10 = new Stop10JavaChainV3();
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public byte[] v3Batch64JavaStop10()
    {
        javaStop10.chainBatchV3(link, batch, lengths, LARGE);
        return link;
    }

    @Benchmark
    @OperationsPerInvocation(SMALL)
    public byte[] v3Batch16JavaStop10()
    {
        javaStop10.chainBatchV3(link, batch, lengths, SMALL);
        return link;
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public byte[] v3Batch64Rust()
    {
        rust.chainBatchV3(link, batch, lengths, LARGE);
        return link;
    }

    @Benchmark
    @OperationsPerInvocation(SMALL)
    public byte[] v3Batch16Rust()
    {
        rust.chainBatchV3(link, batch, lengths, SMALL);
        return link;
    }

    @Benchmark
    public byte[] v3Batch1Rust()
    {
        rust.chainBatchV3(link, batch, lengths, 1);
        return link;
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public byte[] v2Batch64Rust()
    {
        rust.chainBatch(link, batch, lengths, LARGE);
        return link;
    }

    @Benchmark
    public byte[] v2Batch1Rust()
    {
        rust.chainBatch(link, batch, lengths, 1);
        return link;
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public byte[] v3Batch64Java()
    {
        java.chainBatchV3(link, batch, lengths, LARGE);
        return link;
    }

    @Benchmark
    @OperationsPerInvocation(SMALL)
    public byte[] v3Batch16Java()
    {
        java.chainBatchV3(link, batch, lengths, SMALL);
        return link;
    }

    @Benchmark
    public byte[] v3Batch1Java()
    {
        java.chainBatchV3(link, batch, lengths, 1);
        return link;
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public byte[] v2Batch64Java()
    {
        java.chainBatch(link, batch, lengths, LARGE);
        return link;
    }

    @Benchmark
    public byte[] v2Batch1Java()
    {
        java.chainBatch(link, batch, lengths, 1);
        return link;
    }
}
