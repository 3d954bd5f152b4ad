package dev.eab.core.pipeline;

/**
 * One step of the pipeline, run on the bus thread for every event in ring order:
 * validate → govern → journal → route. A stage may set {@link MessageEvent#rejectCode}; later stages
 * see it and must not deliver. Implementations must not allocate on the flyweight path.
 */
public interface Stage
{
    void onEvent(MessageEvent event);
}
