package dev.eab.api.exception;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message text, exactly as the original formats it. */
class ExceptionMessagesTest
{
    private static final String HASH = "cdd01ef066bc6cf2";

    @Test
    void constitutionalHashMismatch()
    {
        assertEquals(
            "Constitutional hash mismatch: expected 'cdd01ef0...', got 'deadbeef...'",
            new ConstitutionalHashMismatchException(HASH, "deadbeefcafebabe", null).getMessage());
        assertEquals(
            "Constitutional hash mismatch: expected 'cdd01ef0...', got 'short' (context: send)",
            new ConstitutionalHashMismatchException(HASH, "short", "send").getMessage());
        assertEquals(
            "Constitutional hash mismatch: expected 'cdd01ef0...', got 'None'",
            new ConstitutionalHashMismatchException(HASH, null).getMessage());
    }

    @Test
    void constitutionalValidation()
    {
        assertEquals(
            "Constitutional validation failed: e1; e2",
            new ConstitutionalValidationException(List.of("e1", "e2"), "a", "act").getMessage());
        assertEquals(
            "Constitutional validation failed: only",
            new ConstitutionalValidationException(List.of("only")).getMessage());
    }

    @Test
    void messageValidation()
    {
        assertEquals(
            "Message validation failed for 'm1': e1; e2",
            new MessageValidationException("m1", List.of("e1", "e2"), List.of("w")).getMessage());
    }

    @Test
    void messageDelivery()
    {
        assertEquals(
            "Failed to deliver message 'm1' to 'agent-b': inbox closed",
            new MessageDeliveryException("m1", "agent-b", "inbox closed").getMessage());
    }

    @Test
    void messageTimeout()
    {
        assertEquals("Message 'm1' timed out after 250ms", new MessageTimeoutException("m1", 250, null).getMessage());
        assertEquals(
            "Message 'm1' timed out after 250ms during delivery",
            new MessageTimeoutException("m1", 250, "delivery").getMessage());
    }

    @Test
    void messageRouting()
    {
        assertEquals(
            "Cannot route message 'm1' from 'a' to 'b': no route",
            new MessageRoutingException("m1", "a", "b", "no route").getMessage());
    }

    @Test
    void rateLimitExceeded()
    {
        assertEquals(
            "Agent 'a' exceeded rate limit of 100 messages per 60s",
            new RateLimitExceededException("a", 100, 60, null).getMessage());
        assertEquals(
            "Agent 'a' exceeded rate limit of 100 messages per 60s (retry after 1500ms)",
            new RateLimitExceededException("a", 100, 60, 1500L).getMessage());
        assertEquals(
            "Agent 'a' exceeded rate limit of 1 messages per 1s (retry after 0ms)",
            new RateLimitExceededException("a", 1, 1, 0L).getMessage());
    }

    @Test
    void agentNotRegistered()
    {
        assertEquals("Agent 'x' is not registered", new AgentNotRegisteredException("x", null).getMessage());
        assertEquals(
            "Agent 'x' is not registered (required for send)",
            new AgentNotRegisteredException("x", "send").getMessage());
    }

    @Test
    void agentAlreadyRegistered()
    {
        assertEquals("Agent 'x' is already registered", new AgentAlreadyRegisteredException("x").getMessage());
    }

    @Test
    void agentCapability()
    {
        assertEquals(
            "Agent 'x' missing capabilities: a, b",
            new AgentCapabilityException("x", List.of("a", "c", "b"), List.of("c", "d")).getMessage());
    }

    @Test
    void policyMessages()
    {
        assertEquals(
            "Policy evaluation failed for 'data.eab.allow': undefined",
            new PolicyEvaluationException("data.eab.allow", "undefined").getMessage());
        assertEquals("Policy not found: data.eab.allow", new PolicyNotFoundException("data.eab.allow").getMessage());
        assertEquals(
            "Failed to connect to OPA at 'http://opa:8181': refused",
            new OpaConnectionException("http://opa:8181", "refused").getMessage());
        assertEquals(
            "OPA client not initialized for operation: evaluate",
            new OpaNotInitializedException("evaluate").getMessage());
    }

    @Test
    void governanceMessages()
    {
        assertEquals(
            "Impact assessment failed for 'semantic': model missing",
            new ImpactAssessmentException("semantic", "model missing").getMessage());
        assertEquals("governance down", new GovernanceException("governance down", Map.of()).getMessage());
    }

    @Test
    void deliberationMessages()
    {
        assertEquals(
            "Deliberation 'd1' timed out after 300s",
            new DeliberationTimeoutException("d1", 300, 2, 1).getMessage());
        assertEquals(
            "Deliberation 'd1' rejected message 'm1' (reviewer alice): too risky",
            new DeliberationRejectedException("d1", "m1", "alice", "too risky").getMessage());
        assertEquals(
            "Deliberation 'd1' rejected message 'm1' by vote",
            new DeliberationRejectedException("d1", "m1", "", "").getMessage());
        assertEquals(
            "Signature collection failed for 'd1': quorum not met",
            new SignatureCollectionException("d1", List.of("s1", "s2"), List.of("s1"), "quorum not met").getMessage());
        assertEquals(
            "Review consensus not reached for 'd1': 2 approvals, 3 rejections, 1 escalations",
            new ReviewConsensusException("d1", 2, 3, 1).getMessage());
    }

    @Test
    void busMessages()
    {
        assertEquals("Agent bus not started for operation: send", new BusNotStartedException("send").getMessage());
        assertEquals("Agent bus is already running", new BusAlreadyStartedException().getMessage());
        assertEquals(
            "Handler 'audit' failed for message 'm1': IllegalStateException: boom",
            new HandlerExecutionException("audit", "m1", new IllegalStateException("boom")).getMessage());
        assertEquals(
            "Backpressure: ring is full (capacity 1024, policy REJECT)",
            new BackpressureException("ring", 1024, "REJECT").getMessage());
    }

    @Test
    void configuration()
    {
        assertEquals(
            "Configuration error for 'ring.size': must be a power of two",
            new ConfigurationException("ring.size", "must be a power of two").getMessage());
    }

    @Test
    void maciMessages()
    {
        assertEquals(
            "Agent 'a' (executive) cannot perform 'validate' - allowed roles: judicial",
            new MaciRoleViolationException("a", "executive", "validate", List.of("judicial")).getMessage());
        assertEquals(
            "Agent 'a' (executive) cannot perform 'validate' - allowed roles: judicial, auditor",
            new MaciRoleViolationException("a", "executive", "validate", List.of("judicial", "auditor")).getMessage());
        assertEquals(
            "Agent 'a' (executive) cannot perform 'validate'",
            new MaciRoleViolationException("a", "executive", "validate", List.of()).getMessage());
        assertEquals(
            "Agent 'a' cannot validate its own output (Gödel bypass prevention)",
            new MaciSelfValidationException("a", "validate", null).getMessage());
        assertEquals(
            "Agent 'a' cannot validate its own output (Gödel bypass prevention) [output: o]",
            new MaciSelfValidationException("a", "validate", "o").getMessage());
        assertEquals(
            "Cross-role validation error: v (judicial) cannot validate t (judicial): same role",
            new MaciCrossRoleValidationException("v", "judicial", "t", "judicial", "same role").getMessage());
        assertEquals(
            "Agent 'x' has no MACI role assigned for operation: op",
            new MaciRoleNotAssignedException("x", "op").getMessage());
    }

    @Test
    void alignmentViolation()
    {
        assertEquals(
            "Constitutional alignment violation: harmful",
            new AlignmentViolationException("harmful", null, null).getMessage());
        assertEquals(
            "Constitutional alignment violation: harmful (score: 0.42)",
            new AlignmentViolationException("harmful", 0.42, "a").getMessage());
    }
}
