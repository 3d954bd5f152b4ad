package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MessageType;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ./eab journal dump|stats}: records, filters and counts of a real journal directory. */
class JournalInspectorTest
{
    @Test
    void dumpFiltersAndStatsCountWhatABusWrote(@TempDir final Path dir) throws Exception
    {
        try (EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir).build()))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            bus.registerAgent("r", "worker", Set.of(), "acme", null);
            bus.registerAgent("g", "worker", Set.of(), "globex", null);
            bus.start();
            for (int i = 0; i < 3; i++)
            {
                bus.send(AgentMessage.builder().messageId("m-" + i).fromAgent("s").toAgent("r").tenantId("acme").messageType(MessageType.QUERY)
                    .content(Map.of("q", i)).build()).get(10, TimeUnit.SECONDS);
            }
            bus.send(AgentMessage.builder().messageId("cross").fromAgent("s").toAgent("g").tenantId("acme").messageType(MessageType.QUERY)
                .content(Map.of("q", 1)).build()).get(10, TimeUnit.SECONDS);
            assertNotNull(bus.receive("r", Duration.ofSeconds(1)));
        }
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final long n = JournalInspector.dump(dir, JournalInspector.Filter.ALL, new PrintStream(all, true, StandardCharsets.UTF_8));
        final String text = all.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("message id=m-0 from=s to=r tenant=acme type=query"), text);
        assertTrue(text.contains("rejected id=cross reason=tenant_mismatch_recipient"), text);
        assertTrue(text.contains("acks "), "receive wrote an ack: " + text);
        assertEquals(text.lines().count(), n);

        final ByteArrayOutputStream one = new ByteArrayOutputStream();
        assertEquals(1, JournalInspector.dump(dir, new JournalInspector.Filter(null, null, "m-2", Long.MAX_VALUE), new PrintStream(one, true,
            StandardCharsets.UTF_8)));
        assertEquals(0, JournalInspector.dump(dir, new JournalInspector.Filter("globex", null, "m-2", Long.MAX_VALUE), new PrintStream(
            new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

        final JournalInspector.Stats stats = JournalInspector.stats(dir);
        assertEquals(3L, stats.recordsByType().get("message"));
        assertEquals(1L, stats.recordsByType().get("rejected"));
        assertEquals(2, stats.pending(), "two of the three were never received");
        assertTrue(stats.cycles() >= 2 && stats.bytes() > 0, stats.toString());
        assertThrows(IllegalArgumentException.class, () -> JournalInspector.stats(dir.resolve("nothing-here")));
    }
}
