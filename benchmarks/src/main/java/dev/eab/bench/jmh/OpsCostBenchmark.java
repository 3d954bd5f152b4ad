package dev.eab.bench.jmh;

import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.bench.EabSeries;
import dev.eab.bench.SystemUnderTest;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.metering.MeteringConfig;
import dev.eab.core.ops.metering.MeteringEventType;
import dev.eab.core.ops.metering.MeteringQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the ops surface costs per message, metering (and the labelled counters) on vs off, in one JMH run:
 * <ul>
 *   <li>{@code saturated}: claim + fill + publish into a running bus (native, YIELDING, INLINE recipient), spinning on a
 *   full ring: in steady state the time per op is the bus thread's per-message cost, so on − off is what the ops work
 *   adds to every message;</li>
 *   <li>{@code offer}: one {@link MeteringQueue#offer} with the queue drained every 4,096 offers (the bus thread's
 *   metering call on its own).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpsCostBenchmark
{
    @Param({"true", "false"})
    public boolean metering;

    private final byte[] payload = SystemUnderTest.payload();
    private final AtomicLong delivered = new AtomicLong();
    private EnhancedAgentBus bus;
    private MessagePublisher publisher;
    private int recipient;
    private long published;
    private final MeteringQueue queue = new MeteringQueue(MeteringConfig.DEFAULT_MAX_QUEUE_SIZE);
    private final dev.eab.core.ops.metering.MeteringBatch batch = new dev.eab.core.ops.metering.MeteringBatch();
    private long drainedSink;
    private int offers;

    @Setup(Level.Trial)
    public void setUp()
    {
        bus = new EnhancedAgentBus(EabSeries.configuration(NativeMode.REQUIRED, dev.eab.api.IdleStrategy.YIELDING, true).withEnableMetering(metering));
        recipient = BenchBusFixture.startWithRecipient(bus, delivered);
        publisher = BenchBusFixture.senderPublisher(bus);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        while (delivered.get() < published)
        {
            Thread.onSpinWait();
        }
        if (metering && bus.ops().metering().queue().dropped() != 0)
        {
            System.out.println("metering dropped " + bus.ops().metering().queue().dropped() + " events");
        }
        bus.close();
    }

    @Benchmark
    public void saturated()
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

    @Benchmark
    public boolean offer()
    {
        if (++offers == 4_096)
        {
            offers = 0;
            queue.drain(batch, b -> drainedSink += b.size(), MeteringConfig.DEFAULT_BATCH_SIZE);
        }
        return queue.offer(MeteringEventType.AGENT_MESSAGE.ordinal(), 1, 2, true, 0, published);
    }
}
