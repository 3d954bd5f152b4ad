package dev.eab.core.workflow;

import dev.eab.core.ChildJvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.eab.core.workflow.SagaTransition.STEP_COMPLETED;
import static dev.eab.core.workflow.SagaTransition.STEP_STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Resume after a real crash: a child JVM runs two sagas into step c, the test kills it with SIGKILL
 * ({@code destroyForcibly}, which is {@code kill -9} on Linux), then resumes both from the journal the child
 * left. Completed steps are not run again; c is retried (policy RETRY) or compensated (policy COMPENSATE).
 */
class SagaCrashTest
{
    /** Hang guard for the child's start-up (a cold JVM plus Chronicle on a loaded 2-core machine). */
    private static final long READY_GUARD_MS = 60_000;
    /** Exit status of a process ended by SIGKILL: 128 + 9. */
    private static final int SIGKILL_EXIT = 137;

    @TempDir
    Path dir;

    @Test
    void resumesBothSagasWhereTheKilledProcessStopped() throws Exception
    {
        final Path journal = dir.resolve("sagas");
        final Path ready = dir.resolve("ready");
        final Path events = dir.resolve("events.txt");
        final Process child = ChildJvm.start(SagaCrashChild.class, dir.resolve("child.log"), journal.toString(), ready.toString(), events.toString());
        try
        {
            ChildJvm.awaitFile(child, ready, READY_GUARD_MS, dir.resolve("child.log"));
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(READY_GUARD_MS, TimeUnit.MILLISECONDS), "child did not die");
        }
        assertEquals(SIGKILL_EXIT, child.exitValue(), "killed by SIGKILL");
        final List<String> childRan = Files.readAllLines(events);
        assertTrue(childRan.containsAll(List.of("crash-retry-1 run:a", "crash-retry-1 run:b", "crash-compensate-1 run:a", "crash-compensate-1 run:b")),
            childRan.toString());
        Files.delete(events);

        final StepAction cSucceedsNow = ctx -> "c-result";
        try (SagaCoordinator coordinator = SagaCoordinator.open(journal, null))
        {
            final List<SagaRecord> left = coordinator.journal().read("crash-retry-1");
            assertEquals(STEP_STARTED, left.getLast().type(), "the journal ends with c running");
            assertEquals(2, left.stream().filter(r -> r.type() == STEP_COMPLETED).count());
            assertEquals(Map.of("crash-retry-1", CrashSagas.RETRYING, "crash-compensate-1", CrashSagas.COMPENSATING),
                coordinator.unfinished());
            coordinator.register(CrashSagas.saga(CrashSagas.RETRYING, events, cSucceedsNow));
            coordinator.register(CrashSagas.saga(CrashSagas.COMPENSATING, events, cSucceedsNow));

            final SagaResult retried = coordinator.resume("crash-retry-1");
            assertEquals(SagaStatus.COMPLETED, retried.status());
            assertEquals(2, retried.step("c").attempts(), "the cut-off attempt counts");
            assertEquals(Map.of("a", "a-result", "b", "b-result", "c", "c-result", "d", "d-result"), retried.stepResults());

            final SagaResult compensated = coordinator.resume("crash-compensate-1");
            assertEquals(SagaStatus.COMPENSATED, compensated.status());
            assertEquals("c", compensated.failedStep());
            assertEquals(List.of("c", "b", "a"), compensated.compensatedSteps());

            assertTrue(coordinator.unfinished().isEmpty());
        }
        assertEquals(List.of(
            "crash-retry-1 run:c#2 sees {a=a-result, b=b-result}",
            "crash-retry-1 run:d",
            "crash-compensate-1 comp:c result=null",
            "crash-compensate-1 comp:b result=b-result",
            "crash-compensate-1 comp:a result=a-result"), Files.readAllLines(events), "no completed step ran again");
    }
}
