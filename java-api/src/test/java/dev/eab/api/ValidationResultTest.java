package dev.eab.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ValidationResult: unlike the original (whose decision stays "ALLOW" on invalid results), the decision
 * always agrees with validity, and an invalid result always says why.
 */
class ValidationResultTest
{
    private static final String H = Constitution.HASH;

    @Test
    void allowIsValidAllowWithoutReason()
    {
        final ValidationResult r = ValidationResult.allow(MessageStatus.DELIVERED, H, Map.of("k", "v"));
        assertTrue(r.isValid());
        assertEquals(Decision.ALLOW, r.decision());
        assertEquals(MessageStatus.DELIVERED, r.status());
        assertEquals(RejectReason.NONE, r.rejectReason());
        assertEquals(List.of(), r.errors());
        assertEquals(List.of(), r.warnings());
        assertEquals(Map.of("k", "v"), r.metadata());
        assertEquals(H, r.constitutionalHash());
    }

    @Test
    void denyIsInvalidDenyFailedWithItsReason()
    {
        final ValidationResult r = ValidationResult.deny(RejectReason.HASH_MISMATCH, "bad hash", H, null);
        assertFalse(r.isValid());
        assertEquals(Decision.DENY, r.decision());
        assertEquals(MessageStatus.FAILED, r.status());
        assertEquals(RejectReason.HASH_MISMATCH, r.rejectReason());
        assertEquals(List.of("bad hash"), r.errors());
        assertEquals(Map.of(), r.metadata());
    }

    @Test
    void aDecisionThatDisagreesWithValidityIsRefused()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new ValidationResult(true, List.of(), List.of(), Map.of(), Decision.DENY, MessageStatus.VALIDATED, H, null));
        assertThrows(IllegalArgumentException.class,
            () -> new ValidationResult(false, List.of("e"), List.of(), Map.of(), Decision.ALLOW, MessageStatus.FAILED, H, RejectReason.POLICY_DENIED));
        assertThrows(IllegalArgumentException.class,
            () -> new ValidationResult(false, List.of("e"), List.of(), Map.of(), Decision.HOLD, MessageStatus.FAILED, H, RejectReason.POLICY_DENIED));
        assertThrows(IllegalArgumentException.class,
            () -> new ValidationResult(true, List.of(), List.of(), Map.of(), null, MessageStatus.VALIDATED, H, null));
        assertThrows(IllegalArgumentException.class,
            () -> new ValidationResult(false, List.of("e"), List.of(), Map.of(), null, MessageStatus.FAILED, H, RejectReason.POLICY_DENIED));
        // HOLD is a valid decision: held for deliberation, not refused.
        final ValidationResult held = new ValidationResult(true, List.of(), List.of(), Map.of(), Decision.HOLD, MessageStatus.PENDING_DELIBERATION, H, null);
        assertTrue(held.isValid());
        assertEquals(Decision.HOLD, held.decision());
    }

    @Test
    void anInvalidResultWithoutAnErrorIsRefused()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new ValidationResult(false, List.of(), List.of(), Map.of(), Decision.DENY, MessageStatus.FAILED, H, RejectReason.POLICY_DENIED));
        assertThrows(IllegalArgumentException.class,
            () -> new ValidationResult(false, null, List.of("w"), Map.of(), Decision.DENY, MessageStatus.FAILED, H, RejectReason.POLICY_DENIED));
    }

    @Test
    void anInvalidResultAlwaysNamesAReason()
    {
        assertEquals(RejectReason.VALIDATOR_ERROR,
            new ValidationResult(false, List.of("e"), List.of(), Map.of(), Decision.DENY, MessageStatus.FAILED, H, null).rejectReason());
        assertEquals(RejectReason.VALIDATOR_ERROR,
            new ValidationResult(false, List.of("e"), List.of(), Map.of(), Decision.DENY, MessageStatus.FAILED, H, RejectReason.NONE).rejectReason());
        assertEquals(RejectReason.NONE,
            new ValidationResult(true, List.of(), List.of(), Map.of(), Decision.ALLOW, MessageStatus.VALIDATED, H, RejectReason.EXPIRED).rejectReason(),
            "a valid result has no reject reason");
    }

    @Test
    void decisionAlwaysAgreesWithValidityWhateverIsCombined()
    {
        final Random rnd = new Random(42);
        final List<ValidationResult> pool = new ArrayList<>();
        pool.add(ValidationResult.allow(MessageStatus.DELIVERED, H, Map.of()));
        pool.add(new ValidationResult(true, List.of(), List.of("w"), Map.of(), Decision.HOLD, MessageStatus.PENDING_DELIBERATION, H, null));
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason != RejectReason.NONE)
            {
                pool.add(ValidationResult.deny(reason, reason.metricName(), H, Map.of()));
            }
        }
        for (int i = 0; i < 5_000; i++)
        {
            ValidationResult r = pool.get(rnd.nextInt(pool.size()));
            final int steps = rnd.nextInt(4);
            for (int s = 0; s < steps; s++)
            {
                r = switch (rnd.nextInt(3))
                {
                    case 0 -> r.merge(pool.get(rnd.nextInt(pool.size())));
                    case 1 -> r.withWarning("w" + s);
                    default -> r.withStatus(MessageStatus.FAILED, Map.of("s", s));
                };
            }
            assertEquals(r.isValid(), r.decision() != Decision.DENY, r.toString());
            assertEquals(r.isValid(), r.rejectReason() == RejectReason.NONE, r.toString());
            assertEquals(r.isValid(), r.errors().isEmpty(), r.toString());
            pool.add(r);
        }
    }

    @Test
    void mergeOfTwoValidResultsIsValid()
    {
        final ValidationResult a = ValidationResult.allow(MessageStatus.VALIDATED, H, Map.of("a", 1, "shared", "a")).withWarning("wa");
        final ValidationResult b = ValidationResult.allow(MessageStatus.DELIVERED, H, Map.of("b", 2, "shared", "b")).withWarning("wb");
        final ValidationResult m = a.merge(b);
        assertTrue(m.isValid());
        assertEquals(Decision.ALLOW, m.decision());
        assertEquals(RejectReason.NONE, m.rejectReason());
        assertEquals(List.of("wa", "wb"), m.warnings());
        assertEquals(Map.of("a", 1, "b", 2, "shared", "b"), m.metadata(), "metadata merged, the other's keys win");
        assertEquals(MessageStatus.VALIDATED, m.status());
    }

    @Test
    void mergeWithAnInvalidResultIsInvalidAndKeepsEverything()
    {
        final ValidationResult ok = ValidationResult.allow(MessageStatus.VALIDATED, H, Map.of("a", 1)).withWarning("w1");
        final ValidationResult bad = ValidationResult.deny(RejectReason.EXPIRED, "expired", H, Map.of("b", 2)).withWarning("w2");
        for (final ValidationResult m : List.of(ok.merge(bad), bad.merge(ok)))
        {
            assertFalse(m.isValid());
            assertEquals(Decision.DENY, m.decision());
            assertEquals(MessageStatus.FAILED, m.status());
            assertEquals(RejectReason.EXPIRED, m.rejectReason());
            assertEquals(List.of("expired"), m.errors());
            assertEquals(Map.of("a", 1, "b", 2), m.metadata());
            assertEquals(2, m.warnings().size());
        }
        // Two invalid results: errors concatenated in order, the first reason kept.
        final ValidationResult bad2 = ValidationResult.deny(RejectReason.POLICY_DENIED, "denied", H, Map.of());
        final ValidationResult both = bad.merge(bad2);
        assertEquals(List.of("expired", "denied"), both.errors());
        assertEquals(RejectReason.EXPIRED, both.rejectReason());
        assertEquals(RejectReason.POLICY_DENIED, bad2.merge(bad).rejectReason());
    }

    @Test
    void mergeKeepsTheStricterDecision()
    {
        final ValidationResult allow = ValidationResult.allow(MessageStatus.VALIDATED, H, Map.of());
        final ValidationResult hold = new ValidationResult(true, List.of(), List.of(), Map.of(), Decision.HOLD, MessageStatus.PENDING_DELIBERATION, H, null);
        final ValidationResult deny = ValidationResult.deny(RejectReason.POLICY_DENIED, "no", H, Map.of());
        assertEquals(Decision.ALLOW, allow.merge(allow).decision());
        assertEquals(Decision.HOLD, allow.merge(hold).decision());
        assertEquals(Decision.HOLD, hold.merge(allow).decision());
        assertEquals(Decision.DENY, hold.merge(deny).decision());
        assertEquals(Decision.DENY, deny.merge(hold).decision());
    }

    @Test
    void resultsAreImmutableCopies()
    {
        final List<String> errors = new ArrayList<>(List.of("e1"));
        final List<String> warnings = new ArrayList<>(List.of("w1"));
        final Map<String, Object> meta = new HashMap<>(Map.of("k", "v"));
        final ValidationResult r = new ValidationResult(false, errors, warnings, meta, Decision.DENY, MessageStatus.FAILED, H, RejectReason.EXPIRED);
        errors.add("e2");
        warnings.add("w2");
        meta.put("k2", "v2");
        assertEquals(List.of("e1"), r.errors());
        assertEquals(List.of("w1"), r.warnings());
        assertEquals(Map.of("k", "v"), r.metadata());
        assertThrows(UnsupportedOperationException.class, () -> r.errors().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.warnings().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.metadata().put("x", 1));

        final ValidationResult w = r.withWarning("w3");
        assertEquals(List.of("w1"), r.warnings(), "withWarning copies");
        assertEquals(List.of("w1", "w3"), w.warnings());
        assertFalse(w.isValid(), "a warning never changes validity");
        final ValidationResult s = r.withStatus(MessageStatus.EXPIRED, Map.of("x", 1));
        assertEquals(MessageStatus.FAILED, r.status());
        assertEquals(MessageStatus.EXPIRED, s.status());
        assertEquals(Map.of("k", "v", "x", 1), s.metadata());
        assertEquals(RejectReason.EXPIRED, s.rejectReason());
    }

    @Test
    void toMapHasTheOriginalsShapePlusStatusAndReason()
    {
        final Map<String, Object> m = ValidationResult.deny(RejectReason.INBOX_FULL, "full", H, Map.of("rejection_reason", "inbox_full")).toMap();
        assertEquals(List.of("is_valid", "errors", "warnings", "metadata", "decision", "status", "reject_reason", "constitutional_hash"),
            List.copyOf(m.keySet()));
        assertEquals(false, m.get("is_valid"));
        assertEquals("DENY", m.get("decision"));
        assertEquals("failed", m.get("status"));
        assertEquals("inbox_full", m.get("reject_reason"));
        assertEquals(H, m.get("constitutional_hash"));
    }
}
