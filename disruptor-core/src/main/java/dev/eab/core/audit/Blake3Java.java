package dev.eab.core.audit;

import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * The pure-Java twin of {@link Blake3Native}: Bouncy Castle's {@link Blake3Digest}, one instance reset per
 * call, so a step allocates nothing. Single-threaded (see {@link ChainHasher}).
 */
public final class Blake3Java implements ChainHasher
{
    private final Blake3Digest digest = new Blake3Digest(HASH_LENGTH * Byte.SIZE);

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
