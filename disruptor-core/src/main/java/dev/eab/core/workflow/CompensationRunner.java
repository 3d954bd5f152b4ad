package dev.eab.core.workflow;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs compensations in the order given (the caller passes them last-registered first: LIFO), each under
 * its own {@link RetryPolicy}, and reports every transition to a {@link Listener} (the saga journals them,
 * a DAG run does not). Shared by sagas and DAGs so both compensate the same way.
 *
 * <p>Never throws and never stops early: a compensation that fails all its attempts is recorded and the
 * next one still runs, because leaving later effects in place would only widen the damage. An interrupt
 * of the calling thread does not stop compensation either (it shortens the pauses); it is restored when
 * the run ends.
 */
final class CompensationRunner
{
    /** One compensation to run. {@code attemptsUsed} is non-zero when a resumed saga continues one. */
    record Entry(int index, String name, Compensation compensation, RetryPolicy policy, Object result, int attemptsUsed)
    {
    }

    /** Told of each transition, on the compensating thread. Its own failures are contained by the runner. */
    interface Listener
    {
        void started(Entry entry, int attempt);

        void done(Entry entry, int attempt);

        void failed(Entry entry, int attempt, String error, boolean last);

        /** The listener itself failed (e.g. the journal could not be written): recorded, compensation goes on. */
        void listenerFailed(Entry entry, Throwable error);
    }

    /** What a compensation run did: names in the order they ran. */
    record Report(List<String> compensated, List<String> failed, List<String> errors)
    {
    }

    private CompensationRunner()
    {
    }

    static Report run(final String workflowId, final List<Entry> lifo, final Listener listener)
    {
        final List<String> compensated = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        boolean interrupted = Thread.interrupted();
        for (final Entry entry : lifo)
        {
            boolean done = false;
            int attempt = entry.attemptsUsed();
            while (!done && attempt < entry.policy().maxAttempts())
            {
                attempt++;
                final int thisAttempt = attempt;
                notify(listener, entry, l -> l.started(entry, thisAttempt));
                final CallOutcome<Void> outcome = TimedCall.call(
                    "compensate-" + entry.name(), entry.policy().timeoutMs(),
                    () ->
                    {
                        entry.compensation().compensate(new CompensationContext(workflowId, entry.name(), thisAttempt, entry.result()));
                        return null;
                    });
                if (outcome.waitWasInterrupted())
                {
                    // Our wait was interrupted, not the compensation: remember it, and keep compensating.
                    interrupted |= Thread.interrupted();
                }
                if (outcome.isOk())
                {
                    done = true;
                    notify(listener, entry, l -> l.done(entry, thisAttempt));
                }
                else
                {
                    final boolean last = attempt >= entry.policy().maxAttempts();
                    errors.add("Compensation '" + entry.name() + "' attempt " + attempt + " failed: " + outcome.errorText());
                    notify(listener, entry, l -> l.failed(entry, thisAttempt, outcome.errorText(), last));
                    if (!last)
                    {
                        interrupted |= Pause.sleepMs(entry.policy().retryDelayMs());
                    }
                }
            }
            if (done)
            {
                compensated.add(entry.name());
            }
            else
            {
                if (attempt == entry.attemptsUsed())
                {
                    // A resumed compensation whose attempts were all used before the crash: it did not succeed.
                    errors.add("Compensation '" + entry.name() + "' has no attempts left after " + attempt);
                }
                failed.add(entry.name());
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        return new Report(List.copyOf(compensated), List.copyOf(failed), List.copyOf(errors));
    }

    private static void notify(final Listener listener, final Entry entry, final ListenerCall call)
    {
        try
        {
            call.accept(listener);
        }
        catch (final Throwable t)
        {
            try
            {
                listener.listenerFailed(entry, t);
            }
            catch (final Throwable ignored)
            {
                // A listener that fails to record its own failure: nothing left to tell; compensation goes on.
            }
        }
    }

    @FunctionalInterface
    private interface ListenerCall
    {
        void accept(Listener listener);
    }

    /** A listener that records nothing (DAG runs keep no journal). */
    static final Listener SILENT = new Listener()
    {
        @Override
        public void started(final Entry entry, final int attempt)
        {
        }

        @Override
        public void done(final Entry entry, final int attempt)
        {
        }

        @Override
        public void failed(final Entry entry, final int attempt, final String error, final boolean last)
        {
        }

        @Override
        public void listenerFailed(final Entry entry, final Throwable error)
        {
        }
    };
}
