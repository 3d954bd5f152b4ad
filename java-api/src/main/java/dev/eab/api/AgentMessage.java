package dev.eab.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.eab.api.exception.MessageValidationException;
import dev.eab.api.exception.ThrowableText;

/**
 * A message between agents, with the original's fields (reference §2.1). Immutable: every map is
 * deep-copied into unmodifiable collections when built, so what was validated is what is delivered.
 * Use {@link #builder()} to create one and {@link #toBuilder()} for a modified copy.
 *
 * <p>The maps ({@code content}, {@code payload}, {@code metadata}, {@code securityContext},
 * {@code performanceMetrics}) accept the JSON-like values listed in {@link ContentValues} (null,
 * Boolean, the boxed numbers, String, Map with String keys, List, byte[]) and nothing else: a
 * {@code StringBuilder}, a {@code Set}, an {@code Object[]} or any other object would stay shared with the
 * sender, who could change it after the bus validated it. {@link Builder#build()} and {@link #fromMap}
 * refuse malformed input with a {@link MessageValidationException} naming the field or path; they never
 * throw anything else, whatever the input (cycles, 10,000 levels of nesting, wrong types).
 *
 * <p>{@link #toMap()} and {@link #fromMap(Map)} round-trip every field (the original's did not).
 * Expiry is enforced by the bus: a message whose {@link #expiresAt()} has passed is rejected as EXPIRED.
 */
public final class AgentMessage
{
    private final String messageId;
    private final String conversationId;
    private final Map<String, Object> content;
    private final Map<String, Object> payload;
    private final String fromAgent;
    private final String toAgent;
    private final String senderId;
    private final MessageType messageType;
    private final RoutingContext routing;
    private final Map<String, String> headers;
    private final String tenantId;
    private final Map<String, Object> securityContext;
    private final Priority priority;
    private final MessageStatus status;
    private final String constitutionalHash;
    private final Map<String, Object> metadata;
    private final String pqcSignature;
    private final String pqcPublicKey;
    private final String pqcAlgorithm;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final Instant expiresAt;
    private final Double impactScore;
    private final Map<String, Object> performanceMetrics;
    private final long encodedSizeBytes;

    private AgentMessage(final Builder b)
    {
        messageId = b.messageId != null ? b.messageId : UUID.randomUUID().toString();
        conversationId = b.conversationId != null ? b.conversationId : UUID.randomUUID().toString();
        messageType = required(messageId, "message_type", b.messageType);
        priority = required(messageId, "priority", b.priority);
        status = required(messageId, "status", b.status);
        content = ContentValues.freeze(messageId, "content", b.content);
        payload = ContentValues.freeze(messageId, "payload", b.payload);
        fromAgent = nullToEmpty(b.fromAgent);
        toAgent = nullToEmpty(b.toAgent);
        senderId = nullToEmpty(b.senderId);
        routing = b.routing;
        headers = headers(messageId, b.headers);
        tenantId = nullToEmpty(b.tenantId);
        securityContext = ContentValues.freeze(messageId, "security_context", b.securityContext);
        constitutionalHash = b.constitutionalHash;
        metadata = ContentValues.freeze(messageId, "metadata", b.metadata);
        pqcSignature = b.pqcSignature;
        pqcPublicKey = b.pqcPublicKey;
        pqcAlgorithm = b.pqcAlgorithm;
        createdAt = b.createdAt != null ? b.createdAt : Instant.now();
        updatedAt = b.updatedAt != null ? b.updatedAt : createdAt;
        expiresAt = b.expiresAt;
        impactScore = b.impactScore;
        performanceMetrics = ContentValues.freeze(messageId, "performance_metrics", b.performanceMetrics);
        encodedSizeBytes = estimateSize();
    }

    /** @return a builder with the original's defaults (type COMMAND, priority NORMAL, status PENDING, hash {@link Constitution#HASH}). */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return a builder holding every field of this message. */
    public Builder toBuilder()
    {
        final Builder b = new Builder();
        b.messageId = messageId;
        b.conversationId = conversationId;
        b.content = content;
        b.payload = payload;
        b.fromAgent = fromAgent;
        b.toAgent = toAgent;
        b.senderId = senderId;
        b.messageType = messageType;
        b.routing = routing;
        b.headers = headers;
        b.tenantId = tenantId;
        b.securityContext = securityContext;
        b.priority = priority;
        b.status = status;
        b.constitutionalHash = constitutionalHash;
        b.metadata = metadata;
        b.pqcSignature = pqcSignature;
        b.pqcPublicKey = pqcPublicKey;
        b.pqcAlgorithm = pqcAlgorithm;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.expiresAt = expiresAt;
        b.impactScore = impactScore;
        b.performanceMetrics = performanceMetrics;
        return b;
    }

    public String messageId() { return messageId; }
    public String conversationId() { return conversationId; }
    public Map<String, Object> content() { return content; }
    public Map<String, Object> payload() { return payload; }
    public String fromAgent() { return fromAgent; }
    public String toAgent() { return toAgent; }
    public String senderId() { return senderId; }

    /** @return the agent the bus treats as the sender: {@code fromAgent}, or {@code senderId} when that is empty. */
    public String sendingAgent()
    {
        return fromAgent.isEmpty() ? senderId : fromAgent;
    }
    public MessageType messageType() { return messageType; }
    /** @return the routing context, or null. */
    public RoutingContext routing() { return routing; }
    public Map<String, String> headers() { return headers; }
    /** @return the tenant id as given ("" when none); the bus normalises it (strip, lowercase). */
    public String tenantId() { return tenantId; }
    public Map<String, Object> securityContext() { return securityContext; }
    public Priority priority() { return priority; }
    public MessageStatus status() { return status; }
    /** @return the constitutional hash the sender claims, or null when missing. */
    public String constitutionalHash() { return constitutionalHash; }
    public Map<String, Object> metadata() { return metadata; }
    public String pqcSignature() { return pqcSignature; }
    public String pqcPublicKey() { return pqcPublicKey; }
    public String pqcAlgorithm() { return pqcAlgorithm; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
    /** @return when the message expires, or null for never. */
    public Instant expiresAt() { return expiresAt; }
    /** @return the impact score, or null when not scored. */
    public Double impactScore() { return impactScore; }
    public Map<String, Object> performanceMetrics() { return performanceMetrics; }

    /**
     * @return an estimate of the message's JSON-encoded size in bytes, computed once when built (in a
     * {@code long} that saturates, so no content can make it wrap negative), capped at
     * {@link Integer#MAX_VALUE}; the bus compares it with {@code maxMessageSizeBytes}.
     */
    public int encodedSizeBytes()
    {
        return (int)Math.min(Integer.MAX_VALUE, encodedSizeBytes);
    }

    /**
     * @return {@code content["required_capabilities"]} as strings, or an empty list: the capabilities
     * a recipient must hold when the message is capability-routed (empty {@code toAgent}).
     */
    public List<String> requiredCapabilities()
    {
        final Object v = content.get("required_capabilities");
        if (v instanceof List<?> list)
        {
            final List<String> out = new ArrayList<>(list.size());
            for (final Object o : list)
            {
                out.add(String.valueOf(o));
            }
            return out;
        }
        return List.of();
    }

    /**
     * @return every field as an insertion-ordered map with the original's snake_case keys; enums as
     * their wire values, priority as its int, timestamps as ISO-8601 strings. {@link #fromMap(Map)}
     * restores an equal message.
     */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", messageId);
        m.put("conversation_id", conversationId);
        m.put("content", content);
        m.put("payload", payload);
        m.put("from_agent", fromAgent);
        m.put("to_agent", toAgent);
        m.put("sender_id", senderId);
        m.put("message_type", messageType.value());
        m.put("routing", routing == null ? null : routingToMap(routing));
        m.put("headers", headers);
        m.put("tenant_id", tenantId);
        m.put("security_context", securityContext);
        m.put("priority", priority.value());
        m.put("status", status.value());
        m.put("constitutional_hash", constitutionalHash);
        m.put("metadata", metadata);
        m.put("pqc_signature", pqcSignature);
        m.put("pqc_public_key", pqcPublicKey);
        m.put("pqc_algorithm", pqcAlgorithm);
        m.put("created_at", createdAt.toString());
        m.put("updated_at", updatedAt.toString());
        m.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        m.put("impact_score", impactScore);
        m.put("performance_metrics", performanceMetrics);
        return m;
    }

    /**
     * Restores a message written by {@link #toMap()}: the ingress path for anything that arrives as JSON.
     * Missing keys take the builder's defaults, except {@code constitutional_hash}, which stays as given
     * (absent or null means missing). Timestamps may be {@link Instant}s or ISO-8601 strings; whole numbers
     * may arrive as any {@link Number} type a JSON reader produces.
     *
     * @throws MessageValidationException for any malformed input, naming the field and what was found
     *                                    (the same exception {@link Builder#build()} throws); nothing else.
     */
    public static AgentMessage fromMap(final Map<String, ?> m)
    {
        return AgentMessageReader.read(m);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof AgentMessage other && ContentValues.deepEquals(toMap(), other.toMap());
    }

    @Override
    public int hashCode()
    {
        return messageId.hashCode();
    }

    @Override
    public String toString()
    {
        return "AgentMessage{id=" + messageId + ", type=" + messageType.value() + ", from=" + fromAgent +
            ", to=" + toAgent + ", tenant=" + tenantId + ", priority=" + priority + ", status=" + status.value() + '}';
    }

    private static Map<String, Object> routingToMap(final RoutingContext r)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_agent_id", r.sourceAgentId());
        m.put("target_agent_id", r.targetAgentId());
        m.put("routing_key", r.routingKey());
        m.put("routing_tags", r.routingTags());
        m.put("retry_count", r.retryCount());
        m.put("max_retries", r.maxRetries());
        m.put("timeout_ms", r.timeoutMs());
        return m;
    }

    private static String nullToEmpty(final String s)
    {
        return s == null ? "" : s;
    }

    private long estimateSize()
    {
        long size = 64; // braces, field names and fixed-width fields
        size += messageId.length() + conversationId.length() + fromAgent.length() + toAgent.length();
        size += senderId.length() + tenantId.length();
        size += constitutionalHash == null ? 0 : constitutionalHash.length();
        size += pqcSignature == null ? 0 : pqcSignature.length();
        size += pqcPublicKey == null ? 0 : pqcPublicKey.length();
        for (final Map.Entry<String, String> h : headers.entrySet())
        {
            size = ContentValues.saturatedAdd(size, h.getKey().length() + h.getValue().length() + 6L);
        }
        for (final Map<String, Object> m : List.of(content, payload, metadata, securityContext, performanceMetrics))
        {
            size = ContentValues.saturatedAdd(size, ContentValues.sizeOf(m));
        }
        return size;
    }

    private static <T> T required(final String messageId, final String field, final T value)
    {
        if (value == null)
        {
            throw ContentValues.invalid(messageId, field + " is required");
        }
        return value;
    }

    /** Copies the headers: string keys to string values only (a raw map could hold anything). */
    private static Map<String, String> headers(final String messageId, final Map<?, ?> source)
    {
        if (source == null || source.isEmpty())
        {
            return Map.of();
        }
        final Map<String, String> copy = new LinkedHashMap<>(source.size() * 2);
        try
        {
            for (final Map.Entry<?, ?> e : source.entrySet())
            {
                if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v))
                {
                    throw ContentValues.invalid(messageId, "headers must map strings to strings, got " + typeOf(e.getKey()) + " -> " +
                        typeOf(e.getValue()));
                }
                copy.put(k, v);
            }
        }
        catch (final MessageValidationException e)
        {
            throw e;
        }
        catch (final RuntimeException | StackOverflowError e)
        {
            throw ContentValues.invalid(messageId, "headers could not be read: " + ThrowableText.describe(e));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static String typeOf(final Object v)
    {
        return v == null ? "null" : v.getClass().getSimpleName();
    }

    /** Builds an {@link AgentMessage}; not thread-safe. Defaults follow the original. */
    public static final class Builder
    {
        private String messageId;
        private String conversationId;
        private Map<String, ?> content;
        private Map<String, ?> payload;
        private String fromAgent = "";
        private String toAgent = "";
        private String senderId = "";
        private MessageType messageType = MessageType.COMMAND;
        private RoutingContext routing;
        private Map<String, String> headers;
        private String tenantId = "";
        private Map<String, ?> securityContext;
        private Priority priority = Priority.NORMAL;
        private MessageStatus status = MessageStatus.PENDING;
        private String constitutionalHash = Constitution.HASH;
        private Map<String, ?> metadata;
        private String pqcSignature;
        private String pqcPublicKey;
        private String pqcAlgorithm;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant expiresAt;
        private Double impactScore;
        private Map<String, ?> performanceMetrics;

        private Builder()
        {
        }

        public Builder messageId(final String v) { messageId = v; return this; }
        public Builder conversationId(final String v) { conversationId = v; return this; }
        public Builder content(final Map<String, ?> v) { content = v; return this; }
        public Builder payload(final Map<String, ?> v) { payload = v; return this; }
        public Builder fromAgent(final String v) { fromAgent = v; return this; }
        public Builder toAgent(final String v) { toAgent = v; return this; }
        public Builder senderId(final String v) { senderId = v; return this; }
        public Builder messageType(final MessageType v) { messageType = v; return this; }
        public Builder routing(final RoutingContext v) { routing = v; return this; }
        public Builder headers(final Map<String, String> v) { headers = v; return this; }
        public Builder tenantId(final String v) { tenantId = v; return this; }
        public Builder securityContext(final Map<String, ?> v) { securityContext = v; return this; }
        public Builder priority(final Priority v) { priority = v; return this; }
        public Builder status(final MessageStatus v) { status = v; return this; }
        /** Sets the claimed hash; null means missing (rejected as HASH_MISSING). */
        public Builder constitutionalHash(final String v) { constitutionalHash = v; return this; }
        public Builder metadata(final Map<String, ?> v) { metadata = v; return this; }
        public Builder pqcSignature(final String v) { pqcSignature = v; return this; }
        public Builder pqcPublicKey(final String v) { pqcPublicKey = v; return this; }
        public Builder pqcAlgorithm(final String v) { pqcAlgorithm = v; return this; }
        public Builder createdAt(final Instant v) { createdAt = v; return this; }
        public Builder updatedAt(final Instant v) { updatedAt = v; return this; }
        public Builder expiresAt(final Instant v) { expiresAt = v; return this; }
        public Builder impactScore(final Double v) { impactScore = v; return this; }
        public Builder performanceMetrics(final Map<String, ?> v) { performanceMetrics = v; return this; }

        /**
         * @return the immutable message.
         * @throws MessageValidationException when a map holds a value outside {@link ContentValues}, a
         *                                    cycle or nesting deeper than {@link ContentValues#MAX_DEPTH}, a
         *                                    header is not a string, or type, priority or status is null.
         */
        public AgentMessage build()
        {
            return new AgentMessage(this);
        }
    }
}
