package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.api.RoutingContext;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary form of a whole {@link AgentMessage} in the journal: every field {@link AgentMessage#toMap()}
 * has, in that order, so {@link #decode} restores an equal message (same id, content, timestamps).
 *
 * <p>Layout: strings as Chronicle's stop-bit-length UTF-8 (null allowed); enums as one byte (ordinal);
 * instants as epoch second (long) + nano (int); maps as a stop-bit count then entries; content values
 * tagged with one byte ({@code TAG_*}). Content holds only {@link dev.eab.api.ContentValues}, whose depth is
 * bounded, so the recursive encoder cannot overflow the stack.
 */
public final class MessageCodec
{
    /** Format version written first, so a later layout can still read this one. */
    public static final byte VERSION = 1;

    static final byte TAG_NULL = 0;
    static final byte TAG_FALSE = 1;
    static final byte TAG_TRUE = 2;
    static final byte TAG_INT = 3;
    static final byte TAG_LONG = 4;
    static final byte TAG_DOUBLE = 5;
    static final byte TAG_FLOAT = 6;
    static final byte TAG_SHORT = 7;
    static final byte TAG_BYTE = 8;
    static final byte TAG_BIG_INTEGER = 9;
    static final byte TAG_BIG_DECIMAL = 10;
    static final byte TAG_STRING = 11;
    static final byte TAG_MAP = 12;
    static final byte TAG_LIST = 13;
    static final byte TAG_BYTES = 14;

    private MessageCodec()
    {
    }

    public static void encode(final AgentMessage m, final BytesOut<?> out)
    {
        out.writeByte(VERSION);
        out.writeUtf8(m.messageId());
        out.writeUtf8(m.conversationId());
        writeMap(m.content(), out);
        writeMap(m.payload(), out);
        out.writeUtf8(m.fromAgent());
        out.writeUtf8(m.toAgent());
        out.writeUtf8(m.senderId());
        out.writeByte((byte)m.messageType().ordinal());
        final RoutingContext r = m.routing();
        out.writeBoolean(r != null);
        if (r != null)
        {
            out.writeUtf8(r.sourceAgentId());
            out.writeUtf8(r.targetAgentId());
            out.writeUtf8(r.routingKey());
            out.writeStopBit(r.routingTags().size());
            for (final String tag : r.routingTags())
            {
                out.writeUtf8(tag);
            }
            out.writeInt(r.retryCount());
            out.writeInt(r.maxRetries());
            out.writeLong(r.timeoutMs());
        }
        out.writeStopBit(m.headers().size());
        for (final Map.Entry<String, String> h : m.headers().entrySet())
        {
            out.writeUtf8(h.getKey());
            out.writeUtf8(h.getValue());
        }
        out.writeUtf8(m.tenantId());
        writeMap(m.securityContext(), out);
        out.writeByte((byte)m.priority().ordinal());
        out.writeByte((byte)m.status().ordinal());
        out.writeUtf8(m.constitutionalHash());
        writeMap(m.metadata(), out);
        out.writeUtf8(m.pqcSignature());
        out.writeUtf8(m.pqcPublicKey());
        out.writeUtf8(m.pqcAlgorithm());
        writeInstant(m.createdAt(), out);
        writeInstant(m.updatedAt(), out);
        out.writeBoolean(m.expiresAt() != null);
        if (m.expiresAt() != null)
        {
            writeInstant(m.expiresAt(), out);
        }
        out.writeBoolean(m.impactScore() != null);
        if (m.impactScore() != null)
        {
            out.writeDouble(m.impactScore());
        }
        writeMap(m.performanceMetrics(), out);
    }

    /**
     * @throws JournalFormatException when the bytes are not a message of this format.
     */
    public static AgentMessage decode(final BytesIn<?> in)
    {
        final byte version = in.readByte();
        if (version != VERSION)
        {
            throw new JournalFormatException("message record of unknown format version " + version);
        }
        final AgentMessage.Builder b = AgentMessage.builder();
        b.messageId(in.readUtf8());
        b.conversationId(in.readUtf8());
        b.content(readMap(in));
        b.payload(readMap(in));
        b.fromAgent(in.readUtf8());
        b.toAgent(in.readUtf8());
        b.senderId(in.readUtf8());
        b.messageType(MessageType.fromOrdinal(in.readByte()));
        if (in.readBoolean())
        {
            final String source = in.readUtf8();
            final String target = in.readUtf8();
            final String key = in.readUtf8();
            final int tagCount = count(in);
            final List<String> tags = new ArrayList<>(tagCount);
            for (int i = 0; i < tagCount; i++)
            {
                tags.add(in.readUtf8());
            }
            b.routing(new RoutingContext(source, target, key, tags, in.readInt(), in.readInt(), in.readLong()));
        }
        final int headerCount = count(in);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerCount; i++)
        {
            headers.put(in.readUtf8(), in.readUtf8());
        }
        b.headers(headers);
        b.tenantId(in.readUtf8());
        b.securityContext(readMap(in));
        b.priority(Priority.values()[in.readByte()]);
        b.status(MessageStatus.values()[in.readByte()]);
        b.constitutionalHash(in.readUtf8());
        b.metadata(readMap(in));
        b.pqcSignature(in.readUtf8());
        b.pqcPublicKey(in.readUtf8());
        b.pqcAlgorithm(in.readUtf8());
        b.createdAt(readInstant(in));
        b.updatedAt(readInstant(in));
        if (in.readBoolean())
        {
            b.expiresAt(readInstant(in));
        }
        if (in.readBoolean())
        {
            b.impactScore(in.readDouble());
        }
        b.performanceMetrics(readMap(in));
        return b.build();
    }

    private static void writeInstant(final Instant t, final BytesOut<?> out)
    {
        out.writeLong(t.getEpochSecond());
        out.writeInt(t.getNano());
    }

    private static Instant readInstant(final BytesIn<?> in)
    {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeMap(final Map<String, Object> m, final BytesOut<?> out)
    {
        out.writeStopBit(m.size());
        for (final Map.Entry<String, Object> e : m.entrySet())
        {
            out.writeUtf8(e.getKey());
            writeValue(e.getValue(), out);
        }
    }

    private static Map<String, Object> readMap(final BytesIn<?> in)
    {
        final int n = count(in);
        final Map<String, Object> m = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++)
        {
            m.put(in.readUtf8(), readValue(in));
        }
        return m;
    }

    private static void writeValue(final Object v, final BytesOut<?> out)
    {
        switch (v)
        {
            case null -> out.writeByte(TAG_NULL);
            case Boolean bool -> out.writeByte(bool ? TAG_TRUE : TAG_FALSE);
            case Integer i -> out.writeByte(TAG_INT).writeInt(i);
            case Long l -> out.writeByte(TAG_LONG).writeLong(l);
            case Double d -> out.writeByte(TAG_DOUBLE).writeDouble(d);
            case Float f -> out.writeByte(TAG_FLOAT).writeFloat(f);
            case Short s -> out.writeByte(TAG_SHORT).writeShort(s);
            case Byte by -> out.writeByte(TAG_BYTE).writeByte(by);
            case BigInteger bi -> out.writeByte(TAG_BIG_INTEGER).writeUtf8(bi.toString());
            case BigDecimal bd -> out.writeByte(TAG_BIG_DECIMAL).writeUtf8(bd.toString());
            case String s -> out.writeByte(TAG_STRING).writeUtf8(s);
            case byte[] bytes ->
            {
                out.writeByte(TAG_BYTES).writeStopBit(bytes.length);
                out.write(bytes);
            }
            case Map<?, ?> map ->
            {
                out.writeByte(TAG_MAP).writeStopBit(map.size());
                for (final Map.Entry<?, ?> e : map.entrySet())
                {
                    out.writeUtf8((String)e.getKey());
                    writeValue(e.getValue(), out);
                }
            }
            case List<?> list ->
            {
                out.writeByte(TAG_LIST).writeStopBit(list.size());
                for (final Object o : list)
                {
                    writeValue(o, out);
                }
            }
            // A built message holds nothing else (ContentValues); reaching here is a bug, so fail loudly.
            default -> throw new IllegalStateException("not a content value: " + v.getClass().getName());
        }
    }

    private static Object readValue(final BytesIn<?> in)
    {
        final byte tag = in.readByte();
        return switch (tag)
        {
            case TAG_NULL -> null;
            case TAG_FALSE -> Boolean.FALSE;
            case TAG_TRUE -> Boolean.TRUE;
            case TAG_INT -> in.readInt();
            case TAG_LONG -> in.readLong();
            case TAG_DOUBLE -> in.readDouble();
            case TAG_FLOAT -> in.readFloat();
            case TAG_SHORT -> in.readShort();
            case TAG_BYTE -> in.readByte();
            case TAG_BIG_INTEGER -> new BigInteger(in.readUtf8());
            case TAG_BIG_DECIMAL -> new BigDecimal(in.readUtf8());
            case TAG_STRING -> in.readUtf8();
            case TAG_BYTES ->
            {
                final byte[] bytes = new byte[count(in)];
                in.read(bytes);
                yield bytes;
            }
            case TAG_MAP -> readMap(in);
            case TAG_LIST ->
            {
                final int n = count(in);
                final List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++)
                {
                    list.add(readValue(in));
                }
                yield list;
            }
            default -> throw new JournalFormatException("unknown content value tag " + tag);
        };
    }

    private static int count(final BytesIn<?> in)
    {
        final long n = in.readStopBit();
        if (n < 0 || n > Integer.MAX_VALUE || n > in.readRemaining())
        {
            throw new JournalFormatException("implausible count " + n + " with " + in.readRemaining() + " bytes left");
        }
        return (int)n;
    }
}
