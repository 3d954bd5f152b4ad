package dev.eab.core.ops;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleRoutesTest
{
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(final OpsServer server, final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheListedFilesWithAStrictContentSecurityPolicyAndNothingElse() throws Exception
    {
        try (OpsServer server = new OpsServer("127.0.0.1", 0))
        {
            new ConsoleRoutes().register(server);
            server.start();
            final HttpResponse<String> page = get(server, "/console/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertEquals(ConsoleRoutes.CONTENT_SECURITY_POLICY, page.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(page.body().contains("<script src=\"console.js\""), page.body());
            assertFalse(page.body().contains("<script>"), "no inline script: the CSP would block it");

            final HttpResponse<String> script = get(server, "/console/console.js");
            assertEquals(200, script.statusCode());
            assertTrue(script.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
            for (final String sink : new String[] {".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("})
            {
                assertFalse(script.body().contains(sink), "the page renders with textContent only, found " + sink);
            }
            assertEquals(200, get(server, "/console/console.css").statusCode());
            assertEquals(200, get(server, "/console/index.html").statusCode());

            final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            final HttpResponse<String> bare = noRedirects.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/console")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(301, bare.statusCode());
            assertEquals("/console/", bare.headers().firstValue("Location").orElseThrow());

            assertEquals(404, get(server, "/console/../dev/eab/core/ops/OpsServer.class").statusCode());
            assertEquals(404, get(server, "/console/%2e%2e/secret").statusCode());
            assertEquals(404, get(server, "/console/missing.js").statusCode());
            assertEquals(404, get(server, "/consoleX").statusCode());
        }
    }
}
