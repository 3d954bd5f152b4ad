package dev.eab.core.demo;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.ValidationResult;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.resilience.BreakerRegistry;
import dev.eab.core.resilience.ChaosScenario;
import dev.eab.core.resilience.FaultPoint;
import dev.eab.core.resilience.HealthSnapshot;
import dev.eab.core.resilience.HealthStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The demo's short chaos drill, on the demo's own bus, in a tenant of its own: (1) every native call fails (validator
 * and scanner) while valid, bad-hash and injection messages flow: the composite chain rides it out on the Java twins,
 * the breakers open, and the recovery orchestrator closes them once the fault is gone; (2) the native validator's
 * breaker is forced open and released, and the recovery orchestrator heals it. The recipient checks every delivery:
 * anything delivered that was sent invalid is an unvalidated delivery, which must stay 0 (a self-check).
 */
final class ChaosDemoStep
{
    private static final String TENANT = "chaos-demo";
    private static final String SENDER = "chaos-demo-sender";
    private static final String RECIPIENT = "chaos-demo-recipient";
    private static final int VALID_PER_PHASE = 60;
    private static final int INVALID_PER_PHASE = 12;
    private static final long HEAL_GUARD_MS = 20_000;
    private static final double FORCED_OPEN_S = 1.5;

    private final EnhancedAgentBus bus;
    private final Set<String> invalidIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong unvalidated = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long validDelivered;
    private long invalidRejected;
    private int scenarios;

    private ChaosDemoStep(final EnhancedAgentBus bus)
    {
        this.bus = bus;
    }

    /** Runs the drill on {@code bus} (started); never throws for a drill failure: it is reported as a failed self-check. */
    static ChaosDemoStep run(final EnhancedAgentBus bus)
    {
        final ChaosDemoStep step = new ChaosDemoStep(bus);
        try
        {
            step.drill();
        }
        catch (final Exception e)
        {
            step.failures.add("chaos drill: " + dev.eab.api.exception.ThrowableText.describe(e));
        }
        finally
        {
            bus.chaos().deactivateAll();
        }
        return step;
    }

    private void drill() throws Exception
    {
        bus.registerAgent(SENDER, "chaos-demo", Set.of(), TENANT, null);
        bus.registerAgent(RECIPIENT, "chaos-demo", Set.of(), TENANT, null);
        bus.subscribe(RECIPIENT, v -> {
            delivered.incrementAndGet();
            if (invalidIds.contains(v.toMessage().messageId()))
            {
                unvalidated.incrementAndGet();
            }
        }, DeliveryMode.INLINE);
        final boolean nativeLoaded = bus.breakers().get(BreakerRegistry.NATIVE_VALIDATOR) != null;

        // 1. A native-validator (and scanner) fault the composite chain rides out.
        bus.chaos().activate(ChaosScenario.builder("demo_native_fault", dev.eab.core.resilience.ChaosType.ERROR, FaultPoint.NATIVE_CALL.label())
            .errorRate(1.0).durationS(60).build());
        scenarios++;
        traffic("native fault");
        final HealthSnapshot duringFault = bus.health().health();
        bus.chaos().deactivate("demo_native_fault");
        if (nativeLoaded)
        {
            if (duringFault.status() == HealthStatus.HEALTHY)
            {
                failures.add("chaos drill: the native fault did not show in health (" + duringFault.breakerStates() + ")");
            }
            notes.add("native fault: health " + duringFault.status() + " " + score(duringFault) + ", Java twins decided");
            awaitHealthy("the recovery after the native fault");
        }
        else
        {
            notes.add("native fault: no native library loaded, nothing to fail over");
        }

        // 2. A forced-open breaker the recovery orchestrator heals.
        final String breaker = nativeLoaded ? BreakerRegistry.NATIVE_VALIDATOR : bus.breakers().states().keySet().stream().findFirst().orElse(null);
        if (breaker != null)
        {
            bus.chaos().activate(ChaosScenario.forceOpen(breaker, FORCED_OPEN_S));
            scenarios++;
            traffic("forced-open " + breaker);
            final HealthSnapshot forced = bus.health().health();
            awaitUntil(() -> !bus.chaos().isActive("circuit_open_" + breaker), "the forced-open scenario to end");
            final long healedMs = awaitHealthy("the recovery of " + breaker);
            notes.add(String.format(Locale.ROOT, "forced-open %s: health %s %s, healed by recovery %,d ms after the force was lifted", breaker,
                forced.status(), score(forced), healedMs));
        }
        else
        {
            notes.add("forced-open breaker: no breaker registered (native off, journal off)");
        }
    }

    /** Sends valid and invalid (bad-hash) messages; valid ones must be delivered, invalid ones rejected. */
    private void traffic(final String phase) throws Exception
    {
        final List<CompletableFuture<ValidationResult>> valid = new ArrayList<>();
        final List<CompletableFuture<ValidationResult>> invalid = new ArrayList<>();
        for (int i = 0; i < VALID_PER_PHASE + INVALID_PER_PHASE; i++)
        {
            final boolean bad = i % ((VALID_PER_PHASE + INVALID_PER_PHASE) / INVALID_PER_PHASE) == 0;
            final AgentMessage.Builder b = AgentMessage.builder().fromAgent(SENDER).toAgent(RECIPIENT).tenantId(TENANT).messageType(MessageType.QUERY)
                .content(Map.of("phase", phase, "n", i));
            if (bad)
            {
                b.constitutionalHash("0000000000000000");
            }
            final AgentMessage m = b.build();
            if (bad)
            {
                invalidIds.add(m.messageId());
                invalid.add(bus.send(m));
            }
            else
            {
                valid.add(bus.send(m));
            }
        }
        for (final CompletableFuture<ValidationResult> f : valid)
        {
            final ValidationResult r = f.get(10, TimeUnit.SECONDS);
            if (r.isValid() && r.status() == MessageStatus.DELIVERED)
            {
                validDelivered++;
            }
            else
            {
                failures.add("chaos drill (" + phase + "): a valid message was not delivered: " + r.errors());
            }
        }
        for (final CompletableFuture<ValidationResult> f : invalid)
        {
            if (!f.get(10, TimeUnit.SECONDS).isValid())
            {
                invalidRejected++;
            }
        }
    }

    private long awaitHealthy(final String what)
    {
        final long t0 = System.nanoTime();
        awaitUntil(() -> bus.health().health().status() == HealthStatus.HEALTHY, what);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private void awaitUntil(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEAL_GUARD_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                failures.add("chaos drill: " + what + " did not happen within " + HEAL_GUARD_MS + " ms");
                return;
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String score(final HealthSnapshot s)
    {
        return String.format(Locale.ROOT, "%.3f", s.score());
    }

    /** Adds the drill's rows and JSON keys ({@code health}, {@code chaos}) to the demo report, its failures to the self-checks. */
    void report(final DemoReport report, final List<String> demoFailures)
    {
        if (unvalidated.get() != 0)
        {
            failures.add("chaos drill: " + unvalidated.get() + " unvalidated deliveries");
        }
        demoFailures.addAll(failures);
        final HealthSnapshot h = bus.health().health();
        report.row("chaos drill", String.join("; ", notes) + String.format(Locale.ROOT,
            "; %d valid delivered, %d invalid rejected, %d unvalidated deliveries", validDelivered, invalidRejected, unvalidated.get()));
        report.row("health", h.status() + " " + score(h) + " " + h.breakerStates());
        final Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", h.status().name());
        health.put("score", Math.round(h.score() * 1000) / 1000.0);
        report.put("health", health);
        final Map<String, Object> chaos = new LinkedHashMap<>();
        chaos.put("scenarios", scenarios);
        chaos.put("unvalidated_deliveries", unvalidated.get());
        chaos.put("valid_delivered", validDelivered);
        chaos.put("invalid_rejected", invalidRejected);
        chaos.put("native_faults", bus.chaos().metrics().get("total_native_faults"));
        chaos.put("recoveries", bus.resilience().recovery().status().get("succeeded"));
        report.put("chaos", chaos);
    }
}
