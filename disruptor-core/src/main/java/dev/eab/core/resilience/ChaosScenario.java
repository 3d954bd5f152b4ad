package dev.eab.core.resilience;

import dev.eab.api.Constitution;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One chaos scenario (reference §4.3), validated when built: duration capped at {@value #MAX_DURATION_S} s and
 * delay at {@value #MAX_LATENCY_MS} ms (capped with a warning, as the original), error rate and resource level in
 * [0, 1] (refused with the original's texts), blast radius defaulting to {@code {target}} and refused when it leaves
 * the target out (the original accepted that and then spared the target). The constitutional hash is checked by the
 * {@link ChaosEngine} against the bus's, as are unique names.
 *
 * <p>What {@code target} and {@code blastRadius} name depends on the type: fault points ({@link FaultPoint} labels)
 * for LATENCY, ERROR and TIMEOUT; breaker names for CIRCUIT_BREAKER; for RESOURCE_EXHAUSTION {@code ring},
 * {@code memory} or {@code inbox:<agent id>}; for NETWORK_PARTITION one side of the partition as selectors
 * ({@code tenant:<id>}, {@code agent:<id>} or a bare agent id), {@code otherSide} the other (empty: the rest of
 * the bus, so the side is cut off from the bus, which every message crosses); {@code clock} for CLOCK_SKEW.
 *
 * @param delayMs latency or timeout per hit (LATENCY, TIMEOUT); the skew for CLOCK_SKEW (± 1 day)
 * @param memoryBudgetBytes the budget a {@code memory} exhaustion consumes {@code resourceLevel} of
 */
public record ChaosScenario(
    String name, ChaosType type, String target, long delayMs, double errorRate, double resourceLevel, double durationS,
    Set<String> blastRadius, Set<String> otherSide, long memoryBudgetBytes, String constitutionalHash)
{
    /** Longest scenario, seconds. */
    public static final double MAX_DURATION_S = 300.0;
    /** Largest injected latency, ms. */
    public static final long MAX_LATENCY_MS = 5000;
    /** Largest error rate. */
    public static final double MAX_ERROR_RATE = 1.0;
    /** Largest clock skew, ms. */
    public static final long MAX_CLOCK_SKEW_MS = 86_400_000L;
    /** The default memory budget of a {@code memory} exhaustion. */
    public static final long DEFAULT_MEMORY_BUDGET_BYTES = 64L << 20;
    /** The default duration, seconds. */
    public static final double DEFAULT_DURATION_S = 10.0;
    private static final Logger LOG = Logger.getLogger(ChaosScenario.class.getName());

    public ChaosScenario
    {
        if (name == null || name.isBlank())
        {
            throw new IllegalArgumentException("scenario name must not be blank");
        }
        Objects.requireNonNull(type, "type");
        if (target == null || target.isBlank())
        {
            throw new IllegalArgumentException("scenario target must not be blank");
        }
        if (!(durationS > 0))
        {
            throw new IllegalArgumentException("duration_s must be > 0, got " + durationS);
        }
        if (durationS > MAX_DURATION_S)
        {
            BreakerRegistry.warn(LOG, "ChaosScenario '" + name + "': duration " + durationS + "s capped to " + MAX_DURATION_S + "s");
            durationS = MAX_DURATION_S;
        }
        if (type == ChaosType.CLOCK_SKEW)
        {
            if (Math.abs(delayMs) > MAX_CLOCK_SKEW_MS)
            {
                throw new IllegalArgumentException("clock skew must be within ±" + MAX_CLOCK_SKEW_MS + " ms, got " + delayMs);
            }
        }
        else
        {
            if (delayMs < 0)
            {
                throw new IllegalArgumentException("delay_ms must be >= 0, got " + delayMs);
            }
            if (delayMs > MAX_LATENCY_MS)
            {
                BreakerRegistry.warn(LOG, "ChaosScenario '" + name + "': delay " + delayMs + "ms capped to " + MAX_LATENCY_MS + "ms");
                delayMs = MAX_LATENCY_MS;
            }
        }
        if (!(errorRate >= 0.0 && errorRate <= MAX_ERROR_RATE))
        {
            throw new IllegalArgumentException("error_rate must be between 0.0 and 1.0");
        }
        if (!(resourceLevel >= 0.0 && resourceLevel <= 1.0))
        {
            throw new IllegalArgumentException("resource_level must be between 0.0 and 1.0, got " + resourceLevel);
        }
        if (memoryBudgetBytes < 0)
        {
            throw new IllegalArgumentException("memory budget must be >= 0, got " + memoryBudgetBytes);
        }
        if (blastRadius == null || blastRadius.isEmpty())
        {
            blastRadius = Set.of(target);
        }
        else if (!blastRadius.contains(target))
        {
            throw new IllegalArgumentException("blast_radius " + blastRadius + " must include the target '" + target + "'");
        }
        blastRadius = Set.copyOf(blastRadius);
        otherSide = otherSide == null ? Set.of() : Set.copyOf(otherSide);
        constitutionalHash = constitutionalHash == null ? Constitution.HASH : constitutionalHash;
    }

    /** @return true when {@code t} is in the blast radius */
    public boolean isTargetAllowed(final String t)
    {
        return blastRadius.contains(t);
    }

    /** @return a builder for a scenario named {@code name} */
    public static Builder builder(final String name, final ChaosType type, final String target)
    {
        return new Builder(name, type, target);
    }

    /** {@code latency_<point>_<ms>ms}: every message waits {@code ms} at {@code point}. */
    public static ChaosScenario latency(final FaultPoint point, final long ms, final double durationS)
    {
        return builder("latency_" + point.label() + "_" + ms + "ms", ChaosType.LATENCY, point.label()).delayMs(ms).durationS(durationS).build();
    }

    /** {@code errors_<point>_<rate>}: {@code point} fails with probability {@code rate}. */
    public static ChaosScenario errors(final FaultPoint point, final double rate, final double durationS)
    {
        return builder("errors_" + point.label() + "_" + rate, ChaosType.ERROR, point.label()).errorRate(rate).durationS(durationS).build();
    }

    /** {@code timeout_<point>_<ms>ms}: {@code point} hangs {@code ms}, then fails as timed out. */
    public static ChaosScenario timeout(final FaultPoint point, final long ms, final double durationS)
    {
        return builder("timeout_" + point.label() + "_" + ms + "ms", ChaosType.TIMEOUT, point.label()).delayMs(ms).durationS(durationS).build();
    }

    /** {@code circuit_open_<breaker>}: the breaker is forced open. */
    public static ChaosScenario forceOpen(final String breaker, final double durationS)
    {
        return builder("circuit_open_" + breaker, ChaosType.CIRCUIT_BREAKER, breaker).durationS(durationS).build();
    }

    /** {@code resource_<resource>_<level>}: {@code level} of the resource is consumed. */
    public static ChaosScenario exhaust(final String resource, final double level, final double durationS)
    {
        return builder("resource_" + resource + "_" + level, ChaosType.RESOURCE_EXHAUSTION, resource).resourceLevel(level).durationS(durationS)
            .build();
    }

    /** {@code partition_<a>}: side {@code a} (selectors) cut off from {@code b} (empty: from the bus). */
    public static ChaosScenario partition(final Set<String> a, final Set<String> b, final double durationS)
    {
        // Sorted, so the same sides always give the same name.
        final String first = new java.util.TreeSet<>(a).first();
        return builder("partition_" + first + (b.isEmpty() ? "" : "_" + new java.util.TreeSet<>(b).first()), ChaosType.NETWORK_PARTITION, first)
            .blastRadius(a).otherSide(b).durationS(durationS).build();
    }

    /** {@code clock_skew_<ms>ms}: the validate stage's clock runs {@code ms} ahead. */
    public static ChaosScenario clockSkew(final long ms, final double durationS)
    {
        return builder("clock_skew_" + ms + "ms", ChaosType.CLOCK_SKEW, "clock").delayMs(ms).durationS(durationS).build();
    }

    /** Builds a {@link ChaosScenario}; the record validates. */
    public static final class Builder
    {
        private final String name;
        private final ChaosType type;
        private final String target;
        private long delayMs;
        private double errorRate;
        private double resourceLevel;
        private double durationS = DEFAULT_DURATION_S;
        private Set<String> blastRadius = Set.of();
        private Set<String> otherSide = Set.of();
        private long memoryBudgetBytes = DEFAULT_MEMORY_BUDGET_BYTES;
        private String constitutionalHash = Constitution.HASH;

        private Builder(final String name, final ChaosType type, final String target)
        {
            this.name = name;
            this.type = type;
            this.target = target == null ? null : target.trim();
        }

        public Builder delayMs(final long v) { delayMs = v; return this; }
        public Builder errorRate(final double v) { errorRate = v; return this; }
        public Builder resourceLevel(final double v) { resourceLevel = v; return this; }
        public Builder durationS(final double v) { durationS = v; return this; }
        public Builder blastRadius(final Set<String> v) { blastRadius = new LinkedHashSet<>(v); return this; }
        public Builder otherSide(final Set<String> v) { otherSide = new LinkedHashSet<>(v); return this; }
        public Builder memoryBudgetBytes(final long v) { memoryBudgetBytes = v; return this; }
        public Builder constitutionalHash(final String v) { constitutionalHash = v; return this; }

        public ChaosScenario build()
        {
            return new ChaosScenario(name, type, target, delayMs, errorRate, resourceLevel, durationS, blastRadius, otherSide, memoryBudgetBytes,
                constitutionalHash);
        }
    }
}
