package dev.eab.core.pipeline;

/**
 * One step of the pipeline, run on the bus thread for every event in ring order:
 * validate → govern → journal → route. A stage may set {@link MessageEvent#rejectCode}; later stages
 * see it and must not deliver. Implementations must not allocate on the flyweight path.
 */
public interface Stage
{
    void onEvent(MessageEvent event);

    /** Bus thread, after the last event of a ring batch (the journal syncs there under SYNC_PER_BATCH). Default: nothing. */
    default void endOfBatch()
    {
    }

    /**
     * True when routing must wait for {@link #endOfBatch()}: the journal under SYNC_PER_BATCH, so that nothing is
     * delivered and no sender hears "accepted" before the msync of the batch holding its record. Default: false.
     */
    default boolean holdsRouteUntilEndOfBatch()
    {
        return false;
    }

    /** Bus thread, after a batch held by {@link #holdsRouteUntilEndOfBatch()} was routed. Default: nothing. */
    default void afterHeldRoute()
    {
    }

    /**
     * Runs the warm-up probe through this stage while the ring is empty ({@link PathWarmer}): touch what a
     * message would touch, and leave no trace: nothing delivered, counted, rate-limited, journalled or
     * reported. Bus thread only; must not allocate. Default: nothing to warm.
     */
    default void warm(final MessageEvent probe)
    {
    }
}
