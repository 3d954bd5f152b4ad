package dev.eab.core.resilience;

/**
 * A recovery task's state (reference §4.2), all seven used: IDLE (no task, or a task being created),
 * SCHEDULED, IN_PROGRESS, SUCCEEDED, FAILED (attempts exhausted), CANCELLED, AWAITING_MANUAL (a MANUAL task
 * waiting for an operator).
 */
public enum RecoveryState
{
    IDLE, SCHEDULED, IN_PROGRESS, SUCCEEDED, FAILED, CANCELLED, AWAITING_MANUAL;

    /** @return true for the states a task ends in */
    public boolean terminal()
    {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
