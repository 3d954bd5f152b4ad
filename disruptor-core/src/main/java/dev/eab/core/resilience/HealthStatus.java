package dev.eab.core.resilience;

/** The bus's overall health (reference §4.1): HEALTHY ≥ 0.7, DEGRADED ≥ 0.5, else CRITICAL (thresholds configurable). */
public enum HealthStatus
{
    HEALTHY, DEGRADED, CRITICAL, UNKNOWN
}
