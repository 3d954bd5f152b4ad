package dev.eab.core.validate;

import dev.eab.api.MessageType;
import dev.eab.api.exception.PolicyEvaluationException;
import dev.eab.api.exception.PolicyNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.eab.api.MessageType.*;
import static dev.eab.core.validate.PolicyTable.EFFECT_ALLOW;
import static dev.eab.core.validate.PolicyTable.EFFECT_DENY;
import static org.junit.jupiter.api.Assertions.*;

class PolicyCompilerTest
{
    static final String SOURCE = "test-policy.yaml";

    static PolicyTable compile(final String yaml)
    {
        return PolicyCompiler.compile(yaml, SOURCE);
    }

    /** Compiling must fail with a PolicyEvaluationException naming the source and containing every fragment. */
    static PolicyEvaluationException rejects(final String yaml, final String... fragments)
    {
        final PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> compile(yaml), () -> "accepted:\n" + yaml);
        assertEquals(SOURCE, e.policyPath());
        for (final String f : fragments)
        {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    static String names(final String prefix, final int from, final int to)
    {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).collect(Collectors.joining(", ", "[", "]"));
    }

    // ------------------------------------------------------------------ the embedded default policy

    @Test
    void defaultPolicyLoadsAndBehavesAsCommented()
    {
        final PolicyTable p = PolicyCompiler.load(null);
        assertEquals("2026-11-26.1", p.version());
        assertEquals(EFFECT_ALLOW, p.defaultEffect(), "default: allow");
        assertEquals(List.of("governors-propose", "nobody-else-proposes", "validators-validate", "nobody-else-validates", "sandbox-read-only"),
            p.ruleNames());
        final long governance = p.capabilityMask(List.of("governance"));
        assertNotEquals(0, governance);
        final int worker = p.senderTypeId("worker");
        final int validator = p.senderTypeId("validator");
        final int judicial = p.senderTypeId("judicial");
        final int sandboxed = p.senderTypeId("sandboxed");
        assertEquals(-1, worker, "worker is not named by the default policy");
        assertTrue(validator >= 0 && judicial >= 0 && sandboxed >= 0);

        // "Only agents holding the 'governance' capability may open governance requests."
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, worker, GOVERNANCE_REQUEST.ordinal(), governance));
        assertEquals(0, p.firstMatch(-1, worker, GOVERNANCE_REQUEST.ordinal(), governance));
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, validator, GOVERNANCE_REQUEST.ordinal(), governance | p.capabilityMask(List.of("x"))));
        assertEquals(EFFECT_DENY, p.evaluate(-1, worker, GOVERNANCE_REQUEST.ordinal(), 0));
        assertEquals(1, p.firstMatch(-1, worker, GOVERNANCE_REQUEST.ordinal(), 0));
        assertEquals(EFFECT_DENY, p.evaluate(-1, validator, GOVERNANCE_REQUEST.ordinal(), 0));
        assertEquals(EFFECT_DENY, p.evaluate(-1, worker, GOVERNANCE_REQUEST.ordinal(), p.capabilityMask(List.of("governance-lite", "admin"))));
        // governance responses are not governance requests
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, worker, GOVERNANCE_RESPONSE.ordinal(), 0));

        // "Constitutional validation requests come from validators only."
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, validator, CONSTITUTIONAL_VALIDATION.ordinal(), 0));
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, judicial, CONSTITUTIONAL_VALIDATION.ordinal(), 0));
        assertEquals(2, p.firstMatch(-1, judicial, CONSTITUTIONAL_VALIDATION.ordinal(), 0));
        assertEquals(EFFECT_DENY, p.evaluate(-1, worker, CONSTITUTIONAL_VALIDATION.ordinal(), governance));
        assertEquals(EFFECT_DENY, p.evaluate(-1, sandboxed, CONSTITUTIONAL_VALIDATION.ordinal(), 0));
        assertEquals(3, p.firstMatch(-1, worker, CONSTITUTIONAL_VALIDATION.ordinal(), 0));

        // "Sandboxed agents may only query and answer."
        for (final MessageType t : List.of(COMMAND, TASK_REQUEST, GOVERNANCE_RESPONSE, AUDIT_LOG))
        {
            assertEquals(EFFECT_DENY, p.evaluate(-1, sandboxed, t.ordinal(), 0), "sandboxed " + t);
            assertEquals(4, p.firstMatch(-1, sandboxed, t.ordinal(), 0), "sandboxed " + t);
            assertEquals(EFFECT_ALLOW, p.evaluate(-1, worker, t.ordinal(), 0), "worker " + t);
        }
        for (final MessageType t : List.of(QUERY, RESPONSE, TASK_RESPONSE))
        {
            assertEquals(EFFECT_ALLOW, p.evaluate(-1, sandboxed, t.ordinal(), 0), "sandboxed " + t);
        }
        // everything else: default allow
        for (final MessageType t : MessageType.values())
        {
            if (t != GOVERNANCE_REQUEST && t != CONSTITUTIONAL_VALIDATION)
            {
                assertEquals(EFFECT_ALLOW, p.evaluate(-1, worker, t.ordinal(), 0), "worker " + t);
                assertEquals(-1, p.firstMatch(-1, worker, t.ordinal(), 0), "worker " + t);
            }
        }
        // the same as load of the resource by name
        assertEquals(p.toString(), PolicyCompiler.load(null).toString());
        assertNotNull(PolicyCompiler.class.getResource(PolicyCompiler.DEFAULT_POLICY_RESOURCE));
    }

    // ------------------------------------------------------------------ rejection

    @Test
    void unknownKeysAreRejectedNamingTheRule()
    {
        rejects("rules:\n  - name: typo\n    effect: deny\n    tenant: [acme]\n", "rule 'typo'", "unknown key 'tenant'");
        rejects("rules:\n  - name: typo2\n    effect: deny\n    capabilities: [x]\n", "rule 'typo2'", "unknown key 'capabilities'");
        rejects("version: 1\ndefault: allow\npolicy: x\nrules: []\n", "unknown key 'policy'");
        rejects("rules:\n  - effect: deny\n    messagetypes: [command]\n", "rule 'rule-0'", "unknown key 'messagetypes'");
    }

    @Test
    void unknownEffectsAreRejected()
    {
        rejects("rules:\n  - name: permissive\n    effect: permit\n", "rule 'permissive'", "effect must be allow or deny", "permit");
        rejects("rules:\n  - name: no-effect\n    message_types: [command]\n", "rule 'no-effect'", "'effect'", "required");
        rejects("rules:\n  - name: bool\n    effect: true\n", "rule 'bool'", "effect must be allow or deny");
        rejects("default: maybe\nrules: []\n", "default", "maybe");
        assertEquals(EFFECT_DENY, compile("default: DENY\n").defaultEffect());
        assertEquals(EFFECT_DENY, compile("rules:\n  - name: x\n    effect: ' Deny '\n").effect(0));
        assertEquals(EFFECT_ALLOW, compile("version: 3\n").defaultEffect(), "no default means allow");
    }

    @Test
    void unknownMessageTypesAreRejected()
    {
        final PolicyEvaluationException e = rejects("rules:\n  - name: gossip-rule\n    effect: deny\n    message_types: [command, gossip]\n",
            "rule 'gossip-rule'", "gossip");
        assertTrue(e.getMessage().contains("governance_request") || e.getMessage().contains("GOVERNANCE_REQUEST"), "lists the accepted types: " + e.getMessage());
        // wire values and enum names both work, case-insensitively
        final PolicyTable p = compile("rules:\n  - name: t\n    effect: deny\n    message_types: [GOVERNANCE_REQUEST, Heartbeat, audit_log]\n");
        assertEquals((1 << GOVERNANCE_REQUEST.ordinal()) | (1 << HEARTBEAT.ordinal()) | (1 << AUDIT_LOG.ordinal()), p.messageTypeMask(0));
    }

    @Test
    void emptyListsAreRejected()
    {
        for (final String key : List.of("tenants", "sender_types", "message_types", "required_capabilities"))
        {
            rejects("rules:\n  - name: empty-" + key + "\n    effect: allow\n    " + key + ": []\n", "rule 'empty-" + key + "'", key, "empty");
        }
    }

    @Test
    void keysWithoutValueAreRejected()
    {
        // 'tenants:' with nothing after it is YAML null; silently reading it as "any tenant" widens an allow rule
        for (final String key : List.of("tenants", "sender_types", "message_types", "required_capabilities"))
        {
            rejects("rules:\n  - name: null-" + key + "\n    effect: allow\n    " + key + ":\n", "rule 'null-" + key + "'", key);
            rejects("rules:\n  - name: tilde-" + key + "\n    effect: allow\n    " + key + ": ~\n", "rule 'tilde-" + key + "'", key);
        }
        rejects("default:\nrules: []\n", "default");
    }

    @Test
    void nonListValuesAreRejected()
    {
        rejects("rules:\n  - name: scalar-tenants\n    effect: deny\n    tenants: acme\n", "rule 'scalar-tenants'", "tenants", "must be a list");
        rejects("rules:\n  - name: scalar-types\n    effect: deny\n    message_types: command\n", "rule 'scalar-types'", "message_types", "must be a list");
        rejects("rules:\n  - name: map-senders\n    effect: deny\n    sender_types: {a: b}\n", "rule 'map-senders'", "sender_types", "must be a list");
        rejects("rules:\n  - name: scalar-caps\n    effect: deny\n    required_capabilities: governance\n", "rule 'scalar-caps'", "required_capabilities", "must be a list");
        rejects("rules:\n  - name: number-caps\n    effect: deny\n    required_capabilities: 3\n", "rule 'number-caps'", "must be a list");
        rejects("rules: {name: x, effect: deny}\n", "rules", "must be a list");
        rejects("rules:\n  - just-a-string\n", "rule #0", "must be a map");
        rejects("- a\n- b\n", "must be a map");
        rejects("rules: [\n", "not valid YAML");
    }

    // ------------------------------------------------------------------ vocabulary limits

    @Test
    void moreThan64DistinctNamesAreRejected()
    {
        // 64 distinct tenants across two rules: fine
        final PolicyTable ok = compile("rules:\n  - name: a\n    effect: deny\n    tenants: " + names("t", 0, 40) +
            "\n  - name: b\n    effect: allow\n    tenants: " + names("t", 30, 64) + "\n");
        assertEquals(63, ok.tenantId("t63"));
        assertEquals(1L << 63 | ((1L << 34) - 1) << 30, ok.tenantMask(1));
        // the 65th distinct tenant, in a later rule: rejected naming that rule
        rejects("rules:\n  - name: a\n    effect: deny\n    tenants: " + names("t", 0, 40) +
            "\n  - name: too-many\n    effect: allow\n    tenants: " + names("t", 30, 65) + "\n", "rule 'too-many'", "more than 64", "tenants");
        // duplicates and case variants do not count twice (tenants are lowercased)
        final PolicyTable dup = compile("rules:\n  - name: a\n    effect: deny\n    tenants: [ACME, acme, ' Acme ']\n" +
            "  - name: b\n    effect: deny\n    tenants: " + names("t", 0, 63) + "\n");
        assertEquals(0, dup.tenantId("acme"));
        assertEquals(1L, dup.tenantMask(0));
        rejects("rules:\n  - name: senders\n    effect: deny\n    sender_types: " + names("s", 0, 65) + "\n", "rule 'senders'", "more than 64", "sender_types");
        rejects("rules:\n  - name: caps\n    effect: deny\n    required_capabilities: " + names("c", 0, 65) + "\n", "rule 'caps'", "more than 64",
            "required_capabilities");
        // 64 capabilities in one rule is a real condition: the sender must hold all 64 (bit 63 is the sign bit)
        final PolicyTable caps = compile("rules:\n  - name: all-caps\n    effect: allow\n    required_capabilities: " + names("c", 0, 64) + "\n");
        assertEquals(-1L, caps.requiredCapabilities(0));
        assertEquals(0, caps.firstMatch(-1, -1, 0, -1L));
        assertEquals(-1, caps.firstMatch(-1, -1, 0, Long.MAX_VALUE));
    }

    /**
     * A tenant (or sender-type) mask with all 64 bits set is EAB_ANY, which also matches unnamed (-1) and
     * out-of-range ids. A rule that lists 64 tenants by name must not silently become "any tenant".
     */
    @Test
    void listingAll64NamesDoesNotMeanAny()
    {
        for (final String key : List.of("tenants", "sender_types"))
        {
            final String prefix = key.equals("tenants") ? "t" : "s";
            final String yaml = "default: deny\nrules:\n  - name: named-only\n    effect: allow\n    " + key + ": " + names(prefix, 0, 64) + "\n";
            final PolicyTable p;
            try
            {
                p = compile(yaml);
            }
            catch (final PolicyEvaluationException e)
            {
                assertTrue(e.getMessage().contains("rule 'named-only'"), e.getMessage());
                continue; // refusing such a rule is acceptable
            }
            for (final int unnamed : new int[] {-1, -2, 64, 70})
            {
                final int tenant = key.equals("tenants") ? unnamed : 0;
                final int type = key.equals("tenants") ? 0 : unnamed;
                assertEquals(EFFECT_DENY, p.evaluate(tenant, type, 0, 0), key + ": id " + unnamed + " is not one of the 64 listed names");
            }
        }
    }

    // ------------------------------------------------------------------ evaluation semantics

    @Test
    void firstMatchWins()
    {
        final String allowFirst = """
            default: deny
            rules:
              - name: allow-commands
                effect: allow
                message_types: [command]
              - name: deny-acme
                effect: deny
                tenants: [acme]
            """;
        final PolicyTable a = compile(allowFirst);
        final int acme = a.tenantId("acme");
        assertEquals(EFFECT_ALLOW, a.evaluate(acme, -1, COMMAND.ordinal(), 0));
        assertEquals(0, a.firstMatch(acme, -1, COMMAND.ordinal(), 0));
        assertEquals(EFFECT_DENY, a.evaluate(acme, -1, QUERY.ordinal(), 0));
        assertEquals(1, a.firstMatch(acme, -1, QUERY.ordinal(), 0));
        assertEquals(EFFECT_DENY, a.evaluate(-1, -1, QUERY.ordinal(), 0), "default deny");
        assertEquals(-1, a.firstMatch(-1, -1, QUERY.ordinal(), 0));

        final String denyFirst = """
            default: allow
            rules:
              - name: deny-acme
                effect: deny
                tenants: [acme]
              - name: allow-commands
                effect: allow
                message_types: [command]
            """;
        final PolicyTable d = compile(denyFirst);
        assertEquals(EFFECT_DENY, d.evaluate(d.tenantId("acme"), -1, COMMAND.ordinal(), 0));
        assertEquals(0, d.firstMatch(d.tenantId("acme"), -1, COMMAND.ordinal(), 0));
        assertEquals(EFFECT_ALLOW, d.evaluate(d.tenantId("globex"), -1, COMMAND.ordinal(), 0));
        assertEquals(1, d.firstMatch(-1, -1, COMMAND.ordinal(), 0));
        assertEquals("deny-acme (deny)", d.describe(0));
    }

    @Test
    void requiredCapabilitiesMeanAllOfThem()
    {
        final PolicyTable p = compile("""
            default: deny
            rules:
              - name: needs-both
                effect: allow
                required_capabilities: [read, write]
              - name: needs-admin
                effect: allow
                message_types: [audit_log]
                required_capabilities: [admin]
              - name: anyone-heartbeats
                effect: allow
                message_types: [heartbeat]
            """);
        final long read = p.capabilityMask(List.of("read"));
        final long write = p.capabilityMask(List.of("write"));
        final long admin = p.capabilityMask(List.of("admin"));
        assertEquals(1L, read);
        assertEquals(2L, write);
        assertEquals(4L, admin);
        assertEquals(3L, p.requiredCapabilities(0));
        assertEquals(0L, p.requiredCapabilities(2), "no required_capabilities = no condition");
        final int cmd = COMMAND.ordinal();
        assertEquals(EFFECT_DENY, p.evaluate(-1, -1, cmd, 0));
        assertEquals(EFFECT_DENY, p.evaluate(-1, -1, cmd, read), "read alone is not enough");
        assertEquals(EFFECT_DENY, p.evaluate(-1, -1, cmd, write));
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, -1, cmd, read | write));
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, -1, cmd, read | write | admin), "extra capabilities do not hurt");
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, -1, cmd, p.capabilityMask(List.of("write", "read", "unknown-cap"))));
        assertEquals(EFFECT_DENY, p.evaluate(-1, -1, AUDIT_LOG.ordinal(), read));
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, -1, AUDIT_LOG.ordinal(), admin));
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, -1, HEARTBEAT.ordinal(), 0));
        assertEquals(0L, p.capabilityMask(List.of("unknown-cap")), "capabilities the policy does not name are ignored");
    }

    @Test
    void absentDimensionsMeanAnyIncludingUnnamed()
    {
        final PolicyTable p = compile("default: deny\nrules:\n  - name: all\n    effect: allow\n");
        assertEquals(PolicyTable.ANY, p.tenantMask(0));
        assertEquals(PolicyTable.ANY, p.senderTypeMask(0));
        assertEquals(PolicyTable.ANY_MESSAGE_TYPE, p.messageTypeMask(0));
        for (final int id : new int[] {-2, -1, 0, 63, 64, Integer.MAX_VALUE})
        {
            assertEquals(EFFECT_ALLOW, p.evaluate(id, id, id, 0));
        }
        // a named tenant list never matches an unnamed tenant
        final PolicyTable named = compile("default: deny\nrules:\n  - name: acme\n    effect: allow\n    tenants: [acme]\n");
        assertEquals(EFFECT_ALLOW, named.evaluate(named.tenantId("acme"), -1, 0, 0));
        assertEquals(EFFECT_DENY, named.evaluate(named.tenantId("globex"), -1, 0, 0));
        assertEquals(-1, named.tenantId(null));
    }

    @Test
    void ruleNamesDefaultToTheirIndex()
    {
        final PolicyTable p = compile("rules:\n  - effect: deny\n  - name: second\n    effect: allow\n");
        assertEquals(List.of("rule-0", "second"), p.ruleNames());
        assertEquals("unversioned", p.version());
    }

    // ------------------------------------------------------------------ files

    @Test
    void missingFileIsPolicyNotFound(@TempDir final Path dir)
    {
        final Path missing = dir.resolve("nope.yaml");
        final PolicyNotFoundException e = assertThrows(PolicyNotFoundException.class, () -> PolicyCompiler.load(missing));
        assertEquals(missing.toString(), e.policyPath());
        assertThrows(PolicyNotFoundException.class, () -> PolicyCompiler.load(dir), "a directory is not a policy file");
    }

    @Test
    void fileIsLoadedAndErrorsNameIt(@TempDir final Path dir) throws IOException
    {
        final Path good = Files.writeString(dir.resolve("good.yaml"), "version: v7\ndefault: deny\nrules:\n  - name: hb\n    effect: allow\n    message_types: [heartbeat]\n");
        final PolicyTable p = PolicyCompiler.load(good);
        assertEquals("v7", p.version());
        assertEquals(EFFECT_ALLOW, p.evaluate(-1, -1, HEARTBEAT.ordinal(), 0));
        assertEquals(EFFECT_DENY, p.evaluate(-1, -1, COMMAND.ordinal(), 0));
        final Path bad = Files.writeString(dir.resolve("bad.yaml"), "rules:\n  - name: oops\n    effect: allow\n    message_types: [nope]\n");
        final PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, () -> PolicyCompiler.load(bad));
        assertEquals(bad.toString(), e.policyPath());
        assertTrue(e.getMessage().contains("rule 'oops'"), e.getMessage());
    }
}
