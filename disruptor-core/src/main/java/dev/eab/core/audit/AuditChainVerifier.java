package dev.eab.core.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Re-walks a chain: every record must decode, carry the next sequence number, and store the hash its chain
 * version defines ({@link ChainHasher#linkRecord}: version 3 {@code BLAKE3-keyed(key = previous hash, BLAKE3(its
 * bytes))}, version 2 {@code BLAKE3-keyed(key = previous hash, its bytes)}, version 1 {@code BLAKE3(previous hash
 * || its bytes)}); then the anchor must name a record the log holds, with that
 * record's hash. Pinpoints the first bad record: an edited byte (hash mismatch at that record), a deleted or
 * inserted record (sequence or link broken at the first record after the change), a reordering (sequence), a
 * cut tail (the anchor's record is missing).
 */
public final class AuditChainVerifier
{
    private AuditChainVerifier()
    {
    }

    /**
     * The outcome.
     *
     * @param ok           true when the chain and the anchor agree.
     * @param records      records read (all of them when ok; up to and including the bad one otherwise).
     * @param badSequence  the position (record number expected there) of the first bad record, or -1.
     * @param problem      what is wrong, or "" when ok.
     * @param headHex      the last good hash.
     * @param anchored     true when an anchor was found and checked.
     */
    public record Result(boolean ok, long records, long badSequence, String problem, String headHex, boolean anchored)
    {
        /** @return one line for an operator. */
        public String describe()
        {
            return ok ? "OK: " + records + " records, chain head " + headHex + (anchored ? ", anchor matches" : ", no anchor found (a cut tail cannot be excluded)")
                : "TAMPERED at record " + badSequence + ": " + problem;
        }
    }

    /** Verifies {@code dir} (its {@code chain/} queue and its anchor) with the best available hasher. */
    public static Result verify(final Path dir)
    {
        return verify(dir, ChainHashers.best());
    }

    /** Verifies with the given hasher. */
    public static Result verify(final Path dir, final ChainHasher hasher)
    {
        if (!Files.isDirectory(dir.resolve(AuditQueues.CHAIN_DIR)))
        {
            return new Result(false, 0, 0, "no audit chain at " + dir.resolve(AuditQueues.CHAIN_DIR), HexOf.of(AuditRecordDescriptor.GENESIS), false);
        }
        final AuditAnchor anchor;
        try
        {
            anchor = AuditAnchor.read(dir);
        }
        catch (final AuditFormatException e)
        {
            return new Result(false, 0, 0, "anchor unreadable: " + e.getMessage(), HexOf.of(AuditRecordDescriptor.GENESIS), false);
        }
        final long anchoredSequence = anchor == null ? -1 : anchor.sequence();
        final byte[][] atAnchor = {null};
        final byte[] link = AuditRecordDescriptor.GENESIS.clone();
        final byte[] expected = new byte[ChainHasher.HASH_LENGTH];
        final long[] count = {0};
        final String[] problem = {null};
        AuditQueues.read(dir, (position, record, length) -> {
            final AuditRecord r;
            try
            {
                r = AuditRecordDescriptor.decode(record, length);
            }
            catch (final AuditFormatException e)
            {
                problem[0] = "unreadable record: " + e.getMessage();
                return false;
            }
            if (r.sequence() != position)
            {
                problem[0] = "holds sequence number " + r.sequence() + " where " + position +
                    " belongs (a record was deleted, inserted or moved)";
                return false;
            }
            // Each record names its chain version (1, 2 or 3) by its magic; the magic is hashed inside the
            // record, so a version cannot be swapped without breaking that record's hash.
            hasher.linkRecord(link, record, length - ChainHasher.HASH_LENGTH, expected);
            if (!Arrays.equals(expected, r.hash()))
            {
                problem[0] = "stored hash " + r.hashHex() + " but its bytes and the previous link give " + HexOf.of(expected) +
                    " (the record, or one before it, was edited)";
                return false;
            }
            System.arraycopy(expected, 0, link, 0, link.length);
            if (position == anchoredSequence)
            {
                atAnchor[0] = expected.clone();
            }
            count[0] = position + 1;
            return true;
        });
        if (problem[0] != null)
        {
            return new Result(false, count[0] + 1, count[0], problem[0], HexOf.of(link), false);
        }
        if (anchor == null)
        {
            return new Result(true, count[0], -1, "", HexOf.of(link), false);
        }
        if (anchor.sequence() >= count[0])
        {
            return new Result(false, count[0], count[0], "missing: the log ends after " + count[0] + " records but the anchor names record " +
                anchor.sequence() + " (the tail was cut)", HexOf.of(link), true);
        }
        if (anchor.sequence() >= 0)
        {
            final byte[] at = atAnchor[0];
            if (!Arrays.equals(at, anchor.hash()))
            {
                return new Result(false, count[0], anchor.sequence(), "the anchor's hash " + anchor.hashHex() + " differs from the record's " +
                    HexOf.of(at) + " (the log was rewritten)", HexOf.of(link), true);
            }
        }
        return new Result(true, count[0], -1, "", HexOf.of(link), true);
    }

    private static final class HexOf
    {
        static String of(final byte[] b)
        {
            return java.util.HexFormat.of().formatHex(b);
        }
    }
}
