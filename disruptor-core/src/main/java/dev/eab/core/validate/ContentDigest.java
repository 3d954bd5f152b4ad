package dev.eab.core.validate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * The content digest in a Rego decision input: MurmurHash3 x64 128 (seed 0) over the message's content, as
 * two longs ({@link #hi()}, {@link #lo()}) and as 32 hex characters (the canonical byte order, the same text
 * as Guava's {@code murmur3_128} and Python's {@code mmh3.hash128(...).to_bytes(16, "little")}).
 *
 * <p>Why not BLAKE3 or SHA-256: the digest is computed for every message that reaches the Rego step, cached or
 * not, and the cached decision must add at most ~100 ns; a cryptographic hash of a few hundred bytes costs that
 * alone. What this gives up: an adversary can craft two contents with the same digest. That cannot make the cache
 * wrong (the cache key is the whole decision input, so a hit returns what the policy would say for that input),
 * but a policy that <em>allows</em> by digest (an allow-list of contents) could be matched by a crafted collision.
 * Policies should decide on sender, role, tenant, type and recipient, and use digests only to deny.
 *
 * <p>Flyweight messages are digested over their payload bytes. A {@code send}'s content map is first written in a
 * canonical form (keys sorted, every value tagged with its kind), so equal maps digest equally whatever their
 * insertion order. Not thread-safe: one instance per thread (the bus thread's allocates nothing once its scratch
 * buffer has grown to the largest content seen).
 */
public final class ContentDigest
{
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Hex characters in {@link #writeHex}'s output. */
    public static final int HEX_LENGTH = 32;

    private long hi;
    private long lo;
    private byte[] scratch = new byte[256];
    private int length;

    /** @return the first 64 bits ({@code h1}). */
    public long hi()
    {
        return hi;
    }

    /** @return the second 64 bits ({@code h2}). */
    public long lo()
    {
        return lo;
    }

    /** Digests {@code len} bytes of {@code data} from {@code off}; read the result with {@link #hi()} / {@link #lo()}. */
    public ContentDigest digest(final byte[] data, final int off, final int len)
    {
        long h1 = 0;
        long h2 = 0;
        final int blocks = len >>> 4;
        for (int i = 0; i < blocks; i++)
        {
            long k1 = (long)LONG_LE.get(data, off + (i << 4));
            long k2 = (long)LONG_LE.get(data, off + (i << 4) + 8);
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        final int tail = off + (blocks << 4);
        final int rest = len & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = rest - 1; i >= 8; i--)
        {
            k2 = (k2 << 8) | (data[tail + i] & 0xFFL);
        }
        if (rest > 8)
        {
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
        }
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--)
        {
            k1 = (k1 << 8) | (data[tail + i] & 0xFFL);
        }
        if (rest > 0)
        {
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
        }
        h1 ^= len;
        h2 ^= len;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        hi = h1;
        lo = h2;
        return this;
    }

    /**
     * Digests a {@code send}'s content in canonical form: maps with their keys sorted, each value tagged
     * ({@code M}ap, {@code L}ist, {@code S}tring, {@code N}umber, {@code B}oolean, {@code Z} null, {@code O}ther
     * as its string form) and length-prefixed, so no two different contents share an encoding.
     */
    public ContentDigest digest(final Map<String, Object> content)
    {
        length = 0;
        encode(content);
        return digest(scratch, 0, length);
    }

    /** Writes the 32 lowercase hex characters of the digest at {@code off}. */
    public void writeHex(final byte[] out, final int off)
    {
        for (int i = 0; i < 8; i++)
        {
            final int b = (int)(hi >>> (i * 8)) & 0xFF;
            out[off + 2 * i] = HEX[b >>> 4];
            out[off + 2 * i + 1] = HEX[b & 15];
        }
        for (int i = 0; i < 8; i++)
        {
            final int b = (int)(lo >>> (i * 8)) & 0xFF;
            out[off + 16 + 2 * i] = HEX[b >>> 4];
            out[off + 16 + 2 * i + 1] = HEX[b & 15];
        }
    }

    /** @return the digest as 32 hex characters (allocates: diagnostics and tests). */
    public String hex()
    {
        final byte[] out = new byte[HEX_LENGTH];
        writeHex(out, 0);
        return new String(out, StandardCharsets.US_ASCII);
    }

    private static long fmix(long k)
    {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private void encode(final Object value)
    {
        if (value instanceof Map<?, ?> m)
        {
            final Object[] keys = m.keySet().toArray();
            final String[] sorted = new String[keys.length];
            for (int i = 0; i < keys.length; i++)
            {
                sorted[i] = String.valueOf(keys[i]);
            }
            Arrays.sort(sorted);
            tag('M', sorted.length);
            for (final String k : sorted)
            {
                text('S', k);
                encode(m.get(k));
            }
        }
        else if (value instanceof Collection<?> c)
        {
            tag('L', c.size());
            for (final Object o : c)
            {
                encode(o);
            }
        }
        else if (value instanceof String s)
        {
            text('S', s);
        }
        else if (value instanceof Number n)
        {
            text('N', n.toString());
        }
        else if (value instanceof Boolean b)
        {
            tag('B', b ? 1 : 0);
        }
        else if (value == null)
        {
            tag('Z', 0);
        }
        else
        {
            text('O', value.toString());
        }
    }

    private void text(final char kind, final String s)
    {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        tag(kind, b.length);
        ensure(b.length);
        System.arraycopy(b, 0, scratch, length, b.length);
        length += b.length;
    }

    private void tag(final char kind, final int n)
    {
        ensure(5);
        scratch[length++] = (byte)kind;
        scratch[length++] = (byte)(n >>> 24);
        scratch[length++] = (byte)(n >>> 16);
        scratch[length++] = (byte)(n >>> 8);
        scratch[length++] = (byte)n;
    }

    private void ensure(final int more)
    {
        if (length + more > scratch.length)
        {
            scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, length + more));
        }
    }
}
