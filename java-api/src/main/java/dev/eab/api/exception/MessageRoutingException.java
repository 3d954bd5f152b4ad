package dev.eab.api.exception;

/**
 * Thrown when no route can be found from a message's source to its target
 * (mirrors {@code MessageRoutingError}).
 */
public class MessageRoutingException extends MessageException
{
    private final String messageId;
    private final String sourceAgent;
    private final String targetAgent;
    private final String reason;

    /**
     * @param messageId   the message's id.
     * @param sourceAgent the sending agent.
     * @param targetAgent the intended receiver.
     * @param reason      why routing failed.
     */
    public MessageRoutingException(
        final String messageId,
        final String sourceAgent,
        final String targetAgent,
        final String reason)
    {
        super(
            "Cannot route message '" + messageId + "' from '" + sourceAgent + "' to '" + targetAgent + "': " + reason,
            detailsOf(
                "message_id", messageId,
                "source_agent", sourceAgent,
                "target_agent", targetAgent,
                "reason", reason));
        this.messageId = messageId;
        this.sourceAgent = sourceAgent;
        this.targetAgent = targetAgent;
        this.reason = reason;
    }

    /** @return the message's id. */
    public String messageId()
    {
        return messageId;
    }

    /** @return the sending agent. */
    public String sourceAgent()
    {
        return sourceAgent;
    }

    /** @return the intended receiver. */
    public String targetAgent()
    {
        return targetAgent;
    }

    /** @return why routing failed. */
    public String reason()
    {
        return reason;
    }
}
