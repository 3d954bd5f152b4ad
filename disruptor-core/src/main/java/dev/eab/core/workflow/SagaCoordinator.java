package dev.eab.core.workflow;

import dev.eab.api.AgentBus;
import dev.eab.api.exception.WorkflowException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs sagas and resumes them after a crash, journaling every transition in a {@link SagaJournal}.
 *
 * <p>Semantics (the original's, with its defects fixed):
 * <ul>
 *   <li>Steps run in order, each under its {@link RetryPolicy} (attempts, delay, timeout; a timeout is a failed
 *       attempt). A failing optional step lets the saga go on; a failing required step stops it.</li>
 *   <li><b>A step's compensation is registered when its first attempt starts</b> (the STEP_STARTED record),
 *       before the step runs: a step that failed, timed out or was cut off may have done part of its work, so
 *       its own compensation runs too. Compensations run LIFO (the failing step's own first), each with its own
 *       retries; one failing does not stop the others.</li>
 *   <li>The status returned is always terminal: COMPLETED, COMPENSATED, PARTIALLY_COMPENSATED, or FAILED
 *       when the machinery itself broke (then compensation still ran, best effort).</li>
 *   <li>{@link #resume} continues from the journal: completed steps are not run again (their results are
 *       restored); a step that was running at the crash is handled by its {@link InterruptedStepPolicy}; a
 *       compensation that was running counts that attempt as failed and is retried if attempts remain; a
 *       finished saga is only reported.</li>
 * </ul>
 *
 * <p>Threads: {@code run} and {@code resume} execute on the calling thread (each attempt on its own virtual
 * thread) and may be called from several threads for different saga ids; a saga id runs on one thread at a
 * time. One coordinator per journal directory: two processes sharing one would both believe they own its
 * sagas. Never call them from an INLINE handler: they wait.
 */
public final class SagaCoordinator implements AutoCloseable
{
    private final SagaJournal journal;
    private final AgentBus bus;
    private final boolean ownsJournal;
    private final Map<String, Saga> definitions = new ConcurrentHashMap<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    private SagaCoordinator(final SagaJournal journal, final AgentBus bus, final boolean ownsJournal)
    {
        this.journal = journal;
        this.bus = bus;
        this.ownsJournal = ownsJournal;
        journal.scan(r -> known.add(r.sagaId()));
    }

    /**
     * Opens the journal in a directory and a coordinator over it (closing the coordinator closes the journal).
     *
     * @param journalDirectory the saga journal's directory (not the message journal's).
     * @param bus              the bus steps send on ({@link StepContext#send}); may be null when no step sends.
     * @return the coordinator.
     * @throws WorkflowException when the journal cannot be opened or read.
     */
    public static SagaCoordinator open(final Path journalDirectory, final AgentBus bus)
    {
        final SagaJournal journal = SagaJournal.open(journalDirectory);
        try
        {
            return new SagaCoordinator(journal, bus, true);
        }
        catch (final RuntimeException e)
        {
            journal.close();
            throw e;
        }
    }

    /**
     * A coordinator over a journal the caller keeps (and closes).
     *
     * @param journal the saga journal.
     * @param bus     the bus steps send on; may be null.
     * @return the coordinator.
     */
    public static SagaCoordinator over(final SagaJournal journal, final AgentBus bus)
    {
        return new SagaCoordinator(journal, bus, false);
    }

    /** @return the journal. */
    public SagaJournal journal()
    {
        return journal;
    }

    /**
     * Makes a definition known for {@link #resume(String)} (after a restart, register every definition
     * before resuming). A later registration under the same name replaces the earlier one.
     *
     * @param saga the definition.
     */
    public void register(final Saga saga)
    {
        definitions.put(saga.name(), saga);
    }

    /**
     * Runs a new saga instance with a fresh id.
     *
     * @param saga  the definition (registered as a side effect).
     * @param input text handed to every step, journaled; may be null.
     * @return the result; its status is terminal.
     * @throws WorkflowException when the start cannot be journaled (then nothing ran).
     */
    public SagaResult run(final Saga saga, final String input)
    {
        return run(saga, UUID.randomUUID().toString(), input);
    }

    /**
     * Runs a new saga instance under a caller-chosen id (e.g. an order id, so a restart can find it).
     *
     * @param saga   the definition (registered as a side effect).
     * @param sagaId the instance's id; must not be in the journal yet.
     * @param input  text handed to every step, journaled; may be null.
     * @return the result; its status is terminal.
     * @throws WorkflowException when the id is already journaled or running, or the start cannot be journaled.
     */
    public SagaResult run(final Saga saga, final String sagaId, final String input)
    {
        register(saga);
        claim(sagaId);
        try
        {
            if (!known.add(sagaId))
            {
                throw WorkflowException.of("Saga '" + sagaId + "' is already in the journal: resume it instead", "saga_id", sagaId);
            }
            final SagaState state = new SagaState(sagaId, saga);
            final SagaRecord started = new SagaRecord(
                SagaTransition.SAGA_STARTED, SagaRecord.nowNs(), saga.steps().size(), 0, 0, sagaId, saga.name(), input);
            try
            {
                journal.append(started);
            }
            catch (final RuntimeException e)
            {
                known.remove(sagaId);   // nothing was journaled: the id stays free
                throw e;
            }
            state.apply(started);
            return new SagaRun(state, journal, bus, false).execute();
        }
        finally
        {
            active.remove(sagaId);
        }
    }

    /**
     * Continues a saga from its journal, with the definition registered under its journaled name.
     *
     * @param sagaId the instance's id.
     * @return the result; its status is terminal. A saga that had finished is reported, nothing runs.
     * @throws WorkflowException when the id is not in the journal, is running, its definition is not
     *     registered or no longer matches the journal (step count, names).
     */
    public SagaResult resume(final String sagaId)
    {
        claim(sagaId);
        try
        {
            final List<SagaRecord> records = journal.read(sagaId);
            if (records.isEmpty())
            {
                throw WorkflowException.of("Saga '" + sagaId + "' is not in the journal", "saga_id", sagaId);
            }
            final String name = records.getFirst().name();
            final Saga saga = definitions.get(name);
            if (saga == null)
            {
                throw WorkflowException.of("Saga '" + sagaId + "' was journaled as '" + name + "', which is not registered",
                    "saga_id", sagaId, "saga", name);
            }
            final SagaState state = new SagaState(sagaId, saga);
            for (final SagaRecord r : records)
            {
                state.apply(r);
            }
            return new SagaRun(state, journal, bus, true).execute();
        }
        finally
        {
            active.remove(sagaId);
        }
    }

    /**
     * @return ids of the journaled sagas that have no SAGA_FINISHED record, with their definition names, in
     *     journal order: what a restart should {@link #resume}.
     */
    public Map<String, String> unfinished()
    {
        final Map<String, String> open = new LinkedHashMap<>();
        journal.scan(r ->
        {
            if (r.type() == SagaTransition.SAGA_STARTED)
            {
                open.put(r.sagaId(), r.name());
            }
            else if (r.type() == SagaTransition.SAGA_FINISHED)
            {
                open.remove(r.sagaId());
            }
        });
        return open;
    }

    /**
     * Resumes every unfinished saga, one after the other.
     *
     * @return their results, in journal order.
     * @throws WorkflowException on the first that cannot be resumed (e.g. its definition is not registered).
     */
    public List<SagaResult> resumeAll()
    {
        final List<SagaResult> results = new ArrayList<>();
        for (final String sagaId : unfinished().keySet())
        {
            results.add(resume(sagaId));
        }
        return results;
    }

    private void claim(final String sagaId)
    {
        if (sagaId == null || sagaId.isBlank())
        {
            throw WorkflowException.of("A saga id must not be blank", "saga_id", sagaId);
        }
        if (!active.add(sagaId))
        {
            throw WorkflowException.of("Saga '" + sagaId + "' is running", "saga_id", sagaId);
        }
    }

    /** Closes the journal if this coordinator opened it. */
    @Override
    public void close()
    {
        if (ownsJournal)
        {
            journal.close();
        }
    }
}
