package dev.eab.core.ops;

import dev.eab.api.BusConfiguration;
import dev.eab.api.NativeMode;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.validate.RegoFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The Rego endpoints over a real loopback socket, against a bus with a real bundle. */
class RegoRoutesTest
{
    private static final byte[] SECRET = "rego-routes-test-secret-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final HttpClient client = HttpClient.newHttpClient();

    private static String token(final String role)
    {
        return TokenMinter.mintHs256(SECRET, BearerAuth.DEFAULT_ISSUER, BearerAuth.DEFAULT_AUDIENCE, "tester",
            java.util.List.of(role), BearerAuth.DEFAULT_ROLE_CLAIM, java.time.Instant.now(), java.time.Duration.ofMinutes(5));
    }

    @Test
    void statusAndAnAuthenticatedReload(@TempDir final Path dir) throws Exception
    {
        final BusConfiguration config = BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.AUTO).regoDir(RegoFixtures.bundle(dir))
            .regoWatch(false).build();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config); OpsServer server = new OpsServer("127.0.0.1", 0))
        {
            RegoRoutes.register(server, bus, BearerAuth.builder().hs256Secret(SECRET).build());
            server.start();
            bus.start();
            final String v1 = bus.rego().activeVersion();

            final HttpResponse<String> status = get(server, "/rego");
            assertEquals(200, status.statusCode());
            assertTrue(status.body().contains("\"active_version\":\"" + v1 + "\""), status.body());

            assertEquals(401, post(server, null).statusCode());
            assertEquals(401, post(server, "wrong").statusCode());
            assertEquals(403, post(server, token(BearerAuth.REVIEWER_ROLE)).statusCode(), "a reviewer may not reload policy");
            assertEquals(405, get(server, "/rego/reload").statusCode());

            Files.writeString(dir.resolve("data.json"), "{\"blocked_senders\": {}}");
            final HttpResponse<String> ok = post(server, token(BearerAuth.ADMIN_ROLE));
            assertEquals(200, ok.statusCode(), ok.body());
            assertNotEquals(v1, bus.rego().latestVersion());
            assertTrue(ok.body().contains(bus.rego().latestVersion()), ok.body());

            Files.writeString(dir.resolve("bad.rego"), "package eab\n\nallow if {\n");
            final HttpResponse<String> bad = post(server, token(BearerAuth.ADMIN_ROLE));
            assertEquals(422, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("\"policy_path\":\"bad.rego:"), bad.body());
        }
    }

    @Test
    void reloadIsRefusedWithoutTokenKeys(@TempDir final Path dir) throws Exception
    {
        final BusConfiguration config = BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.AUTO).regoDir(RegoFixtures.bundle(dir))
            .regoWatch(false).build();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config); OpsServer server = new OpsServer("127.0.0.1", 0))
        {
            RegoRoutes.register(server, bus, BearerAuth.builder().build());
            server.start();
            assertEquals(401, post(server, "").statusCode());
            assertEquals(401, post(server, token(BearerAuth.ADMIN_ROLE)).statusCode(), "no keys: no token verifies");
        }
    }

    private HttpResponse<String> get(final OpsServer server, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final OpsServer server, final String token) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/rego/reload")).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null)
        {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
