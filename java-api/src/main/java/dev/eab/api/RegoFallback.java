package dev.eab.api;

import java.util.Locale;

/**
 * What the bus does when Rego policies are configured ({@link BusConfiguration#regoDir()}) but the native
 * library that evaluates them cannot load. The default fails start-up: a bus that was told to enforce policies
 * and cannot must not run as if it had none.
 */
public enum RegoFallback
{
    /** Refuse to build the bus ({@code ConfigurationException} naming {@code rego_dir}). The default: fail closed. */
    FAIL,
    /** Build the bus and reject every message that reaches the Rego step ({@link RejectReason#REGO_DENIED}). */
    DENY_ALL,
    /** Build the bus and skip the Rego step (logged loudly at start-up): the compiled policy table still applies. */
    ALLOW_ALL;

    /** @return the value as written in configuration: {@code fail}, {@code deny-all}, {@code allow-all}. */
    public String value()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
