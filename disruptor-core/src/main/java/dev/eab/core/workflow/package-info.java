/**
 * Workflows over the bus: sagas (ordered steps with LIFO compensation, journaled transition by transition
 * in their own Chronicle queue, resumable after a crash) and DAGs (nodes with dependencies, run
 * concurrently where independent, dependents of a failure skipped).
 *
 * <p>Entry points: {@link dev.eab.core.workflow.Saga} + {@link dev.eab.core.workflow.SagaCoordinator}, and
 * {@link dev.eab.core.workflow.Dag} + {@link dev.eab.core.workflow.DagExecutor}. Both run step and node code
 * through {@code TimedCall} (a fresh virtual thread per attempt, a timeout, every throwable contained) and
 * compensate through {@code CompensationRunner}.
 */
package dev.eab.core.workflow;
