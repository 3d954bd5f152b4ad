package dev.eab.core.guard;

import dev.eab.api.exception.AgentBusException;

/**
 * A scan could not be completed (the native call failed, or the scanner was closed). The caller must treat
 * the message as not scanned and reject it: the bus fails closed.
 */
public final class ContentScanException extends AgentBusException
{
    /**
     * @param message what failed.
     * @param cause   the underlying failure, may be null.
     */
    public ContentScanException(final String message, final Throwable cause)
    {
        super(message, null, DEFAULT_CONSTITUTIONAL_HASH, cause);
    }
}
