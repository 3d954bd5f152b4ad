package dev.eab.core;

import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.AgentIdentityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;

import static dev.eab.core.BusFixtures.await;
import static dev.eab.core.BusFixtures.config;
import static dev.eab.core.BusFixtures.msg;
import static dev.eab.core.BusFixtures.send;
import static dev.eab.core.BusFixtures.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The revocation list file is watched: an edit in place, and an editor's write-then-rename, revoke the listed agents
 * on a running bus without a restart or an API call (their sends are refused {@code AGENT_REVOKED}; registering again
 * is refused), others are untouched, and the reloads are counted.
 */
class RevocationWatchBusTest
{
    @Test
    void editingTheListRevokesWithoutARestart(@TempDir final Path dir) throws Exception
    {
        final Path list = dir.resolve("revoked.txt");
        Files.writeString(list, "# nobody yet\n");
        try (EnhancedAgentBus bus = started(config(NativeMode.OFF).revocationFile(list).build()))
        {
            bus.registerAgent("x", "worker", Set.of(), "acme", null);
            bus.registerAgent("y", "worker", Set.of(), "acme", null);
            bus.registerAgent("z", "worker", Set.of(), "acme", null);
            assertTrue(send(bus, msg("x", "y", "acme").build()).isValid());

            Files.writeString(list, "# leaked\nx\n");   // edited in place
            await(() -> send(bus, msg("x", "y", "acme").build()).rejectReason() == RejectReason.AGENT_REVOKED, "x revoked by the file watch");
            assertTrue(send(bus, msg("y", "x", "acme").build()).rejectReason() != RejectReason.AGENT_REVOKED, "y untouched");

            // An editor's atomic replace (write a temporary file, rename it over the list).
            final Path tmp = dir.resolve("revoked.txt.tmp");
            Files.writeString(tmp, "x\nz  # second leak\n");
            Files.move(tmp, list, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            await(() -> send(bus, msg("z", "y", "acme").build()).rejectReason() == RejectReason.AGENT_REVOKED, "z revoked after the rename");
            assertTrue(send(bus, msg("y", "y", "acme").build()).isValid());

            assertTrue(bus.unregisterAgent("z"));
            assertEquals("revoked", assertThrows(AgentIdentityException.class,
                () -> bus.registerAgent("z", "worker", Set.of(), "acme", null)).reason());
            final Map<?, ?> watch = (Map<?, ?>)((Map<?, ?>)bus.getMetrics().get("identity")).get("revocation_watch");
            assertTrue(((Number)watch.get("reloads")).longValue() >= 2, watch.toString());
            assertEquals(2L, ((Number)watch.get("revoked_by_reload")).longValue(), watch.toString());
        }
    }
}
