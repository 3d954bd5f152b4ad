package dev.eab.core.validate;

import dev.eab.api.exception.ThrowableText;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Watches a Rego bundle directory (and its sub-directories) and calls {@link RegoPolicyStrategy#reload()} once
 * the files have been quiet for {@link #QUIET_MS}: an editor's save or a {@code cp -r} of a new bundle is several
 * events, and compiling half a bundle would only produce a refused reload. The reload compiles on this thread
 * ({@code eab-rego-watch}), never the bus thread; a bundle that does not compile is logged and counted
 * ({@code rego.reload_failures}) and the running bundle stays.
 *
 * <p>One daemon thread per bus with Rego on; {@link #close()} stops it.
 */
public final class RegoWatcher implements AutoCloseable
{
    /** How long the directory must be quiet before a reload, ms. */
    public static final long QUIET_MS = 250;
    private static final Logger LOG = Logger.getLogger(RegoWatcher.class.getName());

    private final RegoPolicyStrategy strategy;
    private final WatchService watch;
    private final Thread thread;
    private volatile boolean running = true;

    private RegoWatcher(final RegoPolicyStrategy strategy, final WatchService watch)
    {
        this.strategy = strategy;
        this.watch = watch;
        this.thread = new Thread(this::run, "eab-rego-watch");
        this.thread.setDaemon(true);
    }

    /** Starts watching the strategy's directory; returns null (logged) when the platform cannot watch it. */
    static RegoWatcher start(final RegoPolicyStrategy strategy)
    {
        try
        {
            final WatchService ws = FileSystems.getDefault().newWatchService();
            final RegoWatcher w = new RegoWatcher(strategy, ws);
            w.register(strategy.dir());
            w.thread.start();
            return w;
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.warning("rego: cannot watch " + strategy.dir() + " (" + ThrowableText.message(e) + "); reload through the API only");
            return null;
        }
    }

    private void register(final Path dir) throws IOException
    {
        try (Stream<Path> dirs = Files.walk(dir))
        {
            for (final Path d : (Iterable<Path>)dirs.filter(Files::isDirectory)::iterator)
            {
                d.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void run()
    {
        try
        {
            while (running)
            {
                final WatchKey first = watch.take();
                boolean newDirectory = drain(first);
                // Wait for quiet: every further event restarts the wait.
                WatchKey more;
                while ((more = watch.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null)
                {
                    newDirectory |= drain(more);
                }
                if (!running)
                {
                    return;
                }
                if (newDirectory)
                {
                    register(strategy.dir());
                }
                try
                {
                    strategy.reload();
                }
                catch (final RuntimeException e)
                {
                    // Logged and counted by reload(); the running bundle stays.
                }
            }
        }
        catch (final InterruptedException | ClosedWatchServiceException e)
        {
            // closing
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.warning("rego: watching " + strategy.dir() + " stopped: " + ThrowableText.message(e) + "; reload through the API only");
        }
    }

    /** @return true when an event created a directory (it must be registered too). */
    private boolean drain(final WatchKey key)
    {
        boolean created = false;
        for (final var event : key.pollEvents())
        {
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && key.watchable() instanceof Path parent &&
                event.context() instanceof Path child && Files.isDirectory(parent.resolve(child)))
            {
                created = true;
            }
        }
        key.reset();
        return created;
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            watch.close();
        }
        catch (final IOException e)
        {
            LOG.fine("rego: closing the watch service: " + e);
        }
        thread.interrupt();
    }
}
