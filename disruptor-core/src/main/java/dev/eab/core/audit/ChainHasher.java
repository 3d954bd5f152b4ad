package dev.eab.core.audit;

/**
 * One link of the audit chain. Three chain versions, told apart by the record's magic
 * ({@link AuditRecordDescriptor}):
 * <ul>
 *   <li>version 3 (records written now, magic "EAB3"): {@link #v3Step} / {@link #chainBatchV3}
 *   <pre>
 *   leaf_i = BLAKE3(record_i)                          the plain hash of the record's bytes
 *   link_i = BLAKE3-keyed(key = link_{i-1}, leaf_i)    one 32-byte block: a single compression
 *   </pre>
 *   {@code link_{i-1}} is the previous record's stored hash, whatever its version (genesis: 32 zero bytes).
 *   Nothing else is bound in, because nothing else is needed: the sequence number, kind and body length are
 *   inside the record's bytes (so inside its leaf), BLAKE3 binds the input length, and the magic is hashed too,
 *   so a record's version cannot be switched without breaking its hash. Why: a version-2 link is 4
 *   compressions in sequence for a 256-byte record; here only the last compression is sequential, and the
 *   leaves of a batch are independent, so they are hashed 16 (or 8) records at a time in SIMD lanes
 *   ({@code native-rust/src/chain3.rs}, {@link Blake3Lanes});</li>
 *   <li>version 2 (logs written before, magic "EAB2"): {@link #keyedStep}
 *   {@code out = BLAKE3-keyed(key = prev, record)}: the previous link is the key, so a 256-byte record costs
 *   4 BLAKE3 blocks instead of 5; still read, verified and continued;</li>
 *   <li>version 1 (logs written before, magic "EAB1"): {@link #step} {@code out = BLAKE3(prev || record)},
 *   kept so old logs still verify.</li>
 * </ul>
 * Two implementations that must agree byte for byte ({@link Blake3Native}, Rust {@code blake3} through FFM,
 * and {@link Blake3Java}, a hand-written keyed BLAKE3 with Bouncy Castle's {@code Blake3Digest} as the
 * reference and for long records); proven by {@code AuditHashVectorsTest} (the official BLAKE3 vectors and
 * the chain rows of {@code ffi-headers/blake3_vectors.csv}) and {@code Blake3DifferentialTest}.
 *
 * <p>Threading: an instance belongs to one thread (the audit writer, or a verifier); it may keep scratch state.
 */
public interface ChainHasher
{
    /** Bytes in a BLAKE3 hash and in a chain link. */
    int HASH_LENGTH = 32;

    /**
     * Version 1 link: {@code out = BLAKE3(prev || record[offset, offset + length))}. {@code out} may be {@code prev}.
     *
     * @throws IllegalStateException when the implementation fails (a native error code); never a wrong hash.
     */
    void step(byte[] prev, byte[] record, int offset, int length, byte[] out);

    /**
     * Version 2 link: {@code out = BLAKE3-keyed(key = prev, record[offset, offset + length))}. {@code out} may be {@code prev}.
     *
     * @throws IllegalStateException when the implementation fails (a native error code); never a wrong hash.
     */
    void keyedStep(byte[] prev, byte[] record, int offset, int length, byte[] out);

    /**
     * Chains {@code count} version-2 records in sequence: {@code buf} holds them back to back from 0, each
     * followed by a 32-byte slot that receives its link ({@code lengths[i]} bytes of record, then 32); {@code link}
     * is the key of the first on entry and the last record's hash on return. The native hasher does the whole
     * batch in one FFM call.
     *
     * @throws IndexOutOfBoundsException when the lengths do not fit {@code buf} (nothing is written).
     */
    default void chainBatch(final byte[] link, final byte[] buf, final int[] lengths, final int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            if (lengths[i] < 0)
            {
                throw new IndexOutOfBoundsException("record " + i + " has length " + lengths[i]);
            }
            total += lengths[i] + HASH_LENGTH;
        }
        if (total > buf.length)
        {
            throw new IndexOutOfBoundsException(count + " records need " + total + " bytes, the buffer has " + buf.length);
        }
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            final int end = offset + lengths[i];
            keyedStep(link, buf, offset, lengths[i], link);
            System.arraycopy(link, 0, buf, end, HASH_LENGTH);
            offset = end + HASH_LENGTH;
        }
    }

    /**
     * Version 3 link: {@code out = BLAKE3-keyed(key = prev, BLAKE3(record[offset, offset + length)))}.
     * {@code out} may be {@code prev}.
     *
     * @throws IllegalStateException when the implementation fails (a native error code); never a wrong hash.
     */
    default void v3Step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        final byte[] leaf = new byte[HASH_LENGTH];
        hash(record, offset, length, leaf);
        keyedStep(prev, leaf, 0, HASH_LENGTH, out);
    }

    /**
     * As {@link #chainBatch}, with version-3 links (records with magic "EAB3"): the leaves of the batch are
     * independent, so implementations hash many at a time; the links follow in order. The native hasher does
     * the whole batch in one FFM call.
     *
     * @throws IndexOutOfBoundsException when the lengths do not fit {@code buf} (nothing is written).
     */
    default void chainBatchV3(final byte[] link, final byte[] buf, final int[] lengths, final int count)
    {
        checkBatch(buf, lengths, count);
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            final int end = offset + lengths[i];
            v3Step(link, buf, offset, lengths[i], link);
            System.arraycopy(link, 0, buf, end, HASH_LENGTH);
            offset = end + HASH_LENGTH;
        }
    }

    /**
     * The link of one stored record by the chain version its magic names ({@link AuditRecordDescriptor#chainVersion}):
     * what the verifier recomputes. {@code out} may be {@code prev}.
     *
     * @throws IllegalArgumentException when the record carries no known magic.
     */
    default void linkRecord(final byte[] prev, final byte[] record, final int length, final byte[] out)
    {
        switch (AuditRecordDescriptor.chainVersion(record))
        {
            case 3 -> v3Step(prev, record, 0, length, out);
            case 2 -> keyedStep(prev, record, 0, length, out);
            case 1 -> step(prev, record, 0, length, out);
            default -> throw new IllegalArgumentException("no chain version: the record's magic is unknown");
        }
    }

    /**
     * Checks that {@code count} records of {@code lengths}, each followed by its hash slot, fit {@code buf}.
     *
     * @throws IndexOutOfBoundsException when they do not.
     */
    static void checkBatch(final byte[] buf, final int[] lengths, final int count)
    {
        if (count < 0 || count > lengths.length)
        {
            throw new IndexOutOfBoundsException(count + " records of " + lengths.length + " lengths");
        }
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            if (lengths[i] < 0)
            {
                throw new IndexOutOfBoundsException("record " + i + " has length " + lengths[i]);
            }
            total += lengths[i] + HASH_LENGTH;
        }
        if (total > buf.length)
        {
            throw new IndexOutOfBoundsException(count + " records need " + total + " bytes, the buffer has " + buf.length);
        }
    }

    /** Plain BLAKE3 of {@code data[offset, offset + length)} into {@code out} (32 bytes). */
    void hash(byte[] data, int offset, int length, byte[] out);

    /** @return "native" or "java". */
    String name();
}
