package dev.eab.core.validate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real bundle directories for the Rego tests: {@code .rego} files and a {@code data.json} written to disk. */
public final class RegoFixtures
{
    /**
     * Allows commands and queries from senders that hold a MACI role, except senders listed in
     * {@code data.blocked_senders} and recipients in {@code data.quarantined}; denies everything else.
     */
    public static final String ALLOW_POLICY = """
        package eab

        import rego.v1

        default allow := false

        allow if {
            input.message_type in {"command", "query", "event"}
            input.sender_role != ""
            not data.blocked_senders[input.sender]
            not data.quarantined[input.recipient]
        }
        """;

    public static final String DATA = """
        {"blocked_senders": {"mallory": true}, "quarantined": {"carol": true}}
        """;

    private RegoFixtures()
    {
    }

    /** Writes {@code allow.rego} and {@code data.json} into {@code dir} and returns it. */
    public static Path bundle(final Path dir)
    {
        return bundle(dir, ALLOW_POLICY, DATA);
    }

    public static Path bundle(final Path dir, final String policy, final String data)
    {
        write(dir.resolve("allow.rego"), policy);
        if (data != null)
        {
            write(dir.resolve(RegoBundle.DATA_FILE), data);
        }
        return dir;
    }

    public static void write(final Path file, final String text)
    {
        try
        {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
