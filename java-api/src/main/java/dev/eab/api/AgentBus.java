package dev.eab.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The governed message bus an agent links. Every message is validated at the boundary (constitutional
 * hash, size, expiry, tenant, registration, policy) before it reaches a recipient; anything that
 * fails, or any check that throws, is rejected with a typed reason. Nothing unvalidated is delivered.
 *
 * <p>Lifecycle: {@link #start()} once, then send; {@link #stop()} (or {@link #close()}) drains what was
 * accepted. Sending before start or after stop throws {@code BusNotStartedException}; a second start
 * throws {@code BusAlreadyStartedException}.
 *
 * <p>Promises: every send gets exactly one outcome, whatever a handler, a listener or a check throws
 * (even an {@code Error}, even a throwable whose {@code getMessage()} throws); the bus thread and each
 * agent's inbox thread survive it. A DISPATCHED handler that runs longer than
 * {@code BusConfiguration.handlerTimeoutMs()} on one message has that message failed and a fresh thread
 * takes over the agent's inbox.
 *
 * <p>Calling back from a handler: {@code send}, {@code broadcast}, {@code subscribe},
 * {@code unsubscribe} and {@code unregisterAgent} work from inside any handler and never wait for the bus
 * (a send that would wait for ring space is refused with {@code BackpressureException} instead, even under
 * the BLOCK policy); {@code stop} and {@code close} are refused with {@code BusOperationException}, since
 * they wait for the very thread the handler runs on. An INLINE handler must not wait for a future of a
 * send it made: the bus thread that would complete it is the one waiting.
 */
public interface AgentBus extends AutoCloseable
{
    void start();

    /**
     * Stops accepting, processes everything already accepted, then stops the bus and inbox threads.
     *
     * @throws dev.eab.api.exception.BusOperationException when called from a message handler.
     */
    void stop();

    /**
     * Same as {@link #stop()}, then releases native resources; safe to call more than once.
     *
     * @throws dev.eab.api.exception.BusOperationException when called from a message handler.
     */
    @Override
    void close();

    boolean isRunning();

    BusConfiguration configuration();

    /**
     * Registers (or re-registers, overwriting) an agent. The tenant is normalised: trimmed,
     * lowercased, "" becomes none.
     *
     * An agent id belongs to the tenant it first registered in, for the life of the bus.
     *
     * @return the agent's info, including the handle used by {@link #publisher}.
     * @throws IllegalArgumentException for an empty id, a tenant not matching {@code ^[a-z0-9_-]{3,64}$}, or
     *                                  a tenant other than the one the id first registered in.
     */
    AgentInfo registerAgent(String agentId, String agentType, Set<String> capabilities, String tenantId, MaciRole maciRole);

    /**
     * Registers an agent whose identity a signed JWT proves (HS256, RS256 or EdDSA, against the configured keys):
     * signature, expiry, not-before, issuer and audience are checked, and the token's claims ({@code sub},
     * {@code tenant_id}, {@code agent_type}, {@code capabilities}, {@code maci_role}) must match the registration.
     * With {@code BusConfiguration.requireIdentity()} (as in {@code forProduction()}) every registration needs one.
     *
     * @param identityToken the compact JWT, or null (refused when identity is required).
     * @throws dev.eab.api.exception.AgentIdentityException when the token is missing where required, does not
     *                                                      verify, disagrees with the registration, or the agent is revoked.
     */
    AgentInfo registerAgent(String agentId, String agentType, Set<String> capabilities, String tenantId, MaciRole maciRole, String identityToken);

    /**
     * @return true when the agent was registered. Later messages to it are rejected; a dispatched handler
     * finishes the messages already queued, then stops; {@link #receive} can still drain its inbox.
     */
    boolean unregisterAgent(String agentId);

    /** @return the agent, or null. */
    AgentInfo getAgentInfo(String agentId);

    List<String> getRegisteredAgents();

    List<String> getAgentsByType(String agentType);

    List<String> getAgentsByCapability(String capability);

    /**
     * Sends one message: direct when {@code toAgent} is set, capability-routed when it is empty and
     * {@code content["required_capabilities"]} names capabilities.
     *
     * @return completed when the message was delivered (handler ran, or it is in the inbox) or rejected.
     * @throws dev.eab.api.exception.BusNotStartedException when not running.
     * @throws dev.eab.api.exception.BackpressureException when the ring is full and the policy is REJECT,
     *                                                     or the caller is a message handler (which never
     *                                                     waits for the bus).
     */
    CompletableFuture<ValidationResult> send(AgentMessage message);

    /**
     * Sends to every other agent of the message's tenant (never the sender, never another tenant),
     * each recipient validated on its own.
     *
     * @return per-recipient results, keyed by agent id; completed exceptionally with
     * {@code MessageValidationException} when the message fails the sender-side checks (hash, tenant,
     * sender registration, policy), since then there is no recipient to report on.
     */
    CompletableFuture<Map<String, ValidationResult>> broadcast(AgentMessage message);

    /** Subscribes with {@link DeliveryMode#DISPATCHED}. */
    void subscribe(String agentId, MessageHandler handler);

    /**
     * Sets the agent's handler. Without one, messages wait in the agent's inbox for {@link #receive}.
     *
     * <p>Replacing a handler is a bounded hand-over, prompt under any load: a DISPATCHED handler replaced by
     * another finishes the message in hand and the new one takes the rest of the inbox, in order; replaced
     * by an INLINE handler, the previous one first runs the messages already routed to it (at most an
     * inbox's worth) and no other. Called from any thread but a handler's, it returns once the previous handler has
     * run its last message, so no message reaches it after the call returns. Called from a handler (its
     * own included), it does not wait: the calling thread finishes its message and what was routed to it.
     *
     * @throws dev.eab.api.exception.AgentNotRegisteredException when the agent is unknown.
     */
    void subscribe(String agentId, MessageHandler handler, DeliveryMode mode);

    /**
     * Removes the agent's handler, promptly under any load: a DISPATCHED handler finishes the message in
     * hand; every other message, queued or later, waits in the agent's inbox for {@link #receive}, and
     * senders still waiting on queued ones are told they were delivered (to the inbox). No message reaches
     * the old handler after the call returns (called from outside a handler).
     */
    void unsubscribe(String agentId);

    /**
     * Takes the next message from the agent's own inbox.
     *
     * @return the message, or null on timeout.
     */
    AgentMessage receive(String agentId, Duration timeout) throws InterruptedException;

    /**
     * @return a zero-allocation publisher sending as {@code senderAgentId}; outcomes go to {@code listener}
     * on the bus thread. One publisher per sending thread.
     */
    MessagePublisher publisher(String senderAgentId, OutcomeListener listener);

    /** @return a snapshot of the counters and latency percentiles. */
    Map<String, Object> getMetrics();

    /**
     * @return the reviewer's side of held messages (list, vote, approve, reject, listeners). Messages are held only
     *     when governance is on ({@code BusConfiguration.governance()}); without it the queue stays empty.
     */
    default Deliberations deliberations()
    {
        throw new UnsupportedOperationException("this bus has no deliberation queue");
    }

    /** @return the MACI facade: output provenance, {@code validateAction}, the validation log. */
    MaciEnforcement maci();
}
