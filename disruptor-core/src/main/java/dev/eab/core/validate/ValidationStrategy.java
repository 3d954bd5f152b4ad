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

    /** @return a short name for metrics and the demo: "native", "java", "composite". */
    String name();
}
