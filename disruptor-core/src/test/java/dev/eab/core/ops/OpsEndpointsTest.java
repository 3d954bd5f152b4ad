package dev.eab.core.ops;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.metering.MeteringConfig;
import dev.eab.core.ops.metering.TenantBudget;
import dev.eab.core.resilience.HealthSource;
import dev.eab.core.resilience.BreakerState;
import dev.eab.core.resilience.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The metrics, health and metering endpoints over a real socket, against a real bus. */
class OpsEndpointsTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private EnhancedAgentBus bus;
    private OpsServer server;

    @AfterEach
    void close()
    {
        if (server != null)
        {
            server.close();
        }
        if (bus != null)
        {
            bus.close();
        }
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ValidationResult send(final EnhancedAgentBus bus, final AgentMessage m) throws Exception
    {
        return bus.send(m).get(10, TimeUnit.SECONDS);
    }

    private static AgentMessage.Builder msg(final String from, final String to, final String tenant)
    {
        return AgentMessage.builder().fromAgent(from).toAgent(to).tenantId(tenant).messageType(MessageType.QUERY).content(Map.of("q", "x"));
    }

    private void serve(final HealthSource health) throws Exception
    {
        server = new OpsServer("127.0.0.1", 0);
        new OpsEndpoints(bus, health, () -> -1).register(server);
        server.start();
    }

    @Test
    void probesMetricsAndMeteringFollowTheBusLifecycleAndItsTraffic() throws Exception
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().enableMetering(true).build());
        bus.metering(MeteringConfig.defaults().withTenantBudgets(Map.of("acme", new TenantBudget(3, 3600))));
        serve(bus.health());

        // Before start: alive, not started, not ready, with the reasons.
        assertEquals(200, get("/health/live").statusCode());
        final HttpResponse<String> startup = get("/health/startup");
        assertEquals(503, startup.statusCode());
        assertTrue(startup.body().contains("\"status\":\"fail\"") && startup.body().contains("journal replay"), startup.body());
        final HttpResponse<String> notReady = get("/health/ready");
        assertEquals(503, notReady.statusCode());
        // Health is the dependencies' (the aggregator's breakers); the bus's own state is a readiness reason of its own.
        assertTrue(notReady.body().contains("the bus is not running") && notReady.body().contains("\"status\":\"fail\""), notReady.body());

        bus.start();
        bus.registerAgent("alice", "worker", Set.of(), "acme", null);
        bus.registerAgent("bob", "worker", Set.of(), "acme", null);
        bus.registerAgent("carol", "worker", Set.of(), "beta", null);
        bus.registerAgent("dave", "worker", Set.of(), "beta", null);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(send(bus, msg("alice", "bob", "acme").build()).isValid());
        }
        final ValidationResult overBudget = send(bus, msg("alice", "bob", "acme").build());
        assertEquals(RejectReason.TENANT_BUDGET_EXCEEDED, overBudget.rejectReason());
        assertTrue(overBudget.errors().get(0).matches("Agent 'alice' exceeded rate limit of 3 messages per 3600s \\(retry after \\d+ms\\)"),
            overBudget.errors().toString());
        assertEquals(RejectReason.HASH_MISMATCH, send(bus, msg("carol", "dave", "beta").constitutionalHash("0000000000000000").build()).rejectReason());
        assertTrue(send(bus, msg("carol", "dave", "beta").priority(Priority.HIGH).messageType(MessageType.EVENT).build()).isValid(),
            "another tenant is not held to acme's budget");
        // A sender's future completes in the route stage; the bus thread meters the message just after it.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bus.ops().metering().queue().queued() < 6 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        bus.ops().metering().flushNow();

        final HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().startsWith("{\"probe\":\"ready\",\"status\":\"ok\",\"health\":\"HEALTHY\",\"score\":1,"), ready.body());
        assertEquals(200, get("/health/startup").statusCode());
        assertEquals(200, get("/health/live").statusCode());

        final HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        final PrometheusText p = PrometheusText.parse(metrics.body());
        assertEquals(3.0, p.get("eab_messages_total", "tenant", "acme", "type", "query", "priority", "normal", "status", "accepted"));
        assertEquals(1.0, p.get("eab_messages_total", "tenant", "acme", "type", "query", "priority", "normal", "status", "rejected"));
        assertEquals(1.0, p.get("eab_messages_total", "tenant", "beta", "type", "query", "priority", "normal", "status", "rejected"));
        assertEquals(1.0, p.get("eab_messages_total", "tenant", "beta", "type", "event", "priority", "high", "status", "accepted"));
        assertNull(p.get("eab_messages_total", "tenant", "beta", "type", "event", "priority", "high", "status", "rejected"), "zero series are left out");
        assertEquals(1.0, p.get("eab_rejected_total", "reason", "tenant_budget_exceeded"));
        assertEquals(1.0, p.get("eab_rejected_total", "reason", "hash_mismatch"));
        assertEquals(0.0, p.get("eab_rejected_total", "reason", "policy_denied"));
        assertEquals(6.0, p.get("eab_processed_total"));
        assertEquals(4.0, p.get("eab_delivered_total"));
        assertEquals(1024.0, p.get("eab_ring_capacity"));
        assertEquals(0.0, p.get("eab_ring_depth"));
        assertEquals(1.0, p.get("eab_health_score"));
        assertEquals(1.0, p.get("eab_health_status", "status", "healthy"));
        assertEquals(0.0, p.get("eab_health_status", "status", "critical"));
        assertEquals(1.0, p.get("eab_breaker_state", "service", "journal", "state", "closed"), "forTesting() journals: its breaker is exported");
        assertEquals(6.0, p.get("eab_metering_events_queued_total"));
        assertEquals(6.0, p.get("eab_metering_events_flushed_total"));
        assertEquals(0.0, p.get("eab_metering_events_dropped_total"));
        assertEquals(3.0, p.get("eab_metering_tenant_events_total", "tenant", "acme", "event", "agent_message", "outcome", "positive"));
        assertEquals(1.0, p.get("eab_metering_tenant_events_total", "tenant", "acme", "event", "agent_message", "outcome", "negative"));
        assertEquals(1.0, p.get("eab_metering_tenant_events_total", "tenant", "beta", "event", "constitutional_validation", "outcome", "negative"),
            "the hash mismatch is a failed constitutional validation");
        assertNull(p.get("eab_deliberations_pending"), "no deliberation layer: left out, not a made-up 0");
        assertEquals("counter", p.types.get("eab_messages_total") != null ? p.types.get("eab_messages_total") : p.types.get("eab_messages"));
        assertTrue(p.samples.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM metrics");
        assertTrue(p.samples.keySet().stream().anyMatch(k -> k.startsWith("eab_info{")), "build info");
        for (final String family : List.of("eab_end_to_end_duration_seconds", "eab_validation_duration_seconds"))
        {
            final TreeMap<Double, Double> buckets = p.buckets(family);
            assertEquals(BusCollector.LATENCY_BOUNDS_S.length, buckets.size(), family);
            double previous = 0;
            for (final double count : buckets.values())
            {
                assertTrue(count >= previous, family + " buckets are cumulative: " + buckets);
                previous = count;
            }
            assertEquals(p.get(family + "_count"), buckets.lastEntry().getValue(), family + ": +Inf bucket = count");
            assertTrue(p.get(family + "_count") >= 1, family + ": the first message (sequence 0) is always sampled");
        }
        for (final String stage : List.of("validate", "govern", "journal", "route"))
        {
            assertFalse(p.buckets("eab_stage_duration_seconds", "stage", stage).isEmpty(), stage);
        }

        final HttpResponse<String> metering = get("/metering");
        assertEquals(200, metering.statusCode());
        assertTrue(metering.body().contains("\"events_queued\":6") && metering.body().contains("\"acme\":{\"constitutional_validation\":{\"events\":4")
            && metering.body().contains("\"tenant_budgets\":{\"acme\":"), metering.body());

        assertEquals(404, get("/health/nope").statusCode());
        assertEquals(404, get("/metrics/extra").statusCode());
        assertEquals(405, client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        bus.stop();
        final HttpResponse<String> stopped = get("/health/ready");
        assertEquals(503, stopped.statusCode());
        assertTrue(stopped.body().contains("the bus is not running"), stopped.body());
        assertEquals(200, get("/health/live").statusCode(), "a stopped bus is not a dead process");
        assertEquals(200, get("/health/startup").statusCode(), "started once, replay done");
    }

    @Test
    void readinessFailsWithReasonsWhenHealthIsCriticalButDegradedIsStillReady() throws Exception
    {
        // No native library, scanner or journal: the bus's health is exactly the four sources registered here.
        bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().nativeMode(dev.eab.api.NativeMode.OFF).journalDir(null)
            .contentScanning(false).build());
        final Map<String, BreakerState> states = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
            "audit_sink", BreakerState.OPEN, "journal", BreakerState.CLOSED, "rego", BreakerState.OPEN, "deliberation", BreakerState.OPEN));
        for (final String service : List.copyOf(states.keySet()))
        {
            bus.health().registerSource(service, () -> states.get(service));
        }
        serve(bus.health());
        bus.start();

        final HttpResponse<String> critical = get("/health/ready");
        assertEquals(503, critical.statusCode());
        assertTrue(critical.body().contains("\"health\":\"CRITICAL\",\"score\":0.25") && critical.body().contains(
            "health is CRITICAL (score 0.25); critical services: [audit_sink, deliberation, rego]"), critical.body());
        assertEquals(200, get("/health/live").statusCode(), "critical dependencies are a readiness matter, not liveness");
        final PrometheusText p = PrometheusText.parse(get("/metrics").body());
        assertEquals(1.0, p.get("eab_breaker_state", "service", "rego", "state", "open"));
        assertEquals(0.0, p.get("eab_breaker_state", "service", "rego", "state", "closed"));
        assertEquals(1.0, p.get("eab_health_status", "status", "critical"));
        assertNull(p.get("eab_messages_total"), "metering off: no labelled counters");

        states.put("rego", BreakerState.CLOSED);
        states.put("deliberation", BreakerState.HALF_OPEN);
        final HttpResponse<String> degraded = get("/health/ready");
        assertEquals(200, degraded.statusCode(), degraded.body());
        assertTrue(degraded.body().contains("\"health\":\"DEGRADED\",\"score\":0.625,\"degraded_services\":[\"deliberation\"]"), degraded.body());
    }

    @Test
    void theBusesOwnHealthFollowsTheNativeValidatorsRealBreaker() throws Exception
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().nativeMode(dev.eab.api.NativeMode.AUTO).build());
        org.junit.jupiter.api.Assumptions.assumeTrue("native".equals(bus.validator().name()), "native library not loaded");
        serve(bus.health());
        bus.start();
        assertEquals(200, get("/health/ready").statusCode());
        bus.validator().breaker().transitionToOpenState();
        try
        {
            final HttpResponse<String> ready = get("/health/ready");
            assertEquals(200, ready.statusCode(), "scanner and journal closed + native open = 0.667: DEGRADED, still ready (the Java twin decides)");
            assertTrue(ready.body().contains("\"health\":\"DEGRADED\",\"score\":0.667") && ready.body().contains("\"critical_services\":[\"native_validator\"]"),
                ready.body());
            final PrometheusText p = PrometheusText.parse(get("/metrics").body());
            assertEquals(1.0, p.get("eab_breaker_state", "service", "native_validator", "state", "open"));
            assertEquals(2.0 / 3.0, p.get("eab_health_score"), 1e-9);
            assertTrue(p.samples.keySet().stream().anyMatch(k -> k.startsWith("eab_info{") && k.contains("validator=\"java\"")),
                "the info metric says who decides now");
        }
        finally
        {
            bus.validator().breaker().transitionToClosedState();
        }
        final HttpResponse<String> healed = get("/health/ready");
        assertTrue(healed.body().contains("\"health\":\"HEALTHY\",\"score\":1,"), healed.body());
    }
}
