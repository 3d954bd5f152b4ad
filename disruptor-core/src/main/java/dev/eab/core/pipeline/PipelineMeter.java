package dev.eab.core.pipeline;

/**
 * The ops surface's hook into the pipeline (labelled message counters, per-message metering, tenant budgets), called
 * by {@link PipelineHandler} on the bus thread. Implementations must not allocate, block or throw on these calls:
 * they run once per message on the hot path.
 */
public interface PipelineMeter
{
    /**
     * After validation, for a message validation accepted (not for a replayed one): may refuse it with
     * {@link MessageEvent#refuse} (e.g. its tenant is over budget); later stages then see the rejection.
     */
    void admit(MessageEvent event);

    /**
     * After the last stage, before the slot is cleared: what became of the message.
     *
     * @param rejected whether the bus refused it (validation, budget, routing or a failure)
     */
    void processed(MessageEvent event, boolean rejected);
}
