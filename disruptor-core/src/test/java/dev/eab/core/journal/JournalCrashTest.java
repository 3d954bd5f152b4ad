package dev.eab.core.journal;

import dev.eab.core.ChildJvm;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9: a real {@code kill -9} of a JVM that is sending through a journaled bus loses nothing: every
 * message the child was told was accepted is redelivered by the next bus over the same journal.
 */
class JournalCrashTest
{
    private static final long READY_GUARD_S = 60;
    private static final int KILLS = 3;

    @Test
    void nothingAcceptedIsLostAcrossKillMinus9(@TempDir final Path dir) throws Exception
    {
        final long seed = System.nanoTime();
        System.out.println("JournalCrashTest seed " + seed);
        final Random rnd = new Random(seed);
        final Path journal = dir.resolve("journal");
        final Set<String> seen = new HashSet<>();
        long acceptedTotal = 0;
        for (int kill = 0; kill < KILLS; kill++)
        {
            final Path accepted = dir.resolve("accepted-" + kill + ".log");
            final Path output = dir.resolve("child-" + kill + ".out");
            final Path ready = dir.resolve("ready-" + kill);
            final Process child = ChildJvm.start(JournalCrashChild.class, output, journal.toString(), accepted.toString(), ready.toString());
            ChildJvm.awaitFile(child, ready, TimeUnit.SECONDS.toMillis(READY_GUARD_S), output);
            Thread.sleep(50 + rnd.nextInt(250));
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
            assertTrue(child.waitFor(READY_GUARD_S, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");

            final List<String> acceptedIds = Files.readAllLines(accepted).stream().filter(l -> l.startsWith("m-")).toList();
            acceptedTotal += acceptedIds.size();
            // The next bus over the same journal redelivers what was accepted and never handed out.
            final List<String> replayed = new ArrayList<>();
            try (EnhancedAgentBus next = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(journal).build()))
            {
                next.registerAgent("s", "worker", Set.of(), "acme", null);
                next.registerAgent("r", "worker", Set.of(), "acme", null);
                next.subscribe("r", m -> replayed.add(m.toMessage().messageId()), DeliveryMode.INLINE);
                next.start();
            }
            final Set<String> replayedSet = new HashSet<>(replayed);
            assertEquals(replayed.size(), replayedSet.size(), "no message replayed twice in one restart");
            final List<String> lost = acceptedIds.stream().filter(id -> !replayedSet.contains(id)).toList();
            assertEquals(List.of(), lost.subList(0, Math.min(10, lost.size())), lost.size() + " accepted messages lost after kill " + kill);
            for (final String id : replayed)
            {
                assertTrue(seen.add(kill + "/" + id));
            }
            System.out.println("JournalCrashTest kill " + kill + ": " + acceptedIds.size() + " accepted, " + replayed.size() + " redelivered, 0 lost");
        }
        assertTrue(acceptedTotal >= KILLS * JournalCrashChild.READY_AFTER, "the children really sent");
    }
}
