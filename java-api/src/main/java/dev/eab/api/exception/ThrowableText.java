package dev.eab.api.exception;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The one place where the bus turns a {@link Throwable} into text, for rejection texts, handler-failure
 * results and log lines. A throwable is caller-supplied code: its {@code getMessage()},
 * {@code toString()}, {@code getCause()} or {@code getStackTrace()} may itself throw (even a
 * {@link StackOverflowError}), return null, or return megabytes. Nothing here ever throws, and every text
 * is bounded.
 *
 * <p>Only {@link Object#getClass()} is trusted: it is final, so a hostile subclass cannot override it.
 */
public final class ThrowableText
{
    /** Longest message text kept, in characters; longer ones are cut and marked. */
    public static final int MAX_MESSAGE_CHARS = 1_000;
    /** Stack frames written per throwable by {@link #withStackTrace}. */
    public static final int MAX_FRAMES = 32;
    /** Causes followed by {@link #withStackTrace}; a cycle of causes ends earlier. */
    public static final int MAX_CAUSES = 8;

    private ThrowableText()
    {
    }

    /**
     * @return the throwable's message, cut to {@link #MAX_MESSAGE_CHARS}; null when it has none;
     * {@code <getMessage() threw X>} when asking for it threw.
     */
    public static String message(final Throwable t)
    {
        if (t == null)
        {
            return null;
        }
        try
        {
            return bounded(t.getMessage());
        }
        catch (final Throwable inner)
        {
            return "<getMessage() threw " + inner.getClass().getName() + ">";
        }
    }

    /** @return the simple class name ({@code getClass()} cannot be overridden), or "null". */
    public static String typeName(final Throwable t)
    {
        return t == null ? "null" : t.getClass().getSimpleName();
    }

    /**
     * @return {@code SimpleClassName: message}, or the class name alone when there is no message, as
     * {@link Throwable#toString()} would say it but without calling it; "null" for null.
     */
    public static String describe(final Throwable t)
    {
        if (t == null)
        {
            return "null";
        }
        final String message = message(t);
        return message == null ? typeName(t) : typeName(t) + ": " + message;
    }

    /**
     * @return {@link #describe} followed by up to {@link #MAX_FRAMES} stack frames, then the causes (up to
     * {@link #MAX_CAUSES}, stopping at a cycle) in the same form: a log line that cannot throw.
     */
    public static String withStackTrace(final Throwable t)
    {
        final StringBuilder sb = new StringBuilder(256);
        final Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable current = t;
        for (int depth = 0; current != null && depth <= MAX_CAUSES && seen.put(current, Boolean.TRUE) == null; depth++)
        {
            if (depth > 0)
            {
                sb.append("\nCaused by: ");
            }
            sb.append(current.getClass().getName());
            final String message = message(current);
            if (message != null)
            {
                sb.append(": ").append(message);
            }
            appendFrames(sb, current);
            current = cause(current);
        }
        return sb.toString();
    }

    private static void appendFrames(final StringBuilder sb, final Throwable t)
    {
        try
        {
            final StackTraceElement[] frames = t.getStackTrace();
            final int n = frames == null ? 0 : Math.min(frames.length, MAX_FRAMES);
            for (int i = 0; i < n; i++)
            {
                sb.append("\n\tat ").append(frames[i]);
            }
            if (frames != null && frames.length > n)
            {
                sb.append("\n\t... ").append(frames.length - n).append(" more");
            }
        }
        catch (final Throwable inner)
        {
            sb.append("\n\t<getStackTrace() threw ").append(inner.getClass().getName()).append('>');
        }
    }

    private static Throwable cause(final Throwable t)
    {
        try
        {
            return t.getCause();
        }
        catch (final Throwable inner)
        {
            return null;
        }
    }

    private static String bounded(final String s)
    {
        if (s == null || s.length() <= MAX_MESSAGE_CHARS)
        {
            return s;
        }
        return s.substring(0, MAX_MESSAGE_CHARS) + "... (" + (s.length() - MAX_MESSAGE_CHARS) + " more characters)";
    }
}
