package dev.eab.core.workflow;

import java.util.Objects;

/**
 * One step of a {@link Saga}: its action, its optional compensation, how it is retried and timed, whether
 * the saga may go on without it, and what a resume does when a crash cut it off. Immutable.
 *
 * <p>Defaults are the original's: 3 attempts, 1 s apart, 30 s each, for the action and for the
 * compensation alike; required; {@link InterruptedStepPolicy#RETRY}.
 */
public final class SagaStep
{
    private final String name;
    private final StepAction action;
    private final Compensation compensation;
    private final RetryPolicy retry;
    private final RetryPolicy compensationRetry;
    private final boolean optional;
    private final InterruptedStepPolicy onInterrupted;

    private SagaStep(final Builder b)
    {
        this.name = b.name;
        this.action = b.action;
        this.compensation = b.compensation;
        this.retry = b.retry;
        this.compensationRetry = b.compensationRetry;
        this.optional = b.optional;
        this.onInterrupted = b.onInterrupted;
    }

    /**
     * @param name the step's name, unique in its saga.
     * @return a builder with the defaults.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /**
     * A required step with the default policies.
     *
     * @param name         the step's name.
     * @param action       the forward work.
     * @param compensation its undo, may be null.
     * @return the step.
     */
    public static SagaStep of(final String name, final StepAction action, final Compensation compensation)
    {
        return builder(name).action(action).compensation(compensation).build();
    }

    /** @return the name. */
    public String name()
    {
        return name;
    }

    /** @return the forward work. */
    public StepAction action()
    {
        return action;
    }

    /** @return the undo, or null when the step has none. */
    public Compensation compensation()
    {
        return compensation;
    }

    /** @return attempts, delay and timeout for the action. */
    public RetryPolicy retry()
    {
        return retry;
    }

    /** @return attempts, delay and timeout for the compensation. */
    public RetryPolicy compensationRetry()
    {
        return compensationRetry;
    }

    /** @return true when the saga goes on after this step fails. */
    public boolean optional()
    {
        return optional;
    }

    /** @return what a resume does when this step was running at the crash. */
    public InterruptedStepPolicy onInterrupted()
    {
        return onInterrupted;
    }

    /** Builds a {@link SagaStep}; {@link Saga.Builder#build()} checks the name and the action. */
    public static final class Builder
    {
        private final String name;
        private StepAction action;
        private Compensation compensation;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private RetryPolicy compensationRetry = RetryPolicy.DEFAULT;
        private boolean optional;
        private InterruptedStepPolicy onInterrupted = InterruptedStepPolicy.RETRY;

        private Builder(final String name)
        {
            this.name = name;
        }

        /** @param action the forward work. @return this. */
        public Builder action(final StepAction action)
        {
            this.action = action;
            return this;
        }

        /** @param compensation the undo, may be null. @return this. */
        public Builder compensation(final Compensation compensation)
        {
            this.compensation = compensation;
            return this;
        }

        /** @param retry attempts, delay and timeout for the action. @return this. */
        public Builder retry(final RetryPolicy retry)
        {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** @param compensationRetry attempts, delay and timeout for the compensation. @return this. */
        public Builder compensationRetry(final RetryPolicy compensationRetry)
        {
            this.compensationRetry = Objects.requireNonNull(compensationRetry, "compensationRetry");
            return this;
        }

        /** @param optional true to let the saga go on when this step fails. @return this. */
        public Builder optional(final boolean optional)
        {
            this.optional = optional;
            return this;
        }

        /** @param onInterrupted what a resume does when a crash cut this step off. @return this. */
        public Builder onInterrupted(final InterruptedStepPolicy onInterrupted)
        {
            this.onInterrupted = Objects.requireNonNull(onInterrupted, "onInterrupted");
            return this;
        }

        /** @return the step. */
        public SagaStep build()
        {
            return new SagaStep(this);
        }
    }
}
