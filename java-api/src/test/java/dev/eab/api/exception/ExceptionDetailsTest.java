package dev.eab.api.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Details keys and values (snake_case, as in the original), getters, and hash secrecy. */
class ExceptionDetailsTest
{
    private static final String EXPECTED = "cdd01ef066bc6cf2";
    private static final String ACTUAL = "0123456789abcdef";

    private static List<String> keys(final AgentBusException e)
    {
        return new ArrayList<>(e.details().keySet());
    }

    @Test
    void hashMismatchExposesOnlySanitisedHashes()
    {
        final var e = new ConstitutionalHashMismatchException(EXPECTED, ACTUAL, "ingress");
        assertEquals(List.of("expected_hash_prefix", "actual_hash_prefix", "context"), keys(e));
        assertEquals("cdd01ef0...", e.details().get("expected_hash_prefix"));
        assertEquals("01234567...", e.details().get("actual_hash_prefix"));
        assertEquals("ingress", e.details().get("context"));
        assertEquals(EXPECTED, e.expectedHash());
        assertEquals(ACTUAL, e.actualHash());
        assertEquals("ingress", e.context());

        final String everything = e.toMap().toString();
        assertFalse(everything.contains(ACTUAL), everything);
        // the expected hash here is the bus's own, legitimately shown in full as constitutional_hash;
        // any other expected hash must not leak either
        final String otherExpected = "ffffeeeeddddcccc";
        final String other = new ConstitutionalHashMismatchException(otherExpected, ACTUAL).toMap().toString();
        assertFalse(other.contains(otherExpected), other);
        assertFalse(other.contains(ACTUAL), other);
        assertFalse(e.getMessage().contains(ACTUAL));
        assertFalse(e.toString().contains(ACTUAL));
    }

    @Test
    void hashMismatchWithNullActual()
    {
        final var e = new ConstitutionalHashMismatchException(EXPECTED, null);
        assertEquals("None", e.details().get("actual_hash_prefix"));
        assertNull(e.details().get("context"));
        assertNull(e.actualHash());
    }

    @Test
    void constitutionalValidationDetails()
    {
        final var e = new ConstitutionalValidationException(List.of("e1"), "a1", "deploy");
        assertEquals(List.of("validation_errors", "agent_id", "action_type"), keys(e));
        assertEquals(List.of("e1"), e.details().get("validation_errors"));
        assertEquals("a1", e.agentId());
        assertEquals("deploy", e.actionType());
    }

    @Test
    void messageDetails()
    {
        assertEquals(
            Map.of("message_id", "m", "errors", List.of("e"), "warnings", List.of("w")),
            new MessageValidationException("m", List.of("e"), List.of("w")).details());
        assertEquals(
            Map.of("message_id", "m", "target_agent", "t", "reason", "r"),
            new MessageDeliveryException("m", "t", "r").details());
        final var timeout = new MessageTimeoutException("m", 5L, "send");
        assertEquals(List.of("message_id", "timeout_ms", "operation"), keys(timeout));
        assertEquals(5L, timeout.details().get("timeout_ms"));
        assertEquals(
            Map.of("message_id", "m", "source_agent", "s", "target_agent", "t", "reason", "r"),
            new MessageRoutingException("m", "s", "t", "r").details());
        final var rate = new RateLimitExceededException("a", 10, 1, 200L);
        assertEquals(List.of("agent_id", "limit", "window_seconds", "retry_after_ms"), keys(rate));
        assertEquals(10, rate.details().get("limit"));
        assertEquals(200L, rate.retryAfterMs());
    }

    @Test
    void capabilityMissingIsRequiredMinusAvailableInRequiredOrder()
    {
        final var e = new AgentCapabilityException("x", List.of("z", "a", "m", "a"), List.of("m"));
        assertEquals(List.of("z", "a"), e.missingCapabilities());
        assertEquals(
            List.of("agent_id", "required_capabilities", "available_capabilities", "missing_capabilities"),
            keys(e));
        assertEquals(List.of("z", "a"), e.details().get("missing_capabilities"));
        assertEquals(List.of("z", "a", "m", "a"), e.requiredCapabilities());
        assertEquals(List.of("m"), e.availableCapabilities());
    }

    @Test
    void signatureCollectionListsMissingSigners()
    {
        final var e = new SignatureCollectionException("d", List.of("s1", "s2", "s3"), List.of("s2"), "late");
        assertEquals(List.of("s1", "s3"), e.missingSigners());
        assertEquals(
            List.of("decision_id", "required_signers", "collected_signers", "missing_signers", "reason"),
            keys(e));
    }

    @Test
    void deliberationDetails()
    {
        final var timeout = new DeliberationTimeoutException("d", 30);
        assertEquals(
            Map.of("decision_id", "d", "timeout_seconds", 30L, "pending_reviews", 0, "pending_signatures", 0),
            timeout.details());
        assertEquals(
            Map.of("decision_id", "d", "approval_count", 1, "rejection_count", 2, "escalation_count", 3),
            new ReviewConsensusException("d", 1, 2, 3).details());
    }

    @Test
    void handlerExecutionKeepsCauseAndDescribesIt()
    {
        final var cause = new IllegalArgumentException("bad input");
        final var e = new HandlerExecutionException("h", "m", cause);
        assertSame(cause, e.getCause());
        assertSame(cause, e.originalError());
        assertEquals(
            Map.of(
                "handler_name", "h",
                "message_id", "m",
                "original_error", "bad input",
                "original_error_type", "IllegalArgumentException"),
            e.details());
    }

    @Test
    void policyAndConfigurationDetails()
    {
        final var eval = new PolicyEvaluationException("p", "r", Map.of("k", "v"));
        assertEquals(List.of("policy_path", "reason", "input_data"), keys(eval));
        assertEquals(Map.of("k", "v"), eval.inputData());
        assertNull(new PolicyEvaluationException("p", "r").details().get("input_data"));
        assertEquals(Map.of("opa_url", "u", "reason", "r"), new OpaConnectionException("u", "r").details());
        final var config = new ConfigurationException("key", "why");
        assertEquals(Map.of("config_key", "key", "reason", "why"), config.details());
        assertEquals("key", config.configKey());
        assertEquals("why", config.reason());
        assertEquals(
            Map.of("resource", "inbox:a", "capacity", 4, "policy", "REJECT"),
            new BackpressureException("inbox:a", 4, "REJECT").details());
    }

    @Test
    void maciDetails()
    {
        final var self = new MaciSelfValidationException("a", "validate", "o1");
        assertEquals(
            List.of("agent_id", "action", "output_id", "prevention_type"),
            keys(self));
        assertEquals("godel_bypass", self.details().get("prevention_type"));
        assertEquals("o1", self.outputId());
        assertEquals(
            List.of("judicial"),
            new MaciRoleViolationException("a", "executive", "validate", List.of("judicial")).details().get("allowed_roles"));
        assertEquals(List.of(), new MaciRoleViolationException("a", "executive", "validate").allowedRoles());
        assertEquals(
            List.of("validator_agent", "validator_role", "target_agent", "target_role", "reason"),
            keys(new MaciCrossRoleValidationException("v", "judicial", "t", "executive", "r")));
        assertEquals(
            Map.of("agent_id", "x", "operation", "op"),
            new MaciRoleNotAssignedException("x", "op").details());
    }

    @Test
    void alignmentDetails()
    {
        final var e = new AlignmentViolationException("r", 0.5, "a");
        assertEquals(Map.of("reason", "r", "alignment_score", 0.5, "agent_id", "a"), e.details());
        assertEquals(0.5, e.alignmentScore());
    }
}
