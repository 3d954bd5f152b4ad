package dev.eab.core.ops;

import dev.eab.core.EnhancedAgentBus;
import dev.eab.api.BusConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BearerAuth's accept/deny counts, scraped from {@code GET /metrics} over a real socket after real requests. */
class AuthCollectorTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private EnhancedAgentBus bus;
    private OpsServer server;

    @BeforeEach
    void start() throws Exception
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting());
        bus.start();
        final BearerAuth auth = TestTokens.hs256Auth();
        server = new OpsServer("127.0.0.1", 0);
        new OpsEndpoints(bus, bus.health(), () -> 0).register(server).collect(new AuthCollector(auth));
        new DeliberationRoutes(new InMemoryDeliberations(), auth).register(server);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        bus.close();
    }

    private int get(final String path, final String token) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET();
        if (token != null)
        {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void acceptedAndRefusedTokensAreCountedByReason() throws Exception
    {
        assertEquals(200, get("/deliberations", TestTokens.reviewer("alice")));
        assertEquals(200, get("/deliberations", TestTokens.reviewer("bob")));
        assertEquals(401, get("/deliberations", null));
        assertEquals(401, get("/deliberations", TestTokens.hs256(TestTokens.claims("eve").build(), TestTokens.OTHER_SECRET)));
        assertEquals(401, get("/deliberations", "not-a-jwt"));
        assertEquals(403, get("/deliberations/x/vote", TestTokens.reviewer("alice")));

        final PrometheusText metrics = PrometheusText.parse(client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).GET()
            .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(2.0, metrics.get("eab_ops_auth_accepted_total"));
        assertEquals(1.0, metrics.get("eab_ops_auth_refused_total", "reason", "missing_token"));
        assertEquals(1.0, metrics.get("eab_ops_auth_refused_total", "reason", "bad_signature"));
        assertEquals(1.0, metrics.get("eab_ops_auth_refused_total", "reason", "insufficient_role"));
        assertEquals(1.0, metrics.get("eab_ops_auth_refused_total", "reason", "malformed_token"));
    }
}
