package dev.eab.core.pipeline;

import com.lmax.disruptor.RingBuffer;
import dev.eab.api.RejectReason;
import dev.eab.core.audit.AuditFeed;
import dev.eab.core.audit.AuditLog;
import dev.eab.core.ops.SafeLog;

import java.util.logging.Logger;

/**
 * Fails, as a run's bus thread ends, every message published after the last one the pipeline processed (a
 * halt after a stop timed out, or a dying bus thread), so no sender is left waiting, and hands each such
 * outcome to the audit log, so a {@code BUS_STOPPED} decision is in the chain like any other. Before that, it
 * lets the audit writer commit every decision the pipeline made ({@link AuditLog#catchUp}), so the failed
 * outcomes follow them in the chain.
 *
 * <p>Starts after the <em>pipeline's</em> sequence, not the ring's gating sequence: with the audit log on, the
 * ring is also gated by the audit writer behind the pipeline, and slots between the two were already processed (and
 * cleared) by the pipeline. The writer never reads the slots failed here (it only follows the pipeline's
 * sequence, which does not pass them); their outcomes go through the audit log's slot ring
 * ({@link AuditLog#recordFailed}), so each is recorded exactly once.
 *
 * <p>One per run: the bus creates it before the run's threads and {@link #attach}es the stages once built; run by
 * that run's bus thread as it ends (the single writer of the slots it fails).
 */
public final class PendingFailer
{
    private static final Logger LOG = Logger.getLogger(PendingFailer.class.getName());
    /** Bound on waiting for the audit writer to pass the pipeline as a run ends (it is normally there already). */
    private static final long CATCH_UP_TIMEOUT_MS = 10_000;

    private volatile RouteStage route;
    private volatile PipelineHandler pipeline;
    private volatile AuditLog audit;
    private volatile AuditFeed feed;

    /** The run's routing stage, pipeline, audit log and the run's feed into it (both null when the audit log is off). */
    public void attach(final RouteStage route, final PipelineHandler pipeline, final AuditLog audit, final AuditFeed feed)
    {
        this.route = route;
        this.pipeline = pipeline;
        this.audit = audit;
        this.feed = feed;
    }

    /**
     * Fails what the pipeline left unprocessed with {@code reason}.
     *
     * @return how many messages it failed.
     */
    public int failPending(final RingBuffer<MessageEvent> r, final RejectReason reason)
    {
        final RouteStage routeStage = route;
        if (routeStage == null)
        {
            return 0;
        }
        final PipelineHandler p = pipeline;
        final long processed = p == null || p.processedSequence() == Long.MIN_VALUE ? r.getMinimumGatingSequence() : p.processedSequence();
        final long cursor = r.getCursor();
        final AuditLog log = audit;
        final AuditFeed auditFeed = feed;
        if (log != null && auditFeed != null && processed < cursor)
        {
            // What the pipeline processed goes into the chain first.
            log.catchUp(auditFeed, processed, CATCH_UP_TIMEOUT_MS);
        }
        int failed = 0;
        for (long seq = processed + 1; seq <= cursor; seq++)
        {
            // Published only: a claimed slot whose publisher never published holds nothing of a message.
            if (!r.isAvailable(seq))
            {
                continue;
            }
            final MessageEvent e = r.get(seq);
            if (e.completed || e.kind == MessageEvent.KIND_BALLAST)
            {
                continue;
            }
            routeStage.failPending(e, reason);
            failed++;
            if (log != null && auditFeed != null)
            {
                e.captureAudit();
                try
                {
                    log.recordFailed(auditFeed, e);
                }
                catch (final Throwable t)
                {
                    // The audit log is closed or failed: it counts and reports that itself (health CRITICAL).
                    SafeLog.severe(LOG, "audit: a " + reason.metricName() + " outcome could not be recorded", t);
                }
            }
        }
        return failed;
    }
}
