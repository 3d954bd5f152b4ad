package dev.eab.core.cli;

import dev.eab.core.journal.CrashTest;
import dev.eab.core.ops.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code ./eab crashtest [--kills N] [--rate R] [--seed S] [--dir D] [--keep]}: kills a child JVM that is
 * sending through a journaled bus with SIGKILL at random moments and proves nothing accepted was lost
 * ({@link CrashTest}). Prints a row per run, then the counts, then one JSON line; exits 1 on any loss,
 * duplicate after dedup or cross-tenant delivery, 2 on bad arguments.
 */
public final class CrashtestMain
{
    private static final String USAGE = """
        usage: ./eab crashtest [--kills N] [--rate MSG_PER_S] [--seed S] [--dir DIR] [--keep]
        defaults: 10 kills, 20000 msg/s, each child killed after 0.5 to 3 s, a fresh temporary directory
        (removed at the end unless --keep or the test failed; --dir DIR must be empty or absent).""";
    private static final int DEFAULT_KILLS = 10;
    private static final int DEFAULT_RATE = 20_000;
    private static final long MIN_KILL_MS = 500;
    private static final long MAX_KILL_MS = 3_000;
    private static final java.util.logging.Logger CHRONICLE_LOG = java.util.logging.Logger.getLogger("net.openhft");

    private CrashtestMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        CHRONICLE_LOG.setLevel(java.util.logging.Level.WARNING);
        final CrashTest.Options options;
        boolean keep = false;
        try
        {
            int kills = DEFAULT_KILLS;
            int rate = DEFAULT_RATE;
            long seed = System.nanoTime();
            Path dir = null;
            for (int i = 0; i < args.length; i++)
            {
                if ("--keep".equals(args[i]))
                {
                    keep = true;
                    continue;
                }
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                final String value = args[++i];
                switch (args[i - 1])
                {
                    case "--kills" -> kills = Integer.parseInt(value);
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--dir" -> dir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
            if (kills < 1 || rate < 1)
            {
                throw new IllegalArgumentException("--kills and --rate must be at least 1");
            }
            if (dir == null)
            {
                dir = Files.createTempDirectory("eab-crashtest-");
            }
            else if (Files.isDirectory(dir))
            {
                try (Stream<Path> s = Files.list(dir))
                {
                    if (s.findAny().isPresent())
                    {
                        throw new IllegalArgumentException(dir + " is not empty");
                    }
                }
            }
            options = new CrashTest.Options(kills, rate, MIN_KILL_MS, MAX_KILL_MS, seed, dir);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("crashtest: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.out.println("crashtest: " + options.kills() + " kill(s) at " + options.rate() + " msg/s, seed " + options.seed() + ", dir " +
            options.dir());
        final CrashTest.Result r = CrashTest.run(options, System.out);
        System.out.println();
        System.out.printf("accepted %d  delivered %d  lost %d  redelivered %d  duplicates after dedup %d  cross-tenant %d%n", r.accepted(),
            r.delivered(), r.lost(), r.redelivered(), r.duplicatesAfterDedup(), r.crossTenant());
        if (!r.lostSample().isEmpty())
        {
            System.out.println("lost (first ids): " + r.lostSample());
        }
        for (final String p : r.problems())
        {
            System.out.println("problem: " + p);
        }
        if (r.ok() && !keep)
        {
            deleteTree(options.dir());
        }
        else
        {
            System.out.println("kept " + options.dir());
        }
        System.out.println(Json.compact(r.toMap()));
        System.exit(r.ok() ? 0 : 1);
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
