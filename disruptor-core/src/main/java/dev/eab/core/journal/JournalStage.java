package dev.eab.core.journal;

import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.Stage;

/**
 * The write-ahead journal step (between govern and route). In this release nothing is journalled:
 * the Chronicle Queue append of every accepted message before delivery arrives with the durability
 * issue and takes this place in the pipeline.
 */
public final class JournalStage implements Stage
{
    @Override
    public void onEvent(final MessageEvent event)
    {
        // Deliberately empty: see class javadoc.
    }
}
