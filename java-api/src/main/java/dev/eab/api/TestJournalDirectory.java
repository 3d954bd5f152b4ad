package dev.eab.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fresh temporary journal directories for {@link BusConfiguration#forTesting()}: each call makes a new one,
 * so tests journal for real without sharing state, and one shutdown hook deletes them all when the JVM exits.
 */
final class TestJournalDirectory
{
    private static final List<Path> CREATED = new ArrayList<>();
    private static boolean hooked;

    private TestJournalDirectory()
    {
    }

    /** @return a new empty directory under the system's temporary directory. */
    static synchronized Path create()
    {
        try
        {
            final Path dir = Files.createTempDirectory("eab-test-journal-");
            CREATED.add(dir);
            if (!hooked)
            {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(TestJournalDirectory::deleteAll, "eab-test-journal-cleanup"));
            }
            return dir;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create a temporary journal directory for forTesting()", e);
        }
    }

    private static synchronized void deleteAll()
    {
        for (final Path dir : CREATED)
        {
            try (Stream<Path> s = Files.walk(dir))
            {
                for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
            }
            catch (final IOException | UncheckedIOException e)
            {
                // Best effort at exit: a leftover temporary directory is harmless.
            }
        }
    }
}
