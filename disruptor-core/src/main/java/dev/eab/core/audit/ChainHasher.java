package dev.eab.core.audit;

/**
 * One link of the audit chain. Two chain versions, told apart by the record's magic
 * ({@link AuditRecordDescriptor}):
 * <ul>
 *   <li>version 2 (records written now, magic "EAB2"): {@link #keyedStep}
 *   {@code out = BLAKE3-keyed(key = prev, record)}: the previous link is the key, so a 256-byte record costs
 *   4 BLAKE3 blocks instead of 5;</li>
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

    /** Plain BLAKE3 of {@code data[offset, offset + length)} into {@code out} (32 bytes). */
    void hash(byte[] data, int offset, int length, byte[] out);

    /** @return "native" or "java". */
    String name();
}
