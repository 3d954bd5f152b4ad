package dev.eab.api;

import dev.eab.api.exception.ConfigurationException;

/**
 * How a tenant's held messages are decided by judicial votes (a human reviewer's approve or reject decides an
 * item at any time). Consensus: at least {@code requiredVotes} votes, and approvals ÷ all votes (abstentions in
 * the denominator) ≥ {@code consensusThreshold} → approved; once approval can no longer reach the threshold with
 * the votes cast (rejections ÷ all votes &gt; 1 − threshold, with at least {@code requiredVotes} votes) → rejected.
 *
 * @param requiredVotes      judicial votes needed before votes decide (≥ 1)
 * @param consensusThreshold approvals ÷ votes needed, in (0, 1]
 */
public record DeliberationRule(int requiredVotes, double consensusThreshold)
{
    /** The default: three judicial votes at 0.66 (the original's consensus threshold). */
    public static final DeliberationRule DEFAULT = new DeliberationRule(3, 0.66);

    /** @throws ConfigurationException for fewer than one vote or a threshold outside (0, 1]. */
    public DeliberationRule
    {
        if (requiredVotes < 1)
        {
            throw new ConfigurationException("required_votes", "must be >= 1, got " + requiredVotes);
        }
        if (!(consensusThreshold > 0.0 && consensusThreshold <= 1.0))
        {
            throw new ConfigurationException("consensus_threshold", "must be in (0, 1], got " + consensusThreshold);
        }
    }
}
