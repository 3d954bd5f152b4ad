package dev.eab.core.maci;

import dev.eab.api.exception.ThrowableText;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.logging.Logger;

/**
 * Where {@link OutputProvenance} puts the outputs it forgets: when a full set evicts its oldest entry, the evicted
 * (output key → producer, role) is appended to a Chronicle queue of its own (under the journal directory,
 * {@code <journal>/provenance}) and indexed, so a look-up that misses the table asks here before the producer counts
 * as unknown (refused in strict mode). It survives a restart: the queue is read back at start, and the store's hash
 * seed is kept beside it ({@value #SEED_FILE}) so output ids hash to the same keys in the next process.
 *
 * <ul>
 *   <li><b>Bus thread: allocation-free and never waiting.</b> An eviction (under the table's monitor, on the bus thread
 *   or an API caller) only copies the two longs into a bounded single-producer ring ({@value #PENDING_CAPACITY}
 *   entries; producers are serialised by the table's monitor) and unparks the spill's own writer thread, which names
 *   the producer (handle → agent id), appends the record and indexes it. A full ring drops the entry and counts it
 *   ({@code spill_dropped}): that output's producer then becomes unknown, which strict mode refuses (fail closed).</li>
 *   <li><b>Look-up.</b> The index is a second set-associative table of the same kind, {@code indexCapacity} entries,
 *   keyed like the table and holding (producer ordinal, role); ordinals name agent ids in a copy-on-grow array. A
 *   look-up reads one set there, then the not-yet-written entries of the ring; it allocates nothing. The producer's
 *   handle is resolved at look-up time from its agent id (handles are per process), or {@link #UNREGISTERED} when
 *   it is not registered now (it cannot be the validator then, and its role still decides cross-role checks).</li>
 *   <li><b>Bound.</b> Memory: the index (16 bytes an entry) and the ring; disk: every spilled entry. An index that
 *   overflows forgets its oldest entries as the table does (they stay in the queue, read back at the next start).</li>
 * </ul>
 * Records: magic, key (8 bytes), role (1 byte), flags (1 byte: ambiguous), producer agent id (UTF-8).
 */
public final class ProvenanceSpill implements AutoCloseable
{
    /** Evictions buffered for the writer. */
    public static final int PENDING_CAPACITY = 1024;
    /** Spilled entries indexed in memory unless configured. */
    public static final int DEFAULT_INDEX_CAPACITY = 1 << 20;
    /** The producer handle reported for a spilled producer that is not registered in this process. */
    public static final int UNREGISTERED = -3;
    /** The file holding the store's hash seed. */
    public static final String SEED_FILE = "seed";

    private static final Logger LOG = Logger.getLogger(ProvenanceSpill.class.getName());
    private static final int MAGIC = 0x45425056;
    private static final int FLAG_AMBIGUOUS = 1;
    private static final int AMBIGUOUS_ORDINAL = OutputProvenance.MAX_HANDLE;
    private static final long IDLE_PARK_NS = 1_000_000;

    private final Path directory;
    private final long seed;
    private final boolean seedStored;
    private final IntFunction<String> agentIdOf;
    private final ToIntFunction<String> handleOf;
    private final OutputProvenance index;
    private final Map<String, Integer> ordinals = new HashMap<>();
    /** Agent id by ordinal; replaced (never mutated in place) by the writer, read lock-free by look-ups. */
    private volatile String[] names = new String[16];
    private int nameCount;
    private final long[] pendingKeys = new long[PENDING_CAPACITY];
    private final long[] pendingValues = new long[PENDING_CAPACITY];
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong spilled = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final long restored;
    private volatile boolean active;
    private volatile boolean closing;
    private volatile Thread writer;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;

    /**
     * Opens the spill at {@code directory} (created at the first eviction), reading back what an earlier process spilled.
     *
     * @param agentIdOf     producer handle → agent id (MACI keeps ids of every handle ever registered)
     * @param handleOf      agent id → its handle now, or a negative value when not registered
     * @param indexCapacity spilled entries indexed in memory
     */
    public ProvenanceSpill(final Path directory, final IntFunction<String> agentIdOf, final ToIntFunction<String> handleOf, final int indexCapacity)
    {
        this.directory = directory;
        this.agentIdOf = agentIdOf;
        this.handleOf = handleOf;
        final Path seedFile = directory.resolve(SEED_FILE);
        long s = ThreadLocalRandom.current().nextLong();
        boolean stored = false;
        try
        {
            if (Files.isRegularFile(seedFile))
            {
                s = ByteBuffer.wrap(Files.readAllBytes(seedFile)).getLong();
                stored = true;
            }
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.warning("provenance spill: unreadable seed at " + seedFile + " (" + ThrowableText.describe(e) + "): earlier spills are ignored");
        }
        this.seed = s;
        this.seedStored = stored;
        this.index = new OutputProvenance(indexCapacity, s);
        this.restored = stored ? readBack() : 0;
        this.active = restored > 0;
    }

    /** @return the hash seed the table must use so keys match what was spilled. */
    public long seed()
    {
        return seed;
    }

    /** @return true once anything was spilled (in this process or an earlier one): only then does a miss ask here. */
    boolean active()
    {
        return active;
    }

    /** Under the table's monitor: hands an evicted (key, value) to the writer. Allocation-free; never waits. */
    void offer(final long key, final long value)
    {
        final long h = head.get();
        if (h - tail.get() >= PENDING_CAPACITY || closing)
        {
            dropped.incrementAndGet();
            return;
        }
        final int i = (int)(h & (PENDING_CAPACITY - 1));
        pendingKeys[i] = key;
        pendingValues[i] = value;
        head.lazySet(h + 1);
        active = true;
        final Thread w = writer;
        if (w == null)
        {
            startWriter();
        }
        else
        {
            LockSupport.unpark(w);
        }
    }

    private void startWriter()
    {
        final Thread w = new Thread(this::writeLoop, "eab-provenance-spill");
        w.setDaemon(true);
        writer = w;
        w.start();
    }

    /**
     * Under the table's monitor, after a miss there. @return {@link OutputProvenance#NOT_FOUND} or the producer
     * packed as the table packs it ({@code handle << 8 | role}); allocation-free.
     */
    long lookup(final long key)
    {
        final long packed = index.lookup(key);
        if (packed != OutputProvenance.NOT_FOUND)
        {
            final int ordinal = OutputProvenance.producer(packed);
            final int role = OutputProvenance.role(packed);
            if (ordinal == AMBIGUOUS_ORDINAL)
            {
                return (long)OutputProvenance.AMBIGUOUS << 8 | role & 0xFF;
            }
            final String[] n = names;
            final String agentId = ordinal < n.length ? n[ordinal] : null;
            final int handle = agentId == null ? -1 : handleOf.applyAsInt(agentId);
            return (long)(handle < 0 ? UNREGISTERED : handle) << 8 | role & 0xFF;
        }
        // Not written yet: the producers of the ring are serialised by the caller's monitor, so head is stable here.
        final long h = head.get();
        for (long p = h - 1; p >= tail.get() && p >= h - PENDING_CAPACITY; p--)
        {
            final int i = (int)(p & (PENDING_CAPACITY - 1));
            if (pendingKeys[i] == key)
            {
                final long v = pendingValues[i];
                final int producer = (int)(v >>> 8 & 0xFFFFFF);
                return (long)(producer == OutputProvenance.AMBIGUOUS_BITS ? OutputProvenance.AMBIGUOUS : producer) << 8 | v & 0xFF;
            }
        }
        return OutputProvenance.NOT_FOUND;
    }

    private void writeLoop()
    {
        while (true)
        {
            final long t = tail.get();
            if (t == head.get())
            {
                if (closing)
                {
                    return;
                }
                LockSupport.parkNanos(IDLE_PARK_NS);
                continue;
            }
            final int i = (int)(t & (PENDING_CAPACITY - 1));
            try
            {
                write(pendingKeys[i], pendingValues[i]);
                spilled.incrementAndGet();
            }
            catch (final RuntimeException | IOException e)
            {
                writeFailures.incrementAndGet();
                LOG.warning("provenance spill: cannot write to " + directory + ": " + ThrowableText.describe(e));
            }
            // Advanced only once indexed, so a look-up finds the entry in the ring or in the index, never in neither.
            tail.set(t + 1);
        }
    }

    private void write(final long key, final long value) throws IOException
    {
        final int producer = (int)(value >>> 8 & 0xFFFFFF);
        final boolean ambiguous = producer == OutputProvenance.AMBIGUOUS_BITS;
        final int role = (int)(value & 0xFF);
        final String agentId = ambiguous ? "" : agentIdOf.apply(producer);
        final String named = agentId == null ? "" : agentId;
        openForWriting();
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeInt(MAGIC);
            b.writeLong(key);
            b.writeByte((byte)role);
            b.writeByte((byte)(ambiguous ? FLAG_AMBIGUOUS : 0));
            b.writeUtf8(named);
        }
        index(key, ambiguous, role, named);
    }

    private void openForWriting() throws IOException
    {
        if (appender != null)
        {
            return;
        }
        Files.createDirectories(directory);
        if (!seedStored)
        {
            final Path tmp = directory.resolve(SEED_FILE + ".tmp");
            Files.write(tmp, ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            Files.move(tmp, directory.resolve(SEED_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        queue = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).build();
        appender = queue.createAppender();
    }

    private void index(final long key, final boolean ambiguous, final int role, final String agentId)
    {
        final int ordinal = ambiguous ? AMBIGUOUS_ORDINAL : ordinalOf(agentId);
        index.record(key, ordinal, role);
    }

    private int ordinalOf(final String agentId)
    {
        final Integer known = ordinals.get(agentId);
        if (known != null)
        {
            return known;
        }
        final int ordinal = nameCount++;
        String[] n = names;
        if (ordinal >= n.length)
        {
            n = Arrays.copyOf(n, n.length * 2);
        }
        else
        {
            n = n.clone();
        }
        n[ordinal] = agentId;
        names = n;
        ordinals.put(agentId, ordinal);
        return ordinal;
    }

    /** At start: indexes what earlier processes spilled. @return records read. */
    private long readBack()
    {
        if (!Files.isDirectory(directory))
        {
            return 0;
        }
        long n = 0;
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptTailer tailer = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> b = dc.wire().bytes();
                    if (b.readRemaining() < 14 || b.readInt() != MAGIC)
                    {
                        LOG.warning("provenance spill: not a spill record at index " + dc.index() + " in " + directory + "; stopped reading");
                        break;
                    }
                    final long key = b.readLong();
                    final int role = b.readByte();
                    final int flags = b.readByte();
                    final String agentId = b.readUtf8();
                    index(key, (flags & FLAG_AMBIGUOUS) != 0, role, agentId == null ? "" : agentId);
                    n++;
                }
            }
        }
        catch (final RuntimeException e)
        {
            LOG.warning("provenance spill: unreadable record in " + directory + " (" + ThrowableText.describe(e) + "); kept what came before");
        }
        return n;
    }

    /** @return spilled (this process), restored (read back at start), dropped (ring full), write failures, indexed now. */
    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", directory.toString());
        m.put("spilled", spilled.get());
        m.put("restored", restored);
        m.put("dropped", dropped.get());
        m.put("write_failures", writeFailures.get());
        m.put("indexed", index.size());
        m.put("pending", head.get() - tail.get());
        return m;
    }

    /** Waits (bounded) until every offered entry is written; for tests and {@link #close()}. @return true when drained */
    public boolean drain(final long timeoutMs)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (tail.get() < head.get())
        {
            final Thread w = writer;
            if (w != null)
            {
                LockSupport.unpark(w);
            }
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            LockSupport.parkNanos(IDLE_PARK_NS);
        }
        return true;
    }

    /** Writes what is pending (bounded wait), stops the writer and closes the queue. */
    @Override
    public void close()
    {
        drain(5_000);
        closing = true;
        final Thread w = writer;
        if (w != null)
        {
            LockSupport.unpark(w);
            try
            {
                w.join(5_000);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (appender != null)
        {
            appender.close();
        }
        if (queue != null)
        {
            queue.close();
        }
    }

    /** @return the directory (for {@code getMetrics}). */
    public Path directory()
    {
        return directory;
    }
}
