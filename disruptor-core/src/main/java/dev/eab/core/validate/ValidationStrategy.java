package dev.eab.core.validate;

import java.lang.foreign.MemorySegment;

/**
 * Decides one message from its {@link MessageHeaderDescriptor header}. Implementations are called on
 * the bus thread only, must not allocate, and return a {@link dev.eab.api.RejectReason} code
 * (0 = accepted). A negative code means the strategy itself failed; callers reject (fail closed).
 */
public interface ValidationStrategy
{
    /** @return the code for the header at {@code header} (at least {@link MessageHeaderDescriptor#LENGTH} bytes). */
    int validate(MemorySegment header);

    /**
     * Decides {@code header} as {@link #validate} does but leaves no trace (no decision counted, nothing
     * reported to a breaker): the idle warm-up ({@code PathWarmer}) calls it to keep the tables warm.
     *
     * @return the code, or a negative value when the strategy failed (ignored by the caller).
     */
    default int warm(final MemorySegment header)
    {
        return validate(header);
    }

    /** @return a short name for metrics and the demo: "native", "java", "composite". */
    String name();
}
