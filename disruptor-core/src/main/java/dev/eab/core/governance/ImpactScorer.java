package dev.eab.core.governance;

/**
 * The impact scorer of reference §3.5 behind one interface: {@link JavaImpactScorer} and its Rust twin
 * {@link NativeImpactScorer} give bit-identical scores and factors for the same inputs and the same history.
 *
 * <p>Score = 0.3 semantic + 0.2 permission + 0.1 volume + 0.1 context + 0.1 drift + 0.1 priority + 0.1 type,
 * summed in that order; then a priority factor ≥ 0.9 lifts the score to at least 0.9, a semantic factor ≥ 0.8
 * lifts it to at least 0.8, and the result is capped at 1.0. The factors:
 * <ul>
 * <li>semantic: distinct keywords of {@link ImpactKeywords} in the text: ≥ 5 → 1.0, 3–4 → 0.8, 1–2 → 0.5, none
 *     → 0.1, empty text → 0.0;</li>
 * <li>permission: the max over tool names (newline separated): a name containing execute, delete, write, submit
 *     or transfer → 0.9; send, update or modify → 0.5; read, get, list or view → 0.2; otherwise, or no tools,
 *     0.1 (ASCII case folded);</li>
 * <li>volume: the agent's scored messages in the window before this one: ≥ 150 → 1.0, ≥ 50 → 0.5, ≥ 20 → 0.2,
 *     else 0.1. The window is the current and the five previous 10-second buckets of the caller's clock (so
 *     50–60 s): the original's counter never decayed, so an agent became "high volume" for ever;</li>
 * <li>context: 0.2, plus 0.4 when the content's {@code amount} is a number &gt; 1000;</li>
 * <li>drift: the agent's first message → 0; after that min(1, 2 × |semantic − mean of the agent's last ≤ 20
 *     semantic factors|), the mean computed as (sum of the factors in tenths, an exact integer) / (10 n), so both
 *     twins round alike and a call costs the same whatever the history;</li>
 * <li>priority: LOW 0.2, NORMAL 0.5, HIGH 0.7, CRITICAL 1.0 (any other value 0.5);</li>
 * <li>type: governance_request, governance_response, constitutional_validation → 0.8; command → 0.4; else 0.2.</li>
 * </ul>
 * State (volume window and drift history) is per agent handle, in primitive arrays sized at construction: an
 * out-of-range handle scores with fresh state and leaves none. Single-threaded: the bus thread owns it.
 */
public interface ImpactScorer extends AutoCloseable
{
    /** Index of each factor in {@link #factors()}. */
    int SEMANTIC = 0;
    int PERMISSION = 1;
    int VOLUME = 2;
    int CONTEXT = 3;
    int DRIFT = 4;
    int PRIORITY = 5;
    int TYPE = 6;
    int FACTOR_COUNT = 7;
    /** The factor names, in index order, as reviewers see them. */
    String[] FACTOR_NAMES = {"semantic", "permission", "volume", "context", "drift", "priority", "type"};
    /** The weights (ScoringConfig), in index order; they sum to 1.0. */
    double[] WEIGHTS = {0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1};
    /** Flag: the content's amount is a number above 1000. */
    int FLAG_AMOUNT_OVER_1000 = 1;
    /**
     * Set in a keyword mask ({@link #scoreFound}, {@code ContentScanner.impactKeywords()}) when the text was empty: the
     * semantic factor is then 0.0, not the 0.1 of a text without keywords. Bit 31: no keyword uses it (there are 28).
     */
    int KEYWORD_MASK_EMPTY_TEXT = 1 << 31;

    /**
     * Scores one message and records it in the agent's history (volume window, drift).
     *
     * @param agent       the sender's handle
     * @param nowMs       the caller's clock in ms (any epoch: only differences matter)
     * @param text        the text to search for keywords, {@code [0, textLength)}
     * @param tools       tool names, newline separated, {@code [0, toolsLength)}
     * @param flags       {@link #FLAG_AMOUNT_OVER_1000}
     * @param priority    the priority's value (0..3)
     * @param messageType the message type's ordinal
     * @return the score in [0, 1]; the factors are in {@link #factors()} until the next call
     */
    double score(int agent, long nowMs, byte[] text, int textLength, byte[] tools, int toolsLength, int flags, int priority, int messageType);

    /**
     * Scores one message whose impact keywords were already found, in the same pass as the guardrail scan
     * ({@link dev.eab.core.guard.ContentScanner#impactKeywords()}), and records it like {@link #score}. Same
     * result as {@link #score} on the text the mask was found in.
     *
     * @param keywordMask bit {@code i} = {@code ImpactKeywords.KEYWORDS[i]} occurs (in this scorer's matching mode)
     * @return the score in [0, 1]; the factors are in {@link #factors()} until the next call
     */
    default double scoreFound(
        final int agent, final long nowMs, final int keywordMask, final byte[] tools, final int toolsLength, final int flags,
        final int priority, final int messageType)
    {
        throw new UnsupportedOperationException(name() + " scorer does not take a keyword mask yet");
    }

    /** @return the last call's factors, by the index constants above; overwritten by the next call. */
    double[] factors();

    /** @return "native" or "java". */
    String name();

    /** Releases native memory, if any. Idempotent. */
    @Override
    void close();
}
