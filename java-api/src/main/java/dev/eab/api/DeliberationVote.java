package dev.eab.api;

import java.time.Instant;

/**
 * One agent's vote on a held message; a later vote by the same agent replaces it.
 *
 * @param agentId   the voting (JUDICIAL) agent
 * @param choice    approve, reject or abstain
 * @param reasoning why, as given (may be empty, never null)
 * @param at        when the vote was recorded
 */
public record DeliberationVote(String agentId, VoteChoice choice, String reasoning, Instant at)
{
}
