package dev.eab.core.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;

/**
 * The checkpoint kept apart from the chain: the last record number written and its hash. A chain alone
 * cannot show that its tail was cut (what is left still links up); the anchor can: the log must hold
 * a record with that number and that hash. Written by the audit writer after every flush, atomically
 * (a temporary file renamed over the old one), so a reader sees the old anchor or the new one, never half.
 *
 * <p>Format (text, one field a line): {@code eab-audit-anchor 1}, {@code sequence <n>}, {@code hash <64 hex>}.
 *
 * @param sequence the last record number covered (-1: an empty chain).
 * @param hash     that record's chain hash ({@link AuditRecordDescriptor#GENESIS} for an empty chain).
 */
public record AuditAnchor(long sequence, byte[] hash)
{
    /** The anchor's file name inside the audit directory. */
    public static final String FILE_NAME = "anchor";
    private static final String HEADER = "eab-audit-anchor 1";

    /** Writes {@code dir/anchor} atomically. */
    public void write(final Path dir)
    {
        final Path target = dir.resolve(FILE_NAME);
        final Path tmp = dir.resolve(FILE_NAME + ".tmp");
        final String text = HEADER + "\nsequence " + sequence + "\nhash " + HexFormat.of().formatHex(hash) + "\n";
        try
        {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try
            {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException e)
            {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the audit anchor " + target, e);
        }
    }

    /**
     * @return the anchor in {@code dir}, or null when there is none.
     * @throws AuditFormatException when the file exists but is not an anchor.
     */
    public static AuditAnchor read(final Path dir)
    {
        final Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the audit anchor " + file, e);
        }
        if (lines.size() < 3 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("sequence ") || !lines.get(2).startsWith("hash "))
        {
            throw new AuditFormatException("anchor " + file + " is not an eab audit anchor");
        }
        try
        {
            final long sequence = Long.parseLong(lines.get(1).substring("sequence ".length()).strip());
            final byte[] hash = HexFormat.of().parseHex(lines.get(2).substring("hash ".length()).strip());
            if (hash.length != ChainHasher.HASH_LENGTH)
            {
                throw new AuditFormatException("anchor " + file + ": hash of " + hash.length + " bytes");
            }
            return new AuditAnchor(sequence, hash);
        }
        catch (final IllegalArgumentException e)
        {
            throw new AuditFormatException("anchor " + file + ": " + e.getMessage());
        }
    }

    /** @return the hash in hex. */
    public String hashHex()
    {
        return HexFormat.of().formatHex(hash);
    }
}
