package dev.eab.core.ops;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsServerTest
{
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesRoutesOverARealSocketAndTurnsAThrowingRouteIntoA500() throws Exception
    {
        try (OpsServer server = new OpsServer("127.0.0.1", 0))
        {
            server.route("/hello", exchange ->
            {
                if (OpsServer.requireMethod(exchange, "POST"))
                {
                    OpsServer.sendJson(exchange, 200, java.util.Map.of("echo", OpsServer.readBody(exchange)));
                }
            });
            server.route("/boom", exchange ->
            {
                throw new IllegalStateException("kaboom");
            });
            server.start();

            final HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/hello"))
                .POST(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("{\"echo\":\"hi\"}", ok.body());
            assertTrue(ok.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));

            final HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/hello"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, wrongMethod.statusCode());
            assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElseThrow());

            final HttpResponse<String> boom = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/boom"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, boom.statusCode());
            assertTrue(boom.body().contains("\"error\":\"internal_error\"") && boom.body().contains("kaboom"), boom.body());

            final HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/nothing"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());

            assertThrows(IllegalStateException.class, () -> server.route("/late", exchange -> { }));
        }
    }
}
