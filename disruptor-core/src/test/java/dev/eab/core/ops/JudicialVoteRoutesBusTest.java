package dev.eab.core.ops;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.core.cli.DeliberationsMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /deliberations/{id}/vote} over a real socket in front of a real governed bus: judicial votes decide an
 * item (three approvals deliver the message once), and every refusal the Java API makes is the same over HTTP: no or
 * bad token 401, a token without the judge role 403, a subject that is not a registered JUDICIAL agent 403, the
 * sender / the target agent / the producer of the target output 403 with MACI's self-validation text, a decided item
 * 409, an unknown id 404, a bad body 400. The CLI's {@code vote} is a client of the same endpoint.
 */
class JudicialVoteRoutesBusTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private GovernedBus governed;
    private OpsServer server;

    @BeforeEach
    void start() throws Exception
    {
        governed = new GovernedBus();
        for (final String judge : List.of("judge-1", "judge-2", "judge-3", "judge-4"))
        {
            governed.bus.registerAgent(judge, "judge", Set.of(), "acme", MaciRole.JUDICIAL);
        }
        governed.bus.registerAgent("clerk", "clerk", Set.of(), "acme", MaciRole.EXECUTIVE);
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

    static String judgeToken(final String subject)
    {
        return TokenMinter.mintHs256(TestTokens.SECRET, BearerAuth.DEFAULT_ISSUER, BearerAuth.DEFAULT_AUDIENCE, subject,
            List.of(BearerAuth.JUDGE_ROLE), BearerAuth.DEFAULT_ROLE_CLAIM, Instant.now(), TokenMinter.DEFAULT_TTL);
    }

    private HttpResponse<String> vote(final String token, final String id, final String body) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/deliberations/" + id + "/vote"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null)
        {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> json(final HttpResponse<String> r) throws Exception
    {
        return JSONObjectUtils.parse(r.body());
    }

    private String holdCommand(final Map<String, Object> content) throws Exception
    {
        return governed.holdBySend(AgentMessage.builder().messageType(MessageType.COMMAND).content(content));
    }

    @Test
    void threeJudicialApprovalsOverHttpDeliverTheMessageOnce() throws Exception
    {
        final String id = holdCommand(Map.of("action", "wire"));
        final String messageId = governed.bus.deliberations().get(id).orElseThrow().message().messageId();

        final HttpResponse<String> first = vote(judgeToken("judge-1"), id, "{\"approve\":true,\"reasoning\":\"checked\"}");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(Boolean.FALSE, json(first).get("decided"));
        assertEquals("under_review", json(first).get("status"));
        // A judge's second vote replaces its first: still one vote from judge-1.
        final HttpResponse<String> again = vote(judgeToken("judge-1"), id, "{\"approve\":true,\"reasoning\":\"still fine\"}");
        assertEquals(1, ((List<?>)json(again).get("votes")).size(), again.body());
        assertEquals(200, vote(judgeToken("judge-2"), id, "{\"approve\":true}").statusCode());
        assertTrue(governed.deliveredIds.isEmpty(), "two of three votes: still held");
        final HttpResponse<String> third = vote(judgeToken("judge-3"), id, "{\"approve\":true,\"reasoning\":\"ok\"}");
        assertEquals(200, third.statusCode(), third.body());
        assertEquals(Boolean.TRUE, json(third).get("decided"));
        assertEquals("approved", json(third).get("status"));
        governed.awaitDelivered(messageId);

        final HttpResponse<String> late = vote(judgeToken("judge-4"), id, "{\"approve\":false}");
        assertEquals(409, late.statusCode(), late.body());
        assertEquals("already_decided", json(late).get("error"));
        Thread.sleep(100);
        assertEquals(List.of(messageId), governed.deliveredIds, "delivered exactly once");
    }

    @Test
    void rejectionByVotesFailsTheMessage() throws Exception
    {
        final String id = holdCommand(Map.of("action", "drop"));
        for (final String judge : List.of("judge-1", "judge-2", "judge-3"))
        {
            assertEquals(200, vote(judgeToken(judge), id, "{\"approve\":false,\"reasoning\":\"no\"}").statusCode());
        }
        assertEquals(DeliberationStatus.REJECTED, governed.bus.deliberations().get(id).orElseThrow().status());
        assertTrue(governed.deliveredIds.isEmpty());
    }

    @Test
    void tokenFailuresAre401And403() throws Exception
    {
        final String id = holdCommand(Map.of("action", "wire"));
        final HttpResponse<String> none = vote(null, id, "{\"approve\":true}");
        assertEquals(401, none.statusCode());
        assertEquals("invalid_token", json(none).get("error"));
        final HttpResponse<String> forged = vote(TestTokens.hs256(TestTokens.claims("judge-1")
            .claim(BearerAuth.DEFAULT_ROLE_CLAIM, List.of(BearerAuth.JUDGE_ROLE)).build(), TestTokens.OTHER_SECRET), id, "{\"approve\":true}");
        assertEquals(401, forged.statusCode(), forged.body());
        final HttpResponse<String> expired = vote(TestTokens.hs256(TestTokens.claims("judge-1")
            .claim(BearerAuth.DEFAULT_ROLE_CLAIM, List.of(BearerAuth.JUDGE_ROLE))
            .expirationTime(java.util.Date.from(Instant.now().minusSeconds(3600))).build(), TestTokens.SECRET), id, "{\"approve\":true}");
        assertEquals(401, expired.statusCode(), expired.body());
        // A reviewer is not a judge: the vote endpoint needs the judge role.
        final HttpResponse<String> reviewer = vote(TestTokens.reviewer("judge-1"), id, "{\"approve\":true}");
        assertEquals(403, reviewer.statusCode(), reviewer.body());
        assertEquals("insufficient_role", json(reviewer).get("error"));
        // ...and a judge token does not open the reviewer's endpoints.
        final HttpResponse<String> list = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/deliberations"))
            .header("Authorization", "Bearer " + judgeToken("judge-1")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, list.statusCode(), list.body());
        assertTrue(governed.bus.deliberations().get(id).orElseThrow().votes().isEmpty(), "no refused call voted");
    }

    @Test
    void aJudgeTokenForAnAgentThatIsNotJudicialIsRefusedWithMacisText() throws Exception
    {
        final String id = holdCommand(Map.of("action", "wire"));
        final HttpResponse<String> executive = vote(judgeToken("clerk"), id, "{\"approve\":true}");
        assertEquals(403, executive.statusCode(), executive.body());
        assertEquals("forbidden", json(executive).get("error"));
        final String text = (String)json(executive).get("message");
        assertTrue(text.contains("clerk") && text.contains("allowed roles: judicial"), text);
        final HttpResponse<String> stranger = vote(judgeToken("nobody"), id, "{\"approve\":true}");
        assertEquals(403, stranger.statusCode(), stranger.body());
        assertTrue(((String)json(stranger).get("message")).contains("unregistered"), stranger.body());
    }

    @Test
    void theSenderTheTargetAgentAndTheProducerOfTheTargetOutputCannotVote() throws Exception
    {
        // judge-4 produced output "out-7"; the held message judges judge-2 (target agent) and out-7 (target output).
        governed.bus.maci().recordOutput("judge-4", "out-7");
        final String id = holdCommand(Map.of("action", "wire", "target_agent_id", "judge-2", "target_output_id", "out-7"));
        for (final String self : List.of("judge-2", "judge-4"))
        {
            final HttpResponse<String> r = vote(judgeToken(self), id, "{\"approve\":true}");
            assertEquals(403, r.statusCode(), self + ": " + r.body());
            final String text = (String)json(r).get("message");
            assertTrue(text.contains("'" + self + "' cannot validate its own output"), text);
        }
        assertTrue(governed.bus.deliberations().get(id).orElseThrow().votes().isEmpty());
        assertEquals(200, vote(judgeToken("judge-1"), id, "{\"approve\":true}").statusCode(), "a judge that is not involved votes");
    }

    @Test
    void aJudgeThatSentTheMessageCannotVoteOnIt() throws Exception
    {
        final var result = governed.bus.send(AgentMessage.builder().fromAgent("judge-3").toAgent("executor-1").tenantId("acme")
            .messageType(MessageType.COMMAND).priority(dev.eab.api.Priority.CRITICAL).content(Map.of("a", 1)).build())
            .get(GovernedBus.HANG_BOUND_S, java.util.concurrent.TimeUnit.SECONDS);
        final String id = (String)result.metadata().get("deliberation_id");
        final HttpResponse<String> r = vote(judgeToken("judge-3"), id, "{\"approve\":true}");
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(((String)json(r).get("message")).contains("judge-3"), r.body());
    }

    @Test
    void badRequestsUnknownIdsAndWrongMethods() throws Exception
    {
        final String id = holdCommand(Map.of("action", "wire"));
        for (final String body : List.of("", "[]", "{\"approve\":\"yes\"}", "{\"reasoning\":\"no choice\"}", "{\"approve\":true,\"reasoning\":5}",
            "{\"approve\":true,\"reasoning\":\"" + "x".repeat(DeliberationRoutes.MAX_REASON_CHARS + 1) + "\"}"))
        {
            final HttpResponse<String> r = vote(judgeToken("judge-1"), id, body);
            assertEquals(400, r.statusCode(), body + " → " + r.body());
        }
        assertEquals(404, vote(judgeToken("judge-1"), "dlb-unknown", "{\"approve\":true}").statusCode());
        final HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/deliberations/" + id + "/vote"))
            .header("Authorization", "Bearer " + judgeToken("judge-1")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        assertTrue(governed.bus.deliberations().get(id).orElseThrow().votes().isEmpty());
    }

    @Test
    void theCliVotesThroughTheEndpoint() throws Exception
    {
        final String id = holdCommand(Map.of("action", "wire"));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = DeliberationsMain.run(new String[] {"vote", id, "--reject", "--reason", "not needed", "--url", server.baseUrl()},
            Map.of(DeliberationsMain.ENV_JUDGE_TOKEN, judgeToken("judge-1")), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("judge-1: reject  not needed"), out.toString(StandardCharsets.UTF_8));
        assertEquals(1, governed.bus.deliberations().get(id).orElseThrow().votes().size());

        // The CLI says why the server refused, and exits 1: clerk is not JUDICIAL.
        err.reset();
        final int refused = DeliberationsMain.run(new String[] {"vote", id, "--approve", "--url", server.baseUrl(), "--token", judgeToken("clerk")},
            Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(DeliberationsMain.EXIT_FAILED, refused);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("403 forbidden"), err.toString(StandardCharsets.UTF_8));
        // Usage errors: neither or both of --approve/--reject.
        assertEquals(DeliberationsMain.EXIT_USAGE, DeliberationsMain.run(new String[] {"vote", id}, Map.of(), new PrintStream(out), new PrintStream(err)));
        assertEquals(DeliberationsMain.EXIT_USAGE, DeliberationsMain.run(new String[] {"vote", id, "--approve", "--reject"}, Map.of(),
            new PrintStream(out), new PrintStream(err)));
    }
}
