package dev.eab.core.governance;

import dev.eab.api.KeywordMatching;
import dev.eab.api.exception.ImpactAssessmentException;
import dev.eab.core.ffi.NativeBindings;
import dev.eab.core.ffi.NativeUnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Rust impact scorer ({@code eab_impact_score}, {@code native-rust/src/impact.rs}) behind
 * {@link ImpactScorer}. Text and tool names are copied into reusable off-heap buffers (grown to the largest seen)
 * and the score and factors come back through a reusable 8-double segment: a warm call allocates nothing.
 *
 * <p>Owns the native scorer: {@link #close()} once, after the scoring thread stopped. Not thread-safe: the bus
 * thread owns it. Buffers come from automatic arenas, so an outgrown one is reclaimed by the GC.
 */
public final class NativeImpactScorer implements ImpactScorer
{
    private static final long INITIAL_CAPACITY_BYTES = 4096;

    private MemorySegment scorer;
    private MemorySegment text;
    private MemorySegment tools;
    private final MemorySegment out;
    private final double[] factors = new double[FACTOR_COUNT];

    /** @throws NativeUnavailableException when the library cannot be loaded or the scorer cannot be built. */
    public NativeImpactScorer(final int maxAgents, final KeywordMatching matching)
    {
        if (!NativeBindings.available())
        {
            throw new NativeUnavailableException("library not loadable", null);
        }
        try
        {
            scorer = (MemorySegment)NativeBindings.IMPACT_NEW.invokeExact(maxAgents, matching.ordinal());
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException("eab_impact_new failed: " + t, t);
        }
        if (scorer.equals(MemorySegment.NULL))
        {
            throw new NativeUnavailableException("eab_impact_new returned NULL for " + maxAgents + " agents", null);
        }
        text = Arena.ofAuto().allocate(INITIAL_CAPACITY_BYTES);
        tools = Arena.ofAuto().allocate(256);
        out = Arena.ofAuto().allocate(ValueLayout.JAVA_DOUBLE, 1 + FACTOR_COUNT);
    }

    @Override
    public double score(
        final int agent, final long nowMs, final byte[] textBytes, final int textLength, final byte[] toolBytes, final int toolsLength,
        final int flags, final int priority, final int messageType)
    {
        if (text.byteSize() < textLength)
        {
            text = Arena.ofAuto().allocate(Math.max(textLength, text.byteSize() * 2));
        }
        if (tools.byteSize() < toolsLength)
        {
            tools = Arena.ofAuto().allocate(Math.max(toolsLength, tools.byteSize() * 2));
        }
        MemorySegment.copy(textBytes, 0, text, ValueLayout.JAVA_BYTE, 0, textLength);
        MemorySegment.copy(toolBytes, 0, tools, ValueLayout.JAVA_BYTE, 0, toolsLength);
        final int rc;
        try
        {
            rc = (int)NativeBindings.IMPACT_SCORE.invokeExact(scorer, text, (long)textLength, tools, (long)toolsLength, agent, priority, messageType,
                flags, nowMs, out);
        }
        catch (final Throwable t)
        {
            throw new ImpactAssessmentException("impact_score", "eab_impact_score failed: " + t);
        }
        if (rc != 0)
        {
            throw new ImpactAssessmentException("impact_score", "eab_impact_score returned " + rc);
        }
        for (int i = 0; i < FACTOR_COUNT; i++)
        {
            factors[i] = out.getAtIndex(ValueLayout.JAVA_DOUBLE, 1 + i);
        }
        return out.getAtIndex(ValueLayout.JAVA_DOUBLE, 0);
    }

    /**
     * {@code eab_impact_score_found}: the keywords come from the guardrail scan's own pass
     * ({@link dev.eab.core.guard.NativeContentScanner#impactKeywords()}, built with this scorer's matching mode), so the
     * text is neither copied nor searched again. For a non-empty text only: an empty one has its own semantic level
     * and goes through {@link #score}.
     */
    @Override
    public double scoreFound(
        final int agent, final long nowMs, final int keywordMask, final byte[] toolBytes, final int toolsLength, final int flags,
        final int priority, final int messageType)
    {
        if (tools.byteSize() < toolsLength)
        {
            tools = Arena.ofAuto().allocate(Math.max(toolsLength, tools.byteSize() * 2));
        }
        MemorySegment.copy(toolBytes, 0, tools, ValueLayout.JAVA_BYTE, 0, toolsLength);
        final int rc;
        try
        {
            rc = (int)NativeBindings.IMPACT_SCORE_FOUND.invokeExact(scorer, keywordMask, tools, (long)toolsLength, agent, priority, messageType,
                flags, nowMs, out);
        }
        catch (final Throwable t)
        {
            throw new ImpactAssessmentException("impact_score", "eab_impact_score_found failed: " + t);
        }
        if (rc != 0)
        {
            throw new ImpactAssessmentException("impact_score", "eab_impact_score_found returned " + rc);
        }
        for (int i = 0; i < FACTOR_COUNT; i++)
        {
            factors[i] = out.getAtIndex(ValueLayout.JAVA_DOUBLE, 1 + i);
        }
        return out.getAtIndex(ValueLayout.JAVA_DOUBLE, 0);
    }

    @Override
    public double[] factors()
    {
        return factors;
    }

    @Override
    public String name()
    {
        return "native";
    }

    @Override
    public void close()
    {
        if (!scorer.equals(MemorySegment.NULL))
        {
            final MemorySegment s = scorer;
            scorer = MemorySegment.NULL;
            NativeBindings.free(NativeBindings.IMPACT_FREE, s, "eab_impact_free");
        }
    }
}
