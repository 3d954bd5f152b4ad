package dev.eab.core.workflow;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one attempt of workflow code on a fresh virtual thread and waits for it at most a timeout. Whatever
 * the code does (returns, throws any {@link Throwable} including an {@link Error} or a throwable whose
 * methods throw, never returns), the caller gets a {@link CallOutcome} and nothing is thrown at it.
 *
 * <p>Why a thread per attempt: a timeout must leave the caller free even when the code ignores interrupts.
 * On timeout the attempt's thread is interrupted and abandoned; if it ever returns, its value is dropped.
 * Its side effects are not undone here: that is what compensations are for.
 *
 * <p>The future is always completed normally with an outcome, never exceptionally: {@code get()} would wrap
 * the throwable in an {@code ExecutionException}, whose constructor calls the throwable's {@code toString()}.
 */
final class TimedCall
{
    private TimedCall()
    {
    }

    static <T> CallOutcome<T> call(final String threadName, final long timeoutMs, final Callable<T> body)
    {
        final CompletableFuture<CallOutcome<T>> outcome = new CompletableFuture<>();
        final Thread thread;
        try
        {
            thread = Thread.ofVirtual().name(threadName).unstarted(() -> outcome.complete(attempt(body)));
            thread.start();
        }
        catch (final Throwable t)
        {
            // Starting a thread can fail (out of memory): the attempt did not run, and that is its failure.
            return CallOutcome.failed(t);
        }
        try
        {
            return outcome.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException e)
        {
            // The attempt may have finished between the timeout and now: its outcome wins if it did. Looked at
            // before the interrupt, which would otherwise end the attempt with an InterruptedException of ours.
            final CallOutcome<T> late = outcome.getNow(null);
            if (late != null)
            {
                return late;
            }
            thread.interrupt();
            return CallOutcome.timedOut(timeoutMs);
        }
        catch (final InterruptedException e)
        {
            thread.interrupt();
            Thread.currentThread().interrupt();
            return CallOutcome.waitInterrupted();
        }
        catch (final Throwable t)
        {
            // Not reachable: the future only ever completes normally. Fail the attempt rather than the caller.
            thread.interrupt();
            return CallOutcome.failed(t);
        }
    }

    private static <T> CallOutcome<T> attempt(final Callable<T> body)
    {
        try
        {
            return CallOutcome.ok(body.call());
        }
        catch (final Throwable t)
        {
            return CallOutcome.failed(t);
        }
    }
}
