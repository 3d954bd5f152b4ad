package dev.eab.core.governance;

import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.DeliberationVote;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One deliberation's mutable state, guarded by the {@link DeliberationQueue}'s lock; {@link #snapshot()} gives
 * the immutable view users see.
 */
final class DeliberationEntry
{
    final String id;
    final String tenant;
    final HeldMessage held;
    final double score;
    final double[] factors;
    final double threshold;
    final int requiredVotes;
    final double consensusThreshold;
    final Instant createdAt;
    final Instant timeoutAt;
    /** One vote per agent, in the order first cast (a later vote replaces the value, keeping the place). */
    final Map<String, DeliberationVote> votes = new LinkedHashMap<>();
    DeliberationStatus status = DeliberationStatus.UNDER_REVIEW;
    String reviewer;
    String reasoning;
    Instant decidedAt;

    DeliberationEntry(
        final String id, final String tenant, final HeldMessage held, final double score, final double[] factors, final double threshold,
        final int requiredVotes, final double consensusThreshold, final Instant createdAt, final Instant timeoutAt)
    {
        this.id = id;
        this.tenant = tenant;
        this.held = held;
        this.score = score;
        this.factors = factors;
        this.threshold = threshold;
        this.requiredVotes = requiredVotes;
        this.consensusThreshold = consensusThreshold;
        this.createdAt = createdAt;
        this.timeoutAt = timeoutAt;
    }

    DeliberationItem snapshot()
    {
        final Map<String, Double> named = new LinkedHashMap<>();
        for (int i = 0; i < ImpactScorer.FACTOR_COUNT; i++)
        {
            named.put(ImpactScorer.FACTOR_NAMES[i], factors[i]);
        }
        return new DeliberationItem(id, held.message(), score, Map.copyOf(named), threshold, status, requiredVotes, consensusThreshold,
            java.util.List.copyOf(new ArrayList<>(votes.values())), reviewer, reasoning, createdAt, decidedAt, timeoutAt);
    }
}
