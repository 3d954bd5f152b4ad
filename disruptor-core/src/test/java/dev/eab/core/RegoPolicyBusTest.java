package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MaciRole;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RegoFallback;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.api.exception.PolicyEvaluationException;
import dev.eab.core.validate.RegoFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Rego policies on the real bus: a bundle directory on disk, the native regorus engine, messages through the
 * ring. The policy ({@link RegoFixtures#ALLOW_POLICY}) allows command/query/event from senders holding a MACI role,
 * except senders in {@code data.blocked_senders} (mallory) and recipients in {@code data.quarantined} (carol).
 */
class RegoPolicyBusTest
{
    private static final Map<String, Object> CONTENT = Map.of("action", "read", "path", "/reports/q3");

    @TempDir
    Path dir;
    private EnhancedAgentBus bus;

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private BusConfiguration.Builder rego(final boolean watch)
    {
        return config(NativeMode.AUTO).regoDir(RegoFixtures.bundle(dir)).regoWatch(watch);
    }

    private void agents()
    {
        bus.registerAgent("alice", "worker", Set.of(), "acme", MaciRole.EXECUTIVE);
        bus.registerAgent("mallory", "worker", Set.of(), "acme", MaciRole.EXECUTIVE);
        bus.registerAgent("dave", "worker", Set.of(), "acme", null);
        bus.registerAgent("bob", "worker", Set.of(), "acme", MaciRole.IMPLEMENTER);
        bus.registerAgent("carol", "worker", Set.of(), "acme", MaciRole.IMPLEMENTER);
    }

    private ValidationResult send(final String from, final String to, final MessageType type)
    {
        return BusFixtures.send(bus, AgentMessage.builder().fromAgent(from).toAgent(to).tenantId("acme").messageType(type).content(CONTENT).build());
    }

    @Test
    void allowAndDenyEachCarryThePolicyVersionAndTheConstitutionalHash()
    {
        bus = started(rego(false).build());
        agents();
        final String version = bus.rego().activeVersion();
        assertEquals(16, version.length());

        final ValidationResult allowed = send("alice", "bob", MessageType.QUERY);
        assertTrue(allowed.isValid(), allowed.toString());
        assertEquals(version, allowed.metadata().get("rego_policy_version"));
        assertEquals(bus.configuration().constitutionalHash(), allowed.constitutionalHash());

        final ValidationResult denied = send("alice", "bob", MessageType.TASK_REQUEST);
        assertFalse(denied.isValid());
        assertEquals(RejectReason.REGO_DENIED, denied.rejectReason());
        assertEquals("rego_denied", denied.metadata().get("rejection_reason"));
        assertEquals(version, denied.metadata().get("rego_policy_version"));
        assertEquals(bus.configuration().constitutionalHash(), denied.constitutionalHash());
        assertEquals("Policy denied task_request from 'alice' to 'bob': Rego rule data.eab.allow is not true for this input", denied.errors().get(0));

        assertEquals(1, bus.metrics().rejected(RejectReason.REGO_DENIED));
        assertEquals(1, bus.metrics().regoAllowed());
        assertEquals(1, bus.metrics().regoDenied());
        final Map<?, ?> policy = (Map<?, ?>)bus.getMetrics().get("rego_policy");
        assertEquals(version, policy.get("active_version"));
        assertEquals(1L, ((Map<?, ?>)bus.getMetrics().get("rego")).get("denied"));
    }

    /** The original's cache keyed on content only, so one sender's ALLOW served another's identical message. */
    @Test
    void twoSendersWithTheSameContentGetTheirOwnDecisions()
    {
        bus = started(rego(false).build());
        agents();
        // Both orders, each twice: the second of each pair is a cache hit and must keep its own sender's answer.
        assertTrue(send("alice", "bob", MessageType.COMMAND).isValid());
        assertEquals(RejectReason.REGO_DENIED, send("mallory", "bob", MessageType.COMMAND).rejectReason());
        assertEquals(RejectReason.REGO_DENIED, send("mallory", "bob", MessageType.QUERY).rejectReason());
        assertTrue(send("alice", "bob", MessageType.QUERY).isValid());
        final long missesBefore = bus.metrics().regoCacheMisses();
        assertEquals(4, missesBefore, "four different inputs");
        assertTrue(send("alice", "bob", MessageType.COMMAND).isValid());
        assertEquals(RejectReason.REGO_DENIED, send("mallory", "bob", MessageType.COMMAND).rejectReason());
        assertTrue(send("alice", "bob", MessageType.QUERY).isValid());
        assertEquals(RejectReason.REGO_DENIED, send("mallory", "bob", MessageType.QUERY).rejectReason());
        assertEquals(4, bus.metrics().regoCacheHits());
        assertEquals(missesBefore, bus.metrics().regoCacheMisses());
        // The recipient is in the key too: the same sender and content to a quarantined recipient.
        assertEquals(RejectReason.REGO_DENIED, send("alice", "carol", MessageType.COMMAND).rejectReason());
    }

    @Test
    void theSendersRoleIsPartOfTheDecisionAndOfTheCacheKey()
    {
        bus = started(rego(false).build());
        agents();
        assertEquals(RejectReason.REGO_DENIED, send("dave", "bob", MessageType.QUERY).rejectReason(), "no role: denied");
        bus.registerAgent("dave", "worker", Set.of(), "acme", MaciRole.MONITOR);
        assertTrue(send("dave", "bob", MessageType.QUERY).isValid(), "same sender, same content, now with a role");
    }

    @Test
    void reloadChangesTheVersionAndTheDecisionsAtAMessageBoundary() throws Exception
    {
        bus = started(rego(false).build());
        agents();
        final String v1 = bus.rego().activeVersion();
        assertEquals(RejectReason.REGO_DENIED, send("alice", "bob", MessageType.TASK_REQUEST).rejectReason());
        assertTrue(send("alice", "bob", MessageType.COMMAND).isValid());

        Files.writeString(dir.resolve("allow.rego"), RegoFixtures.ALLOW_POLICY.replace("{\"command\", \"query\", \"event\"}", "{\"task_request\"}"));
        final String v2 = bus.reloadRegoPolicies();
        assertNotEquals(v1, v2);
        assertEquals(v2, bus.rego().latestVersion());

        final ValidationResult now = send("alice", "bob", MessageType.TASK_REQUEST);
        assertTrue(now.isValid(), "the new bundle decides: " + now);
        assertEquals(v2, now.metadata().get("rego_policy_version"));
        assertEquals(v2, bus.rego().activeVersion(), "the bus switched at the message boundary");
        // The old bundle's cached ALLOW for this exact input is not reused: the generation is in the key.
        final ValidationResult command = send("alice", "bob", MessageType.COMMAND);
        assertEquals(RejectReason.REGO_DENIED, command.rejectReason());
        assertEquals(v2, command.metadata().get("rego_policy_version"));
        assertEquals(1, bus.metrics().regoReloads());
    }

    @Test
    void aBadReloadIsRefusedWithFileAndLineAndTheRunningBundleStays() throws Exception
    {
        bus = started(rego(false).build());
        agents();
        final String v1 = bus.rego().activeVersion();
        Files.writeString(dir.resolve("broken.rego"), "package eab\n\nimport rego.v1\n\nallow if {\n    input.sender ==\n}\n");
        final PolicyEvaluationException e = assertThrows(PolicyEvaluationException.class, bus::reloadRegoPolicies);
        assertTrue(e.policyPath().startsWith("broken.rego:7:"), e.policyPath());
        assertEquals(1, bus.metrics().regoReloadFailures());
        assertEquals(v1, bus.rego().latestVersion());
        final ValidationResult r = send("alice", "bob", MessageType.QUERY);
        assertTrue(r.isValid());
        assertEquals(v1, r.metadata().get("rego_policy_version"));
    }

    @Test
    void aFileChangeIsPickedUpByTheWatcher() throws Exception
    {
        bus = started(rego(true).build());
        agents();
        final String v1 = bus.rego().activeVersion();
        assertEquals(RejectReason.REGO_DENIED, send("mallory", "bob", MessageType.QUERY).rejectReason());
        Files.writeString(dir.resolve("data.json"), "{\"blocked_senders\": {}, \"quarantined\": {\"carol\": true}}");
        await(() -> !v1.equals(bus.rego().latestVersion()), "the watcher reloads the changed bundle");
        final ValidationResult r = send("mallory", "bob", MessageType.QUERY);
        assertTrue(r.isValid(), r.toString());
        assertNotEquals(v1, r.metadata().get("rego_policy_version"));
    }

    /** A rule that yields a non-boolean for some inputs: those messages fail closed, are counted, and are never cached. */
    @Test
    void anEvaluationErrorFailsClosedAndIsNeverCached()
    {
        final String policy = """
            package eab

            import rego.v1

            default allow := false

            allow := true if input.sender == "alice"

            allow := "maybe" if input.sender == "mallory"
            """;
        bus = started(config(NativeMode.AUTO).regoDir(RegoFixtures.bundle(dir, policy, null)).regoWatch(false).build());
        agents();
        for (int i = 0; i < 2; i++)
        {
            final ValidationResult r = send("mallory", "bob", MessageType.QUERY);
            assertEquals(RejectReason.VALIDATOR_ERROR, r.rejectReason());
            assertTrue(r.errors().get(0).contains("did not evaluate to a boolean"), r.errors().get(0));
            assertEquals(bus.rego().activeVersion(), r.metadata().get("rego_policy_version"));
        }
        assertEquals(2, bus.metrics().regoErrors());
        assertEquals(0, bus.metrics().regoCacheHits(), "an error is never cached");
        // The rego_policy breaker saw them (its state is in health); decisions, allow or deny, are successes.
        final io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
            bus.breakers().get(dev.eab.core.resilience.BreakerRegistry.REGO_POLICY);
        assertEquals(2, breaker.getMetrics().getNumberOfFailedCalls());
        assertTrue(bus.health().health().breakerStates().containsKey(dev.eab.core.resilience.BreakerRegistry.REGO_POLICY));
        assertTrue(send("alice", "bob", MessageType.QUERY).isValid());
        assertEquals(RejectReason.REGO_DENIED, send("dave", "bob", MessageType.QUERY).rejectReason(), "undefined is the default: false");
    }

    @Test
    void aBundleThatDoesNotCompileFailsStartUpNamingFileAndLine() throws Exception
    {
        RegoFixtures.bundle(dir);
        Files.writeString(dir.resolve("zz.rego"), "package eab\n\nimport rego.v1\n\nallow if input.sender = = \"x\"\n");
        final ConfigurationException e = assertThrows(ConfigurationException.class,
            () -> new EnhancedAgentBus(config(NativeMode.AUTO).regoDir(dir).build()));
        assertTrue(e.getMessage().contains("'rego_dir'"), e.getMessage());
        assertTrue(e.getMessage().contains("zz.rego:5:"), e.getMessage());

        Files.delete(dir.resolve("zz.rego"));
        Files.writeString(dir.resolve("data.json"), "{\"blocked_senders\": [1,}");
        final ConfigurationException d = assertThrows(ConfigurationException.class,
            () -> new EnhancedAgentBus(config(NativeMode.AUTO).regoDir(dir).build()));
        assertTrue(d.getMessage().contains("data.json:1:"), d.getMessage());
    }

    @Test
    void regoWithoutTheNativeLibraryRefusesToStartUnlessAFallbackIsChosen()
    {
        // Native mode OFF means no native code at all: Rego cannot evaluate.
        final BusConfiguration off = config(NativeMode.OFF).regoDir(RegoFixtures.bundle(dir)).build();
        final ConfigurationException e = assertThrows(ConfigurationException.class, () -> new EnhancedAgentBus(off));
        assertTrue(e.getMessage().contains("'rego_dir'") && e.getMessage().contains("cannot be evaluated"), e.getMessage());

        bus = started(off.withRegoFallback(RegoFallback.DENY_ALL));
        agents();
        final ValidationResult r = send("alice", "bob", MessageType.QUERY);
        assertEquals(RejectReason.REGO_DENIED, r.rejectReason());
        assertEquals("deny-all", r.metadata().get("rego_policy_version"));
        assertTrue(r.errors().get(0).contains("rego_fallback=deny-all"), r.errors().get(0));
        bus.close();

        bus = started(off.withRegoFallback(RegoFallback.ALLOW_ALL));
        agents();
        assertNull(bus.rego(), "allow-all skips the Rego step");
        final ValidationResult ok = send("mallory", "bob", MessageType.QUERY);
        assertTrue(ok.isValid());
        assertNull(ok.metadata().get("rego_policy_version"));
    }

    /** A real missing library: a child JVM whose native library path names no file. */
    @Test
    void aMissingNativeLibraryFailsStartUpInAFreshJvm(@TempDir final Path work) throws Exception
    {
        final Path output = work.resolve("child.out");
        final Process child = ChildJvm.start(RegoMissingNativeChild.class, output, RegoFixtures.bundle(dir).toString(),
            work.resolve("no-such-lib.so").toString());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "hang guard");
        final String out = Files.readString(output);
        assertEquals(RegoMissingNativeChild.REFUSED_EXIT, child.exitValue(), out);
        assertTrue(out.contains("'rego_dir'") && out.contains("cannot be loaded"), out);
    }

    @Test
    void flyweightMessagesAreDecidedAndCachedWithoutAnyText()
    {
        bus = started(rego(false).build());
        agents();
        final int bob = bus.registry().byId("bob").handle();
        final int carol = bus.registry().byId("carol").handle();
        bus.subscribe("bob", v -> { }, DeliveryMode.INLINE);
        final Map<Long, RejectReason> rejected = new ConcurrentHashMap<>();
        final Set<Long> delivered = ConcurrentHashMap.newKeySet();
        final MessagePublisher pub = bus.publisher("alice", new OutcomeListener()
        {
            @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.add(correlationId); }
            @Override public void onRejected(final long correlationId, final RejectReason reason) { rejected.put(correlationId, reason); }
            @Override public void onHandlerFailed(final long correlationId, final Throwable error) { }
        });
        final byte[] payload = "hello".getBytes();
        for (long i = 0; i < 10; i++)
        {
            while (!pub.tryPublish((i & 1) == 0 ? bob : carol, MessageType.EVENT, i, payload, 0, payload.length))
            {
                Thread.onSpinWait();
            }
        }
        await(() -> delivered.size() + rejected.size() == 10, "all ten decided");
        assertEquals(5, delivered.size());
        assertEquals(5, rejected.size());
        rejected.values().forEach(r -> assertEquals(RejectReason.REGO_DENIED, r));
        assertEquals(2, bus.metrics().regoCacheMisses(), "one evaluation per distinct input");
        assertEquals(8, bus.metrics().regoCacheHits());
    }

    @Test
    void broadcastIsDecidedPerRecipient()
    {
        bus = started(rego(false).build());
        agents();
        final Map<String, ValidationResult> results = get(bus.broadcast(
            AgentMessage.builder().fromAgent("alice").tenantId("acme").messageType(MessageType.EVENT).content(CONTENT).build()));
        assertTrue(results.get("bob").isValid());
        assertEquals(RejectReason.REGO_DENIED, results.get("carol").rejectReason());
        assertEquals(bus.rego().activeVersion(), results.get("carol").metadata().get("rego_policy_version"));
    }
}
