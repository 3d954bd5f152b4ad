package dev.eab.core.ops;

import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.resilience.HealthSnapshot;
import dev.eab.core.resilience.HealthSource;
import dev.eab.core.resilience.HealthStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The health the bus itself knows, until the health aggregator (resilience) replaces it: the bus thread as a
 * service ({@code bus}: closed while running, open when stopped or its thread died) and the native validator's
 * real resilience4j breaker (while native is in play). Score = (closed + 0.5 × half-open) / services, HEALTHY ≥ 0.7,
 * DEGRADED ≥ 0.5, else CRITICAL (reference §4.1); a bus that is not running is CRITICAL whatever the score.
 * Any thread; reads volatile state only.
 */
public final class BusHealthSource implements HealthSource
{
    public static final double HEALTHY_THRESHOLD = 0.7;
    public static final double DEGRADED_THRESHOLD = 0.5;
    public static final String BUS_SERVICE = "bus";
    public static final String NATIVE_VALIDATOR_SERVICE = "native_validator";

    private final EnhancedAgentBus bus;

    public BusHealthSource(final EnhancedAgentBus bus)
    {
        this.bus = bus;
    }

    @Override
    public HealthSnapshot health()
    {
        final Map<String, String> states = new TreeMap<>();
        final boolean running = bus.isRunning() && bus.failure() == null;
        states.put(BUS_SERVICE, running ? "CLOSED" : "OPEN");
        final CircuitBreaker breaker = bus.validator().breaker();
        final CircuitBreaker.State state = breaker.getState();
        if ("native".equals(bus.validator().name()) || state != CircuitBreaker.State.CLOSED)
        {
            states.put(NATIVE_VALIDATOR_SERVICE, stateName(state));
        }
        return snapshot(states, running);
    }

    /** @return a snapshot scored from breaker states by the reference formula; {@code CRITICAL} when {@code !alive}. */
    public static HealthSnapshot snapshot(final Map<String, String> states, final boolean alive)
    {
        double closed = 0;
        double halfOpen = 0;
        final List<String> degraded = new ArrayList<>();
        final List<String> critical = new ArrayList<>();
        final Map<String, String> sorted = new TreeMap<>(states);
        for (final Map.Entry<String, String> e : sorted.entrySet())
        {
            switch (e.getValue())
            {
                case "CLOSED" -> closed++;
                case "HALF_OPEN" ->
                {
                    halfOpen++;
                    degraded.add(e.getKey());
                }
                default -> critical.add(e.getKey());
            }
        }
        final double score = states.isEmpty() ? 1.0 : (closed + 0.5 * halfOpen) / states.size();
        final HealthStatus status = !alive ? HealthStatus.CRITICAL
            : score >= HEALTHY_THRESHOLD ? HealthStatus.HEALTHY : score >= DEGRADED_THRESHOLD ? HealthStatus.DEGRADED : HealthStatus.CRITICAL;
        return new HealthSnapshot(status, score, List.copyOf(degraded), List.copyOf(critical), java.util.Collections.unmodifiableMap(sorted), Instant.now());
    }

    /** @return CLOSED, OPEN or HALF_OPEN for a resilience4j state (forced open counts as open; disabled as closed). */
    public static String stateName(final CircuitBreaker.State state)
    {
        return switch (state)
        {
            case CLOSED, DISABLED, METRICS_ONLY -> "CLOSED";
            case HALF_OPEN -> "HALF_OPEN";
            case OPEN, FORCED_OPEN -> "OPEN";
        };
    }
}
