package dev.eab.core.pipeline;

import dev.eab.api.RejectReason;
import dev.eab.api.exception.PolicyEvaluationException;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.resilience.BreakerGuard;
import dev.eab.core.validate.ContentDigest;
import dev.eab.core.validate.RegoPolicyStrategy;

import java.util.List;

/**
 * The validate stage with the Rego step after it: runs the wrapped stage (registry, header checks, compiled
 * policy table, guardrails), then, for each message (each broadcast recipient) that passed, asks
 * {@link RegoPolicyStrategy} about its decision input. So Rego comes after the compiled tables and before
 * governance and routing, and it only ever sees messages everything cheaper already accepted.
 *
 * <p>The content digest is computed once per message: over the payload bytes on the flyweight path (no
 * allocation), over the canonical form of the content map for {@code send}/{@code broadcast}. Anything thrown
 * rejects the message with {@link RejectReason#VALIDATOR_ERROR}: fail closed. Each decided message carries the
 * bundle version in {@link MessageEvent#regoVersion}, which the route stage puts in the result's metadata.
 * Every decision is reported to the {@code rego_policy} breaker (when given): an evaluation error or anything thrown is a
 * failure, a decision (allow or deny) a success; its state shows in health. It never short-circuits evaluation: with
 * no other answer than Rego's, an open breaker cannot make a message valid, and errors already fail closed.
 * Bus thread only.
 */
public final class RegoStage implements Stage
{
    /** What the breaker is told an evaluation error was (pre-built: reporting allocates nothing). */
    private static final PolicyEvaluationException EVALUATION_ERROR = new PolicyEvaluationException("rego", "evaluation error (fails closed)");

    private final Stage validate;
    private final RegoPolicyStrategy rego;
    private final ContentDigest digest;
    private final String query;
    private final BreakerGuard breaker;

    public RegoStage(final Stage validate, final RegoPolicyStrategy rego)
    {
        this(validate, rego, null);
    }

    /** @param breaker the {@code rego_policy} breaker's guard, or null */
    public RegoStage(final Stage validate, final RegoPolicyStrategy rego, final BreakerGuard breaker)
    {
        this.validate = validate;
        this.rego = rego;
        this.digest = rego.digest();
        this.query = rego.query();
        this.breaker = breaker;
    }

    private void report(final int code)
    {
        if (breaker != null)
        {
            if (code == RejectReason.VALIDATOR_ERROR.code())
            {
                breaker.failure(EVALUATION_ERROR);
            }
            else
            {
                breaker.success();
            }
        }
    }

    @Override
    public void onEvent(final MessageEvent e)
    {
        validate.onEvent(e);
        if (e.replay)
        {
            return;
        }
        try
        {
            switch (e.kind)
            {
                case MessageEvent.KIND_FLYWEIGHT -> decideOne(e, true);
                case MessageEvent.KIND_MESSAGE -> decideOne(e, false);
                case MessageEvent.KIND_BROADCAST -> decideBroadcast(e);
                default ->
                {
                    // the wrapped stage already rejected an unknown kind
                }
            }
        }
        catch (final Throwable t)
        {
            e.failure = t;
            e.rejectCode = RejectReason.VALIDATOR_ERROR.code();
            if (breaker != null)
            {
                breaker.failure(t);
            }
        }
    }

    private void decideOne(final MessageEvent e, final boolean flyweight)
    {
        if (e.rejectCode != 0 || e.sender == null)
        {
            return;
        }
        if (flyweight)
        {
            digest.digest(e.payload, 0, e.payloadLength);
        }
        else
        {
            digest.digest(e.message.content());
        }
        final int code = rego.decide(e.sender, e.recipient, e.messageType, digest);
        e.regoVersion = rego.decidedVersion();
        report(code);
        if (code != 0)
        {
            reject(e, code, flyweight);
        }
    }

    private void decideBroadcast(final MessageEvent e)
    {
        if (e.rejectCode != 0 || e.sender == null || e.broadcastRecipients == null)
        {
            return;
        }
        digest.digest(e.message.content());
        if (rego.denyAll())
        {
            e.rejectDetail = RegoPolicyStrategy.DETAIL_FALLBACK;
        }
        final List<AgentRecord> recipients = e.broadcastRecipients;
        for (int i = 0; i < recipients.size(); i++)
        {
            if (e.broadcastCodes[i] == 0)
            {
                final int code = rego.decide(e.sender, recipients.get(i), e.messageType, digest);
                report(code);
                e.broadcastCodes[i] = code;
                if (code == RejectReason.VALIDATOR_ERROR.code())
                {
                    e.failure = evaluationFailure();
                }
            }
        }
        e.regoVersion = rego.decidedVersion();
    }

    private void reject(final MessageEvent e, final int code, final boolean flyweight)
    {
        e.rejectCode = code;
        if (code == RejectReason.REGO_DENIED.code())
        {
            e.rejectDetail = rego.denyAll() ? RegoPolicyStrategy.DETAIL_FALLBACK : 0;
        }
        else if (!flyweight)
        {
            // A send's result says why; the flyweight listener gets the reason code alone (no allocation).
            e.failure = evaluationFailure();
        }
    }

    private PolicyEvaluationException evaluationFailure()
    {
        return new PolicyEvaluationException(query, RegoPolicyStrategy.errorText(rego.lastError()) + " (policy version " + rego.decidedVersion() + ")");
    }

    /** The warm-up probe: the wrapped stage's warm-up, then a cache look-up for the probe's input (nothing counted). */
    @Override
    public void warm(final MessageEvent probe)
    {
        validate.warm(probe);
        if (probe.sender != null)
        {
            digest.digest(probe.payload, 0, probe.payloadLength);
            rego.warm(probe.sender, probe.recipient, probe.messageType, digest);
        }
    }
}
