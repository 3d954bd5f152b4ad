package dev.eab.core.audit;

/**
 * One link of the audit chain: {@code out = BLAKE3(prev || record[offset, offset + length))}. Two
 * implementations that must agree byte for byte ({@link Blake3Native}, Rust {@code blake3} through FFM, and
 * {@link Blake3Java}, Bouncy Castle's {@code Blake3Digest}); proven by {@code AuditHashVectorsTest} (the
 * official BLAKE3 vectors and the chain rows of {@code ffi-headers/blake3_vectors.csv}) and
 * {@code Blake3DifferentialTest}.
 *
 * <p>Threading: an instance belongs to one thread (the audit writer, or a verifier); it may keep scratch state.
 */
public interface ChainHasher
{
    /** Bytes in a BLAKE3 hash and in a chain link. */
    int HASH_LENGTH = 32;

    /**
     * Computes one chain link. {@code out} may be the same array as {@code prev}.
     *
     * @throws IllegalStateException when the implementation fails (a native error code); never a wrong hash.
     */
    void step(byte[] prev, byte[] record, int offset, int length, byte[] out);

    /** Plain BLAKE3 of {@code data[offset, offset + length)} into {@code out} (32 bytes). */
    void hash(byte[] data, int offset, int length, byte[] out);

    /** @return "native" or "java". */
    String name();
}
