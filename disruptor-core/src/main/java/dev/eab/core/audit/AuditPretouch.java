package dev.eab.core.audit;

import dev.eab.api.exception.ThrowableText;
import dev.eab.core.journal.JournalPretoucher;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Keeps the pages ahead of the audit chain's tail touched from its own thread ({@code eab-audit-pretouch}), so the
 * {@code eab-audit} writer does not take the first-touch page faults of its appends (10–13 % of the writer's samples
 * in JFR before this). The work is the journal's {@link JournalPretoucher}, reused as it is: the writer publishes the
 * tail after each batch document ({@link #tail}), this thread touches what lies ahead every
 * {@value #INTERVAL_MS} ms. Off by default; on with {@code -D}{@value #PROPERTY}{@code =true}.
 *
 * <p>Why off by default: measured on the 2-vCPU VM (stop 10, {@code AuditPipeMain}, same run), it took the writer's CPU
 * per record from 381–491 ns to 385–458 ns (within the noise) while the pretouch thread spent 56–120 ns per record of its
 * own: its faults populate the page cache through a second mapping, and the writer's mapping still takes a (minor) fault
 * per page to map it. On a host with spare cores a smoother writer may still be worth that CPU.
 *
 * <p>Threading: {@link #tail} on the writer thread; {@link #close} on the thread closing the writer.
 */
final class AuditPretouch implements AutoCloseable
{
    /** The system property that turns audit pretouching on ({@code true}); off by default. */
    static final String PROPERTY = "eab.audit.pretouch";
    private static final long INTERVAL_MS = 10;
    private static final Logger LOG = Logger.getLogger(AuditPretouch.class.getName());

    private final JournalPretoucher pretoucher;
    private final Thread thread;
    private volatile boolean open = true;

    private AuditPretouch(final SingleChronicleQueue queue)
    {
        this.pretoucher = new JournalPretoucher(queue);
        this.thread = new Thread(this::run, "eab-audit-pretouch");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a running pretoucher for {@code queue}, or null when not turned on (or the queue is not a single Chronicle queue). */
    static AuditPretouch startFor(final ChronicleQueue queue)
    {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "false")) || !(queue instanceof SingleChronicleQueue q))
        {
            return null;
        }
        return new AuditPretouch(q);
    }

    /** Writer thread: the byte position just written in the current cycle file. */
    void tail(final long position)
    {
        pretoucher.tail(position);
    }

    /** @return pages touched ahead of the writer so far. */
    long pagesTouched()
    {
        return pretoucher.pagesTouched();
    }

    private void run()
    {
        try
        {
            while (open)
            {
                pretoucher.touch();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
            }
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.warning("audit: pretouching stopped (" + ThrowableText.describe(e) + "); the writer takes its own page faults");
        }
        finally
        {
            pretoucher.unmap();
        }
    }

    /** Stops the thread and waits for it (it unmaps its window before the queue closes). */
    @Override
    public void close()
    {
        open = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
