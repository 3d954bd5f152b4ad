package dev.eab.core.workflow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared helpers for the workflow tests: fast policies and an event log that steps write to. */
final class WorkflowFixtures
{
    /** Hang guard only, never a timing assertion: long enough for a loaded 2-core machine. */
    static final long GUARD_TIMEOUT_MS = 20_000;
    /** One attempt, no delay. */
    static final RetryPolicy ONCE = RetryPolicy.once(GUARD_TIMEOUT_MS);
    /** Three attempts, 1 ms apart. */
    static final RetryPolicy THREE_FAST = RetryPolicy.of(3, 1, GUARD_TIMEOUT_MS);

    private WorkflowFixtures()
    {
    }

    /** What steps and compensations did, in order; thread-safe. */
    static final class Events
    {
        private final List<String> events = new CopyOnWriteArrayList<>();

        void add(final String event)
        {
            events.add(event);
        }

        List<String> all()
        {
            return List.copyOf(events);
        }

        List<String> withPrefix(final String prefix)
        {
            return events.stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length())).toList();
        }

        long count(final String event)
        {
            return events.stream().filter(event::equals).count();
        }
    }

    /** A step that logs "run:name" and returns "name-result". */
    static SagaStep.Builder okStep(final String name, final Events events)
    {
        return SagaStep.builder(name).retry(ONCE).compensationRetry(ONCE)
            .action(ctx ->
            {
                events.add("run:" + name);
                return name + "-result";
            })
            .compensation(ctx -> events.add("comp:" + name));
    }

    /** A step that logs "run:name" and always throws. */
    static SagaStep.Builder failingStep(final String name, final Events events)
    {
        return SagaStep.builder(name).retry(ONCE).compensationRetry(ONCE)
            .action(ctx ->
            {
                events.add("run:" + name);
                throw new IllegalStateException(name + " broke");
            });
    }
}
