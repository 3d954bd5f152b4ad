package dev.eab.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of sending a message (reference §2.2), immutable. Unlike the original, the
 * {@link #decision()} always agrees with {@link #isValid()}: valid results are ALLOW (or HOLD),
 * invalid ones DENY; the constructor enforces it.
 */
public final class ValidationResult
{
    private final boolean valid;
    private final List<String> errors;
    private final List<String> warnings;
    private final Map<String, Object> metadata;
    private final Decision decision;
    private final MessageStatus status;
    private final String constitutionalHash;
    private final RejectReason rejectReason;

    /**
     * @throws IllegalArgumentException when the decision is null or disagrees with validity, or an
     *                                  invalid result has no error.
     */
    public ValidationResult(
        final boolean valid,
        final List<String> errors,
        final List<String> warnings,
        final Map<String, Object> metadata,
        final Decision decision,
        final MessageStatus status,
        final String constitutionalHash,
        final RejectReason rejectReason)
    {
        if (decision == null)
        {
            throw new IllegalArgumentException("decision must not be null");
        }
        if (valid == (decision == Decision.DENY))
        {
            throw new IllegalArgumentException("decision " + decision + " disagrees with valid=" + valid);
        }
        if (!valid && (errors == null || errors.isEmpty()))
        {
            throw new IllegalArgumentException("an invalid result needs at least one error");
        }
        this.valid = valid;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.warnings = warnings == null ? List.of() : List.copyOf(warnings);
        this.metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.decision = decision;
        this.status = status;
        this.constitutionalHash = constitutionalHash;
        // An invalid result always names a reason: none given (or NONE) reads as a failed check, fail closed.
        this.rejectReason = valid ? RejectReason.NONE
            : (rejectReason == null || rejectReason == RejectReason.NONE ? RejectReason.VALIDATOR_ERROR : rejectReason);
    }

    /** @return a valid, ALLOW result with the given status. */
    public static ValidationResult allow(final MessageStatus status, final String hash, final Map<String, Object> metadata)
    {
        return new ValidationResult(true, List.of(), List.of(), metadata, Decision.ALLOW, status, hash, RejectReason.NONE);
    }

    /** @return an invalid, DENY result with one error; status EXPIRED for an expired message, else FAILED. */
    public static ValidationResult deny(final RejectReason reason, final String error, final String hash, final Map<String, Object> metadata)
    {
        final MessageStatus status = reason == RejectReason.EXPIRED ? MessageStatus.EXPIRED : MessageStatus.FAILED;
        return new ValidationResult(false, List.of(error), List.of(), metadata, Decision.DENY, status, hash, reason);
    }

    public boolean isValid() { return valid; }
    public List<String> errors() { return errors; }
    public List<String> warnings() { return warnings; }
    public Map<String, Object> metadata() { return metadata; }
    public Decision decision() { return decision; }
    public MessageStatus status() { return status; }
    public String constitutionalHash() { return constitutionalHash; }
    /** @return why the message was refused, or {@link RejectReason#NONE} when valid. */
    public RejectReason rejectReason() { return rejectReason; }

    /** @return a copy with one more warning (validity unchanged). */
    public ValidationResult withWarning(final String warning)
    {
        final List<String> w = new ArrayList<>(warnings);
        w.add(warning);
        return new ValidationResult(valid, errors, w, metadata, decision, status, constitutionalHash, rejectReason);
    }

    /** @return a copy with another status and extra metadata. */
    public ValidationResult withStatus(final MessageStatus newStatus, final Map<String, Object> extraMetadata)
    {
        final Map<String, Object> m = new LinkedHashMap<>(metadata);
        if (extraMetadata != null)
        {
            m.putAll(extraMetadata);
        }
        return new ValidationResult(valid, errors, warnings, m, decision, newStatus, constitutionalHash, rejectReason);
    }

    /**
     * Combines two results: errors and warnings concatenated, validity ANDed, metadata merged (the
     * other's keys win), and the stricter decision kept (DENY over HOLD over ALLOW).
     */
    public ValidationResult merge(final ValidationResult other)
    {
        final List<String> e = new ArrayList<>(errors);
        e.addAll(other.errors);
        final List<String> w = new ArrayList<>(warnings);
        w.addAll(other.warnings);
        final Map<String, Object> m = new LinkedHashMap<>(metadata);
        m.putAll(other.metadata);
        final boolean v = valid && other.valid;
        final Decision d = !v ? Decision.DENY
            : (decision == Decision.HOLD || other.decision == Decision.HOLD) ? Decision.HOLD : Decision.ALLOW;
        final RejectReason r = !valid ? rejectReason : other.rejectReason;
        return new ValidationResult(v, e, w, m, d, v ? status : MessageStatus.FAILED, constitutionalHash, r);
    }

    /** @return the original's {@code to_dict()} shape plus status and reject reason. */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("is_valid", valid);
        m.put("errors", errors);
        m.put("warnings", warnings);
        m.put("metadata", metadata);
        m.put("decision", decision.name());
        m.put("status", status.value());
        m.put("reject_reason", rejectReason.metricName());
        m.put("constitutional_hash", constitutionalHash);
        return m;
    }

    @Override
    public String toString()
    {
        return "ValidationResult" + toMap();
    }
}
