package dev.eab.api;

import dev.eab.api.exception.MessageValidationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 7 §3: seeded fuzzing of {@link AgentMessage#fromMap} over garbled maps and of the builder over
 * random content trees. Only {@link MessageValidationException} may escape; anything else is a defect.
 * The seed is printed; rerun one with {@code -Deab.fuzz.seed=N}.
 */
class MessageFuzzTest
{
    private static final int FROM_MAP_INPUTS = 20_000;
    private static final int CONTENT_INPUTS = 20_000;

    private static long seed()
    {
        final long seed = Long.getLong("eab.fuzz.seed", System.nanoTime());
        System.out.println("MessageFuzzTest seed " + seed);
        return seed;
    }

    /** Values of every shape a JSON reader, or a careless caller, could put where a field belongs. */
    private static Object garbage(final Random rnd, final int depth)
    {
        return switch (rnd.nextInt(depth > 3 ? 16 : 20))
        {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "x".repeat(rnd.nextInt(40));
            case 3 -> rnd.nextInt();
            case 4 -> rnd.nextLong();
            case 5 -> rnd.nextDouble() * 1e12;
            case 6 -> Double.NaN;
            case 7 -> rnd.nextBoolean();
            case 8 -> "2026-13-45T99:00:00Z";
            case 9 -> Instant.ofEpochSecond(rnd.nextLong(-1_000_000_000_000L, 1_000_000_000_000L)).toString();
            case 10 -> new StringBuilder("sb");
            case 11 -> new Object();
            case 12 -> new byte[rnd.nextInt(4)];
            case 13 -> new BigDecimal("1e400");
            case 14 -> BigInteger.TWO.pow(70);
            case 15 -> Set.of("s");
            case 16 -> java.util.Arrays.asList(garbage(rnd, depth + 1), garbage(rnd, depth + 1));
            case 17 ->
            {
                final Map<Object, Object> m = new HashMap<>();
                m.put(rnd.nextBoolean() ? "k" : (Object)rnd.nextInt(3), garbage(rnd, depth + 1));
                yield m;
            }
            case 18 ->
            {
                Object deep = "leaf";
                for (int i = 0, n = rnd.nextInt(5_000); i < n; i++)
                {
                    deep = rnd.nextBoolean() ? List.of(deep) : Map.of("d", deep);
                }
                yield deep;
            }
            default ->
            {
                final List<Object> self = new ArrayList<>();
                self.add(self);
                yield self;
            }
        };
    }

    private static Map<String, Object> valid()
    {
        return new LinkedHashMap<>(AgentMessage.builder().fromAgent("a").toAgent("b").tenantId("t1").content(Map.of("q", "x"))
            .routing(RoutingContext.of("a", "b")).headers(Map.of("h", "v")).expiresAt(Instant.now()).impactScore(0.5).build().toMap());
    }

    @Test
    void fromMapThrowsOnlyTheDocumentedExceptionOnGarbledMaps()
    {
        final Random rnd = new Random(seed());
        final List<String> keys = new ArrayList<>(valid().keySet());
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        for (int i = 0; i < FROM_MAP_INPUTS; i++)
        {
            final Map<String, Object> m = valid();
            for (int j = 0, n = 1 + rnd.nextInt(3); j < n; j++)
            {
                final String key = keys.get(rnd.nextInt(keys.size()));
                if (key.equals("routing") && m.get("routing") instanceof Map && rnd.nextBoolean())
                {
                    // Garble inside the routing map too.
                    final Map<String, Object> r = new LinkedHashMap<>(asMap(m.get("routing")));
                    r.put(List.of("source_agent_id", "target_agent_id", "routing_key", "routing_tags", "retry_count", "max_retries", "timeout_ms")
                        .get(rnd.nextInt(7)), garbage(rnd, 0));
                    m.put(key, r);
                }
                else
                {
                    m.put(key, garbage(rnd, 0));
                }
            }
            try
            {
                AgentMessage.fromMap(m);
                accepted.incrementAndGet();
            }
            catch (final MessageValidationException e)
            {
                assertTrue(e.getMessage().contains("Field '") || e.getMessage().contains("content") || e.getMessage().contains("payload") ||
                    e.getMessage().contains("metadata") || e.getMessage().contains("security_context") || e.getMessage().contains("performance_metrics") ||
                    e.getMessage().contains("headers"), "names what was wrong: " + e.getMessage());
                refused.incrementAndGet();
            }
            catch (final Throwable t)
            {
                fail("undocumented exception from fromMap for " + describe(m) + ": " + t, t);
            }
        }
        System.out.println("fromMap fuzz: " + FROM_MAP_INPUTS + " garbled maps, " + accepted + " accepted, " + refused +
            " refused with MessageValidationException, 0 undocumented exceptions");
        assertEquals(FROM_MAP_INPUTS, accepted.get() + refused.get());
        assertTrue(refused.get() > FROM_MAP_INPUTS / 2, "the fuzzer really garbles");
    }

    @Test
    void buildingThrowsOnlyTheDocumentedExceptionOnRandomContent()
    {
        final Random rnd = new Random(seed());
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < CONTENT_INPUTS; i++)
        {
            final Map<String, Object> content = new HashMap<>();
            for (int j = 0, n = rnd.nextInt(4); j < n; j++)
            {
                content.put("k" + j, garbage(rnd, 0));
            }
            try
            {
                final AgentMessage m = AgentMessage.builder().content(content).build();
                assertTrue(ContentValues.deepEquals(m.content(), content) || content.values().stream().anyMatch(v -> v instanceof byte[]),
                    "an accepted content is carried as given");
                assertTrue(m.encodedSizeBytes() > 0);
                accepted++;
            }
            catch (final MessageValidationException e)
            {
                assertTrue(e.getMessage().contains("content"), e.getMessage());
                refused++;
            }
            catch (final Throwable t)
            {
                fail("undocumented exception from build() for content " + describe(content) + ": " + t, t);
            }
        }
        System.out.println("content fuzz: " + CONTENT_INPUTS + " random contents, " + accepted + " accepted, " + refused +
            " refused with MessageValidationException, 0 undocumented exceptions");
        assertTrue(accepted > 0 && refused > 0);
    }

    @Test
    void theIssuesExamplesAreTypedRejections()
    {
        final Map<String, Object> routing = valid();
        routing.put("routing", Map.of("source_agent_id", "a", "target_agent_id", "b", "retry_count", "three"));
        assertRefused(routing, "routing.retry_count");
        final Map<String, Object> headers = valid();
        headers.put("headers", Map.of(1, "v"));
        assertRefused(headers, "headers");
        final Map<String, Object> impact = valid();
        impact.put("impact_score", "0.9");
        assertRefused(impact, "impact_score");
        final Map<String, Object> time = valid();
        time.put("created_at", "yesterday");
        assertRefused(time, "created_at");
        final Map<String, Object> tags = valid();
        final Map<String, Object> r = new HashMap<>(asMap(tags.get("routing")));
        r.put("routing_tags", java.util.Arrays.asList("a", null));
        tags.put("routing", r);
        assertRefused(tags, "routing.routing_tags");
        final Map<String, Object> deep = valid();
        Object d = "leaf";
        for (int i = 0; i < 100_000; i++)
        {
            d = Map.of("d", d);
        }
        deep.put("content", d);
        assertRefused(deep, "nested deeper");
        assertRefused(null, "message map is null");
    }

    private static void assertRefused(final Map<String, Object> m, final String expected)
    {
        try
        {
            AgentMessage.fromMap(m);
            fail("accepted: " + expected);
        }
        catch (final MessageValidationException e)
        {
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(final Object o)
    {
        return (Map<String, Object>)o;
    }

    private static String describe(final Map<?, ?> m)
    {
        final StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(k).append('=').append(v == null ? "null" : v.getClass().getSimpleName()).append(", "));
        return sb.append('}').toString();
    }
}
