package dev.eab.core.resilience;

import dev.eab.api.exception.ThrowableText;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The bus's circuit breakers by service name (resilience4j), with the original's per-service trip rules
 * ({@link BreakerDefaults}, reference §4.5). One registry per bus, not a process-wide singleton, so two buses in
 * one JVM (tests, the demo) never share a breaker.
 *
 * <p>A layer registers its breaker with one line when it is built, and guards its fallible call with a
 * {@link BreakerGuard} (a volatile state read per call; outcomes reported on failure, successes batched):
 * <pre>{@code BreakerGuard guard = new BreakerGuard(bus.breakers().register(BreakerRegistry.JOURNAL, probe));}</pre>
 * {@code probe} tells the {@link RecoveryOrchestrator} whether the service works again (null: no probe; the
 * breaker then heals through its own half-open state only).
 *
 * <p>Listeners hear every state transition, on the thread that caused it (possibly the bus thread), so they must
 * not block: the health aggregator and the recovery orchestrator hand the event to their own threads.
 * Thread-safe.
 */
public final class BreakerRegistry
{
    /** The native validator (Rust, {@code eab_validate}); falls back to the Java twin while open. */
    public static final String NATIVE_VALIDATOR = "native_validator";
    /** The native content scanner (Rust, {@code eab_guard_scan}); falls back to the Java twin while open. */
    public static final String CONTENT_SCANNER = "content_scanner";
    /** The write-ahead journal's appender. */
    public static final String JOURNAL = "journal";
    /** The Rego policy strategy (regorus). */
    public static final String REGO_POLICY = "rego_policy";
    /** The hash-chained audit sink. */
    public static final String AUDIT_SINK = "audit_sink";
    /** The deliberation layer (high-impact messages held for votes or a human). */
    public static final String DELIBERATION_LAYER = "deliberation_layer";

    private static final Logger LOG = Logger.getLogger(BreakerRegistry.class.getName());

    /** Hears a breaker change state. Called on the thread that caused the change: never block. */
    @FunctionalInterface
    public interface Listener
    {
        void onTransition(String service, BreakerState from, BreakerState to);
    }

    private record Entry(CircuitBreaker breaker, BooleanSupplier probe)
    {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * The resilience4j configuration of a pybreaker rule: a count window of {@code failureThreshold} calls, all of
     * which must fail (100%), so it opens after that many consecutive reported failures; one probe call while
     * half-open (a success closes it, a failure opens it again), as pybreaker does.
     */
    public static CircuitBreakerConfig configOf(final BreakerDefaults defaults)
    {
        return CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(defaults.failureThreshold())
            .minimumNumberOfCalls(defaults.failureThreshold())
            .failureRateThreshold(100.0f)
            .waitDurationInOpenState(defaults.resetTimeout())
            .permittedNumberOfCallsInHalfOpenState(1)
            .build();
    }

    /**
     * The breaker of {@code service}, created with its defaults the first time it is named.
     *
     * @return the breaker (the same instance for the same name)
     */
    public CircuitBreaker breaker(final String service)
    {
        return register(service, null);
    }

    /**
     * Registers {@code service} with its defaults and a recovery probe (the first registration's breaker and probe
     * win; a later call returns the existing breaker).
     *
     * @param probe true when the service works again (called by the recovery orchestrator, off the bus thread), or null
     */
    public CircuitBreaker register(final String service, final BooleanSupplier probe)
    {
        Objects.requireNonNull(service, "service");
        return entries.computeIfAbsent(service, s -> attach(s, CircuitBreaker.of("eab-" + s, configOf(BreakerDefaults.forService(s))), probe))
            .breaker();
    }

    /**
     * Registers a breaker built elsewhere (its own trip rule) under {@code service}.
     *
     * @throws IllegalStateException when the name is taken by another breaker
     */
    public CircuitBreaker register(final String service, final CircuitBreaker breaker, final BooleanSupplier probe)
    {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(breaker, "breaker");
        final Entry e = entries.computeIfAbsent(service, s -> attach(s, breaker, probe));
        if (e.breaker() != breaker)
        {
            throw new IllegalStateException("a breaker is already registered as '" + service + "'");
        }
        return breaker;
    }

    private Entry attach(final String service, final CircuitBreaker breaker, final BooleanSupplier probe)
    {
        breaker.getEventPublisher().onStateTransition(event -> fire(service,
            BreakerState.of(event.getStateTransition().getFromState()), BreakerState.of(event.getStateTransition().getToState())));
        return new Entry(breaker, probe);
    }

    private void fire(final String service, final BreakerState from, final BreakerState to)
    {
        if (from == to)
        {
            return;
        }
        for (final Listener l : listeners)
        {
            try
            {
                l.onTransition(service, from, to);
            }
            catch (final Throwable t)
            {
                // A listener must never break the call that changed the state (possibly a message on the bus thread).
                warn(LOG, "breaker listener failed on " + service + " " + from + "→" + to + ": " + ThrowableText.describe(t));
            }
        }
    }

    /** Logs a warning; never throws (a logging handler may; the caller may be the bus thread). */
    static void warn(final Logger log, final String text)
    {
        try
        {
            log.warning(text);
        }
        catch (final Throwable ignored)
        {
            // Nowhere else to report it.
        }
    }

    /** Sets (or replaces) the recovery probe of a registered service: for a probe built after its breaker. */
    public void setProbe(final String service, final BooleanSupplier probe)
    {
        entries.computeIfPresent(service, (s, e) -> new Entry(e.breaker(), probe));
    }

    /** @return the breaker registered as {@code service}, or null */
    public CircuitBreaker get(final String service)
    {
        final Entry e = entries.get(service);
        return e == null ? null : e.breaker();
    }

    /** @return the probe registered with {@code service}, or null */
    public BooleanSupplier probe(final String service)
    {
        final Entry e = entries.get(service);
        return e == null ? null : e.probe();
    }

    /** @return every breaker's state, sorted by service name (a copy) */
    public Map<String, BreakerState> states()
    {
        final Map<String, BreakerState> out = new TreeMap<>();
        entries.forEach((name, e) -> out.put(name, BreakerState.of(e.breaker().getState())));
        return out;
    }

    /** @return how many breakers are registered */
    public int size()
    {
        return entries.size();
    }

    /** Adds a transition listener (see {@link Listener}: never block). */
    public void addListener(final Listener listener)
    {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
