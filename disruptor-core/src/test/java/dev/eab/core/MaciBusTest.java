package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciAction;
import dev.eab.api.MaciLogEntry;
import dev.eab.api.MaciRole;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.api.exception.MaciCrossRoleValidationException;
import dev.eab.api.exception.MaciException;
import dev.eab.api.exception.MaciRoleNotAssignedException;
import dev.eab.api.exception.MaciRoleViolationException;
import dev.eab.api.exception.MaciSelfValidationException;
import dev.eab.core.maci.MaciConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * MACI on the real bus, with the Rust validator and with the Java twin: the original's texts and semantics on
 * {@code send}, output provenance (self-validation via an output and via the agent, cross-role, unregistering
 * keeps provenance), strict versus non-strict mode, the flyweight path, the {@code bus.maci()} facade and
 * configuration from a map, files and the environment.
 */
class MaciBusTest
{
    static final String TENANT = "acme";
    private EnhancedAgentBus bus;

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private EnhancedAgentBus start(final NativeMode mode, final boolean strict)
    {
        bus = started(config(mode).enableMaci(true).maciStrictMode(strict).build());
        assertEquals(mode == NativeMode.OFF ? "java" : "native", bus.validator().name());
        // Agent types and capabilities satisfy the default policy (validators validate, governors propose), so
        // what is refused here is refused by MACI.
        bus.registerAgent("exec", "validator", Set.of("governance"), TENANT, MaciRole.EXECUTIVE);
        bus.registerAgent("judge", "judicial", Set.of(), TENANT, MaciRole.JUDICIAL);
        bus.registerAgent("judge2", "judicial", Set.of("governance"), TENANT, MaciRole.JUDICIAL);
        bus.registerAgent("impl", "worker", Set.of(), TENANT, MaciRole.IMPLEMENTER);
        bus.registerAgent("auditor", "worker", Set.of(), TENANT, MaciRole.AUDITOR);
        bus.registerAgent("sink", "worker", Set.of(), TENANT, MaciRole.MONITOR);
        return bus;
    }

    static AgentMessage message(final String from, final MessageType type, final String id, final Map<String, Object> content)
    {
        return AgentMessage.builder().messageId(id).fromAgent(from).toAgent("sink").tenantId(TENANT).messageType(type).content(content).build();
    }

    static AgentMessage validate(final String from, final String id, final String key, final String target)
    {
        return message(from, MessageType.CONSTITUTIONAL_VALIDATION, id, Map.of(key, target, "verdict", "ok"));
    }

    static void assertRejected(final ValidationResult r, final RejectReason reason, final String text)
    {
        assertFalse(r.isValid(), r.toString());
        assertEquals(reason, r.rejectReason(), r.toString());
        assertEquals(List.of(text), r.errors());
        assertEquals(reason.metricName(), r.metadata().get("rejection_reason"));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void executiveCannotValidateAndEveryRoleGetsItsActions(final NativeMode mode)
    {
        start(mode, true);
        assertRejected(send(bus, validate("exec", "e-1", "target_agent_id", "impl")), RejectReason.MACI_ROLE_VIOLATION,
            "Agent 'exec' (executive) cannot perform 'validate' - allowed roles: judicial");
        assertEquals("role_violation", send(bus, validate("exec", "e-2", "target_agent_id", "impl")).metadata().get("maci_violation"));
        assertTrue(send(bus, message("exec", MessageType.GOVERNANCE_REQUEST, "e-3", Map.of("p", "x"))).isValid(), "executive proposes");
        assertTrue(send(bus, message("impl", MessageType.TASK_REQUEST, "i-1", Map.of("t", "x"))).isValid(), "implementer synthesizes");
        assertRejected(send(bus, message("impl", MessageType.AUDIT_LOG, "i-2", Map.of("a", "x"))), RejectReason.MACI_ROLE_VIOLATION,
            "Agent 'impl' (implementer) cannot perform 'audit' - allowed roles: judicial, auditor");
        assertTrue(send(bus, message("auditor", MessageType.AUDIT_LOG, "a-1", Map.of("a", "x"))).isValid());
        assertRejected(send(bus, message("judge", MessageType.GOVERNANCE_REQUEST, "j-0", Map.of("p", "x"))), RejectReason.MACI_ROLE_VIOLATION,
            "Agent 'judge' (judicial) cannot perform 'propose' - allowed roles: executive");
        // j-0: judge lacks the 'governance' capability the default policy asks for, yet MACI (before policy) decides.
        assertEquals(4, bus.metrics().rejected(RejectReason.MACI_ROLE_VIOLATION));
        final List<MaciLogEntry> log = bus.maci().validationLog();
        assertEquals(4, log.size());
        assertEquals(new MaciLogEntry(log.get(0).timestampMs(), "exec", "validate", "impl", "role_violation",
            "Agent 'exec' (executive) cannot perform 'validate' - allowed roles: judicial"), log.get(0));
        bus.maci().clearValidationLog();
        assertEquals(List.of(), bus.maci().validationLog());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void selfValidationViaOutputAndViaAgentIsAGodelBypass(final NativeMode mode)
    {
        start(mode, true);
        assertTrue(send(bus, message("judge", MessageType.QUERY, "judge-out", Map.of("q", "x"))).isValid());
        assertEquals("judge", bus.maci().producerOf("judge-out"), "an accepted message is its sender's output");
        final ValidationResult viaOutput = send(bus, validate("judge", "v-1", "target_output_id", "judge-out"));
        assertRejected(viaOutput, RejectReason.MACI_SELF_VALIDATION,
            "Agent 'judge' cannot validate its own output (Gödel bypass prevention) [output: judge-out]");
        assertEquals("godel_bypass", viaOutput.metadata().get("prevention_type"));
        final ValidationResult viaAgent = send(bus, validate("judge", "v-2", "target_agent_id", "judge"));
        assertRejected(viaAgent, RejectReason.MACI_SELF_VALIDATION, "Agent 'judge' cannot validate its own output (Gödel bypass prevention)");
        assertEquals("godel_bypass", viaAgent.metadata().get("prevention_type"));
        // Another judge may not validate it either (judicial never validates judicial) ...
        assertRejected(send(bus, validate("judge2", "v-3", "target_output_id", "judge-out")), RejectReason.MACI_CROSS_ROLE,
            "Cross-role validation error: judge2 (judicial) cannot validate judge (judicial): Role constraint violation");
        // ... but an implementer's output it may.
        assertTrue(send(bus, message("impl", MessageType.TASK_REQUEST, "impl-out", Map.of("t", "x"))).isValid());
        assertTrue(send(bus, validate("judge", "v-4", "target_output_id", "impl-out")).isValid());
        assertTrue(send(bus, validate("judge", "v-5", "target_agent_id", "exec")).isValid());
        assertRejected(send(bus, validate("judge", "v-6", "target_agent_id", "auditor")), RejectReason.MACI_CROSS_ROLE,
            "Cross-role validation error: judge (judicial) cannot validate auditor (auditor): Role constraint violation");
        final List<MaciLogEntry> log = bus.maci().validationLog();
        assertEquals(List.of("self_validation", "self_validation", "cross_role", "cross_role"), log.stream().map(MaciLogEntry::violationType).toList());
        assertEquals("judge-out", log.get(0).target());
        assertEquals("judge", log.get(1).target());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void unregisteringKeepsProvenanceSoReRegisteringCannotLaunder(final NativeMode mode)
    {
        start(mode, true);
        assertTrue(send(bus, message("judge", MessageType.QUERY, "old-out", Map.of("q", "x"))).isValid());
        bus.maci().recordOutput("judge", "report-7");
        assertTrue(bus.unregisterAgent("judge"));
        assertEquals("judge", bus.maci().producerOf("old-out"), "kept after unregistering");
        bus.registerAgent("judge", "worker", Set.of(), TENANT, MaciRole.JUDICIAL);
        assertRejected(send(bus, validate("judge", "v-1", "target_output_id", "old-out")), RejectReason.MACI_SELF_VALIDATION,
            "Agent 'judge' cannot validate its own output (Gödel bypass prevention) [output: old-out]");
        assertRejected(send(bus, validate("judge", "v-2", "target_output_id", "report-7")), RejectReason.MACI_SELF_VALIDATION,
            "Agent 'judge' cannot validate its own output (Gödel bypass prevention) [output: report-7]");
        assertThrows(MaciSelfValidationException.class, () -> bus.maci().validateAction("judge", MaciAction.VALIDATE, "report-7", null));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void strictModeRejectsWhatNonStrictLetsThrough(final NativeMode mode)
    {
        for (final boolean strict : new boolean[] {true, false})
        {
            start(mode, strict);
            bus.registerAgent("nobody", "worker", Set.of(), TENANT, null);
            final ValidationResult noRole = send(bus, message("nobody", MessageType.QUERY, "n-1", Map.of("q", "x")));
            final ValidationResult unmapped = send(bus, message("exec", MessageType.COMMAND, "c-1", Map.of("c", "x")));
            final ValidationResult ghostAgent = send(bus, validate("judge", "g-1", "target_agent_id", "ghost"));
            final ValidationResult ghostOutput = send(bus, validate("judge", "g-2", "target_output_id", "never-seen"));
            final ValidationResult badType = send(bus, message("judge", MessageType.CONSTITUTIONAL_VALIDATION, "g-3", Map.of("target_output_id", 42)));
            if (strict)
            {
                assertRejected(noRole, RejectReason.MACI_ROLE_NOT_ASSIGNED, "Agent 'nobody' has no MACI role assigned for operation: query");
                assertRejected(unmapped, RejectReason.MACI_UNMAPPED_TYPE,
                    "Agent 'exec' (executive) cannot send 'command': Unknown type (no MACI action is mapped to it; strict mode)");
                assertRejected(ghostAgent, RejectReason.MACI_TARGET_NOT_FOUND, "Agent 'ghost' has no MACI role assigned for operation: validate_target");
                assertRejected(ghostOutput, RejectReason.MACI_TARGET_NOT_FOUND,
                    "Target output 'never-seen' not found: its producer is unknown (strict mode)");
                assertEquals(RejectReason.MACI_TARGET_NOT_FOUND, badType.rejectReason(), "a non-string target cannot be found");
            }
            else
            {
                for (final ValidationResult r : List.of(noRole, unmapped, ghostAgent, ghostOutput, badType))
                {
                    assertTrue(r.isValid(), r.toString());
                }
                // Non-strict still enforces the tables for agents that have a role.
                assertEquals(RejectReason.MACI_ROLE_VIOLATION, send(bus, validate("exec", "e-1", "target_agent_id", "impl")).rejectReason());
                assertEquals(RejectReason.MACI_SELF_VALIDATION, send(bus, validate("judge", "e-2", "target_agent_id", "judge")).rejectReason());
            }
            bus.close();
            bus = null;
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void flyweightMessagesAreCheckedAndBecomeOutputs(final NativeMode mode)
    {
        start(mode, true);
        final List<RejectReason> rejected = new CopyOnWriteArrayList<>();
        final List<Long> delivered = new CopyOnWriteArrayList<>();
        final OutcomeListener listener = new OutcomeListener()
        {
            @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.add(correlationId); }
            @Override public void onRejected(final long correlationId, final RejectReason reason) { rejected.add(reason); }
            @Override public void onHandlerFailed(final long correlationId, final Throwable error) { }
        };
        final int sink = bus.getAgentInfo("sink").handle();
        final MessagePublisher exec = bus.publisher("exec", listener);
        final byte[] payload = {'v'};
        assertTrue(exec.tryPublish(sink, MessageType.CONSTITUTIONAL_VALIDATION, 1, payload, 0, 1));
        assertTrue(exec.tryPublish(sink, MessageType.TASK_REQUEST, 2, payload, 0, 1));
        await(() -> rejected.size() + delivered.size() == 2, "two outcomes");
        assertEquals(List.of(RejectReason.MACI_ROLE_VIOLATION), rejected);
        assertEquals(List.of(2L), delivered);
        assertEquals("exec", bus.maci().producerOf("2"), "a flyweight message is an output under its correlation id");
        assertTrue(send(bus, validate("judge", "v-1", "target_output_id", "2")).isValid(), "judicial validates an executive's output");
        assertEquals("role_violation", bus.maci().validationLog().get(0).violationType());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void flyweightClaimsNameTheirTargetsByNumberAndHandle(final NativeMode mode)
    {
        start(mode, true);
        final List<RejectReason> outcomes = new CopyOnWriteArrayList<>();
        final OutcomeListener listener = new OutcomeListener()
        {
            @Override public void onDelivered(final long correlationId, final int recipientHandle) { outcomes.add(RejectReason.NONE); }
            @Override public void onRejected(final long correlationId, final RejectReason reason) { outcomes.add(reason); }
            @Override public void onHandlerFailed(final long correlationId, final Throwable error) { }
        };
        final int sink = bus.getAgentInfo("sink").handle();
        final int judgeHandle = bus.getAgentInfo("judge").handle();
        final MessagePublisher judge = bus.publisher("judge", listener);
        final MessagePublisher impl = bus.publisher("impl", listener);
        final byte[] payload = {'v'};
        assertTrue(judge.tryPublish(sink, MessageType.QUERY, 100, payload, 0, 1));
        assertTrue(impl.tryPublish(sink, MessageType.TASK_REQUEST, 200, payload, 0, 1));
        await(() -> outcomes.size() == 2, "two outputs");
        judge.tryClaim().to(sink).type(MessageType.CONSTITUTIONAL_VALIDATION).correlationId(101).targetOutput(100).payload(payload, 0, 1).publish();
        judge.tryClaim().to(sink).type(MessageType.CONSTITUTIONAL_VALIDATION).correlationId(102).targetAgent(judgeHandle).payload(payload, 0, 1)
            .publish();
        judge.tryClaim().to(sink).type(MessageType.CONSTITUTIONAL_VALIDATION).correlationId(103).targetOutput(200).payload(payload, 0, 1).publish();
        judge.tryClaim().to(sink).type(MessageType.CONSTITUTIONAL_VALIDATION).correlationId(104).targetOutput(999).payload(payload, 0, 1).publish();
        // A later claim from the same slot names nothing: the targets do not leak from one claim to the next.
        judge.tryClaim().to(sink).type(MessageType.CONSTITUTIONAL_VALIDATION).correlationId(105).payload(payload, 0, 1).publish();
        await(() -> outcomes.size() == 7, "five more outcomes");
        assertEquals(List.of(RejectReason.NONE, RejectReason.NONE, RejectReason.MACI_SELF_VALIDATION, RejectReason.MACI_SELF_VALIDATION,
            RejectReason.NONE, RejectReason.MACI_TARGET_NOT_FOUND, RejectReason.NONE), outcomes);
        assertEquals(RejectReason.MACI_SELF_VALIDATION, send(bus, validate("judge", "v-1", "target_output_id", "100")).rejectReason(),
            "a send names a flyweight output by its decimal id");
        final List<MaciLogEntry> log = bus.maci().validationLog();
        assertEquals(List.of("100", "judge", "999", "100"), log.stream().map(MaciLogEntry::target).toList());
        assertEquals("Agent 'judge' cannot validate its own output (Gödel bypass prevention) [output: 100]", log.get(0).message());
        assertEquals("Target output '999' not found: its producer is unknown (strict mode)", log.get(2).message());
    }

    @Test
    void validateActionThrowsTypedExceptionsAndLogsThem()
    {
        start(NativeMode.OFF, true);
        final MaciRoleViolationException v = assertThrows(MaciRoleViolationException.class,
            () -> bus.maci().validateAction("exec", MaciAction.VALIDATE, null, null));
        assertEquals(List.of("judicial"), v.allowedRoles());
        assertThrows(MaciRoleViolationException.class, () -> bus.maci().validateAction("judge", MaciAction.MANAGE_POLICY, null, null),
            "nobody manages policy");
        bus.maci().recordOutput("impl", "impl-report");
        bus.maci().validateAction("judge", MaciAction.VALIDATE, "impl-report", "exec");
        final MaciSelfValidationException self = assertThrows(MaciSelfValidationException.class,
            () -> bus.maci().validateAction("judge", MaciAction.VALIDATE, null, "judge"));
        assertEquals("godel_bypass", self.details().get("prevention_type"));
        final MaciCrossRoleValidationException cross = assertThrows(MaciCrossRoleValidationException.class,
            () -> bus.maci().validateAction("judge", MaciAction.VALIDATE, null, "judge2"));
        assertEquals("judicial", cross.targetRole());
        assertThrows(MaciRoleNotAssignedException.class, () -> bus.maci().validateAction("ghost", MaciAction.QUERY, null, null));
        assertThrows(MaciRoleNotAssignedException.class, () -> bus.maci().validateAction("judge", MaciAction.VALIDATE, null, "ghost"));
        final MaciException unknown = assertThrows(MaciException.class, () -> bus.maci().validateAction("judge", MaciAction.VALIDATE, "nope", null));
        assertTrue(unknown.getMessage().contains("'nope' not found"), unknown.getMessage());
        assertEquals(List.of("role_violation", "role_violation", "self_validation", "cross_role", "not_assigned", "target_not_found",
            "target_not_found"), bus.maci().validationLog().stream().map(MaciLogEntry::violationType).toList());
        bus.maci().clearValidationLog();
        assertTrue(bus.maci().validationLog().isEmpty());
    }

    @Test
    void theValidationLogIsBounded()
    {
        bus = started(config(NativeMode.OFF).enableMaci(true).maciLogCapacity(4).build());
        bus.registerAgent("exec", "worker", Set.of(), TENANT, MaciRole.EXECUTIVE);
        for (int i = 0; i < 10; i++)
        {
            final int n = i;
            assertThrows(MaciRoleViolationException.class, () -> bus.maci().validateAction("exec", MaciAction.VALIDATE, null, "t" + n));
        }
        assertEquals(List.of("t6", "t7", "t8", "t9"), bus.maci().validationLog().stream().map(MaciLogEntry::target).toList());
    }

    @Test
    void offByDefaultAndOptInThroughTheConfiguration()
    {
        bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("exec", "validator", Set.of(), TENANT, MaciRole.EXECUTIVE);
        bus.registerAgent("sink", "worker", Set.of(), TENANT, null);
        assertFalse(bus.maci().enabled());
        assertTrue(send(bus, validate("exec", "x-1", "target_agent_id", "exec")).isValid(), "MACI off: not enforced");
        assertEquals(false, ((Map<?, ?>)bus.getMetrics().get("maci")).get("enabled"));
    }

    @Test
    void rolesFromConfigurationAreAppliedAtRegistrationAndCannotBeOverridden()
    {
        final BusConfiguration.Builder b = config(NativeMode.OFF);
        assertEquals(2, MaciConfigLoader.fromMap(Map.of("enabled", true, "strict_mode", "yes", "default_role", "implementer",
            "agents", List.of(Map.of("agent_id", "judge", "role", "judicial", "capabilities", List.of("audit")),
                Map.of("agent_id", "exec", "role", "EXECUTIVE"))), b));
        bus = started(b.build());
        assertEquals(MaciRole.JUDICIAL, bus.registerAgent("judge", "judicial", Set.of(), TENANT, null).maciRole());
        assertEquals(MaciRole.IMPLEMENTER, bus.registerAgent("other", "w", Set.of(), TENANT, null).maciRole(), "the default role");
        assertEquals(MaciRole.EXECUTIVE, bus.registerAgent("exec", "validator", Set.of(), TENANT, MaciRole.EXECUTIVE).maciRole());
        assertThrows(ConfigurationException.class, () -> bus.registerAgent("exec", "w", Set.of(), TENANT, MaciRole.JUDICIAL),
            "a configured role cannot be replaced at registration");
        assertEquals(MaciRole.EXECUTIVE, bus.getAgentInfo("exec").maciRole(), "the refused registration changed nothing");
        bus.registerAgent("sink", "w", Set.of(), TENANT, MaciRole.MONITOR);
        assertTrue(bus.maci().strictMode());
        assertEquals(RejectReason.MACI_ROLE_VIOLATION, send(bus, validate("exec", "x-1", "target_agent_id", "other")).rejectReason());
    }

    @Test
    void configurationFromJsonYamlAndTheEnvironment(@TempDir final Path dir) throws Exception
    {
        final Path json = dir.resolve("maci.json");
        Files.writeString(json, """
            {"strict_mode": false, "agents": {"a1": "auditor"}, "message_types": {"command": "enforce_control"}}
            """);
        final BusConfiguration.Builder b1 = BusConfiguration.builder();
        assertEquals(1, MaciConfigLoader.fromFile(json, b1));
        final BusConfiguration c1 = b1.build();
        assertFalse(c1.maciStrictMode());
        assertEquals(Map.of("a1", MaciRole.AUDITOR), c1.maciAgentRoles());
        assertEquals(Map.of(MessageType.COMMAND, MaciAction.ENFORCE_CONTROL), c1.maciTypeActions());

        final Path yaml = dir.resolve("maci.yaml");
        Files.writeString(yaml, """
            maci:
              enabled: true
              default_role: monitor
              agents:
                - agent_id: j1
                  role: judicial
            """);
        final BusConfiguration.Builder b2 = BusConfiguration.builder();
        assertEquals(1, MaciConfigLoader.fromFile(yaml, b2));
        final BusConfiguration c2 = b2.build();
        assertTrue(c2.enableMaci());
        assertEquals(MaciRole.MONITOR, c2.maciDefaultRole());
        assertEquals(Map.of("j1", MaciRole.JUDICIAL), c2.maciAgentRoles());

        final Map<String, String> env = new HashMap<>(Map.of("ENABLE_MACI", "1", "MACI_STRICT_MODE", "false", "MACI_DEFAULT_ROLE", "executive",
            "MACI_AGENT_JUDGE_1", "judicial", "MACI_AGENT_JUDGE_1_CAPABILITIES", "audit,review", "PATH", "/bin"));
        final BusConfiguration c3 = BusConfiguration.fromEnvironment(env);
        assertTrue(c3.enableMaci());
        assertFalse(c3.maciStrictMode());
        assertEquals(MaciRole.EXECUTIVE, c3.maciDefaultRole());
        assertEquals(Map.of("judge_1", MaciRole.JUDICIAL), c3.maciAgentRoles());
        final BusConfiguration.Builder b4 = BusConfiguration.builder();
        assertEquals(1, MaciConfigLoader.fromEnvironment(env, b4));
        assertEquals(c3.maciAgentRoles(), b4.build().maciAgentRoles());

        final Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "agents: {x: emperor}\n");
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> MaciConfigLoader.fromFile(bad, BusConfiguration.builder()));
        assertTrue(e.getMessage().contains("emperor"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> MaciConfigLoader.fromMap(Map.of("strict", true), BusConfiguration.builder()),
            "unknown keys are refused");
        assertThrows(ConfigurationException.class, () -> BusConfiguration.fromEnvironment(Map.of("MACI_AGENT_X", "king")));
    }

    @Test
    void aConfiguredTypeMappingIsEnforcedByBothValidators()
    {
        for (final NativeMode mode : new NativeMode[] {NativeMode.REQUIRED, NativeMode.OFF})
        {
            bus = started(config(mode).enableMaci(true).maciTypeAction(MessageType.COMMAND, MaciAction.ENFORCE_CONTROL).build());
            bus.registerAgent("ctl", "w", Set.of(), TENANT, MaciRole.CONTROLLER);
            bus.registerAgent("exec", "w", Set.of(), TENANT, MaciRole.EXECUTIVE);
            bus.registerAgent("sink", "w", Set.of(), TENANT, MaciRole.MONITOR);
            assertTrue(send(bus, message("ctl", MessageType.COMMAND, "c-1", Map.of("c", "x"))).isValid());
            assertRejected(send(bus, message("exec", MessageType.COMMAND, "c-2", Map.of("c", "x"))), RejectReason.MACI_ROLE_VIOLATION,
                "Agent 'exec' (executive) cannot perform 'enforce_control' - allowed roles: controller");
            bus.close();
            bus = null;
        }
    }

    @Test
    void anOutputClaimedByTwoAgentsCannotBeValidatedByEither()
    {
        start(NativeMode.REQUIRED, true);
        assertTrue(send(bus, message("impl", MessageType.TASK_REQUEST, "dup", Map.of("t", "x"))).isValid());
        // A judge sending a message with the same id makes the id's producer ambiguous: fail closed.
        assertTrue(send(bus, message("judge", MessageType.QUERY, "dup", Map.of("q", "x"))).isValid());
        assertNull(bus.maci().producerOf("dup"));
        assertEquals(RejectReason.MACI_SELF_VALIDATION, send(bus, validate("judge", "v-1", "target_output_id", "dup")).rejectReason());
        assertEquals(RejectReason.MACI_SELF_VALIDATION, send(bus, validate("judge2", "v-2", "target_output_id", "dup")).rejectReason());
        final List<String> texts = new ArrayList<>();
        bus.maci().validationLog().forEach(e -> texts.add(e.message()));
        assertEquals(2, texts.size());
    }
}
