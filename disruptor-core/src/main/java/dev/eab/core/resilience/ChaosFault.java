package dev.eab.core.resilience;

import dev.eab.api.exception.AgentBusException;

import java.util.Map;

/**
 * What a chaos fault throws at a fault point; the pipeline turns it into a fail-closed rejection whose text names
 * the scenario, the point and the fault ("Validation failed closed: chaos scenario 'x' at routing: network partition").
 */
public final class ChaosFault extends AgentBusException
{
    private static final long serialVersionUID = 1L;

    public ChaosFault(final String scenario, final FaultPoint point, final String what)
    {
        super("chaos scenario '" + scenario + "' at " + point.label() + ": " + what,
            Map.of("scenario", scenario, "fault_point", point.label()));
    }
}
