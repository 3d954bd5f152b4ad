package dev.eab.bench.jmh;

import dev.eab.api.BusConfiguration;
import dev.eab.api.Constitution;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.bench.EabSeries;
import dev.eab.bench.HeaderFill;
import dev.eab.bench.SystemUnderTest;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.maci.MaciGate;
import dev.eab.core.maci.MaciTables;
import dev.eab.core.maci.OutputProvenance;
import dev.eab.core.registry.AgentRecord;
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
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What MACI adds per message. The validator with and without the MACI tables on the same header (a judicial
 * agent's constitutional_validation naming an implementer's output, so every MACI check runs to the end: role,
 * action, target output, cross-role), in Rust and in the Java twin; the bus-thread work around it
 * ({@link MaciGate#fill}: the content look-ups and the provenance probe) and the provenance record every accepted
 * message costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaciBenchmark
{
    private NativeValidationStrategy nativePlain;
    private NativeValidationStrategy nativeMaci;
    private JavaValidationStrategy javaPlain;
    private JavaValidationStrategy javaMaci;
    private MemorySegment header;
    private EnhancedAgentBus bus;
    private MaciGate gate;
    private AgentRecord judge;
    private Map<String, Object> content;
    private OutputProvenance provenance;
    private long nextId;

    @Setup(Level.Trial)
    public void setUp()
    {
        final PolicyTable policy = PolicyCompiler.load(null);
        final int maxSize = BusConfiguration.DEFAULT_MAX_MESSAGE_SIZE_BYTES;
        final MaciTables tables = MaciTables.reference(true);
        nativePlain = new NativeValidationStrategy(Constitution.HASH, maxSize, policy);
        nativeMaci = new NativeValidationStrategy(Constitution.HASH, maxSize, policy, tables);
        javaPlain = new JavaValidationStrategy(Constitution.HASH, maxSize, policy);
        javaMaci = new JavaValidationStrategy(Constitution.HASH, maxSize, policy, tables);

        bus = new EnhancedAgentBus(BusConfiguration.builder().nativeMode(NativeMode.OFF).enableMaci(true).build());
        bus.registerAgent("judge", "judicial", Set.of(), EabSeries.TENANT, MaciRole.JUDICIAL);
        bus.registerAgent("builder", "worker", Set.of(), EabSeries.TENANT, MaciRole.IMPLEMENTER);
        bus.maci().recordOutput("builder", "build-output-0001");
        judge = bus.registry().byId("judge");
        gate = bus.maci().gate();
        provenance = bus.maci().provenance();
        content = dev.eab.api.AgentMessage.builder().fromAgent("judge").toAgent("builder")
            .content(Map.of("target_output_id", "build-output-0001", "verdict", "conforms")).build().content();

        header = Arena.ofAuto().allocate(MessageHeaderDescriptor.LENGTH, MessageHeaderDescriptor.ALIGNMENT);
        HeaderFill.writeHash(header, Constitution.HASH);
        final int flags = HeaderFill.FLAGS_ALL_REGISTERED | gate.fill(header, judge, MessageType.CONSTITUTIONAL_VALIDATION.ordinal(), content);
        HeaderFill.writeFields(header, 17, SystemUnderTest.PAYLOAD_BYTES, flags, 0, 0, 0, policy.tenantId(EabSeries.TENANT),
            policy.senderTypeId("judicial"), MessageType.CONSTITUTIONAL_VALIDATION.ordinal(), policy.capabilityMask(Set.of()));
        if (header.get(ValueLayout.JAVA_BYTE, MessageHeaderDescriptor.PRODUCER_ROLE_OFFSET) != (byte)MaciRole.IMPLEMENTER.ordinal())
        {
            throw new IllegalStateException("the gate did not resolve the producer");
        }
        for (final var v : new dev.eab.core.validate.ValidationStrategy[] {nativePlain, nativeMaci, javaPlain, javaMaci})
        {
            final int code = v.validate(header);
            if (code != 0)
            {
                throw new IllegalStateException(v.name() + " rejected the benchmark header with code " + code);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        nativePlain.close();
        nativeMaci.close();
        bus.close();
    }

    @Benchmark
    public int nativeValidateWithoutMaci()
    {
        return nativePlain.validate(header);
    }

    @Benchmark
    public int nativeValidateWithMaci()
    {
        return nativeMaci.validate(header);
    }

    @Benchmark
    public int javaValidateWithoutMaci()
    {
        return javaPlain.validate(header);
    }

    @Benchmark
    public int javaValidateWithMaci()
    {
        return javaMaci.validate(header);
    }

    /** The bus-thread half: role bytes, the two content look-ups, hashing the target id, the provenance probe. */
    @Benchmark
    public int gateFill()
    {
        return gate.fill(header, judge, MessageType.CONSTITUTIONAL_VALIDATION.ordinal(), content);
    }

    /** Every accepted message becomes its sender's output: hash its id and insert (FIFO eviction at the bound). */
    @Benchmark
    public void recordFlyweightOutput()
    {
        provenance.record(provenance.keyOf(nextId++), 1, MaciRole.IMPLEMENTER.ordinal());
    }
}
