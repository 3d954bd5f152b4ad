package dev.eab.core.demo;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's durability step: one completed and one compensated saga (LIFO), a DAG with a failing branch; cleaning only the default directory. */
class DurabilityDemoStepTest
{
    @Test
    void sagasCompensateLifoAndTheDagSkipsTheFailedBranchsDependents(@TempDir final Path dir) throws Exception
    {
        final AtomicInteger received = new AtomicInteger();
        final DurabilityDemoStep step = new DurabilityDemoStep();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir).build()))
        {
            bus.registerAgent("planner", "planner", Set.of(), "acme", null);
            bus.registerAgent("exec", "executor", Set.of(), "acme", null);
            bus.subscribe("exec", m -> received.incrementAndGet(), DeliveryMode.INLINE);
            bus.start();
            step.run(bus, dir, "planner", "exec", "acme");
        }
        assertEquals(List.of(), step.failures());
        assertEquals(Map.of("completed", 1, "compensated", 1), step.sagasJson());
        assertEquals(Map.of("succeeded", 3L, "failed", 1L, "skipped", 1L), step.dagJson());
        assertEquals(2, received.get(), "each saga's notify step sent a real bus message");
        assertTrue(Files.isDirectory(dir.resolve("sagas")), "sagas journaled under the journal directory");
        assertTrue(step.sagaRow().contains("undo-charge, undo-notify, undo-reserve"), step.sagaRow());
    }

    @Test
    void onlyTheDefaultJournalDirectoryIsCleaned(@TempDir final Path dir) throws Exception
    {
        final Path mine = Files.createDirectories(dir.resolve("journal"));
        Files.writeString(mine.resolve("keep.txt"), "mine");
        DurabilityDemoStep.cleanDefaultJournal(mine);
        DurabilityDemoStep.cleanDefaultJournal(null);
        assertTrue(Files.exists(mine.resolve("keep.txt")), "a directory the user named is never deleted");
    }
}
