package dev.eab.core.validate;

/**
 * The Rego decision cache: a bounded open-addressing table in one {@code long[]}, keyed on the <em>full</em>
 * decision input (sender, sender role, tenant, message type, recipient, content digest, policy generation) so a
 * hit returns exactly what the policy said for that input. The original keyed its cache on content alone, which
 * let one sender's ALLOW serve another sender's identical message (reference §7 item 3); here two senders with the
 * same content are two keys.
 *
 * <p>Agents and tenants enter the key as the registry's handles and interned tenant indexes: a handle is never
 * reused for another agent id and an agent never changes tenant, so a handle stands for its id. The role is in the
 * key because re-registration may change it. The policy generation is in the key so a reload needs no flush: entries
 * of an older generation never match and are overwritten as free slots.
 *
 * <p>Layout: {@link #STRIDE} longs per slot — {@code k0 = sender << 32 | recipient}, {@code k1 = tenant << 32 |
 * (role + 1) << 16 | type}, {@code k2, k3} = the digest, {@code k4} = generation, {@code v} = {@link #ALLOW} or
 * {@link #DENY} (0: empty). Linear probing over at most {@link #MAX_PROBE} slots; when the window is full the home
 * slot is overwritten (the cache is bounded: the newest decision wins). No deletion, so no tombstones.
 *
 * <p>Single writer and reader: the bus thread. Allocates nothing after construction.
 */
public final class DecisionCache
{
    /** Longs per slot. */
    public static final int STRIDE = 6;
    /** Slots looked at before a miss (lookup) or an eviction (insert). */
    public static final int MAX_PROBE = 8;
    /** {@link #get} result: not cached. */
    public static final int MISS = 0;
    /** Cached decision: allow. */
    public static final int ALLOW = 1;
    /** Cached decision: deny. */
    public static final int DENY = 2;

    private final long[] table;
    private final int mask;

    /** @param entries capacity, a power of two (0 makes a cache that never hits). */
    public DecisionCache(final int entries)
    {
        if (entries < 0 || (entries != 0 && Integer.bitCount(entries) != 1))
        {
            throw new IllegalArgumentException("entries must be 0 or a power of two, got " + entries);
        }
        this.table = new long[Math.max(entries, 1) * STRIDE];
        this.mask = entries == 0 ? -1 : entries - 1;
    }

    /** @return the capacity in entries. */
    public int capacity()
    {
        return mask < 0 ? 0 : mask + 1;
    }

    /** Packs sender and recipient handles (-1 = none) into the first key word. */
    public static long agents(final int senderHandle, final int recipientHandle)
    {
        return ((long)senderHandle << 32) | (recipientHandle & 0xFFFF_FFFFL);
    }

    /** Packs tenant index (-1 = none), role ordinal (-1 = none) and message type into the second key word. */
    public static long context(final int tenantIndex, final int roleOrdinal, final int messageType)
    {
        return ((long)tenantIndex << 32) | ((long)((roleOrdinal + 1) & 0xFFFF) << 16) | (messageType & 0xFFFF);
    }

    /** @return {@link #ALLOW}, {@link #DENY} or {@link #MISS}. */
    public int get(final long agents, final long context, final long digestHi, final long digestLo, final long generation)
    {
        if (mask < 0)
        {
            return MISS;
        }
        final int home = home(agents, context, digestHi, digestLo, generation);
        for (int p = 0; p < MAX_PROBE; p++)
        {
            final int i = ((home + p) & mask) * STRIDE;
            final long v = table[i + 5];
            if (v == MISS)
            {
                return MISS;
            }
            if (table[i] == agents && table[i + 1] == context && table[i + 2] == digestHi && table[i + 3] == digestLo &&
                table[i + 4] == generation)
            {
                return (int)v;
            }
        }
        return MISS;
    }

    /** Stores a decision ({@link #ALLOW} or {@link #DENY}). */
    public void put(final long agents, final long context, final long digestHi, final long digestLo, final long generation, final int decision)
    {
        if (mask < 0)
        {
            return;
        }
        if (decision != ALLOW && decision != DENY)
        {
            throw new IllegalArgumentException("decision must be ALLOW or DENY, got " + decision);
        }
        final int home = home(agents, context, digestHi, digestLo, generation);
        int target = (home & mask) * STRIDE;
        for (int p = 0; p < MAX_PROBE; p++)
        {
            final int i = ((home + p) & mask) * STRIDE;
            final boolean same = table[i] == agents && table[i + 1] == context && table[i + 2] == digestHi &&
                table[i + 3] == digestLo && table[i + 4] == generation;
            if (table[i + 5] == MISS || table[i + 4] != generation || same)
            {
                target = i;
                break;
            }
        }
        table[target] = agents;
        table[target + 1] = context;
        table[target + 2] = digestHi;
        table[target + 3] = digestLo;
        table[target + 4] = generation;
        table[target + 5] = decision;
    }

    private static int home(final long agents, final long context, final long digestHi, final long digestLo, final long generation)
    {
        long h = agents * 0x9E3779B97F4A7C15L;
        h = (h ^ context) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ digestHi) * 0x9E3779B97F4A7C15L;
        h = (h ^ digestLo) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ generation) * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 29) ^ (h >>> 47));
    }
}
