package dev.eab.core.audit;

import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;

/**
 * The pure-Java twin of {@link Blake3Native}. The version-2 (keyed) step of records up to one BLAKE3 chunk
 * (1024 bytes: every ordinary decision record) runs in {@link Blake3Keyed}, hand-written and allocation-free;
 * longer records and the version-1 step use Bouncy Castle's {@link Blake3Digest} (one instance reset per
 * call; a keyed step over a long record allocates its parameters). Single-threaded (see {@link ChainHasher}).
 */
public final class Blake3Java implements ChainHasher
{
    private final Blake3Digest digest = new Blake3Digest(HASH_LENGTH * Byte.SIZE);
    private final Blake3Digest keyedDigest = new Blake3Digest(HASH_LENGTH * Byte.SIZE);
    private final Blake3Keyed keyed = new Blake3Keyed();
    private final byte[] key = new byte[HASH_LENGTH];

    @Override
    public void keyedStep(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        if (length <= Blake3Keyed.CHUNK_LENGTH)
        {
            keyed.keyedHash(prev, record, offset, length, out, 0);
            return;
        }
        keyedReference(prev, record, offset, length, out);
    }

    /** The keyed step through Bouncy Castle, for any length: the reference {@link Blake3Keyed} is tested against. */
    public void keyedReference(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        System.arraycopy(prev, 0, key, 0, HASH_LENGTH);
        keyedDigest.init(Blake3Parameters.key(key));
        keyedDigest.update(record, offset, length);
        keyedDigest.doFinal(out, 0);
    }

    @Override
    public void step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        digest.reset();
        digest.update(prev, 0, HASH_LENGTH);
        digest.update(record, offset, length);
        digest.doFinal(out, 0);
    }

    @Override
    public void hash(final byte[] data, final int offset, final int length, final byte[] out)
    {
        digest.reset();
        digest.update(data, offset, length);
        digest.doFinal(out, 0);
    }

    /** The extended output (XOF), for the official vectors' longer outputs. */
    public void hashExtended(final byte[] data, final int offset, final int length, final byte[] out)
    {
        digest.reset();
        digest.update(data, offset, length);
        digest.doFinal(out, 0, out.length);
    }

    @Override
    public String name()
    {
        return "java";
    }
}
