package dev.eab.core.workflow;

import dev.eab.api.exception.ThrowableText;

/**
 * What one timed attempt of workflow code gave: a value, or a failure with its text already taken (through
 * {@link ThrowableText}, so a hostile throwable is described once, safely, where it was caught).
 *
 * @param <T> the value's type.
 */
final class CallOutcome<T>
{
    private final boolean ok;
    private final T value;
    private final Throwable error;
    private final String errorText;
    private final boolean timedOut;
    private final boolean interrupted;

    private CallOutcome(
        final boolean ok, final T value, final Throwable error, final String errorText, final boolean timedOut, final boolean interrupted)
    {
        this.ok = ok;
        this.value = value;
        this.error = error;
        this.errorText = errorText;
        this.timedOut = timedOut;
        this.interrupted = interrupted;
    }

    static <T> CallOutcome<T> ok(final T value)
    {
        return new CallOutcome<>(true, value, null, null, false, false);
    }

    static <T> CallOutcome<T> failed(final Throwable error)
    {
        return new CallOutcome<>(false, null, error, ThrowableText.describe(error), false, false);
    }

    static <T> CallOutcome<T> timedOut(final long timeoutMs)
    {
        // The original's text, in milliseconds: "Timeout after Ns".
        return new CallOutcome<>(false, null, null, "Timeout after " + timeoutMs + "ms", true, false);
    }

    static <T> CallOutcome<T> waitInterrupted()
    {
        return new CallOutcome<>(false, null, null, "Interrupted while waiting for the attempt", false, true);
    }

    boolean isOk()
    {
        return ok;
    }

    T value()
    {
        return value;
    }

    /** @return the throwable the code threw; null when it succeeded, timed out or the wait was interrupted. */
    Throwable error()
    {
        return error;
    }

    /** @return the failure as text (never null on failure), null on success. */
    String errorText()
    {
        return errorText;
    }

    boolean timedOut()
    {
        return timedOut;
    }

    /** @return true when the waiting thread (not the attempt) was interrupted. */
    boolean waitWasInterrupted()
    {
        return interrupted;
    }
}
