package dev.eab.core.journal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The engine of {@code ./eab crashtest}: proves on the user's own machine that nothing accepted is lost
 * across {@code kill -9}. It runs {@link CrashTestChild} in a child JVM over one directory, kills it with
 * SIGKILL ({@link Process#destroyForcibly()}) at a random moment, starts the next one (which replays the
 * journal), and so on; a last child drains the journal with a handler on every agent and stops cleanly.
 * Then it compares what the senders were told was accepted ({@code accepted-*.log}) with what the
 * handlers saw (their recording idempotent handlers' queues).
 *
 * <p>Verdict: failed on any loss (accepted, never seen), any duplicate after dedup (an id recorded twice
 * by one handler), any cross-tenant delivery (a handler saw a message of another tenant or addressed to
 * another agent), any id that was never sent, or a child that did not start or did not drain.
 */
public final class CrashTest
{
    private static final long READY_GUARD_MS = TimeUnit.SECONDS.toMillis(60);
    private static final long DRAIN_GUARD_MS = TimeUnit.SECONDS.toMillis(120);

    /**
     * What to run.
     *
     * @param kills     how many SIGKILLs (one child JVM each, plus the last draining one).
     * @param rate      messages per second each sending child offers.
     * @param minKillMs shortest time a child sends before it is killed.
     * @param maxKillMs longest such time.
     * @param seed      seeds the kill moments.
     * @param dir       the working directory (journal, accepted logs, handler queues, child output).
     */
    public record Options(int kills, int rate, long minKillMs, long maxKillMs, long seed, Path dir)
    {
    }

    /** The outcome: the counts of the last JSON line, and whether it is ok. */
    public record Result(
        boolean ok, int kills, long accepted, long delivered, long lost, long redelivered, long duplicatesAfterDedup, long crossTenant,
        long unknown, List<String> lostSample, List<String> problems)
    {
        /** @return the fields of the JSON line, in order. */
        public Map<String, Object> toMap()
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("crashtest", ok ? "ok" : "failed");
            m.put("kills", kills);
            m.put("accepted", accepted);
            m.put("delivered", delivered);
            m.put("lost", lost);
            m.put("redelivered", redelivered);
            m.put("duplicates_after_dedup", duplicatesAfterDedup);
            m.put("cross_tenant", crossTenant);
            if (unknown != 0)
            {
                m.put("unknown_ids", unknown);
            }
            if (!problems.isEmpty())
            {
                m.put("problems", problems);
            }
            return m;
        }
    }

    private CrashTest()
    {
    }

    /** Runs the whole test, printing a table row per run to {@code out}. */
    public static Result run(final Options o, final PrintStream out) throws IOException, InterruptedException
    {
        Files.createDirectories(o.dir());
        final Random rnd = new Random(o.seed());
        final List<String> problems = new java.util.ArrayList<>();
        out.printf("%-5s %-8s %9s %10s %10s %10s %12s  %s%n", "run", "ended", "jvm ms", "sending ms", "accepted", "msg/s", "replayed", "exit");
        long redelivered = 0;
        for (int run = 0; run <= o.kills(); run++)
        {
            final boolean drain = run == o.kills();
            final Path output = o.dir().resolve("child-" + run + ".out");
            final long started = System.nanoTime();
            final Process child = JvmLauncher.start(CrashTestChild.class.getName(), output,
                List.of(o.dir().toString(), Integer.toString(run), Integer.toString(o.rate()), drain ? "drain" : "send"));
            final Path status = o.dir().resolve(String.format(CrashTestChild.STATUS_FILE, run));
            final String ended;
            long sendingMs = 0;
            if (drain)
            {
                if (!child.waitFor(DRAIN_GUARD_MS, TimeUnit.MILLISECONDS))
                {
                    child.destroyForcibly().waitFor();
                    problems.add("the draining run did not finish within " + DRAIN_GUARD_MS + " ms: " + tail(output));
                }
                else if (child.exitValue() != 0)
                {
                    problems.add("the draining run exited " + child.exitValue() + ": " + tail(output));
                }
                ended = "drained";
            }
            else
            {
                if (!awaitFile(child, status, READY_GUARD_MS))
                {
                    child.destroyForcibly().waitFor();
                    problems.add("run " + run + " never started sending: " + tail(output));
                    break;
                }
                final long sendingFrom = System.nanoTime();
                Thread.sleep(o.minKillMs() + (long)(rnd.nextDouble() * (o.maxKillMs() - o.minKillMs())));
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
                sendingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sendingFrom);
                child.waitFor();
                ended = "SIGKILL";
            }
            final long ranMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            final long replayed = replayedBy(status);
            redelivered += Math.max(0, replayed);
            final Path acceptedLog = o.dir().resolve(String.format(CrashTestChild.ACCEPTED_FILE, run));
            final long acceptedInRun = Files.exists(acceptedLog) ? ids(acceptedLog).size() : 0;
            out.printf("%-5d %-8s %9d %10d %10d %10d %12d  %d%n", run, ended, ranMs - sendingMs, sendingMs, acceptedInRun,
                sendingMs == 0 ? 0 : acceptedInRun * 1000 / sendingMs, replayed, child.exitValue());
            out.flush();
        }
        return compare(o, redelivered, problems);
    }

    static Result compare(final Options o, final long redelivered, final List<String> problems) throws IOException
    {
        final Set<String> accepted = new HashSet<>();
        for (int run = 0; run < o.kills(); run++)
        {
            final Path log = o.dir().resolve(String.format(CrashTestChild.ACCEPTED_FILE, run));
            if (Files.exists(log))
            {
                accepted.addAll(ids(log));
            }
        }
        final Map<String, String> seenBy = new HashMap<>();
        long duplicates = 0;
        long crossTenant = 0;
        long unknown = 0;
        for (final CrashTestLayout.Recipient r : CrashTestLayout.allRecipients())
        {
            final Set<String> mine = new HashSet<>();
            for (final IdempotentHandler.Processed p : IdempotentHandler.readProcessed(o.dir().resolve(CrashTestChild.SEEN_DIR), r.agentId()))
            {
                final String idTenant = CrashTestLayout.tenantOf(p.id());
                if (idTenant == null)
                {
                    unknown++;
                    continue;
                }
                if (!mine.add(p.id()))
                {
                    duplicates++;
                }
                if (!r.tenant().equals(idTenant) || !(r.tenant() + " " + r.agentId()).equals(p.effect()))
                {
                    crossTenant++;
                }
                seenBy.putIfAbsent(p.id(), r.agentId());
            }
        }
        final List<String> lost = accepted.stream().filter(id -> !seenBy.containsKey(id)).sorted().toList();
        if (accepted.isEmpty())
        {
            problems.add("no message was accepted: the senders never ran");
        }
        final boolean ok = lost.isEmpty() && duplicates == 0 && crossTenant == 0 && unknown == 0 && problems.isEmpty();
        return new Result(ok, o.kills(), accepted.size(), seenBy.size(), lost.size(), redelivered, duplicates, crossTenant, unknown,
            lost.subList(0, Math.min(10, lost.size())), problems);
    }

    /** Whole lines only: a line cut by the kill has no newline and was never a complete acceptance record. */
    private static List<String> ids(final Path log) throws IOException
    {
        final String text = new String(Files.readAllBytes(log), StandardCharsets.US_ASCII);
        final int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().filter(l -> !l.isEmpty()).toList();
    }

    private static long replayedBy(final Path status)
    {
        try
        {
            if (!Files.exists(status))
            {
                return -1;
            }
            final String[] words = Files.readString(status).strip().split(" ");
            return Long.parseLong(words[1]);
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    private static boolean awaitFile(final Process child, final Path file, final long guardMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(guardMs);
        while (!Files.exists(file))
        {
            if (!child.isAlive() || System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static String tail(final Path output)
    {
        try
        {
            final String s = Files.exists(output) ? Files.readString(output) : "";
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
