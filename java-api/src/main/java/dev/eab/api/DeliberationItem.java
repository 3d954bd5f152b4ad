package dev.eab.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of one held message and its deliberation: what a reviewer sees in the API, over HTTP
 * and in the review console.
 *
 * @param id              the deliberation id (the sender's HOLD result carries it)
 * @param message         the held message, exactly as it will be delivered on approval (same message id)
 * @param impactScore     the score that held it, in [0, 1]
 * @param impactFactors   the factors behind the score by name (semantic, permission, volume, context, drift,
 *                        priority, type), each in [0, 1]
 * @param threshold       the threshold in force for the message's tenant when it was held
 * @param status          where it stands
 * @param requiredVotes   judicial votes needed for consensus (0: a human decision is needed)
 * @param consensusThreshold approvals ÷ all votes needed for consensus
 * @param votes           the votes so far, one per agent, in the order first cast
 * @param reviewer        the human reviewer who decided it, or null
 * @param reasoning       the human reviewer's reasoning, or null
 * @param createdAt       when it was held
 * @param decidedAt       when it reached a final status, or null
 * @param timeoutAt       when it times out unless decided (then the message fails: fail closed)
 */
public record DeliberationItem(
    String id,
    AgentMessage message,
    double impactScore,
    Map<String, Double> impactFactors,
    double threshold,
    DeliberationStatus status,
    int requiredVotes,
    double consensusThreshold,
    List<DeliberationVote> votes,
    String reviewer,
    String reasoning,
    Instant createdAt,
    Instant decidedAt,
    Instant timeoutAt)
{
}
