package dev.eab.core.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte layout of one audit record, the only place it is described. One Chronicle document holds one
 * record; all integers little-endian:
 *
 * <pre>
 *  offset  size  field
 *       0     4  MAGIC            0x31424145 ("EAB1")
 *       4     4  KIND             {@link AuditKind#code()}
 *       8     8  SEQUENCE         record number, from 0, no gaps
 *      16     8  TIMESTAMP_NS     epoch nanoseconds
 *      24     8  RISK_SCORE       IEEE double; NaN when none
 *      32     4  REASON_CODE      RejectReason code, 0 unless REJECT
 *      36     4  BODY_LENGTH      bytes of body that follow
 *      40     n  BODY             strings: int32 byte length + UTF-8, in this order: trace id, span id,
 *                                 agent id, tenant id, policy version, decision, constitutional hash;
 *                                 then int32 tag count + that many strings; then int32 metadata count +
 *                                 that many key, value string pairs
 *  40 + n    32  HASH             BLAKE3(previous record's HASH || bytes [0, 40 + n)); the first record's
 *                                 previous hash is {@link #GENESIS} (32 zero bytes)
 * </pre>
 *
 * Because the sequence is inside the hashed bytes and each hash covers the previous one, an edited byte
 * changes that record's hash, and a deleted, inserted or reordered record breaks the sequence or the link.
 * Only a cut tail leaves a valid chain: the anchor file ({@link AuditAnchor}) catches that.
 */
public final class AuditRecordDescriptor
{
    public static final int MAGIC = 0x31424145;
    public static final int MAGIC_OFFSET = 0;
    public static final int KIND_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int TIMESTAMP_NS_OFFSET = 16;
    public static final int RISK_SCORE_OFFSET = 24;
    public static final int REASON_CODE_OFFSET = 32;
    public static final int BODY_LENGTH_OFFSET = 36;
    public static final int HEADER_LENGTH = 40;
    public static final int HASH_LENGTH = ChainHasher.HASH_LENGTH;
    /** A record's body is bounded so a damaged length cannot make a reader allocate gigabytes. */
    public static final int MAX_BODY_LENGTH = 1 << 20;
    /** The link before the first record. */
    public static final byte[] GENESIS = new byte[HASH_LENGTH];

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private AuditRecordDescriptor()
    {
    }

    /**
     * A reusable encoding buffer: one per writer thread. {@link #encode} leaves the record (without its hash)
     * in {@link #bytes()}[0, {@link #length()}); the caller hashes it and appends the hash.
     */
    public static final class Encoder
    {
        private byte[] buf = new byte[512];
        private int pos;

        /** @return the record's bytes, header and body (the hash is not included). */
        public int encode(final long sequence, final AuditEntry e)
        {
            pos = HEADER_LENGTH;
            string(e.traceId());
            string(e.spanId());
            string(e.agentId());
            string(e.tenantId());
            string(e.policyVersion());
            string(e.decision());
            string(e.constitutionalHash());
            int32(e.complianceTags().size());
            for (final String t : e.complianceTags())
            {
                string(t);
            }
            int32(e.metadata().size());
            for (final Map.Entry<String, String> m : e.metadata().entrySet())
            {
                string(m.getKey());
                string(m.getValue());
            }
            final int bodyLength = pos - HEADER_LENGTH;
            INT.set(buf, MAGIC_OFFSET, MAGIC);
            INT.set(buf, KIND_OFFSET, e.kind().code());
            LONG.set(buf, SEQUENCE_OFFSET, sequence);
            LONG.set(buf, TIMESTAMP_NS_OFFSET, e.timestampNanos());
            DOUBLE.set(buf, RISK_SCORE_OFFSET, e.riskScore());
            INT.set(buf, REASON_CODE_OFFSET, e.reasonCode());
            INT.set(buf, BODY_LENGTH_OFFSET, bodyLength);
            ensure(HASH_LENGTH);
            return pos;
        }

        /** @return the buffer; valid up to the last {@link #encode} result, with room for the hash after it. */
        public byte[] bytes()
        {
            return buf;
        }

        private void string(final String s)
        {
            // ASCII (ids, tenants, hashes, decisions: nearly every string) is copied char by char with no
            // allocation; anything else goes through the JDK's UTF-8 encoder.
            final int n = s.length();
            ensure(4 + n);
            final int lengthAt = pos;
            int p = pos + 4;
            for (int i = 0; i < n; i++)
            {
                final char c = s.charAt(i);
                if (c >= 0x80)
                {
                    final byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    pos = lengthAt;
                    int32(b.length);
                    ensure(b.length);
                    System.arraycopy(b, 0, buf, pos, b.length);
                    pos += b.length;
                    return;
                }
                buf[p++] = (byte)c;
            }
            INT.set(buf, lengthAt, n);
            pos = p;
        }

        private void int32(final int v)
        {
            ensure(4);
            INT.set(buf, pos, v);
            pos += 4;
        }

        private void ensure(final int more)
        {
            if (pos + more > buf.length)
            {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }
    }

    /** @return the total stored length (header + body + hash) the record's header claims. */
    public static int storedLength(final byte[] record)
    {
        return HEADER_LENGTH + (int)INT.get(record, BODY_LENGTH_OFFSET) + HASH_LENGTH;
    }

    /**
     * Decodes a stored record (header, body, hash).
     *
     * @throws AuditFormatException when the bytes are not a well-formed record.
     */
    public static AuditRecord decode(final byte[] record, final int length)
    {
        if (length < HEADER_LENGTH + HASH_LENGTH)
        {
            throw new AuditFormatException("record of " + length + " bytes is shorter than the " + (HEADER_LENGTH + HASH_LENGTH) + "-byte minimum");
        }
        final int magic = (int)INT.get(record, MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new AuditFormatException("bad magic 0x" + Integer.toHexString(magic));
        }
        final int bodyLength = (int)INT.get(record, BODY_LENGTH_OFFSET);
        if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH || HEADER_LENGTH + bodyLength + HASH_LENGTH != length)
        {
            throw new AuditFormatException("body length " + bodyLength + " does not fit a record of " + length + " bytes");
        }
        final AuditKind kind = AuditKind.fromCode((int)INT.get(record, KIND_OFFSET));
        if (kind == null)
        {
            throw new AuditFormatException("unknown kind " + (int)INT.get(record, KIND_OFFSET));
        }
        final Reader r = new Reader(record, HEADER_LENGTH, HEADER_LENGTH + bodyLength);
        final String traceId = r.string();
        final String spanId = r.string();
        final String agentId = r.string();
        final String tenantId = r.string();
        final String policyVersion = r.string();
        final String decision = r.string();
        final String hash = r.string();
        final int tagCount = r.count();
        final List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++)
        {
            tags.add(r.string());
        }
        final int metaCount = r.count();
        final Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < metaCount; i++)
        {
            meta.put(r.string(), r.string());
        }
        if (r.pos != r.end)
        {
            throw new AuditFormatException((r.end - r.pos) + " unexplained bytes at the end of the body");
        }
        final AuditEntry entry = new AuditEntry(kind, (int)INT.get(record, REASON_CODE_OFFSET), (long)LONG.get(record, TIMESTAMP_NS_OFFSET),
            traceId, spanId, agentId, tenantId, policyVersion, (double)DOUBLE.get(record, RISK_SCORE_OFFSET), decision, hash, tags, meta);
        return new AuditRecord((long)LONG.get(record, SEQUENCE_OFFSET), entry,
            Arrays.copyOfRange(record, HEADER_LENGTH + bodyLength, HEADER_LENGTH + bodyLength + HASH_LENGTH));
    }

    private static final class Reader
    {
        private final byte[] b;
        private final int end;
        private int pos;

        Reader(final byte[] b, final int pos, final int end)
        {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int count()
        {
            if (pos + 4 > end)
            {
                throw new AuditFormatException("body ends inside a count at offset " + pos);
            }
            final int n = (int)INT.get(b, pos);
            pos += 4;
            if (n < 0 || n > end - pos)
            {
                throw new AuditFormatException("count " + n + " at offset " + (pos - 4) + " does not fit the body");
            }
            return n;
        }

        String string()
        {
            final int n = count();
            final String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
