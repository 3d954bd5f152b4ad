package dev.eab.core.cli;

import dev.eab.core.journal.JournalInspector;

import java.nio.file.Path;

/**
 * {@code ./eab journal dump <dir> [--tenant T] [--agent A] [--id ID] [--limit N]} and
 * {@code ./eab journal stats <dir>}: offline views of a journal directory (read-only; safe beside a running bus).
 */
public final class JournalMain
{
    private static final String USAGE = """
        usage: ./eab journal dump <dir> [--tenant T] [--agent A] [--id MESSAGE_ID] [--limit N]
               ./eab journal stats <dir>
        dump prints one line per record (queue, index in hex, type, fields); filters match a record's tenant,
        either agent (from or to), or message id (a zero-allocation message's id is sender:correlationId).""";

    /** Held so the level sticks: Chronicle's start-up notices are not what a reader of a dump wants. */
    private static final java.util.logging.Logger CHRONICLE_LOG = java.util.logging.Logger.getLogger("net.openhft");

    private JournalMain()
    {
    }

    public static void main(final String[] args)
    {
        CHRONICLE_LOG.setLevel(java.util.logging.Level.WARNING);
        try
        {
            System.exit(run(args));
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("journal: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    static int run(final String[] args)
    {
        if (args.length < 2)
        {
            throw new IllegalArgumentException("a command and a journal directory are needed");
        }
        final Path dir = Path.of(args[1]);
        switch (args[0])
        {
            case "dump" ->
            {
                String tenant = null;
                String agent = null;
                String id = null;
                long limit = Long.MAX_VALUE;
                for (int i = 2; i < args.length; i++)
                {
                    final String value = i + 1 < args.length ? args[i + 1] : null;
                    if (value == null)
                    {
                        throw new IllegalArgumentException(args[i] + " needs a value");
                    }
                    switch (args[i])
                    {
                        case "--tenant" -> tenant = value;
                        case "--agent" -> agent = value;
                        case "--id" -> id = value;
                        case "--limit" -> limit = Long.parseLong(value);
                        default -> throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    i++;
                }
                final long n = JournalInspector.dump(dir, new JournalInspector.Filter(tenant, agent, id, limit), System.out);
                System.err.println("journal: " + n + " record(s)");
            }
            case "stats" ->
            {
                final JournalInspector.Stats s = JournalInspector.stats(dir);
                System.out.println("records      " + s.recordsByType());
                System.out.println("documents    " + s.documents() + " (Chronicle documents; the bus writes one batch of records per ring batch)");
                System.out.println("cycles       " + s.cycles() + " file(s)");
                System.out.println("bytes        " + s.bytes() + " (apparent size; queue files are sparse)");
                System.out.println("acks         " + s.acks());
                System.out.println("unacked      " + s.pending() + " (redelivered by the next bus over this directory)");
                s.warnings().forEach(w -> System.out.println("warning      " + w));
            }
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
        }
        return 0;
    }
}
