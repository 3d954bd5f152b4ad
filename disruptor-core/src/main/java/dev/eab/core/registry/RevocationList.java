package dev.eab.core.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked agent identities: from an API call or a revocation list file (one agent id a line; blank lines
 * and {@code #} comments ignored). Revocation only grows while the bus runs: an id taken off the file stays
 * revoked until restart, so an edit can never silently re-admit an agent.
 *
 * <p>Threading: any thread; a concurrent set. The bus thread never reads this: a revocation also sets the
 * agent's {@link AgentRecord#revoke()} flag, which is what the hot path reads.
 */
public final class RevocationList
{
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Path file;

    /** A list with no file (API revocations only). */
    public RevocationList()
    {
        this(null);
    }

    /**
     * @param file the revocation list file, or null; read now when it exists (a missing file is an empty list).
     */
    public RevocationList(final Path file)
    {
        this.file = file;
        reload();
    }

    /** @return true when the id was not revoked before. */
    public boolean revoke(final String agentId)
    {
        return revoked.add(agentId);
    }

    public boolean isRevoked(final String agentId)
    {
        return agentId != null && revoked.contains(agentId);
    }

    /** @return how many ids are revoked. */
    public int size()
    {
        return revoked.size();
    }

    /**
     * Re-reads the file.
     *
     * @return the ids newly revoked by this read (in file order).
     * @throws UncheckedIOException when the file exists but cannot be read.
     */
    public List<String> reload()
    {
        final List<String> added = new ArrayList<>();
        if (file == null || !Files.exists(file))
        {
            return added;
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the revocation list " + file, e);
        }
        for (final String line : lines)
        {
            final int hash = line.indexOf('#');
            final String id = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!id.isEmpty() && revoked.add(id))
            {
                added.add(id);
            }
        }
        return added;
    }

    /** @return the file, or null. */
    public Path file()
    {
        return file;
    }
}
