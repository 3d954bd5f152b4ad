package dev.eab.core.cli;

import dev.eab.core.audit.AuditChainVerifier;
import dev.eab.core.audit.AuditFormat;
import dev.eab.core.audit.AuditQueues;
import dev.eab.core.audit.AuditRecordDescriptor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./eab audit verify <dir>}, {@code ./eab audit tail <dir> [-f] [-n N]},
 * {@code ./eab audit export <dir> --jsonl [--out F]}: offline tools over an audit directory (read-only; safe
 * beside a running bus). {@code verify} exits 0 when the chain and its anchor agree, 1 naming the first bad
 * record otherwise, 2 on a usage error.
 */
public final class AuditMain
{
    private static final String USAGE = """
        usage: ./eab audit verify <dir>
               ./eab audit tail <dir> [-f] [-n N]
               ./eab audit export <dir> --jsonl [--out FILE]
        verify re-walks the BLAKE3 chain and checks the anchor: exit 0 when intact, 1 naming the first bad record
        (edited, deleted, inserted, reordered, or a cut tail). tail prints the last N records (default 20), -f
        keeps following. export writes one JSON object per record (a SIEM's JSON lines) to stdout or FILE.""";

    private static final java.util.logging.Logger CHRONICLE_LOG = java.util.logging.Logger.getLogger("net.openhft");

    private AuditMain()
    {
    }

    public static void main(final String[] args)
    {
        CHRONICLE_LOG.setLevel(java.util.logging.Level.WARNING);
        try
        {
            System.exit(run(args, System.out, System.err));
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("audit: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
        catch (final IOException | InterruptedException e)
        {
            System.err.println("audit: " + e);
            System.exit(2);
        }
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws IOException, InterruptedException
    {
        if (args.length < 2)
        {
            throw new IllegalArgumentException("a command and an audit directory are needed");
        }
        final Path dir = Path.of(args[1]);
        if (!Files.isDirectory(dir.resolve(AuditQueues.CHAIN_DIR)))
        {
            err.println("audit: no audit log at " + dir + " (expected " + dir.resolve(AuditQueues.CHAIN_DIR) + ")");
            return args[0].equals("verify") ? 1 : 2;
        }
        switch (args[0])
        {
            case "verify" ->
            {
                if (args.length > 2)
                {
                    throw new IllegalArgumentException("verify takes only the directory");
                }
                final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir);
                (r.ok() ? out : err).println("audit verify " + dir + ": " + r.describe());
                return r.ok() ? 0 : 1;
            }
            case "tail" ->
            {
                boolean follow = false;
                int n = 20;
                for (int i = 2; i < args.length; i++)
                {
                    switch (args[i])
                    {
                        case "-f" -> follow = true;
                        case "-n" ->
                        {
                            if (i + 1 >= args.length)
                            {
                                throw new IllegalArgumentException("-n needs a number");
                            }
                            n = Integer.parseInt(args[++i]);
                        }
                        default -> throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                }
                AuditQueues.tail(dir, n, follow, 100, r -> out.println(AuditFormat.line(r)), () -> false);
                return 0;
            }
            case "export" ->
            {
                boolean jsonl = false;
                Path file = null;
                for (int i = 2; i < args.length; i++)
                {
                    switch (args[i])
                    {
                        case "--jsonl" -> jsonl = true;
                        case "--out" ->
                        {
                            if (i + 1 >= args.length)
                            {
                                throw new IllegalArgumentException("--out needs a file");
                            }
                            file = Path.of(args[++i]);
                        }
                        default -> throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                }
                if (!jsonl)
                {
                    throw new IllegalArgumentException("export needs a format: --jsonl");
                }
                final long[] n = {0};
                final Writer w = file == null ? new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))
                    : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                try
                {
                    final IOException[] failed = {null};
                    // Streamed record by record: an export never holds the log in memory.
                    AuditQueues.read(dir, (position, record, length) -> {
                        try
                        {
                            w.write(AuditFormat.jsonLine(AuditRecordDescriptor.decode(record, length)));
                            w.write('\n');
                            n[0]++;
                            return true;
                        }
                        catch (final IOException e)
                        {
                            failed[0] = e;
                            return false;
                        }
                    });
                    if (failed[0] != null)
                    {
                        throw failed[0];
                    }
                }
                finally
                {
                    if (file == null)
                    {
                        w.flush();
                    }
                    else
                    {
                        w.close();
                    }
                }
                err.println("audit: exported " + n[0] + " record(s)" + (file == null ? "" : " to " + file));
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }
}
