package dev.eab.core.governance;

import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.Stage;

/**
 * The governance step of the pipeline (between validate and journal). In this release it passes
 * every validated message on unchanged: impact scoring and the ≥ 0.8 hold for deliberation arrive with
 * the governance issue and take this place, so the stage order users measure today is the final one.
 */
public final class GovernanceStage implements Stage
{
    @Override
    public void onEvent(final MessageEvent event)
    {
        // Deliberately empty: see class javadoc. Must never clear a rejection set by validation.
    }
}
