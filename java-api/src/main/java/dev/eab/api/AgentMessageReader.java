package dev.eab.api;

import dev.eab.api.exception.MessageValidationException;
import dev.eab.api.exception.ThrowableText;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link AgentMessage#fromMap(Map)}: reads a message from the map form (the ingress path for anything
 * that arrives as JSON). Every field is type-checked; whatever is wrong ends in one
 * {@link MessageValidationException} naming the field and what was found, never in a
 * {@code ClassCastException}, {@code NullPointerException}, {@code DateTimeParseException} or
 * {@code StackOverflowError}.
 */
final class AgentMessageReader
{
    private static final String UNKNOWN_ID = "<unknown>";

    private final Map<String, ?> m;
    private String messageId = UNKNOWN_ID;

    private AgentMessageReader(final Map<String, ?> m)
    {
        this.m = m;
    }

    static AgentMessage read(final Map<String, ?> m)
    {
        if (m == null)
        {
            throw ContentValues.invalid(UNKNOWN_ID, "message map is null");
        }
        final AgentMessageReader reader = new AgentMessageReader(m);
        try
        {
            return reader.read();
        }
        catch (final MessageValidationException e)
        {
            throw e;
        }
        catch (final RuntimeException | StackOverflowError e)
        {
            // The map itself (or one of its values) threw while being read.
            throw ContentValues.invalid(reader.messageId, "message map could not be read: " + ThrowableText.describe(e));
        }
    }

    private AgentMessage read()
    {
        final AgentMessage.Builder b = AgentMessage.builder();
        final String id = str("message_id", null);
        if (id != null)
        {
            messageId = id;
        }
        b.messageId(id);
        b.conversationId(str("conversation_id", null));
        b.content(map("content"));
        b.payload(map("payload"));
        b.fromAgent(str("from_agent", ""));
        b.toAgent(str("to_agent", ""));
        b.senderId(str("sender_id", ""));
        if (m.get("message_type") != null)
        {
            b.messageType(parsed("message_type", str("message_type", null), MessageType::fromValue));
        }
        b.routing(routing());
        b.headers(headers());
        b.tenantId(str("tenant_id", ""));
        b.securityContext(map("security_context"));
        final Object priority = m.get("priority");
        if (priority instanceof Number)
        {
            b.priority(parsed("priority", intValue("priority", priority), Priority::fromValue));
        }
        else if (priority != null)
        {
            b.priority(parsed("priority", str("priority", null), Priority::parse));
        }
        if (m.get("status") != null)
        {
            b.status(parsed("status", str("status", null), MessageStatus::fromValue));
        }
        b.constitutionalHash(str("constitutional_hash", null));
        b.metadata(map("metadata"));
        b.pqcSignature(str("pqc_signature", null));
        b.pqcPublicKey(str("pqc_public_key", null));
        b.pqcAlgorithm(str("pqc_algorithm", null));
        b.createdAt(instant("created_at"));
        b.updatedAt(instant("updated_at"));
        b.expiresAt(instant("expires_at"));
        final Object impact = m.get("impact_score");
        if (impact != null)
        {
            if (!(impact instanceof Number n) || !ContentValues.isScalar(n))
            {
                throw wrongType("impact_score", "a number", impact);
            }
            b.impactScore(n.doubleValue());
        }
        b.performanceMetrics(map("performance_metrics"));
        return b.build();
    }

    private RoutingContext routing()
    {
        final Object v = m.get("routing");
        if (v == null)
        {
            return null;
        }
        if (!(v instanceof Map<?, ?> r))
        {
            throw wrongType("routing", "a map", v);
        }
        final Object tags = r.get("routing_tags");
        final List<String> tagList = new ArrayList<>();
        if (tags != null)
        {
            if (!(tags instanceof List<?> list))
            {
                throw wrongType("routing.routing_tags", "a list of strings", tags);
            }
            for (final Object t : list)
            {
                if (!(t instanceof String s))
                {
                    throw wrongType("routing.routing_tags", "a list of strings", t);
                }
                tagList.add(s);
            }
        }
        try
        {
            return new RoutingContext(
                routingString(r, "source_agent_id"), routingString(r, "target_agent_id"), routingString(r, "routing_key"), tagList,
                r.get("retry_count") == null ? 0 : intValue("routing.retry_count", r.get("retry_count")),
                r.get("max_retries") == null ? RoutingContext.DEFAULT_MAX_RETRIES : intValue("routing.max_retries", r.get("max_retries")),
                r.get("timeout_ms") == null ? RoutingContext.DEFAULT_TIMEOUT_MS : longValue("routing.timeout_ms", r.get("timeout_ms")));
        }
        catch (final IllegalArgumentException e)
        {
            throw ContentValues.invalid(messageId, "Field 'routing': " + ThrowableText.message(e));
        }
    }

    private String routingString(final Map<?, ?> r, final String key)
    {
        final Object v = r.get(key);
        if (v != null && !(v instanceof String))
        {
            throw wrongType("routing." + key, "a string", v);
        }
        return (String)v;
    }

    private Map<String, String> headers()
    {
        final Object v = m.get("headers");
        if (v == null)
        {
            return null;
        }
        if (!(v instanceof Map<?, ?> raw))
        {
            throw wrongType("headers", "a map", v);
        }
        final Map<String, String> h = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> e : raw.entrySet())
        {
            if (!(e.getKey() instanceof String k))
            {
                throw wrongType("headers", "a map with string keys", e.getKey());
            }
            final Object value = e.getValue();
            // Scalars are written as text, as a JSON reader may have typed "5" as a number.
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean) || !ContentValues.isScalar(value))
            {
                throw wrongType("headers." + k, "a string", value);
            }
            h.put(k, String.valueOf(value));
        }
        return h;
    }

    private String str(final String key, final String dflt)
    {
        final Object v = m.get(key);
        if (v == null)
        {
            return m.containsKey(key) ? null : dflt;
        }
        if (!(v instanceof String s))
        {
            throw wrongType(key, "a string", v);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private Map<String, ?> map(final String key)
    {
        final Object v = m.get(key);
        if (v == null)
        {
            return null;
        }
        if (!(v instanceof Map<?, ?>))
        {
            throw wrongType(key, "a map", v);
        }
        // Keys and values are checked by the copy the builder makes (ContentValues).
        return (Map<String, ?>)v;
    }

    private Instant instant(final String key)
    {
        final Object v = m.get(key);
        if (v == null)
        {
            return null;
        }
        if (v instanceof Instant i)
        {
            return i;
        }
        if (!(v instanceof String s))
        {
            throw wrongType(key, "an ISO-8601 timestamp", v);
        }
        try
        {
            return Instant.parse(s);
        }
        catch (final DateTimeParseException e)
        {
            throw ContentValues.invalid(messageId, "Field '" + key + "' is not an ISO-8601 timestamp: '" + clip(s) + "'");
        }
    }

    private int intValue(final String key, final Object v)
    {
        final long n = longValue(key, v);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)
        {
            throw ContentValues.invalid(messageId, "Field '" + key + "' is out of range: " + n);
        }
        return (int)n;
    }

    /** Whole numbers only; a JSON reader's 3.0 is accepted as 3. */
    private long longValue(final String key, final Object v)
    {
        if (!(v instanceof Number n) || !ContentValues.isScalar(v))
        {
            throw wrongType(key, "a whole number", v);
        }
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte)
        {
            return n.longValue();
        }
        try
        {
            final BigDecimal d = n instanceof BigDecimal bd ? bd : n instanceof BigInteger bi ? new BigDecimal(bi) : new BigDecimal(n.doubleValue());
            return d.longValueExact();
        }
        catch (final ArithmeticException | NumberFormatException e)
        {
            throw wrongType(key, "a whole number", v);
        }
    }

    private <T, R> R parsed(final String key, final T value, final Function<T, R> parser)
    {
        try
        {
            return parser.apply(value);
        }
        catch (final IllegalArgumentException e)
        {
            throw ContentValues.invalid(messageId, "Field '" + key + "': " + ThrowableText.message(e));
        }
    }

    private MessageValidationException wrongType(final String key, final String expected, final Object v)
    {
        final String found = v == null ? "null" : v instanceof String s ? "the string '" + clip(s) + "'" : v.getClass().getSimpleName();
        return ContentValues.invalid(messageId, "Field '" + key + "' must be " + expected + ", got " + found);
    }

    private static String clip(final String s)
    {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
