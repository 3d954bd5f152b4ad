package dev.eab.core.route;

import dev.eab.api.exception.BusOperationException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The future a {@code send} or {@code broadcast} returns. Waiting on it without a timeout from the bus
 * thread (an INLINE handler waiting for its own send) could never end, since the bus thread is the one
 * that would complete it: that is refused at once with a {@link BusOperationException} instead of a
 * silent deadlock. Everywhere else it is a plain {@link CompletableFuture}.
 */
public final class OutcomeFuture<T> extends CompletableFuture<T>
{
    private final RoutingBarrier barrier;

    public OutcomeFuture(final RoutingBarrier barrier)
    {
        this.barrier = barrier;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException
    {
        refuseOnBusThread();
        return super.get();
    }

    @Override
    public T join()
    {
        refuseOnBusThread();
        return super.join();
    }

    private void refuseOnBusThread()
    {
        if (!isDone() && barrier.isBusThread())
        {
            throw new BusOperationException("waiting for a send's outcome on the bus thread (from an INLINE handler) would never end: " +
                "the bus thread is what completes it; use the future's callbacks, a timeout, or a DISPATCHED handler");
        }
    }
}
