package dev.eab.core.route;

import dev.eab.api.MessageStatus;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.ops.BusMetrics;

import java.util.Map;

/**
 * Tells senders their outcomes. A publisher's {@link OutcomeListener} is caller code running on a bus
 * thread: if it throws, the outcome still stands (it is never reported twice, nor turned into another
 * outcome), the failure is counted ({@link BusMetrics#onListenerFailed()}), and the bus thread carries on.
 */
public final class Outcomes
{
    private Outcomes()
    {
    }

    public static void delivered(final OutcomeListener listener, final long correlationId, final int recipientHandle, final BusMetrics metrics)
    {
        try
        {
            listener.onDelivered(correlationId, recipientHandle);
        }
        catch (final Throwable t)
        {
            metrics.onListenerFailed();
        }
    }

    public static void rejected(final OutcomeListener listener, final long correlationId, final RejectReason reason, final BusMetrics metrics)
    {
        try
        {
            listener.onRejected(correlationId, reason);
        }
        catch (final Throwable t)
        {
            metrics.onListenerFailed();
        }
    }

    public static void handlerFailed(final OutcomeListener listener, final long correlationId, final Throwable error, final BusMetrics metrics)
    {
        try
        {
            listener.onHandlerFailed(correlationId, error);
        }
        catch (final Throwable t)
        {
            metrics.onListenerFailed();
        }
    }

    /** Reports a queued delivery as delivered (its handler ran, or it was received); caller holds its claim. */
    public static void delivered(final Delivery d, final int recipientHandle, final BusMetrics metrics)
    {
        if (d.future() != null)
        {
            d.future().complete(d.accepted());
        }
        else if (d.listener() != null)
        {
            delivered(d.listener(), d.correlationId(), recipientHandle, metrics);
        }
    }

    /** Reports a queued delivery whose handler failed (or never returned); caller holds its claim. */
    public static void handlerFailed(final Delivery d, final Throwable error, final BusMetrics metrics)
    {
        if (d.future() != null)
        {
            d.future().complete(handlerFailed(d.accepted(), error));
        }
        else if (d.listener() != null)
        {
            handlerFailed(d.listener(), d.correlationId(), error, metrics);
        }
    }

    /**
     * @return the accepted result with status FAILED and the handler's error, in the original's form:
     * {@code Runtime error: msg} for a plain RuntimeException, {@code ExcType: msg} otherwise. Safe against
     * throwables whose {@code getMessage()} or {@code toString()} throw.
     */
    public static ValidationResult handlerFailed(final ValidationResult accepted, final Throwable t)
    {
        final String text = t != null && t.getClass() == RuntimeException.class
            ? "Runtime error: " + ThrowableText.message(t)
            : ThrowableText.describe(t);
        return accepted.withStatus(MessageStatus.FAILED, Map.of("handler_error", text)).withWarning("Handler failed: " + text);
    }
}
