package dev.eab.api;

import java.util.List;
import java.util.Optional;

/**
 * The reviewer's side of held messages (impact ≥ the tenant's threshold): list them, look at one, vote on it
 * (judicial agents) or decide it (a human reviewer). Approval re-injects the message into delivery exactly once,
 * with its original id; rejection and timeout fail it. The HTTP endpoints, the CLI and the review console are
 * clients of this interface.
 *
 * <p>Errors are typed: an unknown id or a final item → {@code DeliberationException}; a vote by a non-JUDICIAL
 * agent, by the sender or by the agent whose output is judged → a {@code MaciException} subtype.
 */
public interface Deliberations
{
    /** @return items still waiting (PENDING or UNDER_REVIEW), oldest first. */
    List<DeliberationItem> pending();

    /** @return the item with this id, final or not, while it is remembered. */
    Optional<DeliberationItem> get(String id);

    /** Records (or replaces) a judicial agent's vote; consensus decides the item. @return the item after the vote */
    DeliberationItem vote(String id, String agentId, VoteChoice choice, String reasoning);

    /** A human reviewer approves: the message is delivered with its original id. @return the decided item */
    DeliberationItem approve(String id, String reviewer, String reasoning);

    /** A human reviewer rejects: the message fails. @return the decided item */
    DeliberationItem reject(String id, String reviewer, String reasoning);

    /** Adds a listener; closing the returned handle removes it. */
    AutoCloseable addListener(DeliberationListener listener);
}
