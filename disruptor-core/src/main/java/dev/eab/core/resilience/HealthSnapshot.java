package dev.eab.core.resilience;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One immutable reading of the bus's health: what the health endpoints, the metrics and the demo show.
 *
 * @param status           the overall status
 * @param score            (closed + 0.5 × half-open) / total breakers, 1.0 with none
 * @param degradedServices services whose breaker is half-open
 * @param criticalServices services whose breaker is open
 * @param breakerStates    every breaker's state by service name (CLOSED, OPEN, HALF_OPEN, ...), sorted by name
 * @param at               when it was taken
 */
public record HealthSnapshot(
    HealthStatus status,
    double score,
    List<String> degradedServices,
    List<String> criticalServices,
    Map<String, String> breakerStates,
    Instant at)
{
}
