package dev.eab.api;

/**
 * Receives messages for one agent. An exception thrown here never loses the message or stops the
 * bus: the send's result gets status FAILED with the handler's error, and it is counted.
 */
@FunctionalInterface
public interface MessageHandler
{
    /** @param message a view valid only during this call (copy what you keep, or call {@link MessageView#toMessage()}). */
    void onMessage(MessageView message) throws Exception;
}
