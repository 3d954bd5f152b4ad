package dev.eab.core.ops;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoints in front of a real governed bus: what is held is listed, approval delivers it, rejection fails it. */
class DeliberationRoutesBusTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private GovernedBus governed;
    private OpsServer server;

    @BeforeEach
    void start() throws Exception
    {
        governed = new GovernedBus();
        server = new OpsServer("127.0.0.1", 0);
        new DeliberationRoutes(governed.bus.deliberations(), TestTokens.hs256Auth()).register(server);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        governed.close();
    }

    private HttpResponse<String> call(final String method, final String path, final String body) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Authorization", "Bearer " + TestTokens.reviewer("alice"))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void approvalOverHttpDeliversTheHeldMessageOnceAndRejectionFailsIt() throws Exception
    {
        final AgentMessage.Builder wire = AgentMessage.builder().messageType(MessageType.COMMAND)
            .content(Map.of("action", "wire", "amount", 5000));
        final String approveId = governed.holdBySend(wire);
        final String rejectId = governed.holdByPublisher(42L, "drop the audit log");
        final String messageId = governed.bus.deliberations().get(approveId).orElseThrow().message().messageId();
        assertTrue(governed.deliveredIds.isEmpty(), "held, not delivered");

        final Map<String, Object> list = JSONObjectUtils.parse(call("GET", "/deliberations", null).body());
        assertEquals(2L, ((Number)list.get("count")).longValue());
        final Map<?, ?> first = (Map<?, ?>)((List<?>)list.get("items")).get(0);
        assertEquals(approveId, first.get("id"));
        assertEquals("planner-1", first.get("sender"));
        assertEquals("acme", first.get("tenant"));
        assertEquals("command", first.get("type"));
        assertEquals("critical", first.get("priority"));
        assertEquals("under_review", first.get("status"));
        assertEquals(messageId, first.get("message_id"));
        assertTrue(((Number)first.get("impact_score")).doubleValue() >= 0.8, first.toString());
        assertFalse(((Map<?, ?>)first.get("impact_factors")).isEmpty(), first.toString());
        assertEquals(Map.of("action", "wire", "amount", 5000L), first.get("content"));

        final HttpResponse<String> approved = call("POST", "/deliberations/" + approveId + "/approve", "{\"reason\":\"confirmed\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("approved", JSONObjectUtils.parse(approved.body()).get("status"));
        governed.awaitDelivered(messageId);

        final HttpResponse<String> rejected = call("POST", "/deliberations/" + rejectId + "/reject", "{\"reason\":\"not today\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        governed.awaitOutcomes(42L, List.of("held", "rejected:DELIBERATION_REJECTED"));
        assertEquals(DeliberationStatus.REJECTED, governed.bus.deliberations().get(rejectId).orElseThrow().status());
        assertEquals("alice", governed.bus.deliberations().get(rejectId).orElseThrow().reviewer());

        // Deciding again changes nothing: 409, and the approved message is still delivered exactly once.
        final HttpResponse<String> again = call("POST", "/deliberations/" + approveId + "/approve", "{\"reason\":\"twice\"}");
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(404, call("GET", "/deliberations/unknown", null).statusCode());
        Thread.sleep(200);
        assertEquals(List.of(messageId), governed.deliveredIds);
        assertTrue(governed.deliveredCorrelations.isEmpty(), "the rejected message was never delivered");
        assertEquals(0L, ((Number)JSONObjectUtils.parse(call("GET", "/deliberations", null).body()).get("count")).longValue());
    }

    @Test
    void twoReviewersRacingOnOneItemGetOneDecisionAndTheMessageIsDeliveredAtMostOnce() throws Exception
    {
        final int items = 6;
        final List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < items; i++)
        {
            ids.add(governed.holdBySend(AgentMessage.builder().messageType(MessageType.COMMAND).content(Map.of("n", i))));
        }
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try
        {
            int approvals = 0;
            for (final String id : ids)
            {
                final java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                final java.util.concurrent.Future<HttpResponse<String>> approve = pool.submit(() ->
                {
                    go.await();
                    return call("POST", "/deliberations/" + id + "/approve", "{\"reason\":\"yes\"}");
                });
                final java.util.concurrent.Future<HttpResponse<String>> reject = pool.submit(() ->
                {
                    go.await();
                    return call("POST", "/deliberations/" + id + "/reject", "{\"reason\":\"no\"}");
                });
                go.countDown();
                final int a = approve.get(GovernedBus.HANG_BOUND_S, java.util.concurrent.TimeUnit.SECONDS).statusCode();
                final int r = reject.get(GovernedBus.HANG_BOUND_S, java.util.concurrent.TimeUnit.SECONDS).statusCode();
                assertEquals(java.util.Set.of(200, 409), java.util.Set.of(a, r), id + ": approve " + a + ", reject " + r);
                final DeliberationStatus status = governed.bus.deliberations().get(id).orElseThrow().status();
                assertEquals(a == 200 ? DeliberationStatus.APPROVED : DeliberationStatus.REJECTED, status, id);
                if (a == 200)
                {
                    approvals++;
                    governed.awaitDelivered(governed.bus.deliberations().get(id).orElseThrow().message().messageId());
                }
            }
            Thread.sleep(200);
            assertEquals(approvals, governed.deliveredIds.size(), "each approved message once, no rejected one: " + governed.deliveredIds);
            assertEquals(approvals, new java.util.HashSet<>(governed.deliveredIds).size());
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
