package dev.eab.core.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9: {@code ./eab crashtest} in the suite: three real SIGKILLs of a child JVM sending through a
 * journaled bus to DISPATCHED, INLINE and handler-less agents of two tenants; nothing the senders were
 * told was accepted is lost, no handler records an id twice, nothing crosses tenants. Also: the verdict
 * really fails on a loss, a duplicate and a cross-tenant record (so the kill test can fail).
 */
class CrashTestTest
{
    private static final int KILLS = 3;
    private static final int RATE = 5_000;

    @Test
    void nothingAcceptedIsLostAcrossThreeKillMinus9(@TempDir final Path dir) throws Exception
    {
        final long seed = System.nanoTime();
        final ByteArrayOutputStream table = new ByteArrayOutputStream();
        final CrashTest.Result r = CrashTest.run(new CrashTest.Options(KILLS, RATE, 500, 1_200, seed, dir),
            new PrintStream(table, true, StandardCharsets.UTF_8));
        System.out.println("CrashTestTest seed " + seed + "\n" + table.toString(StandardCharsets.UTF_8) + r.toMap());
        assertEquals(List.of(), r.problems());
        assertEquals(0, r.lost(), () -> "lost " + r.lostSample());
        assertEquals(0, r.duplicatesAfterDedup());
        assertEquals(0, r.crossTenant());
        assertTrue(r.ok());
        // A low bar on purpose: a cold child JVM on a loaded 2-vCPU machine may send little before its kill.
        assertTrue(r.accepted() > 30, "the children really sent: " + r.accepted());
        assertTrue(r.delivered() >= r.accepted());
        // The handler-less agents' messages wait in their inboxes through every kill: each restart replays them.
        assertTrue(r.redelivered() > 0, "restarts redelivered unacknowledged messages");
    }

    @Test
    void theVerdictFailsOnALossADuplicateAndACrossTenantRecord(@TempDir final Path dir) throws Exception
    {
        final Path seen = dir.resolve(CrashTestChild.SEEN_DIR);
        Files.writeString(dir.resolve(String.format(CrashTestChild.ACCEPTED_FILE, 0)), "acme.0.0\nacme.0.1\nglobex.0.2\n");
        final IdempotentHandler.RecordingHandler echo = m -> m.toMessage().tenantId() + " " + m.toMessage().toAgent();
        try (IdempotentHandler acme = IdempotentHandler.recording(seen, "acme-dispatched", echo);
             IdempotentHandler globex = IdempotentHandler.recording(seen, "globex-inline", echo))
        {
            acme.onMessage(IdempotentHandlerTest.view("acme.0.0", "acme", "acme-dispatched"));
            // globex's handler records a message of acme's: a cross-tenant delivery.
            globex.onMessage(IdempotentHandlerTest.view("acme.0.1", "acme", "globex-inline"));
        }
        final CrashTest.Options o = new CrashTest.Options(1, RATE, 0, 0, 1, dir);
        final CrashTest.Result r = CrashTest.compare(o, 0, new ArrayList<>());
        assertFalse(r.ok());
        assertEquals(3, r.accepted());
        assertEquals(1, r.lost(), "globex.0.2 was never seen");
        assertEquals(List.of("globex.0.2"), r.lostSample());
        assertEquals(1, r.crossTenant());
        assertEquals(0, r.duplicatesAfterDedup());
    }
}
