package dev.eab.api.exception;

/**
 * Thrown when a message cannot be delivered to its target agent (mirrors {@code MessageDeliveryError}).
 */
public class MessageDeliveryException extends MessageException
{
    private final String messageId;
    private final String targetAgent;
    private final String reason;

    /**
     * @param messageId   the message's id.
     * @param targetAgent the agent it was for.
     * @param reason      why delivery failed.
     */
    public MessageDeliveryException(final String messageId, final String targetAgent, final String reason)
    {
        super(
            "Failed to deliver message '" + messageId + "' to '" + targetAgent + "': " + reason,
            detailsOf("message_id", messageId, "target_agent", targetAgent, "reason", reason));
        this.messageId = messageId;
        this.targetAgent = targetAgent;
        this.reason = reason;
    }

    /** @return the message's id. */
    public String messageId()
    {
        return messageId;
    }

    /** @return the agent it was for. */
    public String targetAgent()
    {
        return targetAgent;
    }

    /** @return why delivery failed. */
    public String reason()
    {
        return reason;
    }
}
