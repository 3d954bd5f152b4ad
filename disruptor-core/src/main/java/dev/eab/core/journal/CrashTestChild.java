package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageType;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.BackpressureException;
import dev.eab.core.EnhancedAgentBus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVM of {@code ./eab crashtest} ({@link CrashTest}): one run of a journaled bus over the crash
 * test's directory. In {@code send} mode it starts (replaying what earlier, killed runs left unacknowledged),
 * then sends at a steady rate to the agents of {@link CrashTestLayout} until it is killed with SIGKILL; each
 * id the bus told the sender was delivered goes to {@code accepted-<run>.log}. In {@code drain} mode (the
 * last run) every agent has a handler, the replay delivers what is left, and the bus closes cleanly.
 *
 * <p>Each handler is an {@link IdempotentHandler#recording recording} idempotent handler: what it saw
 * (the message's tenant and recipient) is kept with the id in the agent's own queue under {@code seen/},
 * so the parent can count losses, duplicates after dedup and cross-tenant deliveries.
 *
 * <p>Args: {@code <dir> <run> <rate msg/s> send|drain}.
 */
public final class CrashTestChild
{
    /** The file a run writes once it has replayed and is about to send: "replayed N unroutable N warnings N". */
    static final String STATUS_FILE = "status-%d.txt";
    /** Where a run writes the ids the sender was told were delivered, one a line. */
    static final String ACCEPTED_FILE = "accepted-%d.log";
    static final String SEEN_DIR = "seen";
    static final String JOURNAL_DIR = "journal";
    private static final int INBOX_CAPACITY = 1 << 20;

    private CrashTestChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final int run = Integer.parseInt(args[1]);
        final int rate = Integer.parseInt(args[2]);
        final boolean drain = "drain".equals(args[3]);
        final List<IdempotentHandler> handlers = new ArrayList<>();
        final EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir.resolve(JOURNAL_DIR))
            .inboxCapacity(INBOX_CAPACITY).ringSize(1 << 14).handlerTimeoutMs(0).build());
        for (final String tenant : CrashTestLayout.TENANTS)
        {
            bus.registerAgent(CrashTestLayout.sender(tenant), "worker", Set.of(), tenant, null);
            for (final CrashTestLayout.Recipient r : CrashTestLayout.recipients(tenant))
            {
                bus.registerAgent(r.agentId(), "worker", Set.of(), tenant, null);
                if (drain || r.mode() != null)
                {
                    final IdempotentHandler h = IdempotentHandler.recording(dir.resolve(SEEN_DIR), r.agentId(), m -> {
                        final AgentMessage msg = m.toMessage();
                        return msg.tenantId() + " " + msg.toAgent();
                    });
                    handlers.add(h);
                    bus.subscribe(r.agentId(), h, r.mode() == null ? DeliveryMode.DISPATCHED : r.mode());
                }
            }
        }
        bus.start();
        @SuppressWarnings("unchecked")
        final Map<String, Object> journal = (Map<String, Object>)bus.getMetrics().get("journal");
        Files.writeString(dir.resolve(String.format(STATUS_FILE, run)), "replayed " + journal.get("replayed") + " unroutable " +
            journal.get("replay_unroutable") + "\n");
        if (drain)
        {
            bus.close();
            for (final IdempotentHandler h : handlers)
            {
                h.close();
            }
            return;
        }
        send(bus, dir.resolve(String.format(ACCEPTED_FILE, run)), run, rate);
    }

    /** Sends at {@code rate} msg/s on a fixed schedule (no coordinated slow-down) until killed. */
    private static void send(final EnhancedAgentBus bus, final Path acceptedLog, final int run, final int rate) throws IOException
    {
        final List<CrashTestLayout.Recipient> all = CrashTestLayout.allRecipients();
        final long intervalNs = 1_000_000_000L / rate;
        try (FileChannel log = FileChannel.open(acceptedLog, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
        {
            final long start = System.nanoTime();
            for (long seq = 0; ; seq++)
            {
                final long due = start + seq * intervalNs;
                long now;
                while ((now = System.nanoTime()) < due)
                {
                    LockSupport.parkNanos(Math.min(due - now, 200_000));
                }
                final CrashTestLayout.Recipient to = all.get((int)(seq % all.size()));
                final String id = CrashTestLayout.messageId(to.tenant(), run, seq);
                final AgentMessage m = AgentMessage.builder().messageId(id).fromAgent(CrashTestLayout.sender(to.tenant())).toAgent(to.agentId())
                    .tenantId(to.tenant()).messageType(MessageType.EVENT).content(Map.of("seq", seq)).build();
                while (true)
                {
                    try
                    {
                        bus.send(m).thenAccept(r -> accepted(log, id, r));
                        break;
                    }
                    catch (final BackpressureException e)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }

    /** Page cache only, like the journal: both survive the death of the process. */
    private static void accepted(final FileChannel log, final String id, final ValidationResult r)
    {
        if (!r.isValid())
        {
            return;
        }
        try
        {
            log.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
