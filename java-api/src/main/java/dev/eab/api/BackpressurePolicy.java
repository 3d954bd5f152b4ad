package dev.eab.api;

/** What happens when the ring or an inbox is full. Nothing is ever dropped silently. */
public enum BackpressurePolicy
{
    /** The caller gets {@code BackpressureException} (or {@code tryPublish} returns false). */
    REJECT,
    /** The caller waits for space. */
    BLOCK
}
