package dev.eab.core.governance;

import dev.eab.api.AgentMessage;
import dev.eab.api.GovernanceSettings;
import dev.eab.api.RejectReason;
import dev.eab.core.guard.ContentInspector;
import dev.eab.core.pipeline.EventSlots;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.Stage;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.validate.RejectionTexts;

import java.util.List;
import java.util.Map;

/**
 * The governance step of the pipeline (between validate and journal), on the bus thread. When governance is on
 * ({@code BusConfiguration.governance().enabled()}), every validated {@code send}, broadcast and zero-allocation message is
 * scored ({@link ImpactScorer}); one scoring at or above its tenant's threshold (inclusive) is held: the slot is
 * marked, the journal skips it, routing tells the sender HOLD / PENDING_DELIBERATION with the deliberation id, and
 * the {@link DeliberationQueue} keeps a copy (the only allocation here, and only on a hold) until it is decided.
 *
 * <p>What the scorer sees: for a {@code send}, the keys and strings of its content as the validate stage gathered
 * them for the guardrail scan ({@link ContentInspector#text()}: the same buffer, not a second walk), the tool names
 * of {@code content.tools} (a string or a list of strings) and whether {@code content.amount} is a number above
 * 1000; for a zero-allocation message, its payload bytes as text, no tools, no amount. Priority and type come from
 * the message (the original lost them unless passed in a context dict). A replayed or re-injected (approved)
 * message is not scored again. A high-impact broadcast is refused ({@code DELIBERATION_REJECTED}, "a broadcast
 * cannot be held for deliberation"): one item cannot stand for a delivery per recipient, and delivering it unreviewed
 * would fail open. A scorer failure rejects the message (VALIDATOR_ERROR): fail closed.
 *
 * <p>Bus thread only: owns the scorer, its state and the tool buffer. No allocation unless a message is held.
 */
public final class GovernanceStage implements Stage
{
    private static final int TOOLS_BUFFER_BYTES = 1024;

    private final ImpactScorer scorer;
    /** False once the scorer refused a keyword mask ({@link ImpactScorer#scoreFound}'s default): it searches itself. */
    private boolean takesMask = true;
    private final DeliberationQueue queue;
    private final ContentInspector inspector;
    private final GovernanceSettings settings;
    private final double defaultThreshold;
    private byte[] tools = new byte[TOOLS_BUFFER_BYTES];
    private int toolsLength;
    private double lastScore;

    /** A stage that passes every message on (governance off). */
    public GovernanceStage()
    {
        this(null, null, null, null, 0);
    }

    /**
     * @param scorer    the scorer (bus thread owned), or null when governance is off
     * @param inspector the validate stage's content inspector, whose gathered text is what a send is scored on
     */
    public GovernanceStage(
        final ImpactScorer scorer, final DeliberationQueue queue, final ContentInspector inspector, final GovernanceSettings settings,
        final double defaultThreshold)
    {
        this.scorer = scorer;
        this.queue = queue;
        this.inspector = inspector;
        this.settings = settings;
        this.defaultThreshold = defaultThreshold;
    }

    @Override
    public void onEvent(final MessageEvent e)
    {
        // Must never clear a rejection set by validation.
        if (scorer == null || e.rejectCode() != 0 || e.isReplay())
        {
            return;
        }
        try
        {
            govern(e);
        }
        catch (final Throwable t)
        {
            e.failGovernance(t);
        }
    }

    private void govern(final MessageEvent e)
    {
        final AgentRecord sender = e.sender();
        final long nowMs = Math.floorDiv(e.publishedNanos(), 1_000_000L);
        final double score;
        if (e.kind() == MessageEvent.KIND_FLYWEIGHT)
        {
            score = score(e, sender, nowMs, e.payload(), e.payloadLength(), 0, 0);
        }
        else
        {
            final Map<String, Object> content = e.message().content();
            gatherTools(content.get("tools"));
            final int flags = content.get("amount") instanceof Number n && n.doubleValue() > 1000 ? ImpactScorer.FLAG_AMOUNT_OVER_1000 : 0;
            score = score(e, sender, nowMs, inspector.text(), inspector.textLength(), toolsLength, flags);
        }
        lastScore = score;
        final String tenant = sender.tenantId();
        final double threshold = settings.thresholdFor(tenant, defaultThreshold);
        if (score >= threshold)
        {
            if (e.kind() == MessageEvent.KIND_BROADCAST)
            {
                // One item cannot stand for a delivery per recipient; refusing is the fail-closed answer.
                e.rejectForGovernance(RejectReason.DELIBERATION_REJECTED.code(), RejectionTexts.DELIBERATION_BROADCAST_DETAIL);
                return;
            }
            hold(e, sender, tenant, score, threshold);
        }
    }

    /**
     * Scores {@code text}: with the keywords the validate stage's content scan found in it in its own pass when it
     * found them ({@link MessageEvent#impactKeywords()} ≥ 0), so the text is not searched twice; otherwise (no scan,
     * a scanner that does not find keywords, an empty text, which has its own semantic level) the scorer searches.
     * A scorer that cannot take a mask says so once and is not asked again.
     */
    private double score(
        final MessageEvent e, final AgentRecord sender, final long nowMs, final byte[] text, final int textLength, final int toolsLength,
        final int flags)
    {
        final int keywords = e.impactKeywords();
        if (takesMask && keywords >= 0 && textLength > 0)
        {
            try
            {
                return scorer.scoreFound(sender.handle(), nowMs, keywords, tools, toolsLength, flags, e.priority(), e.messageType());
            }
            catch (final UnsupportedOperationException notFused)
            {
                takesMask = false;
            }
        }
        return scorer.score(sender.handle(), nowMs, text, textLength, tools, toolsLength, flags, e.priority(), e.messageType());
    }

    private void hold(final MessageEvent e, final AgentRecord sender, final String tenant, final double score, final double threshold)
    {
        final AgentRecord recipient = e.recipient();
        final HeldMessage held;
        if (e.kind() == MessageEvent.KIND_FLYWEIGHT)
        {
            held = new HeldMessage(EventSlots.copyFlyweight(e), true, sender.agentId(), recipient.agentId(), e.messageType(), e.priority(),
                e.correlationId(), java.util.Arrays.copyOf(e.payload(), e.payloadLength()), e.listener());
        }
        else
        {
            final AgentMessage m = e.message();
            // Capability routing chose the recipient at validation: the held copy names it, so approval delivers there.
            final AgentMessage copy = m.toAgent().equals(recipient.agentId()) ? m : m.toBuilder().toAgent(recipient.agentId()).build();
            held = new HeldMessage(copy, false, sender.agentId(), recipient.agentId(), e.messageType(), e.priority(), 0L, new byte[0], null);
        }
        e.hold(queue.hold(tenant, held, score, scorer.factors(), threshold, settings.ruleFor(tenant)));
    }

    /** Tool names, newline separated, ASCII (other characters become '?': the tool words are ASCII). */
    private void gatherTools(final Object value)
    {
        toolsLength = 0;
        if (value instanceof String s)
        {
            appendTool(s);
        }
        else if (value instanceof List<?> list)
        {
            for (int i = 0, n = list.size(); i < n; i++)
            {
                if (list.get(i) instanceof String s)
                {
                    appendTool(s);
                }
            }
        }
    }

    private void appendTool(final String s)
    {
        final int need = toolsLength + s.length() + 1;
        if (need > tools.length)
        {
            tools = java.util.Arrays.copyOf(tools, Math.max(need, tools.length * 2));
        }
        if (toolsLength > 0)
        {
            tools[toolsLength++] = '\n';
        }
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            tools[toolsLength++] = c < 0x80 ? (byte)c : (byte)'?';
        }
    }

    /** @return the last score computed (bus thread; for tests and diagnostics). */
    public double lastScore()
    {
        return lastScore;
    }

    /** @return the scorer's name ("native", "java"), or "off". */
    public String scorerName()
    {
        return scorer == null ? "off" : scorer.name();
    }
}
