package dev.eab.core.guard;

/**
 * Scans message text for the families of a {@link GuardrailPatterns} set and returns the bitmask of those
 * that matched: bit {@code i} = family {@code i} ({@link GuardrailFamily#bit()}); 0 = nothing found.
 * What a match means (block, flag) is the caller's decision ({@link GuardrailPatterns#blockMask()}).
 *
 * <p>Two implementations give identical results for every input ({@code GuardDifferentialTest}):
 * {@link NativeContentScanner} (Rust, allocation-free) and {@link JavaContentScanner} (the fallback).
 * Implementations keep reusable buffers and are <b>not thread-safe</b>: one instance per scanning thread
 * (on the bus, the bus thread).
 */
public interface ContentScanner
{
    /**
     * Scans {@code len} bytes of UTF-8 text. Malformed UTF-8 is not an error: each malformed sequence
     * counts as U+FFFD.
     *
     * @return the bitmask of matching families.
     * @throws ContentScanException when the scan could not be completed (reject the message).
     */
    long scan(byte[] utf8, int off, int len);

    /**
     * Scans {@code text}; unpaired surrogates count as U+FFFD. Same result as scanning its UTF-8 bytes.
     *
     * @return the bitmask of matching families.
     * @throws ContentScanException when the scan could not be completed (reject the message).
     */
    long scan(CharSequence text);

    /**
     * Scans the first {@code len} bytes of {@code utf8}, which the caller also holds as {@code heapSegment}
     * ({@code MemorySegment.ofArray(utf8)}, made once and kept: a ring slot's payload). Same result as
     * {@code scan(utf8, 0, len)}; the native scanner hands the segment to its downcall, so no segment object is made per
     * call (the bus's flyweight path stays allocation-free without relying on escape analysis).
     *
     * @return the bitmask of matching families.
     * @throws ContentScanException when the scan could not be completed (reject the message).
     */
    default long scan(final java.lang.foreign.MemorySegment heapSegment, final byte[] utf8, final int len)
    {
        return scan(utf8, 0, len);
    }

    /** @return the bitmask of matching families in all of {@code utf8}. */
    default long scan(final byte[] utf8)
    {
        return scan(utf8, 0, utf8.length);
    }

    /**
     * The impact keywords ({@code dev.eab.core.governance.ImpactKeywords}) found by the last {@code scan} call, in
     * the same pass over the text as the guardrail families, when the scanner was built to find them; valid until
     * the next scan. Bit {@code i} = keyword {@code i}, with the scorer's matching mode and saturation rule.
     *
     * @return the keyword bitmask, or {@code -1} when this scanner does not find keywords (the scorer searches itself)
     */
    default int impactKeywords()
    {
        return -1;
    }

    /** @return the pattern set this scanner was built from. */
    GuardrailPatterns patterns();

    /** @return {@code native} or {@code java}, for metrics and logs. */
    String name();
}
