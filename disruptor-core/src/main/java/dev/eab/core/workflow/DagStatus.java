package dev.eab.core.workflow;

/** How a DAG run ended. */
public enum DagStatus
{
    /** Every node succeeded. */
    SUCCEEDED,
    /** A node failed (its dependents were skipped; the rest ran); no compensation was asked for. */
    FAILED,
    /** A node failed and every succeeded node with a compensation was compensated. */
    COMPENSATED,
    /** A node failed and at least one compensation failed all its attempts. */
    PARTIALLY_COMPENSATED
}
