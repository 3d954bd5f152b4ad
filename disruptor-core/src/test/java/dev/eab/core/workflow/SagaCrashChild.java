package dev.eab.core.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link SagaCrashTest}: runs both crash sagas until each is inside step c, writes the
 * ready file, then waits to be killed ({@code kill -9}). Never exits by itself within the test's time.
 *
 * <p>Arguments: the saga journal directory, the ready file, the events file.
 */
public final class SagaCrashChild
{
    private SagaCrashChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path journal = Path.of(args[0]);
        final Path ready = Path.of(args[1]);
        final Path events = Path.of(args[2]);
        final CountDownLatch bothInStepC = new CountDownLatch(2);
        final StepAction blockInC = ctx ->
        {
            bothInStepC.countDown();
            Thread.sleep(Long.MAX_VALUE);
            return "never";
        };
        final SagaCoordinator coordinator = SagaCoordinator.open(journal, null);
        for (final String name : new String[] {CrashSagas.RETRYING, CrashSagas.COMPENSATING})
        {
            Thread.ofPlatform().daemon(false).name(name).start(() -> coordinator.run(CrashSagas.saga(name, events, blockInC), name + "-1", "input"));
        }
        bothInStepC.await();
        Files.writeString(ready, "ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
