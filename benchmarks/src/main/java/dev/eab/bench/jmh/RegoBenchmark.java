package dev.eab.bench.jmh;

import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.validate.ContentDigest;
import dev.eab.core.validate.RegoPolicyStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the Rego step adds per message on the bus thread, measured as the stage runs it for a 64-byte flyweight
 * payload: the content digest plus {@link RegoPolicyStrategy#decide}. {@code cached}: the same input every time,
 * answered by the decision cache (target: ≤ 100 ns at p50). {@code uncached}: a cache of 0 entries, so every call
 * encodes the compact input and evaluates a simple policy in regorus through FFM (target: ≤ 20 µs). The benchmark
 * thread owns the strategy as the bus thread would (the bus is built, never started).
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegoBenchmark
{
    /** A simple policy: a set membership, a data look-up and a non-empty role. */
    static final String POLICY = """
        package eab

        import rego.v1

        default allow := false

        allow if {
            input.message_type in {"command", "query", "event"}
            input.sender_role != ""
            not data.blocked_senders[input.sender]
        }
        """;

    private Path dir;
    private EnhancedAgentBus cachedBus;
    private EnhancedAgentBus uncachedBus;
    private RegoPolicyStrategy cached;
    private RegoPolicyStrategy uncached;
    private AgentRecord sender;
    private AgentRecord recipient;
    private AgentRecord uncachedSender;
    private AgentRecord uncachedRecipient;
    private final ContentDigest digest = new ContentDigest();
    private final byte[] payload = new byte[64];

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("eab-rego-bench-");
        Files.writeString(dir.resolve("allow.rego"), POLICY);
        Files.writeString(dir.resolve("data.json"), "{\"blocked_senders\": {\"mallory\": true}}");
        final BusConfiguration config = BusConfiguration.builder().nativeMode(NativeMode.REQUIRED).regoDir(dir).regoWatch(false).build();
        cachedBus = new EnhancedAgentBus(config);
        uncachedBus = new EnhancedAgentBus(config.withRegoCacheEntries(0));
        cached = cachedBus.rego();
        uncached = uncachedBus.rego();
        sender = register(cachedBus, "alice", MaciRole.EXECUTIVE);
        recipient = register(cachedBus, "bob", MaciRole.IMPLEMENTER);
        uncachedSender = register(uncachedBus, "alice", MaciRole.EXECUTIVE);
        uncachedRecipient = register(uncachedBus, "bob", MaciRole.IMPLEMENTER);
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)('a' + i % 26);
        }
        if (cachedStep() != 0 || uncachedStep() != 0)
        {
            throw new IllegalStateException("the benchmark input must be allowed");
        }
    }

    private static AgentRecord register(final EnhancedAgentBus bus, final String id, final MaciRole role)
    {
        bus.registerAgent(id, "worker", Set.of(), "bench", role);
        return bus.registry().byId(id);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        cachedBus.close();
        uncachedBus.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }

    private int cachedStep()
    {
        digest.digest(payload, 0, payload.length);
        return cached.decide(sender, recipient, MessageType.EVENT.ordinal(), digest);
    }

    private int uncachedStep()
    {
        digest.digest(payload, 0, payload.length);
        return uncached.decide(uncachedSender, uncachedRecipient, MessageType.EVENT.ordinal(), digest);
    }

    /** The Rego step answered from the decision cache: digest + key + probe. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int cached()
    {
        return cachedStep();
    }

    /** The Rego step on a miss: digest + compact input + eab_rego_decide (regorus) + cache store. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int uncached()
    {
        return uncachedStep();
    }

    /** The digest alone, the part of the cached step that grows with the payload. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long digestOnly()
    {
        return digest.digest(payload, 0, payload.length).hi();
    }

    /** {@link #cached()} as a mean, below the sampling clock's resolution. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public int cachedMean()
    {
        return cachedStep();
    }
}
