package dev.eab.core.resilience;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The named fire drills of {@code ./eab chaos <drill>} and {@code POST /admin/chaos/drills/<drill>}: each is one or
 * more {@link ChaosScenario}s named {@code drill_<drill>}, with parameters from the request (defaults in brackets).
 */
public final class ChaosDrills
{
    /** A drill's default duration, seconds. */
    public static final double DEFAULT_DURATION_S = 10.0;
    /** The tenant the drill's own probe traffic runs in ({@link DrillTraffic}). */
    public static final String DRILL_TENANT = "chaos-drill";

    private record Drill(String description, BiFunction<Double, Map<String, String>, List<ChaosScenario>> scenarios)
    {
    }

    private static final Map<String, Drill> DRILLS = new LinkedHashMap<>();

    static
    {
        DRILLS.put("native-fault", new Drill("every native call fails (validator and scanner): the Java twins decide, both breakers open, recovery "
            + "closes them after", (d, p) -> List.of(ChaosScenario.builder("drill_native-fault", ChaosType.ERROR, "native_call")
            .errorRate(num(p, "rate", 1.0)).durationS(d).build())));
        DRILLS.put("breaker-open", new Drill("a breaker forced open [breaker=native_validator]; the recovery orchestrator heals it after",
            (d, p) -> List.of(ChaosScenario.builder("drill_breaker-open", ChaosType.CIRCUIT_BREAKER, p.getOrDefault("breaker",
                BreakerRegistry.NATIVE_VALIDATOR)).durationS(d).build())));
        DRILLS.put("validation-latency", new Drill("every validation waits [ms=5]", (d, p) -> List.of(ChaosScenario.builder(
            "drill_validation-latency", ChaosType.LATENCY, "validation").delayMs((long)num(p, "ms", 5)).durationS(d).build())));
        DRILLS.put("validation-errors", new Drill("validation fails [rate=0.2] of messages: each is rejected, fail closed",
            (d, p) -> List.of(ChaosScenario.builder("drill_validation-errors", ChaosType.ERROR, "validation").errorRate(num(p, "rate", 0.2))
                .durationS(d).build())));
        DRILLS.put("routing-errors", new Drill("routing fails [rate=0.2] of messages: rejected and recorded refused",
            (d, p) -> List.of(ChaosScenario.builder("drill_routing-errors", ChaosType.ERROR, "routing").errorRate(num(p, "rate", 0.2))
                .durationS(d).build())));
        DRILLS.put("handler-timeout", new Drill("every hand-over to a handler times out after [ms=50]: deliveries fail, senders are told",
            (d, p) -> List.of(ChaosScenario.builder("drill_handler-timeout", ChaosType.TIMEOUT, "handler_delivery").delayMs((long)num(p, "ms", 50))
                .durationS(d).build())));
        DRILLS.put("journal-fault", new Drill("journal appends fail [rate=0.5]: those messages are rejected, never delivered unjournaled",
            (d, p) -> List.of(ChaosScenario.builder("drill_journal-fault", ChaosType.ERROR, "journal_append").errorRate(num(p, "rate", 0.5))
                .durationS(d).build())));
        DRILLS.put("ring-exhaustion", new Drill("[level=0.9] of the ring is taken and the consumer held: backpressure, then everything drains",
            (d, p) -> List.of(ChaosScenario.builder("drill_ring-exhaustion", ChaosType.RESOURCE_EXHAUSTION, "ring").resourceLevel(num(p, "level", 0.9))
                .durationS(d).build())));
        DRILLS.put("inbox-exhaustion", new Drill("[level=0.9] of an agent's inbox is taken [agent=the drill's probe receiver]",
            (d, p) -> List.of(ChaosScenario.builder("drill_inbox-exhaustion", ChaosType.RESOURCE_EXHAUSTION, "inbox:" + p.getOrDefault("agent",
                DrillTraffic.RECEIVER)).resourceLevel(num(p, "level", 0.9)).durationS(d).build())));
        DRILLS.put("memory-pressure", new Drill("[level=0.5] of a [budget_mb=64] memory budget is allocated and held",
            (d, p) -> List.of(ChaosScenario.builder("drill_memory-pressure", ChaosType.RESOURCE_EXHAUSTION, "memory").resourceLevel(num(p, "level", 0.5))
                .memoryBudgetBytes((long)num(p, "budget_mb", 64) << 20).durationS(d).build())));
        DRILLS.put("partition", new Drill("[side=tenant:" + DRILL_TENANT + "] is cut off from [other=the rest of the bus]",
            (d, p) -> List.of(ChaosScenario.builder("drill_partition", ChaosType.NETWORK_PARTITION, p.getOrDefault("side", "tenant:" + DRILL_TENANT))
                .otherSide(p.containsKey("other") ? Set.of(p.get("other").split(",")) : Set.of()).durationS(d).build())));
        DRILLS.put("clock-skew", new Drill("the validation clock runs [ms=3600000] ahead: messages expiring sooner are refused",
            (d, p) -> List.of(ChaosScenario.builder("drill_clock-skew", ChaosType.CLOCK_SKEW, "clock").delayMs((long)num(p, "ms", 3_600_000))
                .durationS(d).build())));
    }

    private ChaosDrills()
    {
    }

    /** @return every drill's name and description, in a stable order */
    public static Map<String, String> descriptions()
    {
        final Map<String, String> out = new LinkedHashMap<>();
        DRILLS.forEach((name, drill) -> out.put(name, drill.description()));
        return out;
    }

    /**
     * @return the scenarios of drill {@code name}
     * @throws IllegalArgumentException for an unknown drill or a bad parameter
     */
    public static List<ChaosScenario> scenarios(final String name, final double durationS, final Map<String, String> params)
    {
        final Drill drill = DRILLS.get(name);
        if (drill == null)
        {
            throw new IllegalArgumentException("unknown drill '" + name + "'; drills: " + DRILLS.keySet());
        }
        return drill.scenarios().apply(durationS, params);
    }

    private static double num(final Map<String, String> params, final String key, final double dflt)
    {
        final String v = params.get(key);
        if (v == null)
        {
            return dflt;
        }
        try
        {
            return Double.parseDouble(v);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("drill parameter " + key + " must be a number, not '" + v + "'");
        }
    }
}
