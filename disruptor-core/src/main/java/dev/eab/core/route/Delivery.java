package dev.eab.core.route;

import dev.eab.api.AgentMessage;
import dev.eab.api.OutcomeListener;
import dev.eab.api.ValidationResult;

import java.util.concurrent.CompletableFuture;

/**
 * A validated message waiting in a recipient's inbox. At most one of {@code future} and
 * {@code listener} is set, telling whom to inform once the handler has run (or, when the handler was
 * unsubscribed before running it, once the message is received); neither when the sender was already
 * told at enqueue time.
 *
 * @param message       the message (flyweight messages are copied out of the ring into one).
 * @param accepted      the ALLOW result to complete with when the handler succeeds.
 * @param future        the sender's future, or null.
 * @param listener      the publisher's listener, or null.
 * @param correlationId the publisher's correlation id.
 * @param senderHandle  the sender's handle, for {@link dev.eab.api.MessageView#senderHandle()}.
 */
public record Delivery(AgentMessage message, ValidationResult accepted, CompletableFuture<ValidationResult> future,
                       OutcomeListener listener, long correlationId, int senderHandle)
{
}
