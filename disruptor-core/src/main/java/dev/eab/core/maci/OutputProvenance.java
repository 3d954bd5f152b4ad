package dev.eab.core.maci;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Who produced each output: a bounded, primitive map from a 64-bit hash of the output id (a message id, or an id
 * recorded through {@code bus.maci().recordOutput}) to the producer's registry handle and the MACI role it had when it
 * produced the output.
 *
 * <ul>
 *   <li><b>Layout and bound.</b> A 4-way set-associative table in one {@code long[]}: each set is four (key, value)
 *   pairs, 64 bytes, so a record or a look-up touches one set (one or two cache lines) and nothing else: no probe
 *   chains, no deletion, no second structure. Capacity is the requested bound rounded up to a power of two (at least
 *   4). When a set is full, a new output replaces the <em>oldest</em> of its four (each value carries a 32-bit
 *   insertion sequence; age is compared modulo 2^32). With a journal directory configured the evicted entry is
 *   spilled to a Chronicle queue ({@link ProvenanceSpill}) and looked up there on a miss, so it is not forgotten (and
 *   survives a restart). Without one, a forgotten output has an unknown producer: a validation aimed at it is refused
 *   in strict mode ({@code MACI_TARGET_NOT_FOUND}) and allowed in non-strict mode. Why not a global FIFO: evicting the globally oldest entry costs a second random memory
 *   access per accepted message (measured ~1 µs per record under load); the per-set oldest costs none.</li>
 *   <li><b>Never by unregistering.</b> Entries outlive the agent's registration, and handles are never reused for
 *   another agent id, so an agent that unregisters and registers again is still the producer of its outputs:
 *   re-registering cannot launder them.</li>
 *   <li><b>Keys.</b> An id that is a canonical decimal {@code long} ("42", "-7"; no sign on zero, no leading zeros)
 *   is keyed by its value, as a flyweight message's correlation id is (so {@code target_output_id: "42"} names
 *   flyweight message 42 without building its string); any other id by a seeded FNV-1a over its UTF-16 chars. Both
 *   finish with a seeded murmur mix (the seed is random per store, so ids cannot be crafted offline to collide; it
 *   is not a MAC).</li>
 *   <li><b>Conflicts.</b> The same id produced by a second agent makes the entry {@link #AMBIGUOUS}: the bus treats a
 *   validation aimed at it as self-validation (fail closed), since either producer may be asking.</li>
 *   <li><b>Threads.</b> The bus thread records every accepted message and looks targets up; API callers record
 *   outputs and ask for producers. One monitor guards it; each call holds it for one set and allocates nothing. The
 *   table is allocated at the first record.</li>
 * </ul>
 */
public final class OutputProvenance
{
    /** Producer handle of an output recorded by two different agents. */
    public static final int AMBIGUOUS = -2;
    /** {@link #lookup} result for an unknown output. */
    public static final long NOT_FOUND = Long.MIN_VALUE;
    /** Handles must be below this (the value packs 24 bits of handle). */
    public static final int MAX_HANDLE = (1 << 24) - 2;
    private static final int WAYS = 4;
    static final int AMBIGUOUS_BITS = (1 << 24) - 2;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int capacity;
    private final int setMask;
    private final long seed;
    /** Pairs (key, value); value = seq << 32 | producer (24 bits) << 8 | role (8 bits). Null until the first record. */
    private long[] table;
    private int sequence;
    private int size;
    private long evicted;
    /** Where evicted entries go, or null (no journal directory, or a spill's own index); set before first use. */
    private ProvenanceSpill spill;

    /** @param capacity the most outputs remembered; rounded up to a power of two, at least 4. */
    public OutputProvenance(final int capacity)
    {
        this(capacity, ThreadLocalRandom.current().nextLong());
    }

    OutputProvenance(final int capacity, final long seed)
    {
        if (capacity < 1 || capacity > 1 << 26)
        {
            throw new IllegalArgumentException("capacity must be 1..2^26, got " + capacity);
        }
        final int sets = Math.max(1, Integer.highestOneBit(Math.max(1, (capacity + WAYS - 1) / WAYS) * 2 - 1));
        this.capacity = sets * WAYS;
        this.setMask = sets - 1;
        this.seed = seed;
    }

    /**
     * Spills evicted entries to {@code s} and asks it on a miss (see {@link ProvenanceSpill}); set once, before the
     * first record. The store must use {@code s.seed()} (the constructor with a seed) so keys match.
     */
    void spillTo(final ProvenanceSpill s)
    {
        if (s.seed() != seed)
        {
            throw new IllegalArgumentException("the spill's seed differs from this store's: keys would not match");
        }
        this.spill = s;
    }

    /** @return the spill, or null. */
    public ProvenanceSpill spill()
    {
        return spill;
    }

    /** @return the key of an output id (never 0). */
    public long keyOf(final CharSequence id)
    {
        final int n = id.length();
        if (n > 0 && n <= 20)
        {
            final long parsed = parseCanonical(id, n);
            if (parsed != NOT_CANONICAL || MIN_TEXT.contentEquals(id))
            {
                return keyOf(parsed);
            }
        }
        long h = seed;
        for (int i = 0; i < n; i++)
        {
            h = (h ^ id.charAt(i)) * FNV_PRIME;
        }
        return finish(h ^ 0x5bd1e9955bd1e995L);
    }

    /** @return the key of a flyweight message's id (its correlation id), equal to that of its decimal text. */
    public long keyOf(final long id)
    {
        return finish(id ^ seed);
    }

    private static final String MIN_TEXT = Long.toString(Long.MIN_VALUE);
    /** Never a canonical value except for {@link #MIN_TEXT}, which the caller checks by text. */
    private static final long NOT_CANONICAL = Long.MIN_VALUE;

    private static long parseCanonical(final CharSequence s, final int n)
    {
        int i = 0;
        final boolean negative = s.charAt(0) == '-';
        if (negative)
        {
            i = 1;
            if (n == 1 || s.charAt(1) == '0')
            {
                return NOT_CANONICAL; // "-" or "-0…"
            }
        }
        if (s.charAt(i) == '0' && n > i + 1)
        {
            return NOT_CANONICAL; // leading zero
        }
        long v = 0; // accumulated negatively so Long.MIN_VALUE fits
        for (; i < n; i++)
        {
            final int d = s.charAt(i) - '0';
            if (d < 0 || d > 9 || v < Long.MIN_VALUE / 10 || v * 10 < Long.MIN_VALUE + d)
            {
                return NOT_CANONICAL;
            }
            v = v * 10 - d;
        }
        if (negative)
        {
            return v;
        }
        return v == Long.MIN_VALUE ? NOT_CANONICAL : -v;
    }

    private long finish(final long hash)
    {
        long h = hash + seed;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** @return the set a key lives in (tests model the eviction per set). */
    int setOf(final long key)
    {
        return (int)(key ^ key >>> 32) & setMask;
    }

    /**
     * Records that the agent with {@code producerHandle} (role {@code role}, -1 for none) produced the output.
     * Recording the same output again by the same agent changes nothing; by another agent marks it ambiguous.
     */
    public synchronized void record(final long key, final int producerHandle, final int role)
    {
        if (producerHandle < 0 || producerHandle > MAX_HANDLE)
        {
            throw new IllegalArgumentException("producer handle out of range: " + producerHandle);
        }
        if (table == null)
        {
            table = new long[(setMask + 1) * WAYS * 2];
        }
        final long[] t = table;
        final int base = setOf(key) * WAYS * 2;
        int free = -1;
        int oldest = base;
        long oldestAge = -1;
        final int seq = sequence;
        for (int i = base; i < base + WAYS * 2; i += 2)
        {
            final long k = t[i];
            if (k == key)
            {
                final long v = t[i + 1];
                // (a key found here is never also decided by the spill: the table's entry is the newer one)
                if ((int)(v >>> 8 & 0xFFFFFF) != producerHandle)
                {
                    t[i + 1] = v & 0xFFFF_FFFF_0000_0000L | (long)AMBIGUOUS_BITS << 8 | 0xFF;
                }
                return;
            }
            if (k == 0)
            {
                if (free < 0)
                {
                    free = i;
                }
            }
            else
            {
                final long age = (seq - (int)(t[i + 1] >>> 32)) & 0xFFFF_FFFFL;
                if (age > oldestAge)
                {
                    oldestAge = age;
                    oldest = i;
                }
            }
        }
        int producer = producerHandle;
        final ProvenanceSpill s = spill;
        if (s != null && s.active())
        {
            // An output forgotten here but spilled keeps its producer: another agent recording the same id makes it
            // ambiguous, exactly as if the entry had never left the table (no laundering through eviction).
            final long earlier = s.lookup(key);
            if (earlier != NOT_FOUND && producer(earlier) != producerHandle)
            {
                producer = AMBIGUOUS_BITS;
            }
        }
        final int at;
        if (free >= 0)
        {
            at = free;
            size++;
        }
        else
        {
            at = oldest;
            evicted++;
            if (s != null)
            {
                s.offer(t[at], t[at + 1]);
            }
        }
        t[at] = key;
        t[at + 1] = (long)seq << 32 | (long)producer << 8 | (producer == AMBIGUOUS_BITS ? 0xFF : role & 0xFF);
        sequence = seq + 1;
    }

    /**
     * @return {@link #NOT_FOUND}, or the producer packed as {@code handle << 8 | role & 0xFF}: read it with
     * {@link #producer(long)} and {@link #role(long)}.
     */
    public synchronized long lookup(final long key)
    {
        final long[] t = table;
        final ProvenanceSpill s = spill;
        if (t == null)
        {
            return s != null && s.active() ? s.lookup(key) : NOT_FOUND;
        }
        final int base = setOf(key) * WAYS * 2;
        for (int i = base; i < base + WAYS * 2; i += 2)
        {
            if (t[i] == key)
            {
                final long v = t[i + 1];
                final int producer = (int)(v >>> 8 & 0xFFFFFF);
                return (long)(producer == AMBIGUOUS_BITS ? AMBIGUOUS : producer) << 8 | v & 0xFF;
            }
        }
        // Forgotten here: maybe spilled (only once anything was), before the producer counts as unknown.
        return s != null && s.active() ? s.lookup(key) : NOT_FOUND;
    }

    /** @return the producer handle of a {@link #lookup} result ({@link #AMBIGUOUS} possible). */
    public static int producer(final long packed)
    {
        return (int)(packed >> 8);
    }

    /** @return the producer's role ordinal (-1 none) of a {@link #lookup} result. */
    public static int role(final long packed)
    {
        return (byte)packed;
    }

    /** @return the hash seed (a spill keeps it so keys survive a restart). */
    long seed()
    {
        return seed;
    }

    /** @return outputs remembered now. */
    public synchronized int size()
    {
        return size;
    }

    /** @return outputs forgotten because their set was full. */
    public synchronized long evicted()
    {
        return evicted;
    }

    /** @return the bound (the requested capacity rounded up to a power of two, at least 4). */
    public int capacity()
    {
        return capacity;
    }
}
