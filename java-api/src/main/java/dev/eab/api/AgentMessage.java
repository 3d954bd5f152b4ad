package dev.eab.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A message between agents, with the original's fields (reference §2.1). Immutable: every map is
 * deep-copied into unmodifiable collections when built, so what was validated is what is delivered.
 * Use {@link #builder()} to create one and {@link #toBuilder()} for a modified copy.
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
    private final int encodedSizeBytes;

    private AgentMessage(final Builder b)
    {
        messageId = b.messageId != null ? b.messageId : UUID.randomUUID().toString();
        conversationId = b.conversationId != null ? b.conversationId : UUID.randomUUID().toString();
        content = freeze(b.content);
        payload = freeze(b.payload);
        fromAgent = nullToEmpty(b.fromAgent);
        toAgent = nullToEmpty(b.toAgent);
        senderId = nullToEmpty(b.senderId);
        messageType = Objects.requireNonNull(b.messageType, "messageType");
        routing = b.routing;
        headers = b.headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        tenantId = nullToEmpty(b.tenantId);
        securityContext = freeze(b.securityContext);
        priority = Objects.requireNonNull(b.priority, "priority");
        status = Objects.requireNonNull(b.status, "status");
        constitutionalHash = b.constitutionalHash;
        metadata = freeze(b.metadata);
        pqcSignature = b.pqcSignature;
        pqcPublicKey = b.pqcPublicKey;
        pqcAlgorithm = b.pqcAlgorithm;
        createdAt = b.createdAt != null ? b.createdAt : Instant.now();
        updatedAt = b.updatedAt != null ? b.updatedAt : createdAt;
        expiresAt = b.expiresAt;
        impactScore = b.impactScore;
        performanceMetrics = freeze(b.performanceMetrics);
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
     * @return an estimate of the message's JSON-encoded size in bytes, computed once when built; the
     * bus compares it with {@code maxMessageSizeBytes}.
     */
    public int encodedSizeBytes()
    {
        return encodedSizeBytes;
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
     * Restores a message written by {@link #toMap()}. Missing keys take the builder's defaults,
     * except {@code constitutional_hash}, which stays as given (absent or null means missing).
     *
     * @throws IllegalArgumentException naming the key whose value has the wrong type.
     */
    @SuppressWarnings("unchecked")
    public static AgentMessage fromMap(final Map<String, ?> m)
    {
        final Builder b = builder();
        b.messageId = str(m, "message_id", null);
        b.conversationId = str(m, "conversation_id", null);
        b.content = map(m, "content");
        b.payload = map(m, "payload");
        b.fromAgent = str(m, "from_agent", "");
        b.toAgent = str(m, "to_agent", "");
        b.senderId = str(m, "sender_id", "");
        if (m.get("message_type") != null)
        {
            b.messageType = MessageType.fromValue(String.valueOf(m.get("message_type")));
        }
        final Object routing = m.get("routing");
        if (routing instanceof Map<?, ?> r)
        {
            final Map<String, Object> rm = (Map<String, Object>)r;
            b.routing = new RoutingContext(
                String.valueOf(rm.get("source_agent_id")),
                String.valueOf(rm.get("target_agent_id")),
                (String)rm.getOrDefault("routing_key", ""),
                (List<String>)rm.getOrDefault("routing_tags", List.of()),
                ((Number)rm.getOrDefault("retry_count", 0)).intValue(),
                ((Number)rm.getOrDefault("max_retries", RoutingContext.DEFAULT_MAX_RETRIES)).intValue(),
                ((Number)rm.getOrDefault("timeout_ms", RoutingContext.DEFAULT_TIMEOUT_MS)).longValue());
        }
        final Map<String, Object> headers = map(m, "headers");
        if (headers != null)
        {
            final Map<String, String> h = new LinkedHashMap<>();
            headers.forEach((k, v) -> h.put(k, String.valueOf(v)));
            b.headers = h;
        }
        b.tenantId = str(m, "tenant_id", "");
        b.securityContext = map(m, "security_context");
        final Object priority = m.get("priority");
        if (priority instanceof Number n)
        {
            b.priority = Priority.fromValue(n.intValue());
        }
        else if (priority != null)
        {
            b.priority = Priority.parse(priority.toString());
        }
        if (m.get("status") != null)
        {
            b.status = MessageStatus.fromValue(String.valueOf(m.get("status")));
        }
        b.constitutionalHash = str(m, "constitutional_hash", null);
        b.metadata = map(m, "metadata");
        b.pqcSignature = str(m, "pqc_signature", null);
        b.pqcPublicKey = str(m, "pqc_public_key", null);
        b.pqcAlgorithm = str(m, "pqc_algorithm", null);
        b.createdAt = instant(m, "created_at");
        b.updatedAt = instant(m, "updated_at");
        b.expiresAt = instant(m, "expires_at");
        final Object impact = m.get("impact_score");
        b.impactScore = impact == null ? null : ((Number)impact).doubleValue();
        b.performanceMetrics = map(m, "performance_metrics");
        return new AgentMessage(b);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof AgentMessage other && toMap().equals(other.toMap());
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

    private static String str(final Map<String, ?> m, final String key, final String dflt)
    {
        final Object v = m.get(key);
        if (v == null)
        {
            return m.containsKey(key) ? null : dflt;
        }
        if (!(v instanceof String s))
        {
            throw new IllegalArgumentException("Field '" + key + "' must be a string, got " + v.getClass().getSimpleName());
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Map<String, ?> m, final String key)
    {
        final Object v = m.get(key);
        if (v == null)
        {
            return null;
        }
        if (!(v instanceof Map<?, ?>))
        {
            throw new IllegalArgumentException("Field '" + key + "' must be a map, got " + v.getClass().getSimpleName());
        }
        return (Map<String, Object>)v;
    }

    private static Instant instant(final Map<String, ?> m, final String key)
    {
        final Object v = m.get(key);
        if (v == null)
        {
            return null;
        }
        return v instanceof Instant i ? i : Instant.parse(v.toString());
    }

    private static String nullToEmpty(final String s)
    {
        return s == null ? "" : s;
    }

    /** Deep, unmodifiable copy (maps, lists and sets) so a sender cannot change content after validation. */
    private static Map<String, Object> freeze(final Map<String, ?> source)
    {
        if (source == null || source.isEmpty())
        {
            return Map.of();
        }
        final Map<String, Object> copy = new LinkedHashMap<>(source.size() * 2);
        for (final Map.Entry<String, ?> e : source.entrySet())
        {
            copy.put(e.getKey(), freezeValue(e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(final Object v)
    {
        if (v instanceof Map<?, ?> m)
        {
            return freeze((Map<String, ?>)m);
        }
        if (v instanceof List<?> l)
        {
            final List<Object> copy = new ArrayList<>(l.size());
            for (final Object o : l)
            {
                copy.add(freezeValue(o));
            }
            return Collections.unmodifiableList(copy);
        }
        if (v instanceof Set<?> set)
        {
            final Set<Object> copy = new LinkedHashSet<>(set.size() * 2);
            for (final Object o : set)
            {
                copy.add(freezeValue(o));
            }
            return Collections.unmodifiableSet(copy);
        }
        return v;
    }

    private int estimateSize()
    {
        int size = 64; // braces, field names and fixed-width fields
        size += messageId.length() + conversationId.length() + fromAgent.length() + toAgent.length();
        size += senderId.length() + tenantId.length();
        size += constitutionalHash == null ? 0 : constitutionalHash.length();
        size += sizeOf(content) + sizeOf(payload) + sizeOf(metadata) + sizeOf(securityContext) + sizeOf(headers);
        size += pqcSignature == null ? 0 : pqcSignature.length();
        size += pqcPublicKey == null ? 0 : pqcPublicKey.length();
        return size;
    }

    private static int sizeOf(final Object v)
    {
        if (v == null)
        {
            return 4;
        }
        if (v instanceof CharSequence s)
        {
            return s.length() + 2;
        }
        if (v instanceof Map<?, ?> m)
        {
            int n = 2;
            for (final Map.Entry<?, ?> e : m.entrySet())
            {
                n += String.valueOf(e.getKey()).length() + 4 + sizeOf(e.getValue());
            }
            return n;
        }
        if (v instanceof Collection<?> c)
        {
            int n = 2;
            for (final Object o : c)
            {
                n += sizeOf(o) + 1;
            }
            return n;
        }
        if (v instanceof Object[] array)
        {
            int n = 2;
            for (final Object o : array)
            {
                n += sizeOf(o) + 1;
            }
            return n;
        }
        if (v instanceof byte[] bytes)
        {
            return bytes.length;
        }
        if (v.getClass().isArray())
        {
            // Other primitive arrays: at most 8 bytes per element in binary, more as JSON text.
            return 2 + 8 * java.lang.reflect.Array.getLength(v);
        }
        return 8;
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

        /** @return the immutable message. */
        public AgentMessage build()
        {
            return new AgentMessage(this);
        }
    }
}
