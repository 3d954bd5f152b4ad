package dev.eab.core;

import dev.eab.core.journal.JvmLauncher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test fixture for crash tests: starts a child JVM through {@link JvmLauncher} (the repository's JVM flags, the
 * {@code jvm.options} argfile Surefire passes as {@code eab.jvmOptions}, and the test classpath), and waits
 * for the file it writes when ready, so the test can then {@code kill -9} it ({@link Process#destroyForcibly()}).
 */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    /** Starts {@code main} with {@code args}; stdout and stderr go to {@code output}. */
    public static Process start(final Class<?> main, final Path output, final String... args) throws IOException
    {
        return JvmLauncher.start(main.getName(), output, List.of(args));
    }

    /** Waits until {@code ready} exists; fails with the child's output if it dies or the guard runs out. */
    public static void awaitFile(final Process child, final Path ready, final long guardMs, final Path output) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(guardMs);
        while (!Files.exists(ready))
        {
            assertTrue(child.isAlive(), () -> "child died: " + read(output));
            assertTrue(System.nanoTime() < deadline, () -> "child never got ready: " + read(output));
            Thread.sleep(10);
        }
    }

    private static String read(final Path p)
    {
        try
        {
            return Files.exists(p) ? Files.readString(p) : "";
        }
        catch (final IOException e)
        {
            return e.toString();
        }
    }
}
