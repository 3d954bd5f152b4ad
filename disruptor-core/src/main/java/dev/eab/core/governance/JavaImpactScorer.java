package dev.eab.core.governance;

import dev.eab.api.KeywordMatching;
import dev.eab.api.MessageType;

/**
 * The Java twin of the Rust impact scorer: the rules are on {@link ImpactScorer}. No allocation per call.
 * Bus thread only (single writer of the per-agent state).
 */
public final class JavaImpactScorer implements ImpactScorer
{
    /** Width of one volume bucket. */
    public static final long VOLUME_BUCKET_MS = 10_000;
    /** Buckets in the volume window (the current one included): 6 × 10 s. */
    public static final int VOLUME_BUCKETS = 6;
    /** Semantic factors remembered per agent for drift. */
    public static final int DRIFT_HISTORY = 20;
    /** The semantic factor's values; the drift history stores an index into this table. */
    static final double[] SEMANTIC_LEVELS = {0.0, 0.1, 0.5, 0.8, 1.0};
    /** The same levels in tenths: the drift history's running sum is exact integer arithmetic. */
    static final int[] SEMANTIC_TENTHS = {0, 1, 5, 8, 10};
    private static final double[] PRIORITY_FACTORS = {0.2, 0.5, 0.7, 1.0};
    private static final double[] TYPE_FACTORS = typeFactors();

    private final KeywordMatching matching;
    private final int maxAgents;
    private final long[] bucketEpoch;
    private final int[] bucketCounts;
    private final byte[] history;
    private final int[] historyCount;
    private final int[] historyNext;
    private final int[] historyTenths;
    private final double[] factors = new double[FACTOR_COUNT];

    public JavaImpactScorer(final int maxAgents, final KeywordMatching matching)
    {
        this.matching = matching;
        this.maxAgents = maxAgents;
        this.bucketEpoch = new long[maxAgents];
        java.util.Arrays.fill(bucketEpoch, Long.MIN_VALUE);
        this.bucketCounts = new int[maxAgents * VOLUME_BUCKETS];
        this.history = new byte[maxAgents * DRIFT_HISTORY];
        this.historyCount = new int[maxAgents];
        this.historyNext = new int[maxAgents];
        this.historyTenths = new int[maxAgents];
    }

    private static double[] typeFactors()
    {
        final double[] t = new double[MessageType.values().length];
        for (final MessageType m : MessageType.values())
        {
            final String v = m.value();
            t[m.ordinal()] = v.contains("governance") || v.contains("constitutional") ? 0.8 : v.contains("command") ? 0.4 : 0.2;
        }
        return t;
    }

    @Override
    public double score(
        final int agent, final long nowMs, final byte[] text, final int textLength, final byte[] tools, final int toolsLength, final int flags,
        final int priority, final int messageType)
    {
        return scoreLevel(agent, nowMs, semanticLevel(text, textLength), tools, toolsLength, flags, priority, messageType);
    }

    /**
     * {@link #score} with the keywords already found by the guardrail scan's pass
     * ({@code JavaContentScanner.impactKeywords()}): the same result and the same history update as {@link #score} on
     * the text the mask was found in. {@link #KEYWORD_MASK_EMPTY_TEXT} in the mask means the text was empty.
     */
    @Override
    public double scoreFound(
        final int agent, final long nowMs, final int keywordMask, final byte[] tools, final int toolsLength, final int flags,
        final int priority, final int messageType)
    {
        return scoreLevel(agent, nowMs, levelOfMask(keywordMask), tools, toolsLength, flags, priority, messageType);
    }

    /** @return the semantic level (index into {@link #SEMANTIC_LEVELS}) of a keyword mask. */
    static int levelOfMask(final int keywordMask)
    {
        if ((keywordMask & KEYWORD_MASK_EMPTY_TEXT) != 0)
        {
            return 0;
        }
        final int hits = Integer.bitCount(keywordMask);
        return hits >= 5 ? 4 : hits >= 3 ? 3 : hits >= 1 ? 2 : 1;
    }

    private double scoreLevel(
        final int agent, final long nowMs, final int level, final byte[] tools, final int toolsLength, final int flags,
        final int priority, final int messageType)
    {
        final double semantic = SEMANTIC_LEVELS[level];
        final double permission = permission(tools, toolsLength);
        final boolean tracked = agent >= 0 && agent < maxAgents;
        final double volume = tracked ? volume(agent, nowMs) : 0.1;
        final double context = (flags & FLAG_AMOUNT_OVER_1000) != 0 ? 0.2 + 0.4 : 0.2;
        final double drift = tracked ? drift(agent, semantic, level) : 0.0;
        final double prio = priority >= 0 && priority < PRIORITY_FACTORS.length ? PRIORITY_FACTORS[priority] : 0.5;
        final double type = messageType >= 0 && messageType < TYPE_FACTORS.length ? TYPE_FACTORS[messageType] : 0.2;
        factors[SEMANTIC] = semantic;
        factors[PERMISSION] = permission;
        factors[VOLUME] = volume;
        factors[CONTEXT] = context;
        factors[DRIFT] = drift;
        factors[PRIORITY] = prio;
        factors[TYPE] = type;
        double score = 0.3 * semantic + 0.2 * permission + 0.1 * volume + 0.1 * context + 0.1 * drift + 0.1 * prio + 0.1 * type;
        if (prio >= 0.9)
        {
            score = Math.max(score, 0.9);
        }
        if (semantic >= 0.8)
        {
            score = Math.max(score, 0.8);
        }
        return Math.min(score, 1.0);
    }

    private int semanticLevel(final byte[] text, final int length)
    {
        if (length == 0)
        {
            return 0;
        }
        return levelOfMask(ImpactKeywords.find(text, 0, length, matching));
    }

    /** Calls before this one in the window, then counts this one. */
    private double volume(final int agent, final long nowMs)
    {
        final long epoch = Math.floorDiv(nowMs, VOLUME_BUCKET_MS);
        final int base = agent * VOLUME_BUCKETS;
        final long last = bucketEpoch[agent];
        if (last == Long.MIN_VALUE || epoch - last >= VOLUME_BUCKETS || epoch < last)
        {
            // Fresh, long idle, or the clock went back: nothing in the window is known to be recent.
            java.util.Arrays.fill(bucketCounts, base, base + VOLUME_BUCKETS, 0);
            bucketEpoch[agent] = epoch;
        }
        else
        {
            for (long e = last + 1; e <= epoch; e++)
            {
                bucketCounts[base + (int)Math.floorMod(e, (long)VOLUME_BUCKETS)] = 0;
            }
            bucketEpoch[agent] = epoch;
        }
        int before = 0;
        for (int b = 0; b < VOLUME_BUCKETS; b++)
        {
            before += bucketCounts[base + b];
        }
        bucketCounts[base + (int)Math.floorMod(epoch, (long)VOLUME_BUCKETS)]++;
        return before >= 150 ? 1.0 : before >= 50 ? 0.5 : before >= 20 ? 0.2 : 0.1;
    }

    private double drift(final int agent, final double semantic, final int level)
    {
        final int n = historyCount[agent];
        final int base = agent * DRIFT_HISTORY;
        // The mean from a running sum of tenths (exact), so a call costs the same whatever the history holds.
        final double drift = n > 0 ? Math.min(1.0, 2.0 * Math.abs(semantic - historyTenths[agent] / (10.0 * n))) : 0.0;
        final int next = historyNext[agent];
        if (n == DRIFT_HISTORY)
        {
            historyTenths[agent] -= SEMANTIC_TENTHS[history[base + next]];
        }
        historyTenths[agent] += SEMANTIC_TENTHS[level];
        history[base + next] = (byte)level;
        historyNext[agent] = next + 1 == DRIFT_HISTORY ? 0 : next + 1;
        if (n < DRIFT_HISTORY)
        {
            historyCount[agent] = n + 1;
        }
        return drift;
    }

    /**
     * The max over newline-separated tool names; 0.1 when none matches or there are none. One pass over the whole
     * buffer: the tool words are letters only, so none can match across a newline, and the max over tools of each
     * tool's best tier is the best tier found anywhere. Stops at 0.9.
     */
    static double permission(final byte[] tools, final int length)
    {
        double best = 0.1;
        for (int i = 0; i < length; i++)
        {
            final int c = (tools[i] | 0x20) - 'a';
            if (c < 0 || c >= 26)
            {
                continue;
            }
            for (int m = TOOL_WORDS_BY_LETTER[c]; m != 0; m &= m - 1)
            {
                final int n = Integer.numberOfTrailingZeros(m);
                if (TOOL_TIERS[n] > best && matchesAt(tools, i, length, TOOL_WORDS[n]))
                {
                    best = TOOL_TIERS[n];
                    if (best == 0.9)
                    {
                        return best;
                    }
                }
            }
        }
        return best;
    }

    /** The tool words with their tiers (execute… 0.9, send… 0.5, read… 0.2), and which start with each letter. */
    private static final byte[][] TOOL_WORDS = ascii("execute", "delete", "write", "submit", "transfer", "send", "update", "modify", "read",
        "get", "list", "view");
    private static final double[] TOOL_TIERS = {0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.2, 0.2, 0.2, 0.2};
    private static final int[] TOOL_WORDS_BY_LETTER = new int[26];

    static
    {
        for (int n = 0; n < TOOL_WORDS.length; n++)
        {
            TOOL_WORDS_BY_LETTER[TOOL_WORDS[n][0] - 'a'] |= 1 << n;
        }
    }

    private static boolean matchesAt(final byte[] s, final int at, final int length, final byte[] word)
    {
        if (at + word.length > length)
        {
            return false;
        }
        for (int j = 1; j < word.length; j++)
        {
            if ((s[at + j] | 0x20) != word[j])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[][] ascii(final String... words)
    {
        final byte[][] out = new byte[words.length][];
        for (int i = 0; i < words.length; i++)
        {
            out[i] = words[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return out;
    }

    @Override
    public double[] factors()
    {
        return factors;
    }

    @Override
    public String name()
    {
        return "java";
    }

    @Override
    public void close()
    {
        // Heap only.
    }
}
