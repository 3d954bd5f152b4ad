package dev.eab.core.cli;

import dev.eab.api.BusConfiguration;
import dev.eab.core.EnhancedAgentBus;
import org.slf4j.LoggerFactory;

/**
 * Child JVM for {@link CliLoggingTest}: starts and closes a real journaled bus (the engine's own start-up lines and
 * Chronicle's chatter as a command sees them), then logs one line through SLF4J (as resilience4j does).
 */
public final class CliLoggingProbe
{
    /** The text the probe logs through SLF4J. */
    static final String SLF4J_TEXT = "probe through slf4j";

    private CliLoggingProbe()
    {
    }

    /** Entry point of the child JVM. */
    public static void main(final String[] args)
    {
        try (EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting()))
        {
            bus.start();
        }
        LoggerFactory.getLogger(CliLoggingProbe.class).info(SLF4J_TEXT);
        System.out.println("probe: done");
    }
}
