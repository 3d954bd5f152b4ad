package dev.eab.core.resilience;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@link ChaosTest}: the scenario is active during the test body only, on the test's own bus. */
class ChaosExtensionTest
{
    private EnhancedAgentBus bus;

    @BeforeEach
    void start()
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting());
        bus.start();
        bus.registerAgent("a", "worker", Set.of(), "acme", null);
        bus.registerAgent("b", "worker", Set.of(), "acme", null);
    }

    @AfterEach
    void close()
    {
        // The extension ended the scenario before this runs.
        assertEquals(0, bus.chaos().active().size(), "the scenario outlived its test");
        assertFalse(bus.resilience().faults().armed(-1));
        assertTrue(send().isValid(), "the bus works normally again");
        bus.close();
    }

    private ValidationResult send()
    {
        final AgentMessage m = AgentMessage.builder().fromAgent("a").toAgent("b").tenantId("acme").messageType(MessageType.QUERY)
            .content(Map.of("q", "x")).build();
        try
        {
            return bus.send(m).get(10, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    @Test
    @ChaosTest(type = ChaosType.ERROR, target = "validation", errorRate = 1.0)
    void theScenarioIsActiveDuringTheTest()
    {
        assertEquals(1, bus.chaos().active().size());
        assertEquals(RejectReason.VALIDATOR_ERROR, send().rejectReason());
    }

    @Test
    @ChaosTest(type = ChaosType.NETWORK_PARTITION, target = "a", otherSide = "b", name = "split")
    void aPartitionScenarioByAnnotation()
    {
        assertTrue(bus.chaos().isActive("split"));
        assertEquals(RejectReason.VALIDATOR_ERROR, send().rejectReason());
    }

    @Test
    void withoutTheAnnotationNothingIsInjected()
    {
        assertEquals(0, bus.chaos().active().size());
        assertTrue(send().isValid());
    }
}
