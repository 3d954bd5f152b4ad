package dev.eab.core.validate;

import dev.eab.api.AgentMessage;
import dev.eab.api.BackpressurePolicy;
import dev.eab.api.BusConfiguration;
import dev.eab.api.ConstitutionalHashMatcher;
import dev.eab.api.RateLimit;
import dev.eab.api.exception.RateLimitExceededException;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.AgentBusException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.api.exception.AgentCapabilityException;
import dev.eab.api.exception.AgentNotRegisteredException;
import dev.eab.api.exception.BackpressureException;
import dev.eab.api.exception.ConstitutionalHashMismatchException;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.GuardrailTexts;
import dev.eab.core.registry.AgentRecord;
import dev.eab.api.TenantIds;

import java.util.List;

/**
 * The human-readable error for a rejection, in the original's words where it had them (reference §3.1,
 * §2.5). Built only when a {@code send} is rejected, never on the flyweight path (its listener gets the
 * {@link RejectReason} alone). Hashes appear as 8-character prefixes only.
 */
public final class RejectionTexts
{
    private final PolicyTable policy;
    private final BusConfiguration config;
    private final GuardrailPatterns guardrails;

    /** @param guardrails the scanner's pattern set (names the families that blocked), or null. */
    public RejectionTexts(final BusConfiguration config, final PolicyTable policy, final GuardrailPatterns guardrails)
    {
        this.guardrails = guardrails;
        this.policy = policy;
        this.config = config;
    }

    /**
     * @param recipient the recipient this verdict is about (for broadcast, the one recipient), or null.
     * @param failure   what a check threw, for {@link RejectReason#VALIDATOR_ERROR}, or null.
     * @param detail    the value behind a guardrail rejection: retry-after ms for RATE_LIMITED, the depth,
     *                  key count or string length found for the input limits.
     */
    public String describe(
        final RejectReason reason, final AgentMessage m, final AgentRecord sender, final AgentRecord recipient, final Throwable failure,
        final long detail)
    {
        final String tenant = TenantIds.normalize(m.tenantId());
        return switch (reason)
        {
            case NONE -> "";
            case HASH_MISSING -> ConstitutionalHashMatcher.NOT_A_STRING;
            case HASH_MISMATCH -> new ConstitutionalHashMismatchException(config.constitutionalHash(), m.constitutionalHash(), null).getMessage();
            case EMPTY_MESSAGE_ID -> "Message ID cannot be empty";
            case EMPTY_CONTENT -> "Message content cannot be empty";
            case MESSAGE_TOO_LARGE -> "Message size " + m.encodedSizeBytes() + " bytes exceeds the maximum of " + config.maxMessageSizeBytes() + " bytes";
            case EXPIRED -> "Message expired at " + m.expiresAt();
            case INVALID_TENANT -> TenantIds.invalidFormat(tenant);
            case SENDER_NOT_REGISTERED -> new AgentNotRegisteredException(m.sendingAgent(), "send").getMessage();
            case RECIPIENT_NOT_REGISTERED -> m.toAgent().isEmpty() && m.requiredCapabilities().isEmpty()
                ? "Message has no recipient: set to_agent, or content.required_capabilities for capability routing"
                : new AgentNotRegisteredException(m.toAgent(), "receive").getMessage();
            case TENANT_MISMATCH_SENDER -> "Tenant mismatch: message tenant_id '" + orNone(tenant) + "' does not match sender tenant_id '" +
                orNone(sender == null ? null : sender.tenantId()) + "'";
            case TENANT_MISMATCH_RECIPIENT -> "Tenant mismatch: message tenant_id '" + orNone(tenant) + "' does not match recipient tenant_id '" +
                orNone(recipient == null ? null : recipient.tenantId()) + "'";
            case POLICY_DENIED -> policyDenied(m, sender);
            case NO_CAPABLE_AGENT -> noCapableAgent(m, tenant);
            case INBOX_FULL -> new BackpressureException("inbox of '" + (recipient == null ? m.toAgent() : recipient.agentId()) + "'",
                config.inboxCapacity(), BackpressurePolicy.REJECT.name()).getMessage();
            case VALIDATOR_ERROR -> "Validation failed closed: " + (failure == null ? "validator error"
                : failure instanceof AgentBusException ? ThrowableText.message(failure) : ThrowableText.describe(failure));
            case BUS_STOPPED -> "Agent bus stopped before the message was processed";
            case RATE_LIMITED -> rateLimited(m, sender, detail);
            case NESTING_TOO_DEEP -> "Content nesting depth " + detail + " exceeds the limit of " + config.maxNestingDepth();
            case TOO_MANY_KEYS -> "Content has " + detail + " keys, more than the limit of " + config.maxKeys();
            case STRING_TOO_LONG -> "Content string of " + detail + " characters exceeds the limit of " + config.maxStringLength();
            case CONTENT_NOT_A_MAP -> "Content must be a dictionary";
            case SECURITY_BLOCKED -> guardrails == null ? "Content blocked by guardrails" : GuardrailTexts.blocked(guardrails, detail);
            case DELIBERATION_REJECTED -> detail == DELIBERATION_BROADCAST_DETAIL
                ? "High-impact broadcast '" + m.messageId() + "' refused: a broadcast cannot be held for deliberation; send it to each recipient"
                : "Message '" + m.messageId() + "' was rejected by deliberation review";
            case DELIBERATION_TIMED_OUT -> "Message '" + m.messageId() + "' was not decided within the deliberation timeout";
        };
    }

    /** {@code rejectDetail} of a DELIBERATION_REJECTED broadcast: refused by the governance stage, not by review. */
    public static final long DELIBERATION_BROADCAST_DETAIL = 1;

    private static String rateLimited(final AgentMessage m, final AgentRecord sender, final long retryAfterMs)
    {
        final RateLimit limit = sender == null ? RateLimit.UNLIMITED : sender.rateLimit();
        return new RateLimitExceededException(m.sendingAgent(), (int)Math.min(Integer.MAX_VALUE, limit.messagesPerSecond()), 1, retryAfterMs)
            .getMessage();
    }

    private String policyDenied(final AgentMessage m, final AgentRecord sender)
    {
        final int rule = sender == null ? -1
            : policy.firstMatch(sender.policyTenant(), sender.policySenderType(), m.messageType().ordinal(), sender.policyCapabilities());
        final String which = rule < 0 ? "default deny" : "rule '" + policy.ruleNames().get(rule) + "'";
        return "Policy denied " + m.messageType().value() + " from '" + m.sendingAgent() + "': " + which + " (policy version " + policy.version() + ")";
    }

    private static String noCapableAgent(final AgentMessage m, final String tenant)
    {
        final List<String> required = m.requiredCapabilities();
        return new AgentCapabilityException("*", required, List.of()).getMessage() + " (no agent in tenant '" + orNone(tenant) +
            "' holds them all)";
    }

    private static String orNone(final String s)
    {
        return s == null ? "none" : s;
    }
}
