package dev.eab.core.guard;

import dev.eab.api.RejectReason;

import java.util.Collection;
import java.util.Map;

/**
 * One walk over a message's content that enforces the input limits (nesting depth, total keys, string
 * length) and gathers every key and string, UTF-8 encoded and newline separated, into a reusable buffer
 * for the content scanner. Bus thread only; the buffer grows to the largest content seen, then stays.
 *
 * <p>Recursion stops one level past the depth limit, so hostile nesting cannot exhaust the stack here.
 */
public final class ContentInspector
{
    private static final int INITIAL_BUFFER_BYTES = 4096;

    private final int maxDepth;
    private final int maxKeys;
    private final int maxStringLength;
    private byte[] text = new byte[INITIAL_BUFFER_BYTES];
    private int textLength;
    private int keys;
    private RejectReason violation;
    private long violationValue;

    public ContentInspector(final int maxDepth, final int maxKeys, final int maxStringLength)
    {
        this.maxDepth = maxDepth;
        this.maxKeys = maxKeys;
        this.maxStringLength = maxStringLength;
    }

    /**
     * Inspects {@code content}.
     *
     * @return {@link RejectReason#NONE} when within every limit, else the first limit broken
     * ({@link #violationValue()} tells the value found).
     */
    public RejectReason inspect(final Map<String, ?> content)
    {
        textLength = 0;
        keys = 0;
        violation = RejectReason.NONE;
        violationValue = 0;
        walk(content, 1);
        return violation;
    }

    /** @return the value that broke the limit: the depth reached, the key count, or the string length. */
    public long violationValue()
    {
        return violationValue;
    }

    /** @return the gathered text (valid up to {@link #textLength()}); overwritten by the next inspection. */
    public byte[] text()
    {
        return text;
    }

    public int textLength()
    {
        return textLength;
    }

    private void walk(final Object value, final int depth)
    {
        if (violation != RejectReason.NONE)
        {
            return;
        }
        if (value instanceof Map<?, ?> map)
        {
            if (!enter(depth))
            {
                return;
            }
            keys += map.size();
            if (keys > maxKeys)
            {
                fail(RejectReason.TOO_MANY_KEYS, keys);
                return;
            }
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                string(String.valueOf(e.getKey()));
                walk(e.getValue(), depth + 1);
            }
        }
        else if (value instanceof Collection<?> list)
        {
            if (!enter(depth))
            {
                return;
            }
            for (final Object o : list)
            {
                walk(o, depth + 1);
            }
        }
        else if (value instanceof Object[] array)
        {
            if (!enter(depth))
            {
                return;
            }
            for (final Object o : array)
            {
                walk(o, depth + 1);
            }
        }
        else if (value instanceof CharSequence s)
        {
            string(s);
        }
        else if (value instanceof byte[] bytes)
        {
            bytes(bytes);
        }
    }

    /** Byte arrays are scanned as they are, like a zero-allocation message's payload. */
    private void bytes(final byte[] b)
    {
        if (violation != RejectReason.NONE)
        {
            return;
        }
        if (b.length > maxStringLength)
        {
            fail(RejectReason.STRING_TOO_LONG, b.length);
            return;
        }
        ensure(textLength + b.length + 1);
        System.arraycopy(b, 0, text, textLength, b.length);
        textLength += b.length;
        text[textLength++] = '\n';
    }

    private boolean enter(final int depth)
    {
        if (depth > maxDepth)
        {
            fail(RejectReason.NESTING_TOO_DEEP, depth);
            return false;
        }
        return true;
    }

    private void fail(final RejectReason reason, final long value)
    {
        violation = reason;
        violationValue = value;
    }

    private void string(final CharSequence s)
    {
        if (violation != RejectReason.NONE)
        {
            return;
        }
        final int n = s.length();
        if (n > maxStringLength)
        {
            fail(RejectReason.STRING_TOO_LONG, n);
            return;
        }
        ensure(textLength + n * 3 + 1);
        final byte[] b = text;
        int p = textLength;
        for (int i = 0; i < n; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                b[p++] = (byte)c;
            }
            else if (c < 0x800)
            {
                b[p++] = (byte)(0xC0 | (c >> 6));
                b[p++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte)(0xF0 | (cp >> 18));
                b[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte)(0x80 | (cp & 0x3F));
            }
            else if (Character.isSurrogate(c))
            {
                // A lone surrogate has no UTF-8 form: '?' as Java's own encoder writes.
                b[p++] = '?';
            }
            else
            {
                b[p++] = (byte)(0xE0 | (c >> 12));
                b[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        b[p++] = '\n';
        textLength = p;
    }

    private void ensure(final int capacity)
    {
        if (capacity > text.length)
        {
            text = java.util.Arrays.copyOf(text, Math.max(capacity, text.length * 2));
        }
    }
}
