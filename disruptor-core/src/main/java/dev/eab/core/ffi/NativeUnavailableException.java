package dev.eab.core.ffi;

/** The native library could not be loaded or bound; the bus falls back to Java unless native is REQUIRED. */
public final class NativeUnavailableException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public NativeUnavailableException(final String message, final Throwable cause)
    {
        super("native library unavailable: " + message, cause);
    }
}
