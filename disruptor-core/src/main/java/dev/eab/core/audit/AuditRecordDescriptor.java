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
 * The byte layout of one audit record, the only place it is described. A Chronicle document holds one or
 * more records back to back (the writer puts a batch in one document; each record's BODY_LENGTH delimits it);
 * all integers little-endian:
 *
 * <pre>
 *  offset  size  field
 *       0     4  MAGIC            0x34424145 ("EAB4": chain version 3, compact body); in logs written before:
 *                                 0x33424145 ("EAB3": chain version 3), 0x32424145 ("EAB2"), 0x31424145 ("EAB1")
 *       4     4  KIND             {@link AuditKind#code()}
 *       8     8  SEQUENCE         record number, from 0, no gaps
 *      16     8  TIMESTAMP_NS     epoch nanoseconds
 *      24     8  RISK_SCORE       IEEE double; NaN when none
 *      32     4  REASON_CODE      RejectReason code, 0 unless REJECT
 *      36     4  BODY_LENGTH      bytes of body that follow
 *      40     n  BODY             strings in this order: trace id, span id, agent id, tenant id, policy
 *                                 version, decision, constitutional hash; then a tag count + that many
 *                                 strings; then a metadata count + that many key, value string pairs.
 *                                 EAB4 (compact): a string is one prefix byte p then its bytes: p &lt; 0x80:
 *                                 p bytes of UTF-8 follow; 0x80 &lt;= p &lt;= 0xFE: the well-known string
 *                                 {@link #WELL_KNOWN}[p - 0x80], nothing follows; p = 0xFF: an int32 byte
 *                                 length + UTF-8 follow. A count is one byte &lt; 0x80, or 0xFF + int32.
 *                                 EAB1-3: every string is int32 byte length + UTF-8, every count an int32.
 *  40 + n    32  HASH             EAB4, EAB3: BLAKE3 keyed hash of BLAKE3(bytes [0, 40 + n)) (the record's leaf, 32
 *                                 bytes) with the previous record's HASH as the key; EAB2: BLAKE3 keyed hash of
 *                                 bytes [0, 40 + n) with the previous HASH as the key; EAB1: BLAKE3(previous
 *                                 HASH || bytes [0, 40 + n)). The first record's previous hash is
 *                                 {@link #GENESIS} (32 zero bytes). See {@link ChainHasher} for why.
 * </pre>
 *
 * Because the sequence is inside the hashed bytes and each hash covers the previous one, an edited byte
 * changes that record's hash, and a deleted, inserted or reordered record breaks the sequence or the link.
 * Only a cut tail leaves a valid chain: the anchor file ({@link AuditAnchor}) catches that.
 */
public final class AuditRecordDescriptor
{
    /**
     * Records written now: "EAB4", chain version 3 (a keyed link over each record's leaf hash) with the compact body
     * (one-byte lengths and counts, well-known strings as one byte): a decision record of the bus is ~110 bytes, two
     * BLAKE3 blocks, instead of ~220 (four), which halves the leaf hashing and the bytes copied per record.
     */
    public static final int MAGIC = 0x34424145;
    /** Records of logs written before the compact body (chain version 3, int32-prefixed strings): "EAB3"; still read and verified. */
    public static final int MAGIC_V3 = 0x33424145;
    /** Records of logs written before version 3 (keyed links over the whole record): "EAB2"; still read and verified. */
    public static final int MAGIC_V2 = 0x32424145;
    /** Records of logs written before version 2 (links over {@code prev || record}): "EAB1"; still read and verified. */
    public static final int MAGIC_V1 = 0x31424145;
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
    /** Compact body: prefix bytes below this are an inline string's length (or a count). */
    static final int INLINE_LIMIT = 0x80;
    /** Compact body: this prefix is followed by an int32 length (or count). */
    static final int LONG_PREFIX = 0xFF;
    /**
     * The compact body's well-known strings: prefix byte {@code 0x80 + i} stands for entry {@code i}. Part of the format:
     * entries are only ever appended (at most 127), never reordered or removed, or old records would decode differently.
     * Written as literals (not generated from the enums) for that reason; a string not listed is written inline.
     */
    public static final List<String> WELL_KNOWN = List.of(
        "", "cdd01ef066bc6cf2", "accept", "hold",
        "reject:none", "reject:hash_missing", "reject:hash_mismatch", "reject:empty_message_id", "reject:empty_content",
        "reject:message_too_large", "reject:expired", "reject:invalid_tenant", "reject:sender_not_registered",
        "reject:recipient_not_registered", "reject:tenant_mismatch_sender", "reject:tenant_mismatch_recipient", "reject:policy_denied",
        "reject:no_capable_agent", "reject:inbox_full", "reject:validator_error", "reject:bus_stopped", "reject:rate_limited",
        "reject:nesting_too_deep", "reject:too_many_keys", "reject:string_too_long", "reject:content_not_a_map", "reject:security_block",
        "reject:maci_role_not_assigned", "reject:maci_unmapped_type", "reject:maci_role_violation", "reject:maci_self_validation",
        "reject:maci_cross_role", "reject:maci_target_not_found", "reject:tenant_budget_exceeded", "reject:deliberation_rejected",
        "reject:deliberation_timed_out", "reject:rego_denied", "reject:agent_revoked",
        "delivery", "constitutional", "tenant_isolation", "policy", "guardrails", "identity", "validation",
        "recipient", "message_type", "message_type_code", "path", "replay", "deliberation_id",
        "send", "flyweight", "broadcast", "true",
        "command", "query", "response", "event", "notification", "heartbeat", "governance_request", "governance_response",
        "constitutional_validation", "task_request", "task_response", "audit_log");
    private static final Map<String, Integer> WELL_KNOWN_INDEX = indexOf(WELL_KNOWN);

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private AuditRecordDescriptor()
    {
    }

    /**
     * A reusable encoding buffer: one per writer thread. Records are appended back to back, each followed by
     * a 32-byte hash slot left for the chain ({@link ChainHasher#chainBatch}), so one buffer is one batch and
     * one Chronicle document. Build a record with {@link #begin()}, the body fields in layout order
     * ({@link #string}, {@link #decimal}, {@link #count}), then {@link #finish}; or {@link #append} an
     * {@link AuditEntry}; {@link #reset()} empties the batch. ASCII strings are copied char by char, so an
     * ordinary record allocates nothing.
     */
    public static final class Encoder
    {
        /** The tens and ones digit of 0..99, for {@link #decimal}. */
        private static final byte[] DIGIT_TENS = new byte[100];
        private static final byte[] DIGIT_ONES = new byte[100];
        /** 10^0 .. 10^18. */
        private static final long[] POWERS_OF_TEN = new long[19];

        static
        {
            long p = 1;
            for (int i = 0; i < POWERS_OF_TEN.length; i++, p *= 10)
            {
                POWERS_OF_TEN[i] = p;
            }
            for (int i = 0; i < 100; i++)
            {
                DIGIT_TENS[i] = (byte)('0' + i / 10);
                DIGIT_ONES[i] = (byte)('0' + i % 10);
            }
        }

        private byte[] buf = new byte[512];
        /** Scratch for {@link #string}'s bulk char copy. */
        private char[] chars = new char[128];
        private int start;
        private int pos;

        /** @return the bytes of a single record encoded at offset 0 (hash not included; the buffer is reset first). */
        public int encode(final long sequence, final AuditEntry e)
        {
            reset();
            return append(sequence, e);
        }

        /**
         * Appends a record from an {@link AuditEntry} (other layers' records: registrations, reviews, reloads), each string
         * as its {@link #WELL_KNOWN} reference when it is one. @return its length (without the hash slot after it).
         */
        public int append(final long sequence, final AuditEntry e)
        {
            begin();
            known(e.traceId());
            known(e.spanId());
            known(e.agentId());
            known(e.tenantId());
            known(e.policyVersion());
            known(e.decision());
            known(e.constitutionalHash());
            count(e.complianceTags().size());
            for (final String t : e.complianceTags())
            {
                known(t);
            }
            count(e.metadata().size());
            for (final Map.Entry<String, String> m : e.metadata().entrySet())
            {
                known(m.getKey());
                known(m.getValue());
            }
            return finish(sequence, e.kind(), e.reasonCode(), e.timestampNanos(), e.riskScore());
        }

        /** A body string: its one-byte {@link #WELL_KNOWN} reference when it is listed, else as {@link #string} writes it. */
        public void known(final String s)
        {
            final Integer index = WELL_KNOWN_INDEX.get(s == null ? "" : s);
            if (index == null)
            {
                string(s);
                return;
            }
            ensure(1);
            buf[pos++] = (byte)(INLINE_LIMIT + index);
        }

        /** Starts a record at the end of the batch; the body follows. */
        public void begin()
        {
            start = pos;
            ensure(HEADER_LENGTH);
            pos = start + HEADER_LENGTH;
        }

        /**
         * Writes the header of the record begun last and reserves its hash slot.
         *
         * @return the record's length (header + body, without the hash slot).
         */
        public int finish(final long sequence, final AuditKind kind, final int reasonCode, final long timestampNanos, final double riskScore)
        {
            final int length = pos - start;
            INT.set(buf, start + MAGIC_OFFSET, MAGIC);
            INT.set(buf, start + KIND_OFFSET, kind.code());
            LONG.set(buf, start + SEQUENCE_OFFSET, sequence);
            LONG.set(buf, start + TIMESTAMP_NS_OFFSET, timestampNanos);
            DOUBLE.set(buf, start + RISK_SCORE_OFFSET, riskScore);
            INT.set(buf, start + REASON_CODE_OFFSET, reasonCode);
            INT.set(buf, start + BODY_LENGTH_OFFSET, length - HEADER_LENGTH);
            ensure(HASH_LENGTH);
            pos += HASH_LENGTH;
            return length;
        }

        /** Empties the batch. */
        public void reset()
        {
            start = 0;
            pos = 0;
        }

        /** @return the batch's bytes; records and hash slots in [0, {@link #size()}). */
        public byte[] bytes()
        {
            return buf;
        }

        /** @return bytes in the batch, hash slots included. */
        public int size()
        {
            return pos;
        }

        /** A body string; null is written as "" (as {@link AuditEntry} normalises it). */
        public void string(final String s)
        {
            if (s == null)
            {
                count(0);
                return;
            }
            // ASCII (ids, tenants, hashes, decisions: nearly every string) needs no encoding: the chars are
            // copied out in bulk (String.getChars, an intrinsic), then narrowed in a loop over a plain char[] that
            // C2 vectorises (no per-char coder or bounds checks as with charAt), OR-ing them to spot non-ASCII;
            // anything else goes through the JDK's UTF-8 encoder. No allocation on the ASCII path.
            final int n = s.length();
            ensure(5 + n);
            if (chars.length < n)
            {
                chars = new char[Math.max(n, chars.length * 2)];
            }
            s.getChars(0, n, chars, 0);
            final char[] c = chars;
            final byte[] b = buf;
            final int p = pos + (n < INLINE_LIMIT ? 1 : 5);
            int any = 0;
            for (int i = 0; i < n; i++)
            {
                final char ch = c[i];
                any |= ch;
                b[p + i] = (byte)ch;
            }
            if (any >= 0x80)
            {
                final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                count(utf8.length);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buf, pos, utf8.length);
                pos += utf8.length;
                return;
            }
            prefix(b, pos, n);
            pos = p + n;
        }

        /** A body string holding {@code v} in decimal, as {@link Long#toString(long)} would, without the String. */
        public void decimal(final long v)
        {
            ensure(1 + 20);
            final int lengthAt = pos;
            int p = pos + 1;
            if (v == Long.MIN_VALUE)
            {
                pos = lengthAt;
                string(Long.toString(v));
                return;
            }
            long x = v;
            if (x < 0)
            {
                buf[p++] = '-';
                x = -x;
            }
            // Digits counted first, then written from the end two at a time (half the divisions, no reversal).
            int digits = 1;
            while (digits < 19 && x >= POWERS_OF_TEN[digits])
            {
                digits++;
            }
            int q = p + digits;
            final int end = q;
            while (x >= 100)
            {
                final int r = (int)(x % 100);
                x /= 100;
                buf[--q] = DIGIT_ONES[r];
                buf[--q] = DIGIT_TENS[r];
            }
            if (x >= 10)
            {
                buf[--q] = DIGIT_ONES[(int)x];
                buf[--q] = DIGIT_TENS[(int)x];
            }
            else
            {
                buf[--q] = (byte)('0' + x);
            }
            buf[lengthAt] = (byte)(end - lengthAt - 1);
            pos = end;
        }

        /**
         * @return {@code s} encoded for {@link #raw} (null as ""): its one-byte {@link #WELL_KNOWN} reference when it is
         * listed, else as {@link #string} writes it. Strings every record repeats (decisions, tags, keys, the constitutional
         * hash) are encoded once, then copied.
         */
        public static byte[] preEncode(final String s)
        {
            final Integer known = WELL_KNOWN_INDEX.get(s == null ? "" : s);
            if (known != null)
            {
                return new byte[] {(byte)(INLINE_LIMIT + known)};
            }
            final byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            final int prefix = utf8.length < INLINE_LIMIT ? 1 : 5;
            final byte[] out = new byte[prefix + utf8.length];
            prefix(out, 0, utf8.length);
            System.arraycopy(utf8, 0, out, prefix, utf8.length);
            return out;
        }

        /** Writes a compact length or count at {@code at}: one byte below {@link #INLINE_LIMIT}, else 0xFF + int32. */
        private static void prefix(final byte[] b, final int at, final int n)
        {
            if (n < INLINE_LIMIT)
            {
                b[at] = (byte)n;
            }
            else
            {
                b[at] = (byte)LONG_PREFIX;
                INT.set(b, at + 1, n);
            }
        }

        /** A body string pre-encoded by {@link #preEncode}: one bulk copy. */
        public void raw(final byte[] encoded)
        {
            raw(encoded, encoded.length);
        }

        /** A body string encoded as {@link #string} writes it, in {@code encoded[0, length)}: one bulk copy. */
        public void raw(final byte[] encoded, final int length)
        {
            ensure(length);
            System.arraycopy(encoded, 0, buf, pos, length);
            pos += length;
        }

        /** A count (tags, metadata pairs). */
        public void count(final int v)
        {
            ensure(5);
            prefix(buf, pos, v);
            pos += v < INLINE_LIMIT ? 1 : 5;
        }

        private void ensure(final int more)
        {
            if (pos + more > buf.length)
            {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }
    }

    /**
     * The stored length (header + body + hash) of the record at {@code offset} of a document, or -1 when its
     * header does not fit or claims a length that does not fit {@code [offset, end)}.
     */
    public static int storedLengthAt(final byte[] doc, final int offset, final int end)
    {
        if (end - offset < HEADER_LENGTH + HASH_LENGTH)
        {
            return -1;
        }
        final int bodyLength = (int)INT.get(doc, offset + BODY_LENGTH_OFFSET);
        if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH || bodyLength > end - offset - HEADER_LENGTH - HASH_LENGTH)
        {
            return -1;
        }
        return HEADER_LENGTH + bodyLength + HASH_LENGTH;
    }

    /**
     * @return the record's chain version: 3 for {@link #MAGIC} and {@link #MAGIC_V3} (the body's encoding is not part of
     * the chain's definition), 2 for {@link #MAGIC_V2}, 1 for {@link #MAGIC_V1}, 0 for none.
     */
    public static int chainVersion(final byte[] record)
    {
        final int magic = (int)INT.get(record, MAGIC_OFFSET);
        return magic == MAGIC || magic == MAGIC_V3 ? 3 : magic == MAGIC_V2 ? 2 : magic == MAGIC_V1 ? 1 : 0;
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
        if (magic != MAGIC && magic != MAGIC_V3 && magic != MAGIC_V2 && magic != MAGIC_V1)
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
        final Reader r = new Reader(record, HEADER_LENGTH, HEADER_LENGTH + bodyLength, magic == MAGIC);
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

    private static Map<String, Integer> indexOf(final List<String> strings)
    {
        if (strings.size() > LONG_PREFIX - INLINE_LIMIT)
        {
            throw new ExceptionInInitializerError("at most " + (LONG_PREFIX - INLINE_LIMIT) + " well-known strings fit the prefix byte");
        }
        final Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < strings.size(); i++)
        {
            if (index.put(strings.get(i), i) != null)
            {
                throw new ExceptionInInitializerError("well-known string listed twice: " + strings.get(i));
            }
        }
        return Map.copyOf(index);
    }

    private static final class Reader
    {
        private final byte[] b;
        private final int end;
        private final boolean compact;
        private int pos;

        Reader(final byte[] b, final int pos, final int end, final boolean compact)
        {
            this.b = b;
            this.pos = pos;
            this.end = end;
            this.compact = compact;
        }

        int count()
        {
            final int at = pos;
            if (pos >= end)
            {
                throw new AuditFormatException("body ends inside a count at offset " + at);
            }
            final int n;
            if (!compact)
            {
                if (pos + 4 > end)
                {
                    throw new AuditFormatException("body ends inside a count at offset " + at);
                }
                n = (int)INT.get(b, pos);
                pos += 4;
            }
            else
            {
                final int p = b[pos] & 0xFF;
                if (p < INLINE_LIMIT)
                {
                    n = p;
                    pos++;
                }
                else if (p == LONG_PREFIX && pos + 5 <= end)
                {
                    n = (int)INT.get(b, pos + 1);
                    pos += 5;
                }
                else
                {
                    throw new AuditFormatException("prefix 0x" + Integer.toHexString(p) + " at offset " + at + " is not a count");
                }
            }
            if (n < 0 || n > end - pos)
            {
                throw new AuditFormatException("count " + n + " at offset " + at + " does not fit the body");
            }
            return n;
        }

        String string()
        {
            if (compact && pos < end)
            {
                final int p = b[pos] & 0xFF;
                if (p >= INLINE_LIMIT && p != LONG_PREFIX)
                {
                    if (p - INLINE_LIMIT >= WELL_KNOWN.size())
                    {
                        throw new AuditFormatException("well-known string " + (p - INLINE_LIMIT) + " at offset " + pos + " is not defined");
                    }
                    pos++;
                    return WELL_KNOWN.get(p - INLINE_LIMIT);
                }
            }
            final int n = count();
            final String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
