package dev.eab.core.resilience;

import dev.eab.api.BusConfiguration;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.cli.ChaosMain;
import dev.eab.core.ops.BearerAuth;
import dev.eab.core.ops.OpsServer;
import dev.eab.core.ops.TokenMinter;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./eab chaos} against a real ops server over real sockets: the admin endpoints need an admin bearer token
 * (401 without, 403 with another role), a drill runs with probe traffic and the CLI reports what the bus did (no
 * unvalidated delivery), bad scenarios are refused with the engine's texts, the emergency stop blocks drills.
 */
class ChaosAdminTest
{
    private static final String SECRET = "chaos-admin-test-secret-0123456789abcdef";
    private EnhancedAgentBus bus;
    private OpsServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting());
        bus.start();
        server = new OpsServer("127.0.0.1", 0);
        new ChaosRoutes(bus, BearerAuth.builder().hs256Secret(SECRET.getBytes(StandardCharsets.UTF_8)).build()).register(server);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        bus.close();
    }

    private String token(final String role)
    {
        return TokenMinter.mintHs256(SECRET.getBytes(StandardCharsets.UTF_8), BearerAuth.DEFAULT_ISSUER, BearerAuth.DEFAULT_AUDIENCE, "tester",
            List.of(role), BearerAuth.DEFAULT_ROLE_CLAIM, Instant.now(), Duration.ofMinutes(5));
    }

    private record Run(int exit, String out, String err)
    {
    }

    private Run cli(final Map<String, String> env, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = server.baseUrl();
        final int exit = ChaosMain.run(all, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> request(final String method, final String path, final String token, final String body) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (token != null)
        {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminEndpointsNeedAnAdminToken() throws Exception
    {
        assertEquals(401, request("GET", "/admin/chaos", null, null).statusCode());
        assertEquals(401, request("POST", "/admin/chaos/emergency-stop", "not-a-jwt", null).statusCode());
        assertEquals(403, request("POST", "/admin/chaos/emergency-stop", token(BearerAuth.REVIEWER_ROLE), null).statusCode());
        assertFalse(bus.chaos().isEmergencyStopped(), "refused requests did nothing");
        final Run refused = cli(Map.of(), "status", "--token", token(BearerAuth.REVIEWER_ROLE));
        assertEquals(ChaosMain.EXIT_FAILED, refused.exit());
        assertTrue(refused.err().contains("403"), refused.err());
        assertEquals(ChaosMain.EXIT_USAGE, cli(Map.of(), "status").exit(), "no token and no secret");
        final Run ok = cli(Map.of(BearerAuth.ENV_HS256_SECRET, SECRET), "status");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("\"status\": \"HEALTHY\""), ok.out());
    }

    @Test
    void aDrillRunsWithProbeTrafficAndReportsWhatTheBusDid()
    {
        final Run r = cli(Map.of(BearerAuth.ENV_HS256_SECRET, SECRET), "validation-errors", "--duration", "2", "--traffic", "200", "--set", "rate=0.5");
        System.out.print(r.out());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("drill validation-errors"), r.out());
        assertTrue(r.out().contains("what the bus did:"), r.out());
        assertTrue(r.out().contains("\"unvalidated_deliveries\": 0"), r.out());
        assertTrue(r.out().contains("\"healed_after_s\""), r.out());
        assertTrue((long)bus.chaos().metrics().get("total_errors_injected") > 0, "errors were injected into real traffic");
        assertTrue(bus.metrics().rejectedTotal() > 0);
        assertTrue(bus.metrics().delivered() > 0);
        assertEquals(0, bus.chaos().active().size(), "the drill ended itself");
    }

    @Test
    void badScenariosAreRefusedWithTheEngineTexts() throws Exception
    {
        final String admin = token(BearerAuth.ADMIN_ROLE);
        final HttpResponse<String> rate = request("POST", "/admin/chaos/scenarios", admin,
            "{\"name\":\"x\",\"type\":\"error\",\"target\":\"validation\",\"error_rate\":1.5}");
        assertEquals(400, rate.statusCode());
        assertTrue(rate.body().contains("error_rate must be between 0.0 and 1.0"), rate.body());
        final HttpResponse<String> hash = request("POST", "/admin/chaos/scenarios", admin,
            "{\"name\":\"x\",\"type\":\"latency\",\"target\":\"validation\",\"constitutional_hash\":\"0123456789abcdef\"}");
        assertEquals(400, hash.statusCode());
        assertTrue(hash.body().contains("ChaosScenario 'x'"), hash.body());
        final String good = "{\"name\":\"slow\",\"type\":\"latency\",\"target\":\"routing\",\"delay_ms\":1,\"duration_s\":60}";
        assertEquals(200, request("POST", "/admin/chaos/scenarios", admin, good).statusCode());
        assertEquals(409, request("POST", "/admin/chaos/scenarios", admin, good).statusCode(), "unique names");
        assertEquals(200, request("DELETE", "/admin/chaos/scenarios/slow", admin, null).statusCode());
        assertEquals(404, request("DELETE", "/admin/chaos/scenarios/slow", admin, null).statusCode());
        assertEquals(400, request("POST", "/admin/chaos/drills/no-such-drill", admin, null).statusCode());
    }

    @Test
    void theEmergencyStopBlocksDrillsUntilReset()
    {
        final Map<String, String> env = Map.of(BearerAuth.ENV_HS256_SECRET, SECRET);
        assertEquals(0, cli(env, "emergency-stop").exit());
        final Run blocked = cli(env, "clock-skew", "--duration", "1", "--traffic", "0");
        assertEquals(ChaosMain.EXIT_FAILED, blocked.exit());
        assertTrue(blocked.err().contains("Cannot activate chaos scenario: emergency stop is active"), blocked.err());
        assertEquals(0, cli(env, "reset").exit());
        final Run list = cli(env, "list");
        assertTrue(list.out().contains("native-fault") && list.out().contains("ring-exhaustion"), list.out());
    }
}
