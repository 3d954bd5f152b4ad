package dev.eab.core.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The two sagas of the crash test, built the same way by the child JVM that is killed and by the test that
 * resumes them: a, b, c, d, where c is the step the child is cut off in. Each step appends what it did to
 * an events file, one line each, so the test can tell which process ran what.
 */
final class CrashSagas
{
    static final String RETRYING = "crash-retry";
    static final String COMPENSATING = "crash-compensate";
    /** Long enough that c is never timed out before the kill; the kill comes first. */
    static final RetryPolicy STEP_POLICY = RetryPolicy.of(3, 1, 120_000);

    private CrashSagas()
    {
    }

    /**
     * @param name     {@link #RETRYING} (c declared RETRY) or {@link #COMPENSATING} (c declared COMPENSATE).
     * @param events   the file steps append to.
     * @param inStepC  what c does.
     * @return the saga.
     */
    static Saga saga(final String name, final Path events, final StepAction inStepC)
    {
        final InterruptedStepPolicy policy = RETRYING.equals(name) ? InterruptedStepPolicy.RETRY : InterruptedStepPolicy.COMPENSATE;
        return Saga.builder(name)
            .step(step("a", events).build())
            .step(step("b", events).build())
            .step(step("c", events).onInterrupted(policy).action(ctx ->
            {
                append(events, ctx.sagaId() + " run:c#" + ctx.attempt() + " sees " + ctx.results());
                return inStepC.execute(ctx);
            }).build())
            .step(step("d", events).build())
            .build();
    }

    private static SagaStep.Builder step(final String name, final Path events)
    {
        return SagaStep.builder(name).retry(STEP_POLICY).compensationRetry(STEP_POLICY)
            .action(ctx ->
            {
                append(events, ctx.sagaId() + " run:" + name);
                return name + "-result";
            })
            .compensation(ctx -> append(events, ctx.workflowId() + " comp:" + name + " result=" + ctx.result()));
    }

    static synchronized void append(final Path events, final String line) throws IOException
    {
        Files.writeString(events, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
