package dev.eab.bench.jmh;

import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.bench.EabSeries;
import dev.eab.bench.SystemUnderTest;
import dev.eab.core.EnhancedAgentBus;
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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishing through the bus's zero-allocation publisher into a running bus (native validator,
 * YIELDING, recipient INLINE), the consumer always keeping up:
 * <ul>
 *   <li>{@code publishAwait1}: claim + fill + publish one message, then spin until its handler ran:
 *   the whole hand-off, producer to delivery, with an idle bus;</li>
 *   <li>{@code publishBatch64}: 64 messages back to back, then wait for the last delivery; per message,
 *   so the producer and bus thread overlap (amortised end-to-end cost);</li>
 *   <li>{@code publishSaturated}: claim + fill + publish, spinning while the ring is full: in steady
 *   state the per-op time is the bus thread's per-message cost (1 / saturation throughput).</li>
 * </ul>
 * {@code gc.alloc.rate.norm} covers every thread of the JVM, so it includes the bus thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PublishBenchmark
{
    private final byte[] payload = SystemUnderTest.payload();
    private final AtomicLong delivered = new AtomicLong();
    private EnhancedAgentBus bus;
    private MessagePublisher publisher;
    private int recipient;
    private long published;

    @Setup(Level.Trial)
    public void setUp()
    {
        bus = new EnhancedAgentBus(EabSeries.configuration(NativeMode.REQUIRED, dev.eab.api.IdleStrategy.YIELDING, true));
        recipient = BenchBusFixture.startWithRecipient(bus, delivered);
        publisher = BenchBusFixture.senderPublisher(bus);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        awaitDelivered();
        bus.close();
    }

    private void publishOne()
    {
        MessageClaim c = publisher.tryClaim();
        while (c == null)
        {
            Thread.onSpinWait();
            c = publisher.tryClaim();
        }
        c.to(recipient).type(MessageType.EVENT).correlationId(published).payload(payload, 0, SystemUnderTest.PAYLOAD_BYTES).publish();
        published++;
    }

    private void awaitDelivered()
    {
        final long target = published;
        while (delivered.get() < target)
        {
            Thread.onSpinWait();
        }
    }

    /** Sampled (not averaged): a single hand-off is either sub-µs or a multi-ms scheduler stall; the median is the useful number. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void publishAwait1()
    {
        publishOne();
        awaitDelivered();
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public void publishBatch64()
    {
        for (int i = 0; i < 64; i++)
        {
            publishOne();
        }
        awaitDelivered();
    }

    @Benchmark
    public void publishSaturated()
    {
        publishOne();
    }
}
