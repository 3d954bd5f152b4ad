package dev.eab.api.exception;

/**
 * Thrown when processing or delivering a message takes longer than its timeout
 * (mirrors {@code MessageTimeoutError}).
 */
public class MessageTimeoutException extends MessageException
{
    private final String messageId;
    private final long timeoutMs;
    private final String operation;

    /**
     * @param messageId the message's id.
     * @param timeoutMs the timeout that elapsed, in milliseconds.
     * @param operation what was in progress, may be {@code null} (then, as when empty, not shown).
     */
    public MessageTimeoutException(final String messageId, final long timeoutMs, final String operation)
    {
        super(
            "Message '" + messageId + "' timed out after " + timeoutMs + "ms"
                + (present(operation) ? " during " + operation : ""),
            detailsOf("message_id", messageId, "timeout_ms", timeoutMs, "operation", operation));
        this.messageId = messageId;
        this.timeoutMs = timeoutMs;
        this.operation = operation;
    }

    /**
     * Without operation.
     *
     * @param messageId the message's id.
     * @param timeoutMs the timeout that elapsed, in milliseconds.
     */
    public MessageTimeoutException(final String messageId, final long timeoutMs)
    {
        this(messageId, timeoutMs, null);
    }

    /** @return the message's id. */
    public String messageId()
    {
        return messageId;
    }

    /** @return the timeout that elapsed, in milliseconds. */
    public long timeoutMs()
    {
        return timeoutMs;
    }

    /** @return what was in progress, may be {@code null}. */
    public String operation()
    {
        return operation;
    }
}
