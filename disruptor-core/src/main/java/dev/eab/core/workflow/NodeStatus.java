package dev.eab.core.workflow;

/** Where a DAG node ended up in a run. */
public enum NodeStatus
{
    /** Its action returned. */
    SUCCEEDED,
    /** Its action threw or timed out. */
    FAILED,
    /** Never run: a dependency (direct or not) failed or was skipped, or the run was interrupted first. */
    SKIPPED,
    /** Succeeded, then compensated when the run failed. */
    COMPENSATED,
    /** Succeeded; its compensation failed all its attempts. */
    COMPENSATION_FAILED
}
