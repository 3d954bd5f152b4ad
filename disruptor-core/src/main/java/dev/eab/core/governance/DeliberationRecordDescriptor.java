package dev.eab.core.governance;

/**
 * Layout of the deliberation store's records ({@link DeliberationStore}): one Chronicle document per
 * transition, little-endian, fields written in this order. Fixed header:
 *
 * <pre>
 * offset size field
 *      0    4 MAGIC 0x444C4252 ("DLBR")
 *      4    2 VERSION (1)
 *      6    2 TYPE: 1 HELD, 2 VOTE, 3 DECIDED
 *      8    8 TIMESTAMP_MS (wall clock)
 *     16    … body, by type (strings as Chronicle UTF-8 with a stop-bit length; null allowed)
 * </pre>
 *
 * HELD: id, tenant, sender id, recipient id, flags (int: 1 = zero-allocation message), message type (int),
 * priority (int), correlation id (long), score, threshold, 7 factors (doubles), required votes (int), consensus
 * threshold (double), created-at ms, timeout-at ms (longs), payload length (int) + bytes, then the message as
 * {@code MessageCodec} encodes it. VOTE: id, agent id, choice ordinal (int), reasoning, at ms. DECIDED: id,
 * status ordinal (int), reviewer, reasoning, at ms.
 */
public final class DeliberationRecordDescriptor
{
    public static final int MAGIC = 0x444C4252;
    public static final short VERSION = 1;
    public static final short TYPE_HELD = 1;
    public static final short TYPE_VOTE = 2;
    public static final short TYPE_DECIDED = 3;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 6;
    public static final int TIMESTAMP_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;
    public static final int FLAG_FLYWEIGHT = 1;

    private DeliberationRecordDescriptor()
    {
    }
}
