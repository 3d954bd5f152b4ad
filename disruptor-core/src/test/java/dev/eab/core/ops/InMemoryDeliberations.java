package dev.eab.core.ops;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.DeliberationVote;
import dev.eab.api.Deliberations;
import dev.eab.api.VoteChoice;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.MaciException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small in-memory {@link Deliberations} for testing the HTTP layer on its own: the seam's rules (unknown or
 * final items refused with {@link DeliberationException}; a reviewer who sent the message refused with a
 * {@link MaciException}), no bus behind it. The engine's implementation is tested against the bus elsewhere.
 */
public final class InMemoryDeliberations implements Deliberations
{
    private final Map<String, DeliberationItem> items = new LinkedHashMap<>();
    private final List<DeliberationListener> listeners = new CopyOnWriteArrayList<>();

    public synchronized DeliberationItem hold(final AgentMessage message, final double score, final Map<String, Double> factors)
    {
        final Instant now = Instant.now();
        final DeliberationItem item = new DeliberationItem(UUID.randomUUID().toString(), message, score, factors, 0.8,
            DeliberationStatus.UNDER_REVIEW, 0, 0.66, List.of(), null, null, now, null, now.plus(Duration.ofSeconds(300)));
        items.put(item.id(), item);
        listeners.forEach(l -> l.onHeld(item));
        return item;
    }

    @Override
    public synchronized List<DeliberationItem> pending()
    {
        final List<DeliberationItem> out = new ArrayList<>();
        for (final DeliberationItem item : items.values())
        {
            if (!item.status().isFinal())
            {
                out.add(item);
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<DeliberationItem> get(final String id)
    {
        return Optional.ofNullable(items.get(id));
    }

    @Override
    public synchronized DeliberationItem vote(final String id, final String agentId, final VoteChoice choice, final String reasoning)
    {
        final DeliberationItem item = open(id);
        final List<DeliberationVote> votes = new ArrayList<>(item.votes());
        votes.removeIf(v -> v.agentId().equals(agentId));
        votes.add(new DeliberationVote(agentId, choice, reasoning, Instant.now()));
        final DeliberationItem updated = new DeliberationItem(item.id(), item.message(), item.impactScore(), item.impactFactors(),
            item.threshold(), item.status(), item.requiredVotes(), item.consensusThreshold(), List.copyOf(votes), null, null,
            item.createdAt(), null, item.timeoutAt());
        items.put(id, updated);
        return updated;
    }

    @Override
    public DeliberationItem approve(final String id, final String reviewer, final String reasoning)
    {
        return decide(id, reviewer, reasoning, DeliberationStatus.APPROVED);
    }

    @Override
    public DeliberationItem reject(final String id, final String reviewer, final String reasoning)
    {
        return decide(id, reviewer, reasoning, DeliberationStatus.REJECTED);
    }

    @Override
    public AutoCloseable addListener(final DeliberationListener listener)
    {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private synchronized DeliberationItem decide(final String id, final String reviewer, final String reasoning,
        final DeliberationStatus status)
    {
        final DeliberationItem item = open(id);
        if (reviewer.equals(item.message().sendingAgent()))
        {
            throw new MaciException("reviewer '" + reviewer + "' sent this message and cannot judge it");
        }
        final DeliberationItem decided = new DeliberationItem(item.id(), item.message(), item.impactScore(), item.impactFactors(),
            item.threshold(), status, item.requiredVotes(), item.consensusThreshold(), item.votes(), reviewer, reasoning,
            item.createdAt(), Instant.now(), item.timeoutAt());
        items.put(id, decided);
        listeners.forEach(l -> l.onDecided(decided));
        return decided;
    }

    private DeliberationItem open(final String id)
    {
        final DeliberationItem item = items.get(id);
        if (item == null)
        {
            throw new DeliberationException("unknown deliberation '" + id + "'");
        }
        if (item.status().isFinal())
        {
            throw new DeliberationException("deliberation '" + id + "' is already " + item.status().value());
        }
        return item;
    }
}
