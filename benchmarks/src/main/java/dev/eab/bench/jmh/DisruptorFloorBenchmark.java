package dev.eab.bench.jmh;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.eab.bench.SystemUnderTest;
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

/** The floor for {@link PublishBenchmark}: the same operations on a bare Disruptor (same ring, wait strategy, slot copy), no checks. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DisruptorFloorBenchmark
{
    static final class Event
    {
        long correlationId;
        final byte[] payload = new byte[256];
        int payloadLength;
    }

    private final byte[] payload = SystemUnderTest.payload();
    private final AtomicLong delivered = new AtomicLong();
    private Disruptor<Event> disruptor;
    private RingBuffer<Event> ring;
    private long published;

    @Setup(Level.Trial)
    public void setUp()
    {
        disruptor = new Disruptor<>(Event::new, SystemUnderTest.CAPACITY, r -> {
            final Thread t = new Thread(r, "floor");
            t.setDaemon(true);
            return t;
        }, ProducerType.MULTI, dev.eab.core.pipeline.IdleWaitStrategies.forIdle(dev.eab.api.IdleStrategy.YIELDING));
        final AtomicLong d = delivered;
        disruptor.handleEventsWith((e, seq, eob) -> d.lazySet(d.get() + 1));
        ring = disruptor.start();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        awaitDelivered();
        disruptor.shutdown();
    }

    private void publishOne()
    {
        final long seq = ring.next();
        final Event e = ring.get(seq);
        e.correlationId = published;
        System.arraycopy(payload, 0, e.payload, 0, SystemUnderTest.PAYLOAD_BYTES);
        e.payloadLength = SystemUnderTest.PAYLOAD_BYTES;
        ring.publish(seq);
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
    public void floorAwait1()
    {
        publishOne();
        awaitDelivered();
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public void floorBatch64()
    {
        for (int i = 0; i < 64; i++)
        {
            publishOne();
        }
        awaitDelivered();
    }
}
