package dev.eab.core.ops;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.api.VoteChoice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deliberation endpoints over a real socket, against the in-memory seam: shapes, errors and every auth failure. */
class DeliberationRoutesTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private final InMemoryDeliberations deliberations = new InMemoryDeliberations();
    private OpsServer server;
    private DeliberationItem first;
    private DeliberationItem second;

    static AgentMessage message(final String from, final String text)
    {
        return AgentMessage.builder().fromAgent(from).toAgent("executor-1").tenantId("acme")
            .messageType(MessageType.COMMAND).priority(Priority.HIGH)
            .content(Map.of("action", "deploy", "text", text)).build();
    }

    static Map<String, Double> factors()
    {
        final Map<String, Double> f = new LinkedHashMap<>();
        f.put("semantic", 0.9);
        f.put("priority", 0.7);
        return f;
    }

    @BeforeEach
    void start() throws Exception
    {
        first = deliberations.hold(message("planner-1", "critical security breach"), 0.85, factors());
        second = deliberations.hold(message("planner-2", "<img src=x onerror=alert(1)>"), 0.92, factors());
        server = new OpsServer("127.0.0.1", 0);
        new DeliberationRoutes(deliberations, TestTokens.hs256Auth()).register(server);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private HttpResponse<String> call(final String method, final String path, final String token, final String body) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (token != null)
        {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> json(final HttpResponse<String> response) throws Exception
    {
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"), response.toString());
        return JSONObjectUtils.parse(response.body());
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String error) throws Exception
    {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(error, json(response).get("error"), response.body());
        assertTrue(json(response).get("message") instanceof String m && !m.isBlank(), response.body());
    }

    @Test
    void listsHeldItemsWithTheirImpactAndContent() throws Exception
    {
        final HttpResponse<String> response = call("GET", "/deliberations", TestTokens.reviewer("alice"), null);
        assertEquals(200, response.statusCode(), response.body());
        final Map<String, Object> body = json(response);
        assertEquals(2L, ((Number)body.get("count")).longValue());
        final List<?> items = (List<?>)body.get("items");
        final Map<?, ?> item = (Map<?, ?>)items.get(0);
        assertEquals(first.id(), item.get("id"));
        assertEquals("under_review", item.get("status"));
        assertEquals("planner-1", item.get("sender"));
        assertEquals("executor-1", item.get("recipient"));
        assertEquals("acme", item.get("tenant"));
        assertEquals("command", item.get("type"));
        assertEquals("high", item.get("priority"));
        assertEquals(first.message().messageId(), item.get("message_id"));
        assertEquals(0.85, ((Number)item.get("impact_score")).doubleValue(), 1e-9);
        assertEquals(Map.of("semantic", 0.9, "priority", 0.7), item.get("impact_factors"));
        assertEquals(Map.of("action", "deploy", "text", "critical security breach"), item.get("content"));
        assertEquals(first.createdAt().toString(), item.get("created_at"));
        assertNull(item.get("decided_at"));
        // Hostile content is data: returned verbatim inside a JSON string, never interpreted.
        assertEquals("<img src=x onerror=alert(1)>", ((Map<?, ?>)((Map<?, ?>)items.get(1)).get("content")).get("text"));
    }

    @Test
    void showsOneItemWithItsVotesAndRefusesUnknownIds() throws Exception
    {
        deliberations.vote(first.id(), "judge-1", VoteChoice.APPROVE, "fine");
        final Map<String, Object> item = json(call("GET", "/deliberations/" + first.id(), TestTokens.reviewer("alice"), null));
        assertEquals(first.id(), item.get("id"));
        final Map<?, ?> vote = (Map<?, ?>)((List<?>)item.get("votes")).get(0);
        assertEquals("judge-1", vote.get("agent_id"));
        assertEquals("approve", vote.get("choice"));
        assertEquals("fine", vote.get("reasoning"));
        assertError(call("GET", "/deliberations/no-such-id", TestTokens.reviewer("alice"), null), 404, "not_found");
        assertError(call("GET", "/deliberations/" + first.id() + "/votes/x", TestTokens.reviewer("alice"), null), 404, "not_found");
        assertError(call("GET", "/deliberationsX", TestTokens.reviewer("alice"), null), 404, "not_found");
    }

    @Test
    void approvesAndRejectsAsTheTokensSubjectNotTheBodysClaim() throws Exception
    {
        final HttpResponse<String> approved = call("POST", "/deliberations/" + first.id() + "/approve", TestTokens.reviewer("alice"),
            "{\"reason\":\"checked with the on-call\",\"reviewer\":\"mallory\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("approved", json(approved).get("status"));
        assertEquals("alice", json(approved).get("reviewer"));
        assertEquals("checked with the on-call", json(approved).get("reasoning"));
        assertEquals(DeliberationStatus.APPROVED, deliberations.get(first.id()).orElseThrow().status());
        assertEquals("alice", deliberations.get(first.id()).orElseThrow().reviewer());

        final HttpResponse<String> rejected = call("POST", "/deliberations/" + second.id() + "/reject", TestTokens.reviewer("bob"),
            "{\"reason\":\"looks like an injection\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        assertEquals("rejected", json(rejected).get("status"));
        assertEquals(DeliberationStatus.REJECTED, deliberations.get(second.id()).orElseThrow().status());
        assertEquals("bob", deliberations.get(second.id()).orElseThrow().reviewer());

        // Both decided: the list is empty, and deciding again is a conflict that says where the item stands.
        assertEquals(0L, ((Number)json(call("GET", "/deliberations", TestTokens.reviewer("alice"), null)).get("count")).longValue());
        final HttpResponse<String> again = call("POST", "/deliberations/" + first.id() + "/reject", TestTokens.reviewer("bob"),
            "{\"reason\":\"changed my mind\"}");
        assertError(again, 409, "already_decided");
        assertEquals("approved", json(again).get("status"));
        assertEquals(DeliberationStatus.APPROVED, deliberations.get(first.id()).orElseThrow().status());
    }

    @Test
    void refusesBadBodiesUnknownIdsAndWrongMethods() throws Exception
    {
        final String token = TestTokens.reviewer("alice");
        final String approve = "/deliberations/" + first.id() + "/approve";
        assertError(call("POST", approve, token, null), 400, "bad_request");
        assertError(call("POST", approve, token, "not json"), 400, "bad_request");
        assertError(call("POST", approve, token, "[\"reason\"]"), 400, "bad_request");
        assertError(call("POST", approve, token, "{}"), 400, "bad_request");
        assertError(call("POST", approve, token, "{\"reason\":\"   \"}"), 400, "bad_request");
        assertError(call("POST", approve, token, "{\"reason\":42}"), 400, "bad_request");
        assertError(call("POST", approve, token, "{\"reason\":\"" + "x".repeat(DeliberationRoutes.MAX_REASON_CHARS + 1) + "\"}"),
            400, "bad_request");
        assertError(call("POST", approve, token, "{\"reason\":\"" + "x".repeat(DeliberationRoutes.MAX_BODY_BYTES) + "\"}"),
            400, "bad_request");
        assertEquals(DeliberationStatus.UNDER_REVIEW, deliberations.get(first.id()).orElseThrow().status());

        assertError(call("POST", "/deliberations/nope/approve", token, "{\"reason\":\"r\"}"), 404, "not_found");
        assertError(call("POST", "/deliberations/" + first.id() + "/escalate", token, "{\"reason\":\"r\"}"), 404, "not_found");
        final HttpResponse<String> getApprove = call("GET", approve, token, null);
        assertError(getApprove, 405, "method_not_allowed");
        assertEquals("POST", getApprove.headers().firstValue("Allow").orElseThrow());
        assertError(call("DELETE", "/deliberations", token, null), 405, "method_not_allowed");
        // The sender judging its own message: the seam refuses with a MACI error, which is a 403.
        assertError(call("POST", approve, TestTokens.reviewer("planner-1"), "{\"reason\":\"mine\"}"), 403, "forbidden");
        assertEquals(DeliberationStatus.UNDER_REVIEW, deliberations.get(first.id()).orElseThrow().status());
    }

    @Test
    void everyAuthFailureIsA401Or403JsonErrorAndDecidesNothing() throws Exception
    {
        final Instant now = Instant.now();
        final Map<String, String> unauthorized = new LinkedHashMap<>();
        unauthorized.put("bad signature", TestTokens.hs256(TestTokens.claims("alice").build(), TestTokens.OTHER_SECRET));
        unauthorized.put("expired", TestTokens.hs256(TestTokens.claims("alice").expirationTime(Date.from(now.minusSeconds(300))).build(),
            TestTokens.SECRET));
        unauthorized.put("not yet valid", TestTokens.hs256(TestTokens.claims("alice").notBeforeTime(Date.from(now.plusSeconds(300))).build(),
            TestTokens.SECRET));
        unauthorized.put("wrong issuer", TestTokens.hs256(TestTokens.claims("alice").issuer("evil").build(), TestTokens.SECRET));
        unauthorized.put("wrong audience", TestTokens.hs256(TestTokens.claims("alice").audience("other").build(), TestTokens.SECRET));
        unauthorized.put("garbage", "abc.def.ghi");
        final String approve = "/deliberations/" + first.id() + "/approve";
        for (final String path : List.of("/deliberations", "/deliberations/" + first.id(), approve))
        {
            final String method = path.equals(approve) ? "POST" : "GET";
            final String body = path.equals(approve) ? "{\"reason\":\"r\"}" : null;
            final HttpResponse<String> none = call(method, path, null, body);
            assertError(none, 401, "invalid_token");
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"), none.headers().toString());
            for (final Map.Entry<String, String> e : unauthorized.entrySet())
            {
                final HttpResponse<String> response = call(method, path, e.getValue(), body);
                assertError(response, 401, "invalid_token");
                assertTrue(json(response).get("message").toString().length() > 5, e.getKey());
            }
            final HttpResponse<String> noRole = call(method, path,
                TestTokens.hs256(TestTokens.claims("alice").claim("roles", List.of("admin")).build(), TestTokens.SECRET), body);
            assertError(noRole, 403, "insufficient_role");
        }
        // Unknown ids are not revealed to the unauthenticated either.
        assertError(call("GET", "/deliberations/no-such-id", null, null), 401, "invalid_token");
        assertEquals(DeliberationStatus.UNDER_REVIEW, deliberations.get(first.id()).orElseThrow().status());
    }
}
