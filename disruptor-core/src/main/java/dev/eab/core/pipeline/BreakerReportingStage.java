package dev.eab.core.pipeline;

import dev.eab.api.RejectReason;
import dev.eab.core.resilience.BreakerGuard;
import dev.eab.core.resilience.FaultInjector;
import dev.eab.core.resilience.FaultPoint;

/**
 * Reports a stage's failures to its breaker without changing what the stage decides: the governance stage (the
 * {@code deliberation_layer} breaker) contains its own failures (a scorer or queue failure rejects the message,
 * VALIDATOR_ERROR, fail closed), so a failure is seen here as "it was unrejected, the stage rejected it with a
 * failure attached" (or threw). No fallback is taken: the breaker is there so health shows a failing layer. Messages
 * already rejected pass through unreported. It also hosts a chaos fault point (the governance stage's, {@link
 * FaultPoint#GOVERNANCE}): a fault there counts as the layer failing. Cost per message: the point's armed read, the
 * guard's state read and a counter (bus thread only).
 */
public final class BreakerReportingStage implements Stage
{
    private static final int VALIDATOR_ERROR = RejectReason.VALIDATOR_ERROR.code();
    private final Stage inner;
    private final BreakerGuard guard;
    private final FaultInjector faults;
    private final FaultPoint point;

    /** @param point the chaos fault point of the wrapped stage */
    public BreakerReportingStage(final Stage inner, final BreakerGuard guard, final FaultInjector faults, final FaultPoint point)
    {
        this.inner = inner;
        this.guard = guard;
        this.faults = faults;
        this.point = point;
    }

    @Override
    public void onEvent(final MessageEvent e)
    {
        if (e.rejectCode != 0 || e.replay)
        {
            inner.onEvent(e);
            return;
        }
        try
        {
            if (faults.armed(point.bit()))
            {
                faults.at(point, e.sender, e.recipient);
            }
            inner.onEvent(e);
        }
        catch (final RuntimeException | Error t)
        {
            guard.failure(t);
            throw t;
        }
        if (e.rejectCode == VALIDATOR_ERROR && e.failure != null)
        {
            guard.failure(e.failure);
        }
        else
        {
            guard.success();
        }
    }

    @Override
    public void warm(final MessageEvent probe)
    {
        inner.warm(probe);
    }
}
