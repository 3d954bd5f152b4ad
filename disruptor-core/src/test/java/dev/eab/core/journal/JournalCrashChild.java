package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.exception.BackpressureException;
import dev.eab.core.EnhancedAgentBus;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * The child JVM of {@link JournalCrashTest}: sends through a journaled bus to an agent without a handler
 * (so each message is accepted once it is in the inbox) and writes each id the bus reported delivered to
 * {@code accepted.log}; after {@value #READY_AFTER} it writes the ready file, and goes on until the parent kills it with SIGKILL. Args: journal dir, accepted log, ready file.
 */
public final class JournalCrashChild
{
    static final int READY_AFTER = 300;

    private JournalCrashChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path journal = Path.of(args[0]);
        final Path accepted = Path.of(args[1]);
        final Path ready = Path.of(args[2]);
        final EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(journal).inboxCapacity(1 << 20).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        bus.start();
        final java.util.concurrent.atomic.AtomicLong acceptedCount = new java.util.concurrent.atomic.AtomicLong();
        try (FileChannel log = FileChannel.open(accepted, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
        {
            for (long i = 0; ; i++)
            {
                final String id = "m-" + i;
                final AgentMessage m = AgentMessage.builder().messageId(id).fromAgent("s").toAgent("r").tenantId("acme").messageType(MessageType.EVENT)
                    .content(Map.of("i", i)).build();
                try
                {
                    bus.send(m).thenAccept(r -> {
                        if (r.status() == MessageStatus.DELIVERED)
                        {
                            try
                            {
                                // Page cache only, like the journal: both survive the process's death.
                                log.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
                                if (acceptedCount.incrementAndGet() == READY_AFTER)
                                {
                                    Files.writeString(ready, "ready");
                                }
                            }
                            catch (final java.io.IOException e)
                            {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
                }
                catch (final BackpressureException e)
                {
                    i--;
                    Thread.onSpinWait();
                    continue;
                }
            }
        }
    }
}
