package dev.eab.core.pipeline;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageContent;
import dev.eab.api.RejectReason;
import dev.eab.core.guard.ContentInspector;
import dev.eab.core.guard.ContentScanner;
import dev.eab.core.guard.GuardrailTexts;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.guard.RateLimiter;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;
import dev.eab.core.resilience.FaultInjector;
import dev.eab.core.resilience.FaultPoint;
import dev.eab.api.TenantIds;
import dev.eab.core.validate.HashEncoding;
import dev.eab.core.validate.ValidationStrategy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;

/**
 * First stage: resolves sender and recipient(s) in the registry, writes the fixed-layout header and
 * asks the {@link ValidationStrategy} (native, or the Java twin) for the verdict. Any exception is a
 * rejection ({@link RejectReason#VALIDATOR_ERROR}): fail closed.
 *
 * <p>Owns the off-heap header segment; bus thread only. The flyweight path does no allocation and no
 * string work: handles index the registry directly and the slot's hash bytes are copied as two longs.
 */
public final class ValidateStage implements Stage
{
    /** Bytes a flyweight message counts beyond its payload when checked against the size limit. */
    public static final int FLYWEIGHT_OVERHEAD_BYTES = 64;
    private static final VarHandle LONG_VIEW = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final AgentRegistry registry;
    private final ValidationStrategy validator;
    private final RateLimiter rateLimiter;
    private final ContentInspector inspector;
    private final ContentScanner scanner;
    private final BusMetrics metrics;
    private final long blockMask;
    private final long flagMask;
    private final MemorySegment header;
    private final FaultInjector faults;
    private static final int VALIDATION_POINT = FaultPoint.VALIDATION.bit();
    /** MACI around the validator (header role bytes, provenance, log), or null when MACI is off. */
    private final dev.eab.core.maci.MaciGate maci;
    /** The current message's FLAG_MACI_* bits, OR-ed into the header flags by check(): bus thread only. */
    private int maciFlags;
    private int capabilityCursor;
    // The last message's sender and recipient, for the idle warm-up probe (bus thread only; -1: none yet).
    private int lastSenderHandle = -1;
    private int lastRecipientHandle = -1;
    // Per-message scratch for send/broadcast, written by prepare(): bus thread only.
    private boolean tenantValid;
    private int messageTenant;
    private long expiresAtMs;

    /**
     * @param scanner the content scanner, or null when guardrail scanning is off.
     */
    public ValidateStage(
        final AgentRegistry registry, final ValidationStrategy validator, final RateLimiter rateLimiter, final ContentInspector inspector,
        final ContentScanner scanner, final BusMetrics metrics)
    {
        this(registry, validator, rateLimiter, inspector, scanner, metrics, new FaultInjector(), null);
    }

    /**
     * @param faults the bus's chaos fault points: {@link FaultPoint#VALIDATION} and the {@link FaultPoint#CLOCK}
     * @param maci   the MACI gate, or null when MACI is off
     */
    public ValidateStage(
        final AgentRegistry registry, final ValidationStrategy validator, final RateLimiter rateLimiter, final ContentInspector inspector,
        final ContentScanner scanner, final BusMetrics metrics, final FaultInjector faults, final dev.eab.core.maci.MaciGate maci)
    {
        this.faults = faults;
        this.maci = maci;
        this.registry = registry;
        this.validator = validator;
        this.rateLimiter = rateLimiter;
        this.inspector = inspector;
        this.scanner = scanner;
        this.metrics = metrics;
        this.blockMask = scanner == null ? 0 : scanner.patterns().blockMask();
        this.flagMask = scanner == null ? 0 : scanner.patterns().flagMask();
        this.header = Arena.ofAuto().allocate(LENGTH, ALIGNMENT);
    }

    @Override
    public void onEvent(final MessageEvent e)
    {
        if (e.replay)
        {
            // Validated by the run that accepted and journaled it; the replayer resolved its agents.
            return;
        }
        try
        {
            switch (e.kind)
            {
                case MessageEvent.KIND_FLYWEIGHT -> validateFlyweight(e);
                case MessageEvent.KIND_MESSAGE -> validateMessage(e);
                case MessageEvent.KIND_BROADCAST -> validateBroadcast(e);
                default -> throw new IllegalStateException("unknown event kind " + e.kind);
            }
            // Chaos: one volatile read when nothing is armed; a fault throws and the message is rejected below.
            if (faults.armed(VALIDATION_POINT))
            {
                faults.at(FaultPoint.VALIDATION, e.sender, e.recipient);
            }
        }
        catch (final Throwable t)
        {
            e.failure = t;
            e.rejectCode = RejectReason.VALIDATOR_ERROR.code();
        }
    }

    private void validateFlyweight(final MessageEvent e)
    {
        final AgentRecord sender = registry.byHandle(e.senderHandle);
        final AgentRecord recipient = registry.byHandle(e.recipientHandle);
        e.sender = sender;
        e.recipient = recipient;
        lastSenderHandle = e.senderHandle;
        lastRecipientHandle = e.recipientHandle;
        if (e.presetReject != 0)
        {
            e.rejectCode = e.presetReject;
            return;
        }
        writeHash(e);
        // The correlation id is the message id on this path: always present.
        header.set(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET, Long.BYTES);
        header.set(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET, e.payloadLength);
        header.set(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET, e.payloadLength + FLYWEIGHT_OVERHEAD_BYTES);
        final int messageTenant = sender == null ? NO_TENANT : sender.tenantIndex();
        maciFlags = maci == null ? 0 : maci.fillFlyweight(header, sender, e.messageType, e.maciTargetAgent, e.maciHasTargetOutput, e.maciTargetOutput);
        e.rejectCode = guard(e, check(e.expiresAtMs, true, messageTenant, sender, true, recipient, e.messageType));
        if (maci != null)
        {
            maci.after(e.rejectCode, sender, e.messageType, null, e.correlationId);
        }
    }

    private void validateMessage(final MessageEvent e)
    {
        final AgentMessage m = e.message;
        prepare(e);
        final AgentRecord sender = e.sender;
        final List<String> required = m.toAgent().isEmpty() ? m.requiredCapabilities() : List.of();
        if (!required.isEmpty())
        {
            final AgentRecord chosen = chooseCapable(required, messageTenant, sender);
            e.recipient = chosen;
            if (chosen == null)
            {
                final int code = guard(e, check(expiresAtMs, tenantValid, messageTenant, sender, false, null, e.messageType));
                e.rejectCode = code != 0 ? code : RejectReason.NO_CAPABLE_AGENT.code();
                if (maci != null)
                {
                    maci.after(e.rejectCode, sender, e.messageType, m.messageId(), 0);
                }
                return;
            }
        }
        else
        {
            e.recipient = registry.byId(m.toAgent());
        }
        e.rejectCode = guard(e, check(expiresAtMs, tenantValid, messageTenant, sender, true, e.recipient, e.messageType));
        if (maci != null)
        {
            maci.after(e.rejectCode, sender, e.messageType, m.messageId(), 0);
        }
        lastSenderHandle = sender == null ? -1 : sender.handle();
        lastRecipientHandle = e.recipient == null ? -1 : e.recipient.handle();
    }

    private void validateBroadcast(final MessageEvent e)
    {
        prepare(e);
        final AgentRecord sender = e.sender;
        e.rejectCode = guard(e, check(expiresAtMs, tenantValid, messageTenant, sender, false, null, e.messageType));
        if (maci != null)
        {
            maci.after(e.rejectCode, sender, e.messageType, e.message.messageId(), 0);
        }
        if (e.rejectCode != 0)
        {
            return;
        }
        // Same tenant only, never the sender; each recipient is validated on its own.
        final AgentRecord[] members = registry.tenantMembers(messageTenant);
        final List<AgentRecord> recipients = new ArrayList<>(members.length);
        for (final AgentRecord r : members)
        {
            if (r.handle() != sender.handle())
            {
                recipients.add(r);
            }
        }
        final int[] codes = new int[recipients.size()];
        for (int i = 0; i < codes.length; i++)
        {
            codes[i] = check(expiresAtMs, tenantValid, messageTenant, sender, true, recipients.get(i), e.messageType);
        }
        e.broadcastRecipients = recipients;
        e.broadcastCodes = codes;
    }

    private void prepare(final MessageEvent e)
    {
        final AgentMessage m = e.message;
        e.sender = registry.byId(m.sendingAgent());
        maciFlags = maci == null ? 0 : maci.fill(header, e.sender, e.messageType, m.content());
        final String tenant = TenantIds.normalize(m.tenantId());
        tenantValid = TenantIds.isValid(tenant);
        messageTenant = registry.tenantIndex(tenant);
        expiresAtMs = expiresAtMs(m.expiresAt());
        e.hashLength = HashEncoding.encode(m.constitutionalHash(), e.hash);
        writeHash(e);
        header.set(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET, m.messageId().length());
        header.set(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET, m.content().size());
        header.set(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET, m.encodedSizeBytes());
    }

    /**
     * @return the expiry in epoch ms for the header: 0 for none; saturated at {@link Long#MAX_VALUE} for
     * expiries past what a long of ms can hold ({@code Instant.MAX}: never expires in practice); clamped to
     * 1 at or before the epoch ({@code Instant.MIN} included), so it is an expiry, not "never".
     */
    static long expiresAtMs(final java.time.Instant expiresAt)
    {
        if (expiresAt == null)
        {
            return 0;
        }
        final long seconds = expiresAt.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1000 - 1)
        {
            return Long.MAX_VALUE;
        }
        if (seconds <= 0)
        {
            return 1;
        }
        return Math.max(1, expiresAt.toEpochMilli());
    }

    /** Copies the slot's encoded hash (see {@link HashEncoding}) into the header as two longs. */
    private void writeHash(final MessageEvent e)
    {
        header.set(ValueLayout.JAVA_LONG, HASH_OFFSET, (long)LONG_VIEW.get(e.hash, 0));
        header.set(ValueLayout.JAVA_LONG, HASH_OFFSET + 8, (long)LONG_VIEW.get(e.hash, 8));
        header.set(ValueLayout.JAVA_INT, HASH_LENGTH_OFFSET, e.hashLength);
    }

    private int check(
        final long expiresAtMs, final boolean tenantValid, final int messageTenant, final AgentRecord sender, final boolean hasRecipient,
        final AgentRecord recipient, final int messageType)
    {
        int flags = (tenantValid ? FLAG_TENANT_FORMAT_VALID : 0) | maciFlags;
        if (sender != null)
        {
            flags |= FLAG_SENDER_REGISTERED;
        }
        if (hasRecipient)
        {
            flags |= FLAG_HAS_RECIPIENT;
            if (recipient != null)
            {
                flags |= FLAG_RECIPIENT_REGISTERED;
            }
        }
        header.set(ValueLayout.JAVA_LONG, NOW_MS_OFFSET, expiresAtMs > 0 ? faults.nowMs() : 0L);
        header.set(ValueLayout.JAVA_LONG, EXPIRES_AT_MS_OFFSET, expiresAtMs);
        header.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, flags);
        header.set(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET, messageTenant);
        header.set(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET, sender == null ? NO_TENANT : sender.tenantIndex());
        header.set(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET, recipient == null ? NO_TENANT : recipient.tenantIndex());
        // Policy sees the sender's tenant: it equals the message tenant whenever policy is reached.
        header.set(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET, sender == null ? -1 : sender.policyTenant());
        header.set(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET, sender == null ? -1 : sender.policySenderType());
        header.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, messageType);
        header.set(ValueLayout.JAVA_LONG, SENDER_CAPABILITIES_OFFSET, sender == null ? 0L : sender.policyCapabilities());
        final int code = validator.validate(header);
        return code < 0 ? RejectReason.VALIDATOR_ERROR.code() : code;
    }

    /**
     * The content guardrails, run once per message after the validator, at their place in the check order:
     * after the cheap checks (hash, size, expiry, tenant, registration) and before policy. So they run
     * only when the validator's verdict is OK or POLICY_DENIED, and a guardrail rejection takes precedence
     * over a policy denial. Order: rate limit (cheapest, and a flood must not buy scanner time), input
     * limits, then content checks.
     *
     * @return the final code.
     */
    private int guard(final MessageEvent e, final int code)
    {
        if (code != 0 && code != RejectReason.POLICY_DENIED.code())
        {
            return code;
        }
        final AgentRecord sender = e.sender;
        // A revoked identity is refused before anything else is spent on it: one volatile read, no allocation.
        if (sender.isRevoked())
        {
            return RejectReason.AGENT_REVOKED.code();
        }
        final long retryAfterMs = rateLimiter.tryAcquire(sender.handle(), sender.rateLimit(), e.publishedNanos);
        if (retryAfterMs > 0)
        {
            e.rejectDetail = retryAfterMs;
            return RejectReason.RATE_LIMITED.code();
        }
        if (e.kind != MessageEvent.KIND_FLYWEIGHT)
        {
            final Map<String, Object> content = e.message.content();
            final RejectReason limit = inspector.inspect(content);
            if (limit != RejectReason.NONE)
            {
                e.rejectDetail = inspector.violationValue();
                return limit.code();
            }
            if (MessageContent.hasEmptyAction(content))
            {
                e.warn(MessageContent.EMPTY_ACTION_WARNING);
            }
            return scan(e, code, null, inspector.text(), inspector.textLength());
        }
        return scan(e, code, e.payloadSegment, e.payload, e.payloadLength);
    }

    /**
     * Runs the content scanner over the message's text (a send's keys and strings as gathered by the
     * inspector; a flyweight message's payload bytes). A BLOCK family rejects; FLAG families are counted
     * and, on a send, reported as a warning. A scanner failure rejects: fail closed.
     */
    private int scan(final MessageEvent e, final int code, final MemorySegment segment, final byte[] text, final int length)
    {
        if (scanner == null)
        {
            return code;
        }
        // A flyweight payload goes with its slot's own heap segment: the native scanner reads it in place.
        final long matched = segment != null ? scanner.scan(segment, text, length) : scanner.scan(text, 0, length);
        e.impactKeywords = scanner.impactKeywords();
        if (matched == 0)
        {
            return code;
        }
        final long blocked = matched & blockMask;
        metrics.onGuardrailMatch(blocked, matched & flagMask);
        if (blocked != 0)
        {
            e.rejectDetail = blocked;
            return RejectReason.SECURITY_BLOCKED.code();
        }
        if (e.kind != MessageEvent.KIND_FLYWEIGHT)
        {
            e.warn(GuardrailTexts.flagged(scanner.patterns(), matched & flagMask));
            e.flagged = matched & flagMask;
        }
        return code;
    }

    /**
     * Capability routing: agents of the message's tenant (never the sender) holding every required
     * capability, taken in turn so load spreads across them.
     */
    private AgentRecord chooseCapable(final List<String> required, final int messageTenant, final AgentRecord sender)
    {
        final AgentRecord[] holders = registry.withCapability(required.get(0));
        int matching = 0;
        for (final AgentRecord r : holders)
        {
            if (eligible(r, required, messageTenant, sender))
            {
                matching++;
            }
        }
        if (matching == 0)
        {
            return null;
        }
        int pick = Math.floorMod(capabilityCursor++, matching);
        for (final AgentRecord r : holders)
        {
            if (eligible(r, required, messageTenant, sender) && pick-- == 0)
            {
                return r;
            }
        }
        return null;
    }

    private static boolean eligible(final AgentRecord r, final List<String> required, final int messageTenant, final AgentRecord sender)
    {
        return r.tenantIndex() == messageTenant && (sender == null || r.handle() != sender.handle()) && r.holdsAll(required);
    }

    /**
     * The warm-up probe: resolves the last message's sender and recipient again (the probe carries them on to
     * the next stages), re-decides the header as that message left it, without counting the decision
     * ({@link ValidationStrategy#warm}), and scans the probe's payload. No rate-limit token is taken, no
     * metric moves and the verdict is dropped. Nothing to do before the first message.
     */
    @Override
    public void warm(final MessageEvent probe)
    {
        final AgentRecord sender = registry.byHandle(lastSenderHandle);
        final AgentRecord recipient = registry.byHandle(lastRecipientHandle);
        probe.sender = sender;
        probe.recipient = recipient;
        if (sender == null)
        {
            return;
        }
        probe.rejectCode = validator.warm(header);
        if (scanner != null)
        {
            scanner.scan(probe.payloadSegment, probe.payload, probe.payloadLength);
        }
    }

    /** @return the header segment, for tests that compare what was written. */
    MemorySegment header()
    {
        return header;
    }
}
