package dev.eab.core.cli;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.DeliberationRoutes;
import dev.eab.core.ops.InMemoryDeliberations;
import dev.eab.core.ops.OpsServer;
import dev.eab.core.ops.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./eab deliberations} against a running server over a real socket. */
class DeliberationsMainTest
{
    private final InMemoryDeliberations deliberations = new InMemoryDeliberations();
    private OpsServer server;
    private DeliberationItem first;
    private DeliberationItem second;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception
    {
        final Map<String, Double> factors = new LinkedHashMap<>();
        factors.put("semantic", 0.9);
        factors.put("priority", 0.0);
        first = deliberations.hold(AgentMessage.builder().fromAgent("planner-1").toAgent("executor-1").tenantId("acme")
            .messageType(MessageType.COMMAND).priority(Priority.HIGH).content(Map.of("action", "wire $1M")).build(), 0.86, factors);
        // A name with terminal escapes: printed harmlessly.
        second = deliberations.hold(AgentMessage.builder().fromAgent("evil\u001b[2J").toAgent("executor-1").tenantId("acme")
            .messageType(MessageType.QUERY).content(Map.of("q", "drop tables")).build(), 0.81, factors);
        server = new OpsServer("127.0.0.1", 0);
        new DeliberationRoutes(deliberations, TestTokens.hs256Auth()).register(server);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    private int run(final Map<String, String> env, final String... args)
    {
        out.reset();
        err.reset();
        return DeliberationsMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(final String... args)
    {
        final String[] withUrl = new String[args.length + 2];
        System.arraycopy(args, 0, withUrl, 0, args.length);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = server.baseUrl();
        return run(Map.of(DeliberationsMain.ENV_TOKEN, TestTokens.reviewer("alice")), withUrl);
    }

    private String out()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsShowsApprovesAndRejects()
    {
        assertEquals(0, run("list"), err());
        final String table = out();
        assertTrue(table.startsWith("ID"), table);
        assertTrue(table.contains(first.id()) && table.contains(second.id()), table);
        assertTrue(table.contains("planner-1") && table.contains("acme") && table.contains("command") && table.contains("0.86"), table);
        assertTrue(table.contains("semantic=0.90"), table);
        assertTrue(table.contains("2 held"), table);
        assertFalse(table.contains("\u001b"), "terminal escapes from the server are neutralised");
        assertTrue(table.contains("evil?[2J"), table);

        assertEquals(0, run("show", first.id()), err());
        assertTrue(out().contains("wire $1M") && out().contains("under_review") && out().contains(first.message().messageId()), out());

        assertEquals(0, run("approve", first.id(), "--reason", "verified by phone"), err());
        assertTrue(out().contains("approved") && out().contains("alice"), out());
        assertEquals(DeliberationStatus.APPROVED, deliberations.get(first.id()).orElseThrow().status());
        assertEquals("verified by phone", deliberations.get(first.id()).orElseThrow().reasoning());

        assertEquals(0, run("reject", second.id(), "--reason", "no"), err());
        assertEquals(DeliberationStatus.REJECTED, deliberations.get(second.id()).orElseThrow().status());

        assertEquals(0, run("list", "--json"), err());
        assertTrue(out().contains("\"count\": 0"), out());
    }

    @Test
    void failsWithTheServersMessage()
    {
        assertEquals(DeliberationsMain.EXIT_FAILED, run("show", "no-such-id"));
        assertTrue(err().contains("404") && err().contains("no deliberation with id 'no-such-id'"), err());

        assertEquals(0, run("approve", first.id(), "--reason", "ok"), err());
        assertEquals(DeliberationsMain.EXIT_FAILED, run("reject", first.id(), "--reason", "too late"));
        assertTrue(err().contains("409") && err().contains("already approved"), err());

        final int badToken = run(Map.of(), "list", "--url", server.baseUrl(), "--token", TestTokens.hs256(
            TestTokens.claims("alice").issuer("evil").build(), TestTokens.SECRET));
        assertEquals(DeliberationsMain.EXIT_FAILED, badToken);
        assertTrue(err().contains("401") && err().contains("issuer"), err());
    }

    @Test
    void usageErrorsAndAnUnreachableServer() throws Exception
    {
        assertEquals(DeliberationsMain.EXIT_USAGE, run(Map.of(), "list", "--url", server.baseUrl()));
        assertTrue(err().contains(DeliberationsMain.ENV_TOKEN), err());
        assertEquals(DeliberationsMain.EXIT_USAGE, run("approve", first.id()));
        assertTrue(err().contains("--reason"), err());
        assertEquals(DeliberationsMain.EXIT_USAGE, run("frobnicate"));
        assertEquals(DeliberationsMain.EXIT_USAGE, run("show"));
        assertEquals(DeliberationStatus.UNDER_REVIEW, deliberations.get(first.id()).orElseThrow().status());

        final int freePort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            freePort = socket.getLocalPort();
        }
        assertEquals(DeliberationsMain.EXIT_FAILED, run(Map.of(DeliberationsMain.ENV_TOKEN, "x"), "list", "--url", "http://127.0.0.1:" + freePort));
        assertTrue(err().contains("cannot reach"), err());
    }

    @Test
    void mintsATokenTheServerAccepts()
    {
        final Map<String, String> env = Map.of(BearerAuth.ENV_HS256_SECRET, new String(TestTokens.SECRET, StandardCharsets.UTF_8));
        assertEquals(0, run(env, "token", "--subject", "operator-olga", "--ttl", "10m"), err());
        final String token = out().strip();
        assertEquals("operator-olga", TestTokens.hs256Auth().verify("Bearer " + token, BearerAuth.REVIEWER_ROLE).subject());
        assertEquals(0, run(Map.of(DeliberationsMain.ENV_TOKEN, token), "approve", first.id(), "--reason", "ok", "--url", server.baseUrl()), err());
        assertEquals("operator-olga", deliberations.get(first.id()).orElseThrow().reviewer());

        assertEquals(DeliberationsMain.EXIT_USAGE, run(Map.of(), "token", "--subject", "x"));
        assertTrue(err().contains(BearerAuth.ENV_HS256_SECRET), err());
        assertEquals(DeliberationsMain.EXIT_USAGE, run(env, "token"));
        assertEquals(DeliberationsMain.EXIT_USAGE, run(env, "token", "--subject", "x", "--ttl", "-5m"));
        // A token minted with another role does not open the reviewer endpoints.
        assertEquals(0, run(env, "token", "--subject", "ops", "--role", "admin"), err());
        assertEquals(403, org.junit.jupiter.api.Assertions.assertThrows(dev.eab.core.ops.TokenRejectedException.class,
            () -> TestTokens.hs256Auth().verify("Bearer " + out().strip(), BearerAuth.REVIEWER_ROLE)).status());
    }
}
