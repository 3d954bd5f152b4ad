package dev.eab.bench.jmh;

import dev.eab.api.BusConfiguration;
import dev.eab.api.Constitution;
import dev.eab.api.MessageType;
import dev.eab.bench.EabSeries;
import dev.eab.bench.HeaderFill;
import dev.eab.bench.SystemUnderTest;
import dev.eab.core.validate.CompositeValidationStrategy;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.MessageHeaderDescriptor;
import dev.eab.core.validate.NativeValidationStrategy;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Per-message validation cost on a header filled as the bus fills it for an accepted 64-byte EVENT
 * (all checks run to the end, policy evaluated with the default policy): the Rust downcall, the Java
 * twin, and the composite (native behind the circuit breaker) the bus really calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ValidateBenchmark
{
    private JavaValidationStrategy java;
    private NativeValidationStrategy nativeStrategy;
    private CompositeValidationStrategy composite;
    private MemorySegment header;

    @Setup(Level.Trial)
    public void setUp()
    {
        final PolicyTable policy = PolicyCompiler.load(null);
        final int maxSize = BusConfiguration.DEFAULT_MAX_MESSAGE_SIZE_BYTES;
        java = new JavaValidationStrategy(Constitution.HASH, maxSize, policy);
        nativeStrategy = new NativeValidationStrategy(Constitution.HASH, maxSize, policy);
        composite = new CompositeValidationStrategy(new NativeValidationStrategy(Constitution.HASH, maxSize, policy), java);
        header = Arena.ofAuto().allocate(MessageHeaderDescriptor.LENGTH, MessageHeaderDescriptor.ALIGNMENT);
        fillAccepted(header, policy);
        for (final var v : new dev.eab.core.validate.ValidationStrategy[] {java, nativeStrategy, composite})
        {
            final int code = v.validate(header);
            if (code != 0)
            {
                throw new IllegalStateException(v.name() + " rejected the benchmark header with code " + code);
            }
        }
    }

    /** Fills {@code h} like ValidateStage does for an accepted flyweight EVENT between two "worker" agents of one tenant. */
    public static void fillAccepted(final MemorySegment h, final PolicyTable policy)
    {
        HeaderFill.writeHash(h, Constitution.HASH);
        HeaderFill.writeFields(h, Long.BYTES, SystemUnderTest.PAYLOAD_BYTES, HeaderFill.FLAGS_ALL_REGISTERED, 0, 0, 0,
            policy.tenantId(EabSeries.TENANT), policy.senderTypeId("worker"), MessageType.EVENT.ordinal(), policy.capabilityMask(Set.of()));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        nativeStrategy.close();
        composite.close();
    }

    @Benchmark
    public int nativeValidate()
    {
        return nativeStrategy.validate(header);
    }

    @Benchmark
    public int javaValidate()
    {
        return java.validate(header);
    }

    @Benchmark
    public int compositeValidate()
    {
        return composite.validate(header);
    }
}
