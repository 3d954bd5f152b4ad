package dev.eab.api;

/**
 * The governance decision on a message. It always agrees with validity: a valid result is
 * {@link #ALLOW} (or {@link #HOLD} when held for deliberation), an invalid one is {@link #DENY}.
 */
public enum Decision
{
    ALLOW,
    DENY,
    HOLD
}
