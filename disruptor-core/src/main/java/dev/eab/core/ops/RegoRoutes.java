package dev.eab.core.ops;

import com.sun.net.httpserver.HttpExchange;
import dev.eab.api.exception.PolicyEvaluationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.validate.RegoPolicyStrategy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Rego endpoints of the ops server: {@code GET /rego} (the bundle the bus decides with, the newest compiled one,
 * and the decision counters) and {@code POST /rego/reload} (recompile the bundle directory now; the bus switches at
 * its next message). Reload is an admin call: it needs {@code Authorization: Bearer <EAB_ADMIN_TOKEN>} (compared in
 * constant time); without a configured token it is refused (403), so an unauthenticated server can never change
 * policy. A bundle that does not compile answers 422 with the file and line, and the running bundle stays.
 */
public final class RegoRoutes
{
    /** The route prefix. */
    public static final String PREFIX = "/rego";
    /** The environment variable holding the admin bearer token. */
    public static final String ADMIN_TOKEN_ENV = "EAB_ADMIN_TOKEN";

    private final EnhancedAgentBus bus;
    private final byte[] adminToken;

    private RegoRoutes(final EnhancedAgentBus bus, final String adminToken)
    {
        this.bus = bus;
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the routes to {@code server} (before it starts). @param adminToken the bearer token for reload, or null (reload refused). */
    public static void register(final OpsServer server, final EnhancedAgentBus bus, final String adminToken)
    {
        final RegoRoutes routes = new RegoRoutes(bus, adminToken);
        server.route(PREFIX, routes::handle);
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        if (path.equals(PREFIX) || path.equals(PREFIX + "/"))
        {
            if (OpsServer.requireMethod(exchange, "GET"))
            {
                OpsServer.sendJson(exchange, 200, status());
            }
        }
        else if (path.equals(PREFIX + "/reload"))
        {
            if (OpsServer.requireMethod(exchange, "POST"))
            {
                reload(exchange);
            }
        }
        else
        {
            OpsServer.sendError(exchange, 404, "not_found", "no route " + path + " (GET " + PREFIX + ", POST " + PREFIX + "/reload)");
        }
    }

    private Map<String, Object> status()
    {
        final RegoPolicyStrategy rego = bus.rego();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", rego != null);
        if (rego != null)
        {
            m.put("dir", rego.dir().toString());
            m.put("query", rego.query());
            m.put("active_version", rego.activeVersion());
            m.put("latest_version", rego.latestVersion());
            m.put("cache_entries", rego.cacheEntries());
            m.put("constitutional_hash", rego.constitutionalHash());
        }
        m.put("counters", bus.metrics().snapshot().get("rego"));
        return m;
    }

    private void reload(final HttpExchange exchange) throws IOException
    {
        if (adminToken == null)
        {
            OpsServer.sendError(exchange, 403, "admin_disabled", "policy reload over HTTP needs " + ADMIN_TOKEN_ENV + " set on the server");
            return;
        }
        final String auth = exchange.getRequestHeaders().getFirst("Authorization");
        final byte[] given = auth == null || !auth.startsWith("Bearer ") ? new byte[0] : auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(adminToken, given))
        {
            OpsServer.sendError(exchange, 401, "unauthorized", "a valid 'Authorization: Bearer <token>' header is required");
            return;
        }
        if (bus.rego() == null)
        {
            OpsServer.sendError(exchange, 409, "rego_off", "Rego policies are not configured (EAB_REGO_DIR)");
            return;
        }
        try
        {
            final String version = bus.reloadRegoPolicies();
            OpsServer.sendJson(exchange, 200, Map.of("version", version, "note", "the bus switches at its next message"));
        }
        catch (final PolicyEvaluationException e)
        {
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "policy_load_failed");
            body.put("policy_path", e.policyPath());
            body.put("message", ThrowableText.message(e));
            body.put("active_version", bus.rego().activeVersion());
            OpsServer.sendJson(exchange, 422, body);
        }
    }
}
