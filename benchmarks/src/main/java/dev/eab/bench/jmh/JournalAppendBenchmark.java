package dev.eab.bench.jmh;

import dev.eab.api.JournalOptions;
import dev.eab.api.JournalRollCycle;
import dev.eab.core.journal.JournalRecordDescriptor;
import dev.eab.core.journal.MessageJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
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
import java.util.concurrent.TimeUnit;

/**
 * The bus thread's journal cost per accepted zero-allocation message (64-byte payload), whose inverse bounds the
 * journaled saturation (issue 9), with the layout it replaced in the same run:
 * <ul>
 *   <li>{@code batchedAppend}: {@value #BATCH} records through {@link MessageJournal#appendFlyweight} into one BATCH
 *   document closed by {@link MessageJournal#endOfBatch()} (a ring batch under load), per record;</li>
 *   <li>{@code batchedAppendOfOne}: one record and its batch end (a lightly loaded bus, one message per ring batch);</li>
 *   <li>{@code onePerDocument}: the previous layout, one Chronicle document per record on a queue with the same
 *   settings (the code {@code appendFlyweight} had before batching), per record.</li>
 * </ul>
 * Each iteration starts on a fresh directory (deleted after), so the files never grow past one iteration's records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JournalAppendBenchmark
{
    /** Records per ring batch in {@code batchedAppend} and {@code onePerDocument}. */
    public static final int BATCH = 64;
    private static final int PAYLOAD_BYTES = 64;

    private final byte[] payload = new byte[PAYLOAD_BYTES];
    private Path dir;
    private MessageJournal journal;
    private ChronicleQueue single;
    private ExcerptAppender singleAppender;
    private long correlationId;

    @Setup(Level.Iteration)
    public void setUp() throws Exception
    {
        dir = Files.createTempDirectory("eab-jmh-journal");
        journal = MessageJournal.open(dir.resolve("batched"), 16, JournalOptions.DEFAULTS.withPretouch(false));
        journal.beginRun();
        single = MessageJournal.queue(dir.resolve("single"), JournalRollCycle.DAILY);
        singleAppender = single.createAppender();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws Exception
    {
        journal.endRun();
        journal.close();
        singleAppender.close();
        single.close();
        try (java.util.stream.Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long batchedAppend()
    {
        long last = 0;
        for (int i = 0; i < BATCH; i++)
        {
            last = journal.appendFlyweight(null, null, 1, 0, correlationId++, 0L, payload, PAYLOAD_BYTES);
        }
        journal.endOfBatch();
        return last;
    }

    @Benchmark
    public long batchedAppendOfOne()
    {
        final long id = journal.appendFlyweight(null, null, 1, 0, correlationId++, 0L, payload, PAYLOAD_BYTES);
        journal.endOfBatch();
        return id;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long onePerDocument()
    {
        long last = 0;
        for (int i = 0; i < BATCH; i++)
        {
            try (DocumentContext dc = singleAppender.writingDocument())
            {
                final Bytes<?> b = dc.wire().bytes();
                b.writeInt(JournalRecordDescriptor.TYPE_FLYWEIGHT).writeInt(-1).writeInt(-1).writeInt(1).writeInt(0);
                b.writeLong(correlationId++).writeLong(0L).writeLong(System.currentTimeMillis()).writeInt(PAYLOAD_BYTES);
                b.write(payload, 0, PAYLOAD_BYTES);
                b.writeInt(JournalRecordDescriptor.RECORD_END);
            }
            last = singleAppender.lastIndexAppended();
        }
        return last;
    }
}
