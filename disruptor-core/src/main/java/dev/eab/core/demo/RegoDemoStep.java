package dev.eab.core.demo;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.validate.NativeRegoEngine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The demo's Rego step: writes a small policy bundle to {@code ./data/demo/rego} (real files), runs a bus of its own
 * with it (so the main demo's traffic and latency figures stay as they were), sends demo traffic whose decisions
 * are known in advance (allowed by role and type, denied for a blocked sender, a quarantined recipient, a sender with
 * no MACI role, a task type the policy does not allow), repeats it to show the decision cache, then reloads the
 * bundle with a changed data document and shows the version and one decision change. Reports
 * {@code "rego_decisions"} and friends for the JSON summary, and a self-check failure when a decision differs from
 * the expected one. Skipped (and said so) when the native library is unavailable: Rego needs it.
 */
public final class RegoDemoStep
{
    /** Where the demo bundle is written. */
    public static final Path BUNDLE_DIR = Path.of("data", "demo", "rego");
    private static final String TENANT = "acme-trading";
    private static final int ROUNDS = 50;
    static final String POLICY = """
        package eab

        import rego.v1

        # Demo policy: agents with a MACI role may command, query and send events, except blocked senders;
        # nobody writes to a quarantined agent; task requests need the executive role.
        default allow := false

        allow if {
            input.message_type in {"command", "query", "event"}
            input.sender_role != ""
            not data.blocked_senders[input.sender]
            not data.quarantined[input.recipient]
        }

        allow if {
            input.message_type == "task_request"
            input.sender_role == "executive"
            not data.quarantined[input.recipient]
        }
        """;
    static final String DATA = "{\"blocked_senders\": {\"rogue-bot\": true}, \"quarantined\": {\"legacy-gateway\": true}}\n";
    static final String DATA_AFTER_RELOAD = "{\"blocked_senders\": {}, \"quarantined\": {\"legacy-gateway\": true}}\n";

    /** What the step did. */
    public record Result(boolean ran, String why, long decisions, long allowed, long denied, long cacheHits, long cacheMisses,
        String versionBefore, String versionAfter, String failure)
    {
        /** @return the demo table's line. */
        public String line()
        {
            if (!ran)
            {
                return "skipped: " + why;
            }
            return String.format(Locale.ROOT, "%,d decisions (%,d allowed, %,d denied), cache %,d hits / %,d misses; reload %s -> %s",
                decisions, allowed, denied, cacheHits, cacheMisses, versionBefore, versionAfter);
        }

        /** @return the JSON summary's keys. */
        public Map<String, Object> toMap()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("rego_decisions", decisions);
            if (ran)
            {
                m.put("rego_denied", denied);
                m.put("rego_cache_hits", cacheHits);
                m.put("rego_policy_version", versionAfter);
            }
            return m;
        }
    }

    private record Case(String from, String to, MessageType type, boolean allowed)
    {
    }

    private RegoDemoStep()
    {
    }

    /** Runs the step with the demo's configuration (native mode, constitutional hash) and its bundle in {@link #BUNDLE_DIR}. */
    public static Result run(final BusConfiguration demo)
    {
        return run(demo, BUNDLE_DIR);
    }

    /** Runs the step with its bundle written to {@code bundleDir}. */
    public static Result run(final BusConfiguration demo, final Path bundleDir)
    {
        if (!NativeRegoEngine.available() || demo.nativeMode() == dev.eab.api.NativeMode.OFF)
        {
            return new Result(false, "native library unavailable (Rego is evaluated by regorus through FFM)", 0, 0, 0, 0, 0, "", "", null);
        }
        try
        {
            write(bundleDir.resolve("demo.rego"), POLICY);
            write(bundleDir.resolve("data.json"), DATA);
        }
        catch (final IOException e)
        {
            return new Result(false, "cannot write " + bundleDir + ": " + e.getMessage(), 0, 0, 0, 0, 0, "", "", null);
        }
        final BusConfiguration config = demo.toBuilder().journalDir(null).regoDir(bundleDir).regoWatch(false).build();
        final List<Case> cases = List.of(
            new Case("planner", "executor", MessageType.COMMAND, true),
            new Case("planner", "executor", MessageType.TASK_REQUEST, true),
            new Case("analyst", "executor", MessageType.QUERY, true),
            new Case("analyst", "executor", MessageType.TASK_REQUEST, false),
            new Case("intern", "executor", MessageType.QUERY, false),
            new Case("rogue-bot", "executor", MessageType.EVENT, false),
            new Case("planner", "legacy-gateway", MessageType.COMMAND, false));
        String failure = null;
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
        {
            bus.start();
            bus.registerAgent("planner", "orchestrator", Set.of(), TENANT, MaciRole.EXECUTIVE);
            bus.registerAgent("analyst", "worker", Set.of(), TENANT, MaciRole.IMPLEMENTER);
            bus.registerAgent("intern", "worker", Set.of(), TENANT, null);
            bus.registerAgent("rogue-bot", "worker", Set.of(), TENANT, MaciRole.MONITOR);
            bus.registerAgent("executor", "worker", Set.of(), TENANT, MaciRole.IMPLEMENTER);
            bus.registerAgent("legacy-gateway", "worker", Set.of(), TENANT, MaciRole.IMPLEMENTER);
            final String before = bus.rego().activeVersion();
            for (int round = 0; round < ROUNDS && failure == null; round++)
            {
                for (final Case c : cases)
                {
                    failure = check(bus, c, round);
                    if (failure != null)
                    {
                        break;
                    }
                }
            }
            // Reload with rogue-bot unblocked: the version changes and so does its decision, from the next message on.
            write(bundleDir.resolve("data.json"), DATA_AFTER_RELOAD);
            final String after = bus.reloadRegoPolicies();
            if (failure == null)
            {
                failure = check(bus, new Case("rogue-bot", "executor", MessageType.EVENT, true), -1);
            }
            if (failure == null && before.equals(after))
            {
                failure = "rego: the reload did not change the policy version";
            }
            final var m = bus.metrics();
            return new Result(true, "", m.regoAllowed() + m.regoDenied(), m.regoAllowed(), m.regoDenied(), m.regoCacheHits(), m.regoCacheMisses(),
                before, after, failure);
        }
        catch (final RuntimeException | IOException e)
        {
            return new Result(false, "failed: " + ThrowableText.message(e), 0, 0, 0, 0, 0, "", "", "rego: " + ThrowableText.message(e));
        }
        finally
        {
            try
            {
                // Leave the bundle as the demo started with it, so a second run decides the same way.
                write(bundleDir.resolve("data.json"), DATA);
            }
            catch (final IOException e)
            {
                // the next run rewrites it anyway
            }
        }
    }

    private static String check(final EnhancedAgentBus bus, final Case c, final int round)
    {
        final AgentMessage m = AgentMessage.builder().fromAgent(c.from()).toAgent(c.to()).tenantId(TENANT).messageType(c.type())
            .content(Map.of("action", c.type().value(), "ref", "demo-" + c.from())).build();
        final ValidationResult r;
        try
        {
            r = bus.send(m).get(10, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            return "rego: " + c + " did not complete: " + ThrowableText.message(e);
        }
        if (r.isValid() != c.allowed())
        {
            return "rego: " + c + (round < 0 ? " after reload" : "") + " was " + (r.isValid() ? "allowed" : "denied (" + r.errors() + ")");
        }
        return null;
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
