package dev.eab.api.exception;

/**
 * Thrown when a message handler throws while processing a message
 * (mirrors {@code HandlerExecutionError}); the handler's failure is kept as the {@linkplain #getCause() cause}.
 *
 * <p>The message ends with the cause's simple class name and message, e.g.
 * {@code Handler 'h' failed for message 'm': IllegalStateException: boom}.
 */
public class HandlerExecutionException extends BusOperationException
{
    private final String handlerName;
    private final String messageId;

    /**
     * @param handlerName the handler that failed.
     * @param messageId   the message it was handling.
     * @param cause       what the handler threw; kept as the cause.
     */
    public HandlerExecutionException(final String handlerName, final String messageId, final Throwable cause)
    {
        super(
            "Handler '" + handlerName + "' failed for message '" + messageId + "': " + describe(cause),
            detailsOf(
                "handler_name", handlerName,
                "message_id", messageId,
                "original_error", ThrowableText.message(cause),
                "original_error_type", cause == null ? null : cause.getClass().getSimpleName()),
            DEFAULT_CONSTITUTIONAL_HASH,
            cause);
        this.handlerName = handlerName;
        this.messageId = messageId;
    }

    private static String describe(final Throwable cause)
    {
        return cause == null ? "None" : ThrowableText.typeName(cause) + ": " + ThrowableText.message(cause);
    }

    /** @return the handler that failed. */
    public String handlerName()
    {
        return handlerName;
    }

    /** @return the message it was handling. */
    public String messageId()
    {
        return messageId;
    }

    /** @return what the handler threw (same as {@link #getCause()}). */
    public Throwable originalError()
    {
        return getCause();
    }
}
