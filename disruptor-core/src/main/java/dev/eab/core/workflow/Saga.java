package dev.eab.core.workflow;

import dev.eab.api.exception.WorkflowDefinitionException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A saga definition: a name and steps run in order. Immutable and reusable: each run is an instance with
 * its own saga id, executed and journaled by a {@link SagaCoordinator}.
 *
 * <p>The name identifies the definition in the journal: {@link SagaCoordinator#resume} finds the
 * definition of a saga id by it, and checks that the step count and names still match.
 */
public final class Saga
{
    private final String name;
    private final List<SagaStep> steps;

    private Saga(final String name, final List<SagaStep> steps)
    {
        this.name = name;
        this.steps = List.copyOf(steps);
    }

    /**
     * @param name the definition's name, unique among the sagas a coordinator knows.
     * @return a builder.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /** @return the definition's name. */
    public String name()
    {
        return name;
    }

    /** @return the steps, in order, unmodifiable. */
    public List<SagaStep> steps()
    {
        return steps;
    }

    /** Builds a {@link Saga}, checking it whole. */
    public static final class Builder
    {
        private final String name;
        private final List<SagaStep> steps = new ArrayList<>();

        private Builder(final String name)
        {
            this.name = name;
        }

        /** @param step the next step. @return this. */
        public Builder step(final SagaStep step)
        {
            steps.add(step);
            return this;
        }

        /**
         * @return the saga.
         * @throws WorkflowDefinitionException when the name is empty, there is no step, a step is null, has an
         *     empty or duplicate name, or has no action (naming the steps).
         */
        public Saga build()
        {
            final String sagaName = name == null ? "" : name;
            if (sagaName.isBlank())
            {
                throw new WorkflowDefinitionException(sagaName, "a saga needs a non-blank name", List.of());
            }
            if (steps.isEmpty())
            {
                throw new WorkflowDefinitionException(sagaName, "a saga needs at least one step", List.of());
            }
            final Set<String> seen = new HashSet<>();
            final List<String> bad = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++)
            {
                final SagaStep step = steps.get(i);
                if (step == null || step.name() == null || step.name().isBlank())
                {
                    throw new WorkflowDefinitionException(sagaName, "step " + i + " is null or has a blank name", List.of("#" + i));
                }
                if (step.action() == null)
                {
                    bad.add(step.name());
                }
                if (!seen.add(step.name()))
                {
                    throw new WorkflowDefinitionException(sagaName, "duplicate step name", List.of(step.name()));
                }
            }
            if (!bad.isEmpty())
            {
                throw new WorkflowDefinitionException(sagaName, "steps without an action", bad);
            }
            return new Saga(sagaName, steps);
        }
    }
}
