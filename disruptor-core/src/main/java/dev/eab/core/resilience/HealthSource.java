package dev.eab.core.resilience;

/** Where the ops surface (health endpoints, metrics) reads the bus's health from; any thread, never blocks. */
public interface HealthSource
{
    /** @return the current health */
    HealthSnapshot health();
}
