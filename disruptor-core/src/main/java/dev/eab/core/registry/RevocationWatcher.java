package dev.eab.core.registry;

import dev.eab.api.exception.ThrowableText;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Watches the revocation list file so that an edit revokes without a restart: a {@link WatchService} on the file's
 * directory wakes the watcher at once on Linux (inotify), and whatever the events say, the file's signature (size,
 * modification time, file key) is compared at most every {@code pollMs}, so an editor's atomic rename, a platform
 * whose watch service only polls, or an overflowed event queue still lead to a reload. A change runs
 * {@code reload} (the admission's {@code reloadRevocations}: new ids are revoked, flagged on their records and
 * audited); revocation only grows, so re-reading is always safe.
 *
 * <p>Runs on its own daemon thread, never the bus thread; a file that cannot be read is counted and logged and tried
 * again at the next change, never fatal. {@link #close()} stops it.
 */
public final class RevocationWatcher implements AutoCloseable
{
    /** How often the file's signature is compared even without a watch event, milliseconds. */
    public static final long DEFAULT_POLL_MS = 1_000;

    private static final Logger LOG = Logger.getLogger(RevocationWatcher.class.getName());

    private final Path file;
    private final Supplier<List<String>> reload;
    private final long pollMs;
    private final Thread thread;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong revokedByReload = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;
    private volatile WatchService watch;
    private String signature;

    /**
     * Starts watching {@code file} (its current content is already loaded).
     *
     * @param reload re-reads the list; @return the ids newly revoked
     */
    public RevocationWatcher(final Path file, final Supplier<List<String>> reload, final long pollMs)
    {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.reload = reload;
        this.pollMs = Math.max(1, pollMs);
        this.signature = signature();
        this.thread = new Thread(this::run, "eab-revocation-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        try
        {
            watch = FileSystems.getDefault().newWatchService();
            final Path dir = file.getParent();
            if (dir != null && Files.isDirectory(dir))
            {
                dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // Polling alone still works.
            LOG.fine(() -> "revocation list: no watch service (" + ThrowableText.describe(e) + "); polling every " + pollMs + " ms");
        }
        while (!closed)
        {
            try
            {
                final WatchService w = watch;
                if (w == null)
                {
                    Thread.sleep(pollMs);
                }
                else
                {
                    final WatchKey key = w.poll(pollMs, TimeUnit.MILLISECONDS);
                    if (key != null)
                    {
                        key.pollEvents();
                        key.reset();
                    }
                }
                check();
            }
            catch (final InterruptedException | ClosedWatchServiceException e)
            {
                return;
            }
            catch (final RuntimeException e)
            {
                failures.incrementAndGet();
                LOG.warning("revocation list watch: " + ThrowableText.describe(e));
            }
        }
    }

    /** Re-reads the list when its signature changed since the last read. */
    private void check()
    {
        final String now = signature();
        if (now.equals(signature))
        {
            return;
        }
        try
        {
            final List<String> added = reload.get();
            signature = now;
            reloads.incrementAndGet();
            revokedByReload.addAndGet(added.size());
            if (!added.isEmpty())
            {
                LOG.info("revocation list " + file + " changed: revoked " + added);
            }
        }
        catch (final RuntimeException e)
        {
            // Not recorded as read: the next round tries again.
            failures.incrementAndGet();
            LOG.warning("revocation list " + file + " changed but cannot be read: " + ThrowableText.describe(e));
        }
    }

    private String signature()
    {
        try
        {
            final BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
        }
        catch (final IOException e)
        {
            return "absent";
        }
    }

    /** @return reloads after a change, ids they revoked, failed reads. */
    public java.util.Map<String, Object> metrics()
    {
        return java.util.Map.of("file", file.toString(), "reloads", reloads.get(), "revoked_by_reload", revokedByReload.get(),
            "failures", failures.get());
    }

    @Override
    public void close()
    {
        closed = true;
        thread.interrupt();
        final WatchService w = watch;
        if (w != null)
        {
            try
            {
                w.close();
            }
            catch (final IOException e)
            {
                LOG.fine(() -> "closing the revocation watch: " + ThrowableText.describe(e));
            }
        }
    }
}
