package dev.eab.core.ops;

import dev.eab.api.exception.ThrowableText;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging that cannot throw. A throwable handed to {@code java.util.logging} is formatted with its own
 * {@code toString()} and {@code printStackTrace()}, which caller code may have made throw, and the
 * handler's error path prints it again; on a bus thread that would end the thread. So the bus formats
 * throwables itself ({@link ThrowableText}) and never passes one to a logger.
 */
public final class SafeLog
{
    private SafeLog()
    {
    }

    /** Logs {@code what}, then the throwable (if any) with its stack, at SEVERE; never throws. */
    public static void severe(final Logger log, final String what, final Throwable t)
    {
        try
        {
            log.log(Level.SEVERE, t == null ? what : what + ": " + ThrowableText.withStackTrace(t));
        }
        catch (final Throwable ignored)
        {
            // A logging handler failed; nothing else to report it to.
        }
    }
}
