package dev.eab.api;

import dev.eab.api.exception.MessageValidationException;
import dev.eab.api.exception.ThrowableText;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The values a message's maps ({@code content}, {@code payload}, {@code metadata},
 * {@code security_context}, {@code performance_metrics}) may hold, and the copy that freezes them when a
 * message is built, so that what the bus validated is what it delivers.
 *
 * <p>Accepted, the JSON-like set: {@code null}; {@link Boolean}; the immutable numbers {@link Byte},
 * {@link Short}, {@link Integer}, {@link Long}, {@link Float}, {@link Double}, {@link BigInteger} and
 * {@link BigDecimal} (exactly those classes: a subclass or an {@code AtomicLong} could change); {@link String};
 * a {@link Map} with {@code String} keys; a {@link List}; and {@code byte[]}. Maps and lists are copied
 * into unmodifiable ones, byte arrays are copied (treat the copy you get back as read-only). Anything
 * else (a {@code Set}, an {@code Object[]}, a {@code StringBuilder}, any other object) is refused with a
 * {@link MessageValidationException} that names the path ({@code content.steps[2].args}) and the type.
 *
 * <p>The copy is iterative (no recursion, so no {@link StackOverflowError} whatever the input), refuses
 * cycles, nesting deeper than {@link #MAX_DEPTH} and more than {@link #MAX_VALUES} values per map, and
 * estimates the JSON size in a {@code long} that saturates instead of overflowing. The bus then applies
 * its own, configurable, tighter limits ({@code maxNestingDepth}, {@code maxKeys}, {@code maxStringLength}).
 */
public final class ContentValues
{
    /**
     * Deepest nesting any message may be built with: the content map itself is level 1. The bus's
     * {@code maxNestingDepth} (default 50) cannot be set above it. It bounds the recursion of whatever
     * walks a built message later ({@code equals}, serialisers).
     */
    public static final int MAX_DEPTH = 1_000;
    /** Most values (map entries and list elements, at every level) one map may hold in total. */
    public static final int MAX_VALUES = 1_000_000;
    /** The accepted types, as the error texts name them. */
    public static final String ACCEPTED_TYPES =
        "null, Boolean, Byte, Short, Integer, Long, Float, Double, BigInteger, BigDecimal, String, Map with String keys, List, byte[]";

    private static final long NULL_SIZE = 4;
    private static final long SCALAR_SIZE = 8;
    private static final long QUOTES_SIZE = 2;
    private static final long BRACES_SIZE = 2;
    private static final long KEY_OVERHEAD_SIZE = 4;
    private static final long SEPARATOR_SIZE = 1;

    private ContentValues()
    {
    }

    /** @return true when {@code v} is one of the accepted scalar types (not a map, list or byte array). */
    public static boolean isScalar(final Object v)
    {
        if (v == null || v instanceof String || v instanceof Boolean)
        {
            return true;
        }
        final Class<?> c = v.getClass();
        return c == Integer.class || c == Long.class || c == Double.class || c == Float.class || c == Short.class || c == Byte.class ||
            c == BigInteger.class || c == BigDecimal.class;
    }

    /**
     * Deep equality over accepted values: maps and lists element by element, byte arrays by content.
     * Recursion is bounded by {@link #MAX_DEPTH}, as every built value is.
     */
    public static boolean deepEquals(final Object a, final Object b)
    {
        if (a == b)
        {
            return true;
        }
        if (a instanceof byte[] x && b instanceof byte[] y)
        {
            return Arrays.equals(x, y);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y)
        {
            if (x.size() != y.size())
            {
                return false;
            }
            for (final Map.Entry<?, ?> e : x.entrySet())
            {
                if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey())))
                {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y)
        {
            if (x.size() != y.size())
            {
                return false;
            }
            final Iterator<?> i = x.iterator();
            final Iterator<?> j = y.iterator();
            while (i.hasNext())
            {
                if (!deepEquals(i.next(), j.next()))
                {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /**
     * Freezes one of a message's maps.
     *
     * @param messageId the message's id, for the error.
     * @param field     the field's wire name ({@code content}), the root of error paths.
     * @param source    the sender's map, or null.
     * @return an unmodifiable deep copy (an empty map for null or empty); a map frozen before is shared.
     * @throws MessageValidationException naming the path and the problem.
     */
    static Map<String, Object> freeze(final String messageId, final String field, final Map<String, ?> source)
    {
        if (source == null || source instanceof FrozenMap)
        {
            return source == null ? FrozenMap.EMPTY : cast(source);
        }
        try
        {
            return new Copier(messageId, field).copy(source);
        }
        catch (final MessageValidationException e)
        {
            throw e;
        }
        catch (final RuntimeException | StackOverflowError e)
        {
            // The sender's own map or list threw while being read (a concurrent modification, a broken
            // iterator): the message cannot be built from it.
            throw invalid(messageId, field + " could not be read: " + ThrowableText.describe(e));
        }
    }

    /** @return the estimated JSON size of a map returned by {@link #freeze}, in bytes. */
    static long sizeOf(final Map<String, Object> frozen)
    {
        return frozen instanceof FrozenMap f ? f.sizeBytes : BRACES_SIZE;
    }

    /** @return {@code a + b}, or {@link Long#MAX_VALUE} instead of overflowing (sizes are never negative). */
    static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    static MessageValidationException invalid(final String messageId, final String error)
    {
        return new MessageValidationException(messageId, List.of(error));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(final Map<String, ?> m)
    {
        return (Map<String, Object>)m;
    }

    /** One map or list being copied: the explicit stack frame of the iterative walk. */
    private static final class Frame
    {
        final Frame parent;
        final Object source;
        final Iterator<?> iterator;
        final Object keyInParent;
        final int depth;
        final LinkedHashMap<String, Object> map;
        final ArrayList<Object> list;
        long sizeBytes = BRACES_SIZE;
        /** Values below this one, at every level. */
        int values;
        /** Levels below this one: 0 while it holds only scalars. */
        int childHeight;
        int nextIndex;

        Frame(final Frame parent, final Object source, final Object keyInParent, final int depth)
        {
            this.parent = parent;
            this.source = source;
            this.keyInParent = keyInParent;
            this.depth = depth;
            if (source instanceof Map<?, ?> m)
            {
                this.map = new LinkedHashMap<>(Math.max(4, m.size() * 2));
                this.list = null;
                this.iterator = m.entrySet().iterator();
            }
            else
            {
                final List<?> l = (List<?>)source;
                this.map = null;
                this.list = new ArrayList<>(l.size());
                this.iterator = l.iterator();
            }
        }

        /**
         * @param count  values the added one stands for: itself and, for a map or list, everything in it.
         * @param height the added value's own levels: 0 for a scalar, 1 for a map of scalars.
         */
        void add(final Object key, final Object frozen, final long size, final int count, final int height)
        {
            childHeight = Math.max(childHeight, height);
            if (map != null)
            {
                map.put((String)key, frozen);
                sizeBytes = saturatedAdd(sizeBytes, saturatedAdd(((String)key).length() + KEY_OVERHEAD_SIZE, size));
            }
            else
            {
                list.add(frozen);
                sizeBytes = saturatedAdd(sizeBytes, saturatedAdd(size, SEPARATOR_SIZE));
            }
            values += count;
        }
    }

    /** The iterative deep copy; one per freeze. */
    private static final class Copier
    {
        private final String messageId;
        private final String field;
        private final IdentityHashMap<Object, Boolean> onPath = new IdentityHashMap<>();
        private long total;

        Copier(final String messageId, final String field)
        {
            this.messageId = messageId;
            this.field = field;
        }

        FrozenMap copy(final Map<String, ?> source)
        {
            Frame top = new Frame(null, source, null, 1);
            onPath.put(source, Boolean.TRUE);
            while (true)
            {
                if (top.iterator.hasNext())
                {
                    final Object next = top.iterator.next();
                    final Object key;
                    final Object value;
                    if (top.map != null)
                    {
                        final Map.Entry<?, ?> e = (Map.Entry<?, ?>)next;
                        final Object k = e.getKey();
                        if (!(k instanceof String))
                        {
                            throw invalid(messageId, path(top, null) + " has a key of type " + typeOf(k) + ": map keys must be strings");
                        }
                        key = k;
                        value = e.getValue();
                    }
                    else
                    {
                        key = top.nextIndex;
                        value = next;
                    }
                    top.nextIndex++;
                    count(1);
                    top = visit(top, key, value);
                }
                else
                {
                    onPath.remove(top.source);
                    final int height = top.childHeight + 1;
                    final Object frozen = top.map != null ? new FrozenMap(top.map, top.sizeBytes, height, top.values)
                        : new FrozenList(top.list, top.sizeBytes, height, top.values);
                    if (top.parent == null)
                    {
                        return (FrozenMap)frozen;
                    }
                    top.parent.add(top.keyInParent, frozen, top.sizeBytes, top.values + 1, height);
                    top = top.parent;
                }
            }
        }

        /** @return the frame to continue with: a new child frame for a map or list, else {@code top}. */
        private Frame visit(final Frame top, final Object key, final Object value)
        {
            if (value instanceof Frozen f)
            {
                // Frozen before (another message's content): immutable, so shared, not copied.
                checkDepth(top, key, top.depth + f.height());
                count(f.valueCount());
                top.add(key, value, f.sizeBytes(), f.valueCount() + 1, f.height());
                return top;
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>)
            {
                checkDepth(top, key, top.depth + 1);
                if (onPath.put(value, Boolean.TRUE) != null)
                {
                    throw invalid(messageId, path(top, key) + " contains itself (a cycle): content must be a tree");
                }
                return new Frame(top, value, key, top.depth + 1);
            }
            if (value instanceof byte[] bytes)
            {
                top.add(key, bytes.clone(), bytes.length, 1, 0);
                return top;
            }
            if (!isScalar(value))
            {
                throw invalid(messageId, path(top, key) + " is a " + typeOf(value) + ", which a message cannot carry; accepted: " + ACCEPTED_TYPES);
            }
            top.add(key, value, value == null ? NULL_SIZE : value instanceof String s ? s.length() + QUOTES_SIZE : SCALAR_SIZE, 1, 0);
            return top;
        }

        private void count(final long added)
        {
            total += added;
            if (total > MAX_VALUES)
            {
                throw invalid(messageId, field + " holds more than " + MAX_VALUES + " values");
            }
        }

        private void checkDepth(final Frame top, final Object key, final int depth)
        {
            if (depth > MAX_DEPTH)
            {
                throw invalid(messageId, path(top, key) + " is nested deeper than " + MAX_DEPTH + " levels");
            }
        }

        /** @return the path of {@code key} inside {@code frame}, e.g. {@code content.steps[2].args}; built only for errors. */
        private String path(final Frame frame, final Object key)
        {
            final ArrayList<Object> keys = new ArrayList<>();
            if (key != null)
            {
                keys.add(key);
            }
            for (Frame f = frame; f.parent != null; f = f.parent)
            {
                keys.add(f.keyInParent);
            }
            final StringBuilder sb = new StringBuilder(field);
            for (int i = keys.size() - 1; i >= 0; i--)
            {
                final Object k = keys.get(i);
                if (k instanceof Integer index)
                {
                    sb.append('[').append(index).append(']');
                }
                else
                {
                    sb.append('.').append(k);
                }
            }
            return sb.toString();
        }

        private static String typeOf(final Object v)
        {
            return v == null ? "null" : v.getClass().getName();
        }
    }

    /** What a frozen map or list knows about itself, so sharing it needs no second walk. */
    private interface Frozen
    {
        long sizeBytes();

        /** Levels: 1 for a map or list of scalars. */
        int height();

        /** Values inside, at every level. */
        int valueCount();
    }

    /** An unmodifiable, deep-frozen map; insertion-ordered. */
    private static final class FrozenMap extends AbstractMap<String, Object> implements Frozen
    {
        static final FrozenMap EMPTY = new FrozenMap(new LinkedHashMap<>(), BRACES_SIZE, 1, 0);

        private final Map<String, Object> map;
        private final long sizeBytes;
        private final int height;
        private final int values;

        FrozenMap(final LinkedHashMap<String, Object> map, final long sizeBytes, final int height, final int values)
        {
            this.map = Collections.unmodifiableMap(map);
            this.sizeBytes = sizeBytes;
            this.height = height;
            this.values = values;
        }

        @Override public Set<Entry<String, Object>> entrySet() { return map.entrySet(); }
        @Override public Object get(final Object key) { return map.get(key); }
        @Override public boolean containsKey(final Object key) { return map.containsKey(key); }
        @Override public int size() { return map.size(); }
        @Override public long sizeBytes() { return sizeBytes; }
        @Override public int height() { return height; }
        @Override public int valueCount() { return values; }
    }

    /** An unmodifiable, deep-frozen list. */
    private static final class FrozenList extends AbstractList<Object> implements Frozen, RandomAccess
    {
        private final List<Object> list;
        private final long sizeBytes;
        private final int height;
        private final int values;

        FrozenList(final ArrayList<Object> list, final long sizeBytes, final int height, final int values)
        {
            this.list = list;
            this.sizeBytes = sizeBytes;
            this.height = height;
            this.values = values;
        }

        @Override public Object get(final int index) { return list.get(index); }
        @Override public int size() { return list.size(); }
        @Override public long sizeBytes() { return sizeBytes; }
        @Override public int height() { return height; }
        @Override public int valueCount() { return values; }
    }
}
